using System.Runtime.CompilerServices;
using System.Threading;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Rings;

namespace Wirespeed.Core.Patterns;

/// <summary>What the publish stage does when the broadcast ring is full (the slowest pattern worker is behind).</summary>
public enum PublishOverflowPolicy : byte
{
    /// <summary>
    /// The event is not published and is counted (<see cref="PublishCounters.Dropped"/>, per kind). The book thread
    /// never waits for pattern workers: downstream of the book a full ring is a counted overflow (DESIGN.md, Rings).
    /// </summary>
    DropAndCount = 0,
    /// <summary>
    /// The book thread publishes what it has claimed and spins until the slowest worker frees a slot
    /// (<see cref="PublishCounters.Waits"/> counts the waits): nothing is lost, but a stuck worker stops the book.
    /// For replay and tests where completeness matters more than the feed.
    /// </summary>
    Wait = 1,
    /// <summary>
    /// As <see cref="Wait"/>, and after publishing each batch the book thread waits until every pattern worker has
    /// evaluated it. A worker's gate reads the breaker levels when it evaluates (<see cref="Breakers.BreakerSignalGate"/>):
    /// in lock step that is always the end of the batch, as with inline placement, so signals do not depend on how the
    /// threads were scheduled. Deterministic replay (patterns on the virtual clock) runs so.
    /// </summary>
    Lockstep = 2,
}

/// <summary>Counters of the publish stage, written by the book thread only, read approximately by the monitor.</summary>
public sealed class PublishCounters
{
    public long TopOfBook;
    public long Trades;
    /// <summary>Top-of-book events not published because the ring was full (DropAndCount).</summary>
    public long DroppedTopOfBook;
    /// <summary>Trade events not published because the ring was full (DropAndCount).</summary>
    public long DroppedTrades;
    /// <summary>Times the stage had to wait for space (Wait).</summary>
    public long Waits;
    /// <summary>Top-of-book changes and trades not published because no pattern worker reads their instrument.</summary>
    public long NotSubscribed;

    public long Dropped => Volatile.Read(ref DroppedTopOfBook) + Volatile.Read(ref DroppedTrades);
}

/// <summary>
/// Runs after the book stage on the same worker: for every event with <see cref="EventFlags.TopChanged"/> it writes an
/// <see cref="EventKind.TopOfBook"/> event (the instrument's new best bid and offer, with the triggering event's
/// timestamps, sequence, line and lane) into the broadcast ring, and it copies every trade (executions and
/// non-displayed trades: momentum needs them, with the resting side the book filled in). Each is routed to the workers
/// that read its instrument (<see cref="PatternRoutes"/>); one that no worker reads is counted, not published. Claims
/// per event, publishes once per batch. The event itself always continues down the chain.
/// </summary>
public readonly struct TopOfBookPublishStage : IStage
{
    private readonly OrderBookSet _books;
    private readonly SpmcBroadcast<MarketEvent> _ring;
    private readonly PublishCounters _counters;
    private readonly PublishOverflowPolicy _policy;
    private readonly PatternRoutes _routes;

    /// <summary>Publishes every top-of-book change and trade to every consumer (no routes).</summary>
    public TopOfBookPublishStage(OrderBookSet books, SpmcBroadcast<MarketEvent> ring, PublishOverflowPolicy policy = PublishOverflowPolicy.DropAndCount)
        : this(books, ring, PatternRoutes.Everyone, policy)
    {
    }

    /// <summary>Publishes what some worker reads, routed to the workers that read it (<see cref="PatternRuntime{TSink, TGate}.Routes"/>).</summary>
    /// <remarks>counters: shared by the publish stages of several lines on one worker (one per line, one ring); null: its own.</remarks>
    public TopOfBookPublishStage(OrderBookSet books, SpmcBroadcast<MarketEvent> ring, PatternRoutes routes, PublishOverflowPolicy policy = PublishOverflowPolicy.DropAndCount,
                                 PublishCounters? counters = null)
    {
        _books = books ?? throw new System.ArgumentNullException(nameof(books));
        _ring = ring ?? throw new System.ArgumentNullException(nameof(ring));
        _routes = routes ?? throw new System.ArgumentNullException(nameof(routes));
        _policy = policy;
        _counters = counters ?? new PublishCounters();
    }

    public PublishCounters Counters => _counters;
    public SpmcBroadcast<MarketEvent> Ring => _ring;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Verdict Process(ref MarketEvent evt, in StageContext ctx)
    {
        bool topChanged = (evt.Flags & EventFlags.TopChanged) != 0 && evt.Kind != EventKind.TopOfBook;
        bool trade = MarketData.IsTrade(evt.Kind);
        if (!topChanged && !trade) return Verdict.Continue;
        ulong route = _routes.MaskOf(evt.LineId, evt.Instrument);
        if (route == 0)
        {
            _counters.NotSubscribed++;
            return Verdict.Continue;
        }
        if (topChanged)
        {
            if (Claim(out long seq, route, isTrade: false))
            {
                ref MarketEvent top = ref _ring[seq];
                top = evt;                                     // timestamps, sequence, line, lane and flags of the trigger
                _books.GetTopOfBook(evt.Instrument).WriteTo(ref top);
                _counters.TopOfBook++;
            }
        }
        if (trade && Claim(out long tseq, route, isTrade: true))
        {
            _ring[tseq] = evt;
            _counters.Trades++;
        }
        return Verdict.Continue;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EndBatch(in StageContext ctx)
    {
        _ring.Publish();
        if (_policy == PublishOverflowPolicy.Lockstep) AwaitConsumers();
    }

    /// <summary>Lock step: spins until every consumer cursor has passed what was just published.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AwaitConsumers()
    {
        var spin = new SpinWait();
        while (_ring.Count > 0) spin.SpinOnce(sleep1Threshold: -1);   // Count reads each cursor with acquire: the workers' evaluation is done
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Claim(out long sequence, ulong route, bool isTrade)
    {
        if (_ring.TryClaim(out sequence, route)) return true;
        return ClaimSlow(out sequence, route, isTrade);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ClaimSlow(out long sequence, ulong route, bool isTrade)
    {
        if (_policy == PublishOverflowPolicy.DropAndCount)
        {
            if (isTrade) _counters.DroppedTrades++;
            else _counters.DroppedTopOfBook++;
            sequence = -1;
            return false;
        }
        _counters.Waits++;
        _ring.Publish();   // claimed slots must become visible, or consumers could never free the space we wait for
        var spin = new SpinWait();
        while (!_ring.TryClaim(out sequence, route)) spin.SpinOnce(sleep1Threshold: -1);
        return true;
    }
}
