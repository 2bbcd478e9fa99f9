using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Priority;

/// <summary>
/// A classification rule: a struct, so <see cref="ClassifyStage{TRules}"/> and <see cref="RulePair{TFirst, TSecond}"/>
/// are specialised and the call is direct. Returns the lane, or null to leave the decision to the next rule. Rules only
/// read: the event is passed by reference to avoid a 64-byte copy, not to be changed (the stage writes the lane).
/// Called on the classify worker thread only.
/// </summary>
public interface IPriorityRule
{
    Lane? Classify(ref MarketEvent evt, in ClassifyContext ctx);
}

/// <summary>
/// What a rule may read: the rule set of this batch, per-instrument classification state, and the books and
/// instrument table (either may be null). A struct on the stage's stack, passed by <c>in</c>.
/// </summary>
public readonly struct ClassifyContext
{
    public readonly CompiledRuleSet Rules;
    public readonly ClassifyState State;
    public readonly OrderBookSet? Books;
    public readonly InstrumentTable? Instruments;

    public ClassifyContext(CompiledRuleSet rules, ClassifyState state, OrderBookSet? books, InstrumentTable? instruments)
    {
        Rules = rules; State = state; Books = books; Instruments = instruments;
    }
}

/// <summary>Per-instrument state the rules read (last trade price) and lane counts. Written by the classify stage only.</summary>
public sealed class ClassifyState
{
    private readonly long[] _lastTrade;
    private readonly long[] _laneCounts = new long[4];

    public ClassifyState(int maxInstruments) => _lastTrade = new long[Math.Max(1, maxInstruments)];

    /// <summary>Last trade or execution price of an instrument (Price(4)); 0 when none yet or out of range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long LastTradePrice(int instrument) => (uint)instrument < (uint)_lastTrade.Length ? _lastTrade[instrument] : 0;

    /// <summary>Events classified into <paramref name="lane"/>.</summary>
    public long LaneCount(Lane lane) => System.Threading.Volatile.Read(ref _laneCounts[(int)lane & 3]);

    /// <summary>Classify thread: updates state after an event was classified.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Observe(ref MarketEvent evt, Lane lane)
    {
        _laneCounts[(int)lane]++;
        switch (evt.Kind)
        {
            case EventKind.OrderExecuted:
            case EventKind.OrderExecutedWithPrice:
            case EventKind.Trade:
            case EventKind.CrossTrade:
                int id = evt.Instrument;
                if ((uint)id < (uint)_lastTrade.Length && evt.Price > 0) _lastTrade[id] = evt.Price;
                break;
        }
    }
}

/// <summary>The logic of the built-in rules, shared by the rule table and the standalone rule structs. -1 = no decision.</summary>
public static class BuiltInRules
{
    /// <summary>Exchange state messages: trading halts and resumptions, operational halts, MWCB, LULD collars, system events.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsExchangeState(EventKind kind) => kind is EventKind.TradingAction or EventKind.OperationalHalt
        or EventKind.MwcbStatus or EventKind.MwcbDeclineLevel or EventKind.LuldCollar or EventKind.SystemEvent;

    /// <summary>Imbalance (ITCH I) within the window before the open, after the open, or before the close.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsImbalanceNearCross(ref MarketEvent evt, CompiledRuleSet rules)
    {
        if (evt.Kind != EventKind.Imbalance) return false;
        long tod = (evt.ExchangeTimestampNs - rules.MidnightEpochNs) % CompiledRuleSet.DayNs;
        long w = rules.ImbalanceWindowNs;
        return Math.Abs(tod - rules.OpenNs) <= w || (tod <= rules.CloseNs && rules.CloseNs - tod <= w);
    }

    /// <summary>True for events that carry a price of an order or a trade.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool HasTradeOrOrderPrice(EventKind kind) => kind is EventKind.AddOrder or EventKind.OrderReplace
        or EventKind.OrderExecuted or EventKind.OrderExecutedWithPrice or EventKind.Trade or EventKind.CrossTrade;

    /// <summary>Price farther than <paramref name="hundredthsOfBp"/> / 100 bps from the last trade, else from the mid of the book.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsPriceMove(ref MarketEvent evt, in ClassifyContext ctx, long hundredthsOfBp)
        => HasTradeOrOrderPrice(evt.Kind) && IsPriceMoveOfPricedKind(ref evt, in ctx, hundredthsOfBp);

    /// <summary><see cref="IsPriceMove"/> for an event already known to be of a priced kind (the rule table's per-kind lists).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsPriceMoveOfPricedKind(ref MarketEvent evt, in ClassifyContext ctx, long hundredthsOfBp)
    {
        if (evt.Price <= 0) return false;
        long reference = ctx.State.LastTradePrice(evt.Instrument);
        if (reference == 0)
        {
            var books = ctx.Books;
            if (books is null || !books.TryGetBestBid(evt.Instrument, out long bid, out _) || !books.TryGetBestAsk(evt.Instrument, out long ask, out _)) return false;
            reference = (bid + ask) >> 1;
            if (reference <= 0) return false;
        }
        // |p - ref| / ref > bps / 10^4  <=>  |p - ref| * 10^6 > (bps * 100) * ref, in 128-bit-safe doubles for large prices
        return Math.Abs(evt.Price - reference) * 1e6 > (double)hundredthsOfBp * reference;
    }

    /// <summary>Order or trade of at least <paramref name="shares"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsLarge(ref MarketEvent evt, long shares)
        => evt.Quantity >= shares && (HasTradeOrOrderPrice(evt.Kind) || evt.Kind == EventKind.OrderCancel);

