namespace Wirespeed.Core.Orders;

/// <summary>What an execution report says happened (FIX ExecType, 150), independent of the protocol that carried it.</summary>
public enum ExecKind : byte
{
    /// <summary>A value this state machine does not act on (Stopped, Suspended, trade corrections …): counted, ignored.</summary>
    Unsupported = 0,
    /// <summary>150=A: received, not yet accepted.</summary>
    PendingNew = 1,
    /// <summary>150=0: accepted.</summary>
    New = 2,
    /// <summary>150=F (FIX 4.4+), 150=1 / 150=2 (FIX 4.0-4.2): a fill; full or partial by LeavesQty.</summary>
    Trade = 3,
    /// <summary>150=4.</summary>
    Canceled = 4,
    /// <summary>150=5: the cancel/replace took effect.</summary>
    Replaced = 5,
    /// <summary>150=6: the cancel request was received.</summary>
    PendingCancel = 6,
    /// <summary>150=E: the cancel/replace request was received.</summary>
    PendingReplace = 7,
    /// <summary>150=8.</summary>
    Rejected = 8,
    /// <summary>150=C expired, 150=3 done for day.</summary>
    Expired = 9,
    /// <summary>150=D: the counterparty changed the order's terms (quantity).</summary>
    Restated = 10,
    /// <summary>150=I: a status answer; changes nothing.</summary>
    OrderStatus = 11,
}

/// <summary>
/// One execution report, decoded from the wire by the protocol side (FIX: 35=8) into the fields the state machine
/// reads. Quantities are whole units; prices are fixed point with 4 implied decimals, as in <see cref="Events.MarketEvent"/>.
/// </summary>
public struct ExecutionReport
{
    /// <summary>The client order id the report names (FIX ClOrdID, 11), 0 when absent or not one of ours.</summary>
    public ulong ClientId;
    /// <summary>The original client order id (FIX OrigClOrdID, 41), 0 when absent.</summary>
    public ulong OrigClientId;
    public ExecKind Kind;
    /// <summary>Cumulative filled quantity (14).</summary>
    public long CumQty;
    /// <summary>Quantity still open (151).</summary>
    public long LeavesQty;
    /// <summary>Quantity of this fill (32); 0 when none.</summary>
    public long LastQty;
    /// <summary>Price of this fill (31), 4 decimals.</summary>
    public long LastPx;
}

/// <summary>How the counterparty answered a request (FIX: 9, 3, j), independent of the protocol.</summary>
public enum RequestRejectKind : byte
{
    /// <summary>A cancel or cancel/replace was refused (FIX 35=9); the order goes on as before.</summary>
    CancelRejected = 0,
    /// <summary>The request was refused at the session level (FIX 35=3, found by RefSeqNum).</summary>
    SessionReject = 1,
    /// <summary>The request was refused by the application (FIX 35=j).</summary>
    BusinessReject = 2,
}
