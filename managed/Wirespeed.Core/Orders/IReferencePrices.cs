namespace Wirespeed.Core.Orders;

/// <summary>
/// The book's best prices as the strategy adapter sees them on its own thread (the pattern worker): a struct so the
/// call is direct. Prices have 4 implied decimals; 0 for an empty side.
/// </summary>
public interface IReferencePrices
{
    /// <summary>False when the instrument has no price at all (unknown, empty, or stale book).</summary>
    bool TryGetTop(int instrument, out long bid, out long ask);
}
