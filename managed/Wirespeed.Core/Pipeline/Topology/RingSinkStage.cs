using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Pipeline;

namespace Wirespeed.Core.Pipeline.Topology;

/// <summary>
/// Last stage of an upstream worker: copies each surviving event into the <see cref="RingLink"/> to the next worker and
/// publishes once per batch (one release store). A full ring is back-pressure: see <see cref="RingLink"/>.
/// </summary>
public struct RingSinkStage : IStage
{
    private readonly RingLink _link;
    private ConfiguredIdleStrategy _idle;

    /// <param name="link">The link to write to; this stage is its only producer.</param>
    /// <param name="idle">How to wait while the ring is full (normally the worker's own strategy).</param>
    public RingSinkStage(RingLink link, IdleStrategyOptions idle)
    {
        ArgumentNullException.ThrowIfNull(link);
        _link = link;
        _idle = idle.Create();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Verdict Process(ref MarketEvent evt, in StageContext ctx)
    {
        var ring = _link.Ring;
        if (!ring.TryClaim(out long seq) && !WaitForRoomSlow(out seq)) return Verdict.Drop;
        ring[seq] = evt;
        return Verdict.Continue;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void EndBatch(in StageContext ctx) => _link.Ring.Publish();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool WaitForRoomSlow(out long seq)
    {
        var ring = _link.Ring;
        ring.Publish();               // let the consumer see this batch's events so far: it must drain to make room
        _link.CountBackPressure();
        _idle.Reset();
        while (!ring.TryClaim(out seq))
        {
            if (_link.IsClosed)
            {
                _link.CountAbandoned();
                return false;
            }
            _link.CountWait();
            _idle.Idle();
        }
        return true;
    }
}
