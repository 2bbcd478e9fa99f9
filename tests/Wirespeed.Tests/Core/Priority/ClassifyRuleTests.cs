using System;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Priority;
using Xunit;

namespace Wirespeed.Tests.Core.Priority;

/// <summary>Each built-in rule assigns the documented lane; configuration enables, disables, orders and parameterises them.</summary>
public class ClassifyRuleTests
{
    private const long Dollar = 10_000;
    private const long NineThirty = 34_200L * 1_000_000_000;

    internal static MarketEvent Event(EventKind kind, int instrument = 1, long price = 100 * Dollar, long qty = 100, ulong aux = 0,
        EventFlags flags = EventFlags.None, long ts = NineThirty + 3_600_000_000_000)
    {
        var e = new MarketEvent { Kind = kind, Instrument = instrument, Price = price, Quantity = qty, Aux = aux, ExchangeTimestampNs = ts, Side = Side.Buy };
        e.Flags = flags;
        e.Lane = Lane.Normal;
        return e;
    }

    internal static Lane Classify<TRules>(ref ClassifyStage<TRules> stage, MarketEvent e) where TRules : struct, IPriorityRule
    {
        var ctx = new StageContext();
        stage.Process(ref e, in ctx);
        return e.Lane;
    }

    private static ClassifyStage<TableRule> Stage(PriorityOptions o, OrderBookSet? books = null, InstrumentTable? table = null)
        => new(new RuleSetHolder(o with { MaxInstruments = 64, SurgeMessagesPerWindow = 0 }), default, books, table);

