using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    // What the rule table reads on every event, copied here from the rule set and the state so that each is one load
    // from the stage (the context lives in it) rather than a chain of loads through the objects.
    internal readonly sbyte[] LaneTable;
    internal readonly long[] LastTrade;
    internal readonly long[] LaneCounts;
    internal readonly long SizeShares, PriceMoveHundredthsOfBp;
    internal readonly Lane DefaultLane;
    internal readonly bool TestsPriceMove, TestsWatchInstruments, TestsWatchSectors;

    public ClassifyContext(CompiledRuleSet rules, ClassifyState state, OrderBookSet? books, InstrumentTable? instruments)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(state);
        Rules = rules; State = state; Books = books; Instruments = instruments;
        LaneTable = rules.LaneTable;
        LastTrade = state.LastTrade;
        LaneCounts = state.LaneCounts;
        SizeShares = rules.SizeShares;
        DefaultLane = rules.DefaultLane;
        PriceMoveHundredthsOfBp = rules.PriceMoveHundredthsOfBp;
        TestsPriceMove = rules.TestsPriceMove;
        TestsWatchInstruments = rules.TestsWatchInstruments;
        TestsWatchSectors = rules.TestsWatchSectors;
    }
}

/// <summary>Per-instrument state the rules read (last trade price) and lane counts. Written by the classify stage only.</summary>
public sealed class ClassifyState
{
    private readonly long[] _lastTrade;
    private readonly long[] _laneCounts = new long[4];

    public ClassifyState(int maxInstruments) => _lastTrade = new long[Math.Max(1, maxInstruments)];

    internal long[] LastTrade => _lastTrade;
    internal long[] LaneCounts => _laneCounts;

    /// <summary>Last trade or execution price of an instrument (Price(4)); 0 when none yet or out of range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long LastTradePrice(int instrument) => (uint)instrument < (uint)_lastTrade.Length ? _lastTrade[instrument] : 0;

    /// <summary>Events classified into <paramref name="lane"/>.</summary>
    public long LaneCount(Lane lane) => System.Threading.Volatile.Read(ref _laneCounts[(int)lane & 3]);

    /// <summary>Classify thread: updates the state of <paramref name="ctx"/> after an event was classified.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Observe(in ClassifyContext ctx, ref MarketEvent evt, Lane lane)
    {
        ctx.LaneCounts[(int)lane & 3]++;
        long[] lastTrade = ctx.LastTrade;
        int id = evt.Instrument;
        if ((uint)id < (uint)lastTrade.Length)
        {
            // Executions and trades with a price set the last trade; written as a select, not a branch on the kind,
            // because kinds arrive in no predictable order.
            ref long last = ref lastTrade[id];
            long price = evt.Price;
            int kind = (int)evt.Kind;
            long trade = KindSet.Bit(TradeKinds, kind) & (price > 0 ? 1 : 0);
            long keep = trade - 1; // all ones to keep the last trade, zero to take this price
            last = (last & keep) | (price & ~keep);
        }
    }

