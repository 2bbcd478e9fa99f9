using Wirespeed.Core.Events;

namespace Wirespeed.Core.Orders;

/// <summary>What an order's outstanding request is (for a refusal found by sequence number).</summary>
public enum OrderRequestKind : byte
{
    None = 0,
    New = 1,
    Cancel = 2,
    Replace = 3,
}

/// <summary>
/// One order slot of <see cref="OrderManager{TGateway}"/>, preallocated. Read-only to callers (a copy from
/// <see cref="OrderManager{TGateway}.Order"/>); the gateway reads the terms it encodes from it.
/// </summary>
public struct OrderRecord
{
    /// <summary>The id the order is known by now (changes when a replace takes effect).</summary>
    public ulong ClientId;
    /// <summary>The id of the outstanding cancel or replace; 0 when none.</summary>
    public ulong PendingId;
    /// <summary>The id before the last replace (late answers may still name it); 0 when none.</summary>
    public ulong PreviousId;
    public long Quantity;
    public long Price;
    public long CumQty;
    public long LeavesQty;
    /// <summary>Quantity and price asked for by the outstanding replace.</summary>
    public long PendingQuantity;
    public long PendingPrice;
    /// <summary>Leaves quantity counted in the instrument's working quantity (kept so every change is a delta).</summary>
    internal long Working;
    /// <summary>Transport sequence number of the last request sent for it; 0 when none.</summary>
    public long RequestSequence;
    public long SignalTimestampNs;
    public int Instrument;
    public int PatternId;
    public Side Side;
    public OrderType Type;
    public TimeInForce TimeInForce;
    public OrderState State;
    /// <summary>The working state to go back to when a pending cancel or replace is refused.</summary>
    public OrderState PriorState;
    public OrderRequestKind Outstanding;
    /// <summary>The session dropped while the order was working: it is treated as pending cancel until answered.</summary>
    public bool DisconnectCancel;
}