    public static TheoryData<string, Func<PriorityOptions, PriorityOptions>, MarketEvent, Lane> Table()
    {
        var sectorTable = new PriorityOptions { WatchSectors = [2] };
        return new()
        {
            { "trading halt is critical", o => o, Event(EventKind.TradingAction, aux: 'H'), Lane.Critical },
            { "MWCB status is critical", o => o, Event(EventKind.MwcbStatus, 0, aux: '1'), Lane.Critical },
            { "MWCB decline levels are critical", o => o, Event(EventKind.MwcbDeclineLevel, 0), Lane.Critical },
            { "LULD collar is critical", o => o, Event(EventKind.LuldCollar), Lane.Critical },
            { "operational halt is critical", o => o, Event(EventKind.OperationalHalt), Lane.Critical },
            { "halts rule disabled: halt falls to the default", o => o with { Rules = [new RuleOptions { Type = "halts", Lane = "critical", Enabled = false }] }, Event(EventKind.TradingAction), Lane.Normal },
            { "halts rule to high", o => o with { Rules = [RuleOptions.Of("halts", "high")] }, Event(EventKind.TradingAction), Lane.High },
            { "imbalance 5 min before the open is high", o => o, Event(EventKind.Imbalance, ts: NineThirty - 300_000_000_000), Lane.High },
            { "imbalance 5 min before the close is high", o => o, Event(EventKind.Imbalance, ts: 57_600L * 1_000_000_000 - 300_000_000_000), Lane.High },
            { "imbalance at midday is normal", o => o, Event(EventKind.Imbalance), Lane.Normal },
            { "imbalance window 60 s: 5 min before the open is normal", o => o with { ImbalanceWindowSeconds = 60 }, Event(EventKind.Imbalance, ts: NineThirty - 300_000_000_000), Lane.Normal },
            { "watched instrument is high", o => o with { WatchInstruments = [5] }, Event(EventKind.AddOrder, 5), Lane.High },
            { "unwatched instrument deep add is bulk", o => o with { WatchInstruments = [5] }, Event(EventKind.AddOrder, 6), Lane.Bulk },
            { "watched sector is high", o => sectorTable, Event(EventKind.OrderDelete, 2), Lane.High },
            { "unwatched sector deep delete is bulk", o => sectorTable, Event(EventKind.OrderDelete, 3), Lane.Bulk },
            { "large order is high", o => o, Event(EventKind.AddOrder, qty: 10_000), Lane.High },
            { "size threshold 20000: 10000 is bulk", o => o with { Rules = [new RuleOptions { Type = "size", Shares = 20_000 }, new RuleOptions { Type = "topOfBook", Lane = "normal" }] }, Event(EventKind.AddOrder, qty: 10_000), Lane.Bulk },
            { "top change is normal", o => o, Event(EventKind.AddOrder, flags: EventFlags.TopChanged), Lane.Normal },
            { "top change to high", o => o with { Rules = [new RuleOptions { Type = "topOfBook", Lane = "high", OtherLane = "normal" }] }, Event(EventKind.OrderCancel, flags: EventFlags.TopChanged), Lane.High },
            { "deeper level change is bulk", o => o, Event(EventKind.OrderCancel), Lane.Bulk },
            { "reference data takes the default lane", o => o with { DefaultLane = "bulk" }, Event(EventKind.Reference), Lane.Bulk },
            { "order matters: size before halts", o => o with { Rules = [RuleOptions.Of("size", "bulk"), RuleOptions.Of("halts", "critical")] }, Event(EventKind.TradingAction, qty: 50_000), Lane.Critical },
            { "order matters: topOfBook before size", o => o with { Rules = [RuleOptions.Of("topOfBook", "normal"), RuleOptions.Of("size", "high")] }, Event(EventKind.AddOrder, qty: 50_000), Lane.Bulk },
        };
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Rule_table_assigns_the_documented_lane(string name, Func<PriorityOptions, PriorityOptions> configure, MarketEvent e, Lane expected)
    {
        var table = new InstrumentTable(64);
        for (int i = 0; i < 64; i++) table.TrySetSector(i, i % 4);
        var stage = Stage(configure(new PriorityOptions()), table: table);
        Assert.True(expected == Classify(ref stage, e), name);
    }

    [Theory]
    [InlineData(50, 100_49, Lane.Bulk)]   // 49 bps from the last trade: not a move
    [InlineData(50, 100_51, Lane.High)]   // 51 bps
    [InlineData(100, 100_51, Lane.Bulk)]  // threshold 100 bps
    [InlineData(100, 98_99, Lane.High)]   // 101 bps down
    public void Price_move_is_measured_from_the_last_trade(double bps, long priceCents, Lane expected)
    {
        var o = new PriorityOptions { Rules = [new RuleOptions { Type = "priceMove", Bps = bps }, RuleOptions.Of("topOfBook", "normal")] };
        var stage = Stage(o);
        Classify(ref stage, Event(EventKind.Trade, price: 100 * Dollar));
        Assert.Equal(expected, Classify(ref stage, Event(EventKind.AddOrder, price: priceCents * 100)));
    }

    [Fact]
    public void Price_move_falls_back_to_the_mid_before_any_trade()
    {
        var books = new OrderBookSet(new BookOptions { MaxInstruments = 64, MaxLiveOrders = 64, MaxLevelsPerSide = 8 });
        var bid = new MarketEvent { Kind = EventKind.AddOrder, Instrument = 1, OrderId = 1, Side = Side.Buy, Price = 99 * Dollar, Quantity = 100 };
        var ask = new MarketEvent { Kind = EventKind.AddOrder, Instrument = 1, OrderId = 2, Side = Side.Sell, Price = 101 * Dollar, Quantity = 100 };
        books.Apply(ref bid);
        books.Apply(ref ask);
        var stage = Stage(new PriorityOptions { Rules = [RuleOptions.Of("priceMove", "high")] }, books);
        Assert.Equal(Lane.High, Classify(ref stage, Event(EventKind.AddOrder, price: 102 * Dollar)));  // 2 % from the 100 mid
        Assert.Equal(Lane.Normal, Classify(ref stage, Event(EventKind.AddOrder, price: 100 * Dollar + 10)));
    }

    /// <summary>A code-defined rule: odd instruments of a strategy's universe are Critical.</summary>
    private readonly struct OddInstrumentsCritical : IPriorityRule
    {
        public Lane? Classify(ref MarketEvent evt, in ClassifyContext ctx) => (evt.Instrument & 1) == 1 ? Lane.Critical : null;
    }

    [Fact]
    public void Custom_struct_rule_runs_before_the_table_and_falls_through_to_it()
    {
        var holder = new RuleSetHolder(new PriorityOptions { MaxInstruments = 64, SurgeMessagesPerWindow = 0 });
        var stage = new ClassifyStage<RulePair<OddInstrumentsCritical, TableRule>>(holder, default);
        Assert.Equal(Lane.Critical, Classify(ref stage, Event(EventKind.OrderDelete, 3)));
        Assert.Equal(Lane.Bulk, Classify(ref stage, Event(EventKind.OrderDelete, 4)));
        Assert.Equal(Lane.Critical, Classify(ref stage, Event(EventKind.TradingAction, 4)));
        var composed = new ClassifyStage<RulePair<SizeRule, TopOfBookRule>>(holder, new(new SizeRule(500, Lane.High), new TopOfBookRule(Lane.Normal, Lane.Bulk)));
        Assert.Equal(Lane.High, Classify(ref composed, Event(EventKind.AddOrder, qty: 500)));
        Assert.Equal(Lane.Bulk, Classify(ref composed, Event(EventKind.AddOrder, qty: 100)));
        Assert.Equal(Lane.Normal, Classify(ref composed, Event(EventKind.Trade, flags: EventFlags.TopChanged)));
    }

    [Fact]
    public void Lane_counts_follow_classification()
    {
        var stage = Stage(new PriorityOptions());
        Classify(ref stage, Event(EventKind.TradingAction));
        Classify(ref stage, Event(EventKind.OrderDelete));
        Classify(ref stage, Event(EventKind.OrderDelete));
        Assert.Equal(1, stage.State.LaneCount(Lane.Critical));
        Assert.Equal(2, stage.State.LaneCount(Lane.Bulk));
    }
}
