using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Pipeline;

namespace Wirespeed.Core.Breakers;

/// <summary>
/// Runs the circuit breakers over every event, after the book stage on the same worker (it reads the book's top of
/// book and must see events in feed order). Never drops or changes an event: degradation happens only in the stages
/// that query <see cref="BreakerState"/> (patterns, signals).
/// </summary>
public struct BreakerStage<TActions> : IStage where TActions : struct, IBreakerActions
{
    private readonly BreakerState _state;
    private readonly OrderBookSet? _books;
    private readonly bool _virtualClock;
    private TActions _actions;

    /// <param name="state">The breakers; this stage is their only writer.</param>
    /// <param name="books">The book set the preceding book stage applies events to (read for the top of book).</param>
    /// <param name="actions">Cancel-all and alert callbacks.</param>
    /// <param name="virtualClock">True (replay): the transition log's MonoNs is the event's recorded receive time, not this machine's clock.</param>
    public BreakerStage(BreakerState state, OrderBookSet? books, TActions actions, bool virtualClock = false)
    {
        ArgumentNullException.ThrowIfNull(state);
        _state = state;
        _books = books;
        _virtualClock = virtualClock;
        _actions = actions;
    }

    /// <summary>The callbacks (for a test to read what they recorded).</summary>
    public readonly TActions Actions => _actions;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Verdict Process(ref MarketEvent evt, in StageContext ctx)
    {
        // Time: every decision (detector windows, evaluation schedule, recovery) runs on the event's exchange timestamp,
        // recorded data, so a replay decides as the live run did, at any speed. ctx.NowNs (monotonic) only stamps the
        // transition log's MonoNs, to line transitions up with latency figures: not a decision, never in a signal. Under
        // the virtual clock (replay) that stamp is the event's recorded receive time, so the log is the same run after run.
        _state.OnEvent(ref evt, _virtualClock ? evt.ReceiveTimestampNs : ctx.NowNs, _books, ref _actions);
        return Verdict.Continue;
    }

    public readonly void EndBatch(in StageContext ctx) { }
}
