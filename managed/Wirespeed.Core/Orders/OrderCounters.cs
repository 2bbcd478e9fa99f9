namespace Wirespeed.Core.Orders;

/// <summary>
/// What the order manager did, one counter per cause. Written by the session thread only; read by the monitor and the
/// summary (plain reads: a figure a moment old is fine there).
/// </summary>
public sealed class OrderCounters
{
    /// <summary>Requests that reached the manager (from the ring or a direct call).</summary>
    public long Submitted;
    /// <summary>New orders handed to the gateway.</summary>
    public long Sent;
    public long CancelsSent;
    public long ReplacesSent;
    /// <summary>Orders the counterparty accepted (PendingNew → New, or a first fill without an ack).</summary>
    public long Acknowledged;
    public long PartialFills;
    public long Filled;
    public long Canceled;
    public long Replaced;
    public long Rejected;
    public long Expired;
    public long Restated;
    public long StatusReports;
    /// <summary>Execution reports whose ExecType this machine does not act on.</summary>
    public long UnsupportedReports;
    /// <summary>Reports or rejects that would move an order along a transition the state machine does not have: refused, state kept.</summary>
    public long IllegalTransitions;
    /// <summary>Answers naming no order of ours (or an earlier order of a reused slot).</summary>
    public long UnknownOrder;
    /// <summary>Fills whose cumulative quantity did not grow: repeats, ignored.</summary>
    public long DuplicateFills;
    /// <summary>Fills learnt from a cancel or replace report whose CumQty was above the trades seen: added to the position.</summary>
    public long FillsFromOtherReports;
    public long CancelRejects;
    public long SessionRejects;
    public long BusinessRejects;
    /// <summary>Cancels sent because the kill switch was pulled or a breaker asked for cancel-all.</summary>
    public long KillSwitchCancels;
    /// <summary>Working orders put in pending cancel because the session dropped.</summary>
    public long DisconnectCancels;
    /// <summary>Cancels sent for them after the session came back.</summary>
    public long DisconnectCancelsSent;
    /// <summary>Requests refused before the wire, by <see cref="RiskReject"/>.</summary>
    public readonly long[] Blocked = new long[(int)RiskReject.NotWorking + 1];

    public long BlockedBy(RiskReject reason) => Blocked[(int)reason];

    /// <summary>All requests refused before the wire.</summary>
    public long BlockedTotal
    {
        get
        {
            long n = 0;
            foreach (long b in Blocked) n += b;
            return n;
        }
    }
}
