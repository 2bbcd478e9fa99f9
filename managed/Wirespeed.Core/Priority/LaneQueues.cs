/*
 * Preemptive scheduling after the book.
 *
 *   book worker:  … → Book → Breakers → Classify → LaneSinkStage ──┬─ ring Critical ─┐
 *                                                                  ├─ ring High ─────┤
 *                                                                  ├─ ring Normal ───┤   LaneScheduler (IBatchSource)
 *                                                                  └─ ring Bulk ─────┘ → Patterns → Signals
 *
 * Ordering guarantee (DESIGN.md). Everything that bears sequence (decode, book, breakers) runs before the lanes, in
 * feed order. Each lane is a FIFO ring with one producer and one consumer, so events of one instrument keep their feed
 * order WITHIN a lane; across lanes they may be reordered (that is the point). The stages after the scheduler only
 * read state (books, breaker levels) and must not assume per-instrument order across lanes.
 *
 * Overflow (DESIGN.md: downstream of the book a full ring is a counted overflow, never a silent drop): a full lane ring
 * drops the event and counts it per lane (LaneQueues.Overflow). Books and recording upstream are never affected.
 */
using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Wirespeed.Core.Events;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Rings;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Pipeline.Topology;

namespace Wirespeed.Core.Priority;

/// <summary>Four SPSC rings, one per lane, between the classify worker (producer) and the scheduling worker (consumer).</summary>
public sealed class LaneQueues : IDisposable
{
    private readonly RingLink[] _links = new RingLink[4];
    private readonly SpscRing<MarketEvent>[] _rings = new SpscRing<MarketEvent>[4];
    private readonly long[] _overflow = new long[4];

    /// <param name="capacity">Slots per lane; a power of two (see <see cref="PriorityOptions.LaneCapacity"/>).</param>
    /// <param name="registry">Where the ring memory is accounted ("ring.lane.critical" …), if any.</param>
    public LaneQueues(int capacity, MemoryRegistry? registry = null)
    {
        if (capacity < 2 || (capacity & (capacity - 1)) != 0) ThrowHelper.Argument(nameof(capacity), $"capacity={capacity} must be a power of two ≥ 2");
        string[] names = ["lane.critical", "lane.high", "lane.normal", "lane.bulk"];
        for (int i = 0; i < 4; i++)
        {
            _links[i] = new RingLink(names[i], capacity, registry);
            _rings[i] = _links[i].Ring;
        }
    }

    /// <summary>The ring of a lane.</summary>
    public SpscRing<MarketEvent> Ring(Lane lane) => _rings[(int)lane & 3];

    /// <summary>The link (ring, memory account, close flag) of a lane; for a pipeline that must name one link between its workers.</summary>
    public RingLink Link(Lane lane) => _links[(int)lane & 3];

    internal SpscRing<MarketEvent>[] Rings => _rings;

    /// <summary>Events dropped because the lane's ring was full.</summary>
    public long Overflow(Lane lane) => Volatile.Read(ref _overflow[(int)lane & 3]);

    internal void CountOverflow(int lane) => _overflow[lane]++; // producer thread only

    /// <summary>Closes every lane: a lane sink waiting for room stops waiting (the consumer is gone).</summary>
    public void CloseAll()
    {
        foreach (var l in _links) l.Close();
    }

    /// <summary>Frees the ring memory; only after both workers have stopped.</summary>
    public void Dispose()
    {
        foreach (var l in _links) l.Dispose();
    }
}

/// <summary>
/// Last stage of the classify worker: copies each event into its lane's ring. Critical events are published at once
/// (one release store each; they are rare), the other lanes once per batch. A full lane either drops the event and
/// counts it (<see cref="LaneQueues.Overflow"/>), or, when made with an idle strategy, waits for room as the pipeline's
/// own ring sink does (back-pressure; the wait and any abandoned event are counted on the lane's <see cref="RingLink"/>).
/// </summary>
/// <remarks>
/// Waiting cannot deadlock: before it waits the stage publishes every lane's claimed slots, and the scheduler drains
/// whichever lanes hold events, so the full lane is served as soon as the lanes above it are empty, which they soon are
/// because the only producer is the one waiting. A closed lane link (the consumer stopped or faulted) ends the wait.
/// </remarks>
public struct LaneSinkStage : IStage
{
    private readonly LaneQueues _queues;
    private readonly SpscRing<MarketEvent>[] _rings;
    private readonly bool _wait;
    private ConfiguredIdleStrategy _idle;
    private int _pending; // bit per lane with claimed, unpublished slots

    /// <summary>A lane sink that drops and counts when a lane is full.</summary>
    public LaneSinkStage(LaneQueues queues)
    {
        ArgumentNullException.ThrowIfNull(queues);
        _queues = queues;
        _rings = queues.Rings;
        _pending = 0;
        _wait = false;
        _idle = default;
    }

    /// <summary>A lane sink that waits for room when a lane is full, idling with <paramref name="waitWhenFull"/>.</summary>
    public LaneSinkStage(LaneQueues queues, IdleStrategyOptions waitWhenFull) : this(queues)
    {
        ArgumentNullException.ThrowIfNull(waitWhenFull);
        _wait = true;
        _idle = waitWhenFull.Create();
    }

    public Verdict Process(ref MarketEvent evt, in StageContext ctx)
    {
        int lane = (int)evt.Lane;
        var ring = _rings[lane];
        if (!ring.TryClaim(out long seq) && !WaitForRoom(lane, out seq))
        {
            _queues.CountOverflow(lane);
            return Verdict.Drop;
        }
        ring[seq] = evt;
        if (lane == (int)Lane.Critical) ring.Publish();
        else _pending |= 1 << lane;
        return Verdict.Continue;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool WaitForRoom(int lane, out long seq)
    {
        seq = 0;
        if (!_wait) return false;
        PublishPending();   // the scheduler must see everything claimed so far to make room
        var link = _queues.Link((Lane)lane);
        var ring = _rings[lane];
        link.CountBackPressure();
        _idle.Reset();
        while (!ring.TryClaim(out seq))
        {
            if (link.IsClosed)
            {
                link.CountAbandoned();
                return false;
            }
            link.CountWait();
            _idle.Idle();
        }
        return true;
    }

    public void EndBatch(in StageContext ctx) => PublishPending();

    private void PublishPending()
    {
        int p = _pending;
        if ((p & 2) != 0) _rings[1].Publish();
        if ((p & 4) != 0) _rings[2].Publish();
        if ((p & 8) != 0) _rings[3].Publish();
        _pending = 0;
    }
}
