using Wirespeed.Core.Breakers;
using Wirespeed.Core.Signals;
using Wirespeed.Core.Events;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Time;

namespace Wirespeed.Core.Pipeline;

/// <summary>
/// Last stage of the feed chain: where events are handed to the strategy side. It measures what the strategy sees:
/// one-way latency from the exchange timestamp (the simulator stamps it from the realtime clock when it sends) to now,
/// and counts events and top-of-book changes. Signals are gated in the pattern workers (<see cref="Patterns.PatternAgent{TGroup, TSink, TGate}"/>);
/// here, where a breaker is in force, the stage counts the market events on instruments whose signals the level would
/// throttle or suppress (<see cref="BreakerState.SignalPolicyFor"/>), and still delivers every market event (graceful
/// degradation: books and data are never throttled).
/// </summary>
/// <remarks>
/// The realtime clock is read once per batch, on the first event, not per event, and the histogram's critical
/// section is entered once per batch too. One-way latency is only meaningful
/// when sender and receiver share a clock (the demo, a PTP-disciplined colo box); <see cref="RecordOneWay"/> turns it
/// off for replays of recorded data, whose timestamps are from another day.
/// </remarks>
public struct DeliverStage : IStage
{
    private readonly DeliverCounters _counters;
    private readonly StageMetrics? _oneWay;
    private readonly HotThreadProbe? _probe;
    private readonly BreakerState? _breakers;
    private long _batchSeen;
    private long _realtimeNs;

    public DeliverStage(DeliverCounters counters, StageMetrics? oneWay, HotThreadProbe? probe = null, BreakerState? breakers = null)
    {
        _breakers = breakers;
        _counters = counters;
        _oneWay = oneWay;
        _probe = probe;
        _batchSeen = -1;
        _realtimeNs = 0;
    }

    /// <summary>True when one-way latency is recorded.</summary>
    public readonly bool RecordOneWay => _oneWay != null;

    public Verdict Process(ref MarketEvent evt, in StageContext ctx)
    {
        var counters = _counters;
        counters.Events++;
        if ((evt.Flags & EventFlags.TopChanged) != 0) counters.TopChanges++;
        counters.ByLane[(int)evt.Lane & 3]++;
        var breakers = _breakers;
        if (breakers != null)
        {
            SignalPolicy policy = breakers.SignalPolicyFor(evt.Instrument);
            if (policy == SignalPolicy.Suppress) counters.WouldSuppress++;
            else if (policy == SignalPolicy.Throttle) counters.WouldThrottle++;
        }
        var oneWay = _oneWay;
        if (oneWay != null)
        {
            if (_batchSeen != ctx.BatchSequence)
            {
                // First event of the batch: one realtime read and one histogram critical section for the whole batch.
                _batchSeen = ctx.BatchSequence;
                _realtimeNs = RealtimeClock.NowNs();
                oneWay.BeginBatch();
            }
            if (evt.ExchangeTimestampNs > 0) oneWay.RecordInBatch(_realtimeNs - evt.ExchangeTimestampNs);
        }
        return Verdict.Continue;
    }

    public void EndBatch(in StageContext ctx)
    {
        // Called after the last Process of every batch that reached this stage, so BeginBatch is always closed here.
        if (_oneWay != null && _batchSeen == ctx.BatchSequence) _oneWay.EndBatch();
        _probe?.OnBatch();
    }
}

/// <summary>What the deliver stage saw. Written by its worker only; read by the monitor (advisory between samples).</summary>
public sealed class DeliverCounters
{
    public long Events;
    public long TopChanges;
    /// <summary>Events delivered per lane (critical, high, normal, bulk).</summary>
    public readonly long[] ByLane = new long[4];
    /// <summary>Events whose signals the breaker level in force would suppress (the pattern workers drop the signals, never the events).</summary>
    public long WouldSuppress;
    /// <summary>Events whose signals the breaker level in force would throttle.</summary>
    public long WouldThrottle;
}
