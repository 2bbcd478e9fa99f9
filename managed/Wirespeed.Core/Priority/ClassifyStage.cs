using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Books;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Events;
using Wirespeed.Core.Pipeline;

namespace Wirespeed.Core.Priority;

/// <summary>
/// Writes each event's lane into <see cref="MarketEvent.Lane"/>: <typeparamref name="TRules"/> decides (custom struct
/// rules composed with <see cref="RulePair{TFirst, TSecond}"/>, normally ending with <see cref="TableRule"/>, the
/// configured table), then <see cref="PriorityAdjuster"/> applies the shifts in force. Runs after the book (it reads
/// <see cref="EventFlags.TopChanged"/> and the top of book) and never reorders or drops: the lane only matters to
/// <see cref="LaneSinkStage"/> and <see cref="LaneScheduler"/> after it.
/// </summary>
/// <remarks>The rule set is read from the holder once per batch, at the end of the batch, for the next one. Time: phases,
/// surges and imbalance windows run on the event's exchange timestamp (recorded data: a replay classifies as the live
/// run did); the monotonic ctx.NowNs only stamps the change log's MonoNs.</remarks>
public struct ClassifyStage<TRules> : IStage where TRules : struct, IPriorityRule
{
    private readonly RuleSetHolder _holder;
    private readonly ClassifyState _state;
    private readonly PriorityAdjuster _adjuster;
    private readonly OrderBookSet? _books;
    private readonly InstrumentTable? _instruments;
    private CompiledRuleSet _rules;
    private ClassifyContext _ctx; // rebuilt only when the rule set changes
    private TRules _custom;
    private long _lastExchangeNs;
    private readonly bool _virtualClock;

    /// <param name="holder">Rule sets; swapped by reconfiguration.</param>
    /// <param name="rules">The rule composition (e.g. <c>default(TableRule)</c>).</param>
    /// <param name="books">The book set (read for the mid by the price-move rule); may be null.</param>
    /// <param name="instruments">For sectors; may be null (the sector rule then never matches).</param>
    /// <param name="breakers">Breaker levels that re-weight lanes; may be null.</param>
    /// <param name="virtualClock">True (replay): the change log's MonoNs is the event's recorded receive time.</param>
    public ClassifyStage(RuleSetHolder holder, TRules rules, OrderBookSet? books = null, InstrumentTable? instruments = null, BreakerState? breakers = null,
                         bool virtualClock = false)
    {
        _virtualClock = virtualClock;
        ArgumentNullException.ThrowIfNull(holder);
        _holder = holder;
        _rules = holder.Current;
        var o = _rules.Options;
        _state = new ClassifyState(o.MaxInstruments);
        _adjuster = new PriorityAdjuster(o.MaxInstruments, breakers, o.ChangeLogCapacity);
        _books = books;
        _instruments = instruments ?? books?.Instruments;
        _custom = rules;
        _lastExchangeNs = 0;
        _ctx = new ClassifyContext(_rules, _state, _books, _instruments);
    }

    /// <summary>Per-instrument state and lane counts.</summary>
    public readonly ClassifyState State => _state;

    /// <summary>Dynamic adjustment and its change log.</summary>
    public readonly PriorityAdjuster Adjuster => _adjuster;

    /// <summary>The rule set this stage is using.</summary>
    public readonly CompiledRuleSet Rules => _rules;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Verdict Process(ref MarketEvent evt, in StageContext ctx)
    {
        // The configured table alone (the usual composition) has a common path without any call: rare work (watch
        // lists, imbalance windows, phase and surge edges, breaker shifts) is left to the full path, because every
        // call site on the path, even one never taken, was measured to cost each event several ns.
        if (typeof(TRules) == typeof(TableRule) && TryCommon(ref evt)) return Verdict.Continue;
        InFull(ref evt, ctx.NowNs);
        return Verdict.Continue;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryCommon(ref MarketEvent evt)
    {
        if (!BuiltInRules.TryEvaluateTableCommon(ref evt, in _ctx, out int table)) return false;
        if (!_adjuster.TryAdjustCommon(ref evt, table < 0 ? _ctx.DefaultLane : (Lane)table, _rules, out Lane lane)) return false;
        evt.Lane = lane;
        ClassifyState.Observe(in _ctx, ref evt, lane);
        _lastExchangeNs = evt.ExchangeTimestampNs;
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void InFull(ref MarketEvent evt, long monoNs)
    {
        Lane lane = _custom.Classify(ref evt, in _ctx) ?? _rules.DefaultLane;
        lane = _adjuster.Adjust(ref evt, lane, _rules, _virtualClock ? evt.ReceiveTimestampNs : monoNs);
        evt.Lane = lane;
        ClassifyState.Observe(in _ctx, ref evt, lane);
        _lastExchangeNs = evt.ExchangeTimestampNs;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EndBatch(in StageContext ctx)
    {
        var current = _holder.Current; // once per batch: the next batch runs wholly on this set
        if (!ReferenceEquals(current, _rules)) Swap(current, ctx.NowNs);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Swap(CompiledRuleSet current, long monoNs)
    {
        _rules = current;
        _ctx = new ClassifyContext(current, _state, _books, _instruments);
        _adjuster.OnReconfigured(current, _lastExchangeNs, monoNs);
    }
}