    private const ulong TradeKinds = KindSet.Executions | 1UL << (int)EventKind.CrossTrade;   // a cross sets the last trade here
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
        => HasTradeOrOrderPrice(evt.Kind) && PriceMoveBit(ref evt, in ctx, hundredthsOfBp) != 0;

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
    /// Evaluates the rule table of <paramref name="ctx"/>: the first rule, in configured order, that applies to the
    /// event's kind and matches decides. Returns -1 when none decided. The order was resolved when the set was compiled
    /// (<see cref="CompiledRuleSet.LaneTable"/>): here the event's content tests are computed without branching on the
    /// rule list (top of book, size, price move; watch lists and imbalance only when configured or of that kind) and
    /// the lane is one load. No interface call, no allocation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int EvaluateTable(ref MarketEvent evt, in ClassifyContext ctx)
    {
        int id = evt.Instrument;
        // EventFlags.TopChanged is the top bit of the packed byte.
        int tests = evt.PackedLaneAndFlags >> 7;
        tests |= evt.Quantity >= ctx.SizeShares ? CompiledRuleSet.TestBits.Size : 0;
        if (ctx.TestsPriceMove) tests |= PriceMoveBit(ref evt, in ctx, ctx.PriceMoveHundredthsOfBp);
        if (ctx.TestsWatchInstruments || ctx.TestsWatchSectors || evt.Kind == EventKind.Imbalance) tests |= RareTests(ref evt, in ctx, id);
        // kind < 256 and tests < 64: the index is always inside the 256 × 64 table, so the bounds check is left out.
        return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(ctx.LaneTable), ((int)evt.Kind << 6) | tests);
    }

    /// <summary>
    /// <see cref="EvaluateTable"/> for the common event, with no call: false when a watch list is configured or the
    /// event is an imbalance message (then use <see cref="EvaluateTable"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryEvaluateTableCommon(ref MarketEvent evt, in ClassifyContext ctx, out int lane)
    {
        lane = -1;
        if (ctx.TestsWatchInstruments || ctx.TestsWatchSectors || evt.Kind == EventKind.Imbalance) return false;
        int tests = evt.PackedLaneAndFlags >> 7; // EventFlags.TopChanged is the top bit of the packed byte
        tests |= evt.Quantity >= ctx.SizeShares ? CompiledRuleSet.TestBits.Size : 0;
        if (ctx.TestsPriceMove) tests |= PriceMoveBit(ref evt, in ctx, ctx.PriceMoveHundredthsOfBp);
        lane = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(ctx.LaneTable), ((int)evt.Kind << 6) | tests);
        return true;
    }

    /// <summary>Watch lists (when configured) and the imbalance window (imbalance messages only).</summary>
    private static int RareTests(ref MarketEvent evt, in ClassifyContext ctx, int id)
    {
        var rules = ctx.Rules;
        int tests = 0;
        if (ctx.TestsWatchInstruments && (uint)id < (uint)rules.WatchedInstruments.Length && rules.WatchedInstruments[id])
            tests |= CompiledRuleSet.TestBits.WatchedInstrument;
        if (ctx.TestsWatchSectors && ctx.Instruments is { } table)
        {
            int sector = table.Sector(id);
            if ((uint)sector < (uint)rules.WatchedSectors.Length && rules.WatchedSectors[sector]) tests |= CompiledRuleSet.TestBits.WatchedSector;
        }
        if (evt.Kind == EventKind.Imbalance && IsImbalanceNearCross(ref evt, rules)) tests |= CompiledRuleSet.TestBits.ImbalanceNearCross;
        return tests;
    }

    /// <summary>
    /// The price-move test as a table bit, computed for every event (the table ignores it for kinds without an order or
    /// trade price): non-short-circuit so the outcome costs no branch. The mid fallback is taken only before an
    /// instrument's first trade.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PriceMoveBit(ref MarketEvent evt, in ClassifyContext ctx, long hundredthsOfBp)
    {
        long price = evt.Price;
        long[] lastTrade = ctx.LastTrade;
        int id = evt.Instrument;
        long reference = (uint)id < (uint)lastTrade.Length ? lastTrade[id] : 0;
        if (reference == 0) reference = MidBeforeFirstTrade(ref evt, in ctx);
        // |p - ref| / ref > bps / 10^4  <=>  |p - ref| * 10^6 > (bps * 100) * ref, in doubles (no overflow, no throw)
        bool move = (price > 0) & (reference > 0) & (Math.Abs((double)(price - reference)) * 1e6 > (double)hundredthsOfBp * reference);
        return move ? CompiledRuleSet.TestBits.PriceMove : 0;
    }

    /// <summary>
    /// Reference of the price-move rule for an instrument with no trade yet: the mid, for priced kinds; 0 for none.
    /// Inlined, though rare: a call here, even one never made, was measured to cost the whole stage about 3 ns per event
    /// (the registers live across it are saved in the prologue of every event).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long MidBeforeFirstTrade(ref MarketEvent evt, in ClassifyContext ctx)
    {
        if (evt.Price <= 0 || !HasTradeOrOrderPrice(evt.Kind) || ctx.Books is not { } books || !books.TryGetBestPrices(evt.Instrument, out long bid, out long ask)) return 0;
        return (bid + ask) >> 1;
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
