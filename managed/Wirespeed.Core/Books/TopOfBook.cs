using Wirespeed.Core.Events;

namespace Wirespeed.Core.Books;

/// <summary>
/// Best bid and offer of one instrument. Price and size are 0 for an empty side. The caller turns it into a
/// <see cref="EventKind.TopOfBook"/> event with <see cref="WriteTo"/> when <see cref="EventFlags.TopChanged"/> is set.
/// </summary>
public readonly record struct TopOfBook(int Instrument, long BidPrice, long BidSize, int BidOrders, long AskPrice, long AskSize, int AskOrders)
{
    /// <summary>Fills <paramref name="evt"/> as a TopOfBook event (field use per <see cref="EventKind.TopOfBook"/>):
    /// Price = best bid, Aux = best ask, Quantity = bid size, OrderId = ask size. Timestamps, sequence, line and lane are
    /// left to the caller (usually copied from the event that changed the top).</summary>
    public void WriteTo(ref MarketEvent evt)
    {
        evt.Kind = EventKind.TopOfBook;
        evt.Instrument = Instrument;
        evt.Price = BidPrice;
        evt.Aux = (ulong)AskPrice;
        evt.Quantity = BidSize;
        evt.OrderId = (ulong)AskSize;
        evt.Side = Side.None;
    }
}
