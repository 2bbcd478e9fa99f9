namespace Wirespeed.Core.Books;

/// <summary>
/// Outcome of <see cref="OrderBookSet.Apply"/>. Values below <see cref="NotBookEvent"/> changed the book; the rest did
/// not. Every value has its own counter (<see cref="OrderBookSet.StatusCount"/>).
/// </summary>
public enum BookStatus : byte
{
    /// <summary>The event was applied as sent.</summary>
    Applied = 0,
    /// <summary>Applied, but the executed or cancelled shares exceeded the order's remaining shares: the order was removed.</summary>
    AppliedClamped = 1,
    /// <summary>The order was stored but its side had no free price level: it is tracked by reference only and its shares are
    /// missing from the aggregated levels (see <see cref="ExhaustionPolicy"/>).</summary>
    LevelPoolExhausted = 2,
    /// <summary>Reference data applied to the instrument table.</summary>
    ReferenceApplied = 3,
    /// <summary>A kind the book does not track (trades, crosses, broken trades, status kinds): counted, nothing changed.</summary>
    NotBookEvent = 4,
    /// <summary>Execution, cancel, delete or replace of an order reference the book does not hold.</summary>
    UnknownOrder = 5,
    /// <summary>Add (or the new reference of a replace) whose reference is already live.</summary>
    DuplicateOrderId = 6,
    /// <summary>The order store is full: the add was dropped (see <see cref="ExhaustionPolicy"/>).</summary>
    OrderPoolExhausted = 7,
    /// <summary>Instrument id outside the configured capacity.</summary>
    UnknownInstrument = 8,
    /// <summary>Side is neither Buy nor Sell.</summary>
    InvalidSide = 9,
    /// <summary>Quantity zero or negative where shares are required.</summary>
    InvalidQuantity = 10,
}
