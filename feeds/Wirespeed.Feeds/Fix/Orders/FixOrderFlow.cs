using Wirespeed.Core.Orders;
using Wirespeed.Feeds.Fix.Application;

namespace Wirespeed.Feeds.Fix.Orders;

/// <summary>What the FIX order flow could not use (each counted; the order manager counts the rest).</summary>
public sealed class FixOrderFlowCounters
{
    /// <summary>8, 9, 3 or j missing a field the state machine needs.</summary>
    public long Malformed;
    /// <summary>Rejects (3, j) about a message that is not an order request.</summary>
    public long NotAboutOrders;
}

/// <summary>
/// The order side of one FIX session: an <see cref="OrderManager{TGateway}"/> whose gateway encodes D/F/G through the
/// session seam, and the reader that turns 8, 9, 3 and j from the session into state-machine input. Runs on the
/// session thread (see <see cref="IFixApplicationSession"/>).
/// </summary>
public sealed class FixOrderFlow<TSession> where TSession : struct, IFixApplicationSession
{
    private readonly byte[] _prefix;

    public FixOrderFlow(FixOrderGateway<TSession> gateway, RiskLimits limits, KillSwitch? kill = null, CancelAllRequest? cancelAll = null)
    {
        _prefix = gateway.ClOrdIdPrefix;
        Manager = new OrderManager<FixOrderGateway<TSession>>(gateway, limits, kill, cancelAll);
    }

    public OrderManager<FixOrderGateway<TSession>> Manager { get; }
    public FixOrderFlowCounters Counters { get; } = new();

    /// <summary>Handles 8, 9, 3 and j; false for any other MsgType (not this flow's).</summary>
    public bool OnMessage(in FixView v)
    {
        var type = v.MsgType;
        if (type.Length != 1) return false;
        switch (type[0])
        {
            case (byte)'8':
                if (!FixExecutionReader.TryRead(v, _prefix, out var r)) { Counters.Malformed++; return true; }
                Manager.OnExecution(in r);
                return true;
            case (byte)'9':
                if (!FixExecutionReader.TryReadCancelReject(v, _prefix, out ulong id, out ulong orig, out bool unknown)) { Counters.Malformed++; return true; }
                Manager.OnCancelReject(id, orig, unknown);
                return true;
            case (byte)'3':
            case (byte)'j':
                if (!FixExecutionReader.TryReadReject(v, _prefix, out long seq, out ulong refId)) { Counters.NotAboutOrders++; return true; }
                Manager.OnRequestRejected(type[0] == (byte)'3' ? RequestRejectKind.SessionReject : RequestRejectKind.BusinessReject, seq, refId);
                return true;
            default:
                return false;
        }
    }
}