    /// <summary>Book events: 1 = changed the best bid or offer, 0 = deeper levels only, -1 = not a book event.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TopOrDeep(ref MarketEvent evt)
    {
        if ((evt.Flags & EventFlags.TopChanged) != 0) return 1;
        return IsBookKind(evt.Kind) ? 0 : -1;
    }

    /// <summary>Kinds that change an order book.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsBookKind(EventKind kind) => kind is EventKind.AddOrder or EventKind.OrderCancel or EventKind.OrderDelete
        or EventKind.OrderReplace or EventKind.OrderExecuted or EventKind.OrderExecutedWithPrice;

    /// <summary>
    /// Evaluates the rule table of <paramref name="ctx"/> in order; the first rule that decides wins. Returns -1 when
    /// none decided. A switch over plain structs: no interface call, no allocation. The per-kind list holds only rules
    /// that can match the event's kind (checked when the set was compiled), so no rule tests the kind again here.
    /// </summary>
    public static int EvaluateTable(ref MarketEvent evt, in ClassifyContext ctx)
    {
        var rules = ctx.Rules;
        var entries = rules.ByKind[(int)evt.Kind];
        for (int i = 0; i < entries.Length; i++)
        {
            ref readonly RuleEntry e = ref entries[i];
            switch (e.Kind)
            {
                case RuleKind.Halts:
                    return (int)e.Lane; // listed only for exchange-state kinds
                case RuleKind.Imbalance:
                    if (IsImbalanceNearCross(ref evt, rules)) return (int)e.Lane;
                    break;
                case RuleKind.WatchInstruments:
                    if ((uint)evt.Instrument < (uint)rules.WatchedInstruments.Length && rules.WatchedInstruments[evt.Instrument]) return (int)e.Lane;
                    break;
                case RuleKind.WatchSectors:
                    if (rules.WatchedSectors.Length > 0 && ctx.Instruments is { } table)
                    {
                        int sector = table.Sector(evt.Instrument);
                        if ((uint)sector < (uint)rules.WatchedSectors.Length && rules.WatchedSectors[sector]) return (int)e.Lane;
                    }
                    break;
                case RuleKind.PriceMove:
                    if (IsPriceMoveOfPricedKind(ref evt, in ctx, e.Parameter)) return (int)e.Lane;
                    break;
                case RuleKind.Size:
                    if (evt.Quantity >= e.Parameter) return (int)e.Lane; // listed only for orders, trades and cancels
                    break;
                case RuleKind.TopOfBook:
                    if ((evt.Flags & EventFlags.TopChanged) != 0) return (int)e.Lane;
                    if (e.DeepDecides) return (int)e.OtherLane;
                    break;
            }
        }
        return -1;
    }
}

/// <summary>The data-driven rule table of the batch's <see cref="CompiledRuleSet"/> (what configuration controls).</summary>
public struct TableRule : IPriorityRule
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Lane? Classify(ref MarketEvent evt, in ClassifyContext ctx)
    {
        int lane = BuiltInRules.EvaluateTable(ref evt, in ctx);
        return lane < 0 ? null : (Lane)lane;
    }
}

/// <summary><typeparamref name="TFirst"/> decides if it can, else <typeparamref name="TSecond"/>. Nest for longer lists.</summary>
public struct RulePair<TFirst, TSecond> : IPriorityRule
    where TFirst : struct, IPriorityRule
    where TSecond : struct, IPriorityRule
{
    public TFirst First;
    public TSecond Second;

    public RulePair(TFirst first, TSecond second)
    {
        First = first;
        Second = second;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Lane? Classify(ref MarketEvent evt, in ClassifyContext ctx)
        => First.Classify(ref evt, in ctx) ?? Second.Classify(ref evt, in ctx);
}

/// <summary>Decides nothing (an empty custom rule list).</summary>
public struct NoRule : IPriorityRule
{
    public readonly Lane? Classify(ref MarketEvent evt, in ClassifyContext ctx) => null;
}

/// <summary>Built-in: exchange state messages (halts, resumptions, MWCB, LULD, operational halts, system events) to a lane.</summary>
public readonly struct HaltsRule(Lane lane) : IPriorityRule
{
    public Lane? Classify(ref MarketEvent evt, in ClassifyContext ctx) => BuiltInRules.IsExchangeState(evt.Kind) ? lane : null;
}

/// <summary>Built-in: orders and trades of at least <paramref name="shares"/> to a lane.</summary>
public readonly struct SizeRule(long shares, Lane lane) : IPriorityRule
{
    public Lane? Classify(ref MarketEvent evt, in ClassifyContext ctx) => BuiltInRules.IsLarge(ref evt, shares) ? lane : null;
}

/// <summary>Built-in: prices more than <paramref name="bps"/> from the last trade or mid to a lane.</summary>
public readonly struct PriceMoveRule(double bps, Lane lane) : IPriorityRule
{
    private readonly long _hundredths = (long)Math.Round(bps * 100);
    public Lane? Classify(ref MarketEvent evt, in ClassifyContext ctx) => BuiltInRules.IsPriceMove(ref evt, in ctx, _hundredths) ? lane : null;
}

/// <summary>Built-in: top-of-book changes to <paramref name="top"/>, deeper book events to <paramref name="deep"/>.</summary>
public readonly struct TopOfBookRule(Lane top, Lane deep) : IPriorityRule
{
    public Lane? Classify(ref MarketEvent evt, in ClassifyContext ctx)
    {
        int t = BuiltInRules.TopOrDeep(ref evt);
        return t > 0 ? top : t == 0 ? deep : null;
    }
}
