namespace Wirespeed.Core.Events;

/// <summary>What a <see cref="MarketEvent"/> says. Field use per kind is listed on each member.</summary>
public enum EventKind : byte
{
    None = 0,
    /// <summary>New resting order. OrderId, Side, Quantity, Price.</summary>
    AddOrder = 1,
    /// <summary>Resting order executed at its own price. OrderId, Quantity = executed shares, Aux = match number.</summary>
    OrderExecuted = 2,
    /// <summary>Executed at a different price. OrderId, Quantity = executed shares, Price = execution price, Aux = match number.</summary>
    OrderExecutedWithPrice = 3,
    /// <summary>Partial cancel. OrderId, Quantity = cancelled shares.</summary>
    OrderCancel = 4,
    /// <summary>Whole order removed. OrderId.</summary>
    OrderDelete = 5,
    /// <summary>Cancel-replace. OrderId = original, Aux = new reference, Quantity, Price of the new order.</summary>
    OrderReplace = 6,
    /// <summary>Execution against a non-displayed order; does not touch the book. Side, Quantity, Price, Aux = match number.</summary>
    Trade = 7,
    /// <summary>Cross; does not touch the book. Quantity, Price, Aux = match number.</summary>
    CrossTrade = 8,
    /// <summary>Trade broken. Aux = match number.</summary>
    BrokenTrade = 9,
    /// <summary>Instrument-level trading state (ITCH H). Aux = trading state (ASCII) | reason (4 ASCII bytes) &lt;&lt; 8.</summary>
    TradingAction = 10,
    /// <summary>Market-wide circuit breaker status (ITCH W). Aux = breached level (ASCII '1','2','3').</summary>
    MwcbStatus = 11,
    /// <summary>MWCB decline levels (ITCH V). Price = level 1 (Price(8) scaled to 4 decimals).</summary>
    MwcbDeclineLevel = 12,
    /// <summary>LULD auction collar (ITCH J). Price = reference, Quantity = upper collar, OrderId = lower collar (both 4 decimals).</summary>
    LuldCollar = 13,
    /// <summary>Operational halt (ITCH h). Aux = market code | action &lt;&lt; 8.</summary>
    OperationalHalt = 14,
    /// <summary>Net order imbalance (ITCH I). Quantity = imbalance shares, Price = current reference price, Side = direction.</summary>
    Imbalance = 15,
    /// <summary>System event (ITCH S). Aux = event code (ASCII).</summary>
    SystemEvent = 16,
    /// <summary>Reference data (stock directory etc.): instrument table updated. Aux = ITCH type.</summary>
    Reference = 17,
    /// <summary>Any other exchange status message carried for completeness. Aux = ITCH type.</summary>
    Status = 18,
    /// <summary>Top of book changed (book stage output). Price = best bid, Aux = best ask (4 decimals), Quantity = bid size, OrderId = ask size.</summary>
    TopOfBook = 19,
}
