namespace Wirespeed.Core.Orders;

/// <summary>
/// Where an order stands (the order state machine of <see cref="OrderManager{TGateway}"/>). Working states may still
/// trade; terminal states never change again. The FIX OrdStatus (39) values these follow are named on each member.
/// </summary>
public enum OrderState : byte
{
    /// <summary>The slot has never held an order.</summary>
    Free = 0,
    /// <summary>Sent, not yet acknowledged (39=A).</summary>
    PendingNew = 1,
    /// <summary>Acknowledged, nothing filled (39=0).</summary>
    New = 2,
    /// <summary>Some filled, some left (39=1).</summary>
    PartiallyFilled = 3,
    /// <summary>A cancel was sent (or the session dropped, see cancel-on-disconnect) and is not answered yet (39=6).</summary>
    PendingCancel = 4,
    /// <summary>A cancel/replace was sent and is not answered yet (39=E).</summary>
    PendingReplace = 5,
    /// <summary>Terminal: everything filled (39=2).</summary>
    Filled = 6,
    /// <summary>Terminal: canceled, by request or unsolicited (39=4).</summary>
    Canceled = 7,
    /// <summary>Terminal: refused by the counterparty or by the session (39=8).</summary>
    Rejected = 8,
    /// <summary>Terminal: expired or done for the day (39=C, 39=3).</summary>
    Expired = 9,
}

/// <summary>State predicates.</summary>
public static class OrderStates
{
    /// <summary>True for the states in which the order may still trade.</summary>
    public static bool IsWorking(this OrderState s) => s is >= OrderState.PendingNew and <= OrderState.PendingReplace;

    /// <summary>True for Filled, Canceled, Rejected and Expired.</summary>
    public static bool IsTerminal(this OrderState s) => s >= OrderState.Filled;
}
