using Wirespeed.Core.Events;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Time;

namespace Wirespeed.Hosting;

/// <summary>
/// Last stage of the feed chain: where events are handed to the strategy side. It measures what the strategy sees:
/// one-way latency from the exchange timestamp (the simulator stamps it from the realtime clock when it sends) to now,
/// and counts events and top-of-book changes.
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
    private long _batchSeen;
    private long _realtimeNs;

    public DeliverStage(DeliverCounters counters, StageMetrics? oneWay, HotThreadProbe? probe = null)
    {
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
}
