using System;
using System.Collections.Generic;
using System.Linq;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Priority;
using Xunit;

namespace Wirespeed.Tests.Core.Priority;

/// <summary>
/// The rule table is compiled into a lane table (kind × content tests). Against a plain walk of the configured rule
/// list, in order, first match wins, written here from the documented rule semantics, it must give the same lane for
/// any rule order, any enabled subset and any event, including kinds and instruments out of range.
/// </summary>
public class LaneTableEquivalenceTests
{
    private const long Dollar = 10_000;
    private const long NineThirty = 34_200L * 1_000_000_000;
    private const int Instruments = 48;
    private static readonly string[] s_types = ["halts", "imbalance", "watchInstruments", "watchSectors", "priceMove", "size", "topOfBook"];
    private static readonly string[] s_lanes = ["critical", "high", "normal", "bulk"];

    /// <summary>The documented semantics, one rule after another.</summary>
    private sealed class ListWalk(PriorityOptions o, OrderBookSet books, InstrumentTable table)
    {
        private readonly long[] _lastTrade = new long[o.MaxInstruments];

        public Lane Classify(in MarketEvent e)
        {
            Lane lane = Decide(in e) ?? Parse(o.DefaultLane);
            bool trade = e.Kind is EventKind.OrderExecuted or EventKind.OrderExecutedWithPrice or EventKind.Trade or EventKind.CrossTrade;
            if (trade && e.Price > 0 && (uint)e.Instrument < (uint)_lastTrade.Length) _lastTrade[e.Instrument] = e.Price;
            return lane;
        }

        private Lane? Decide(in MarketEvent e)
        {
            foreach (var r in o.Rules)
            {
                if (!r.Enabled) continue;
                bool priced = BuiltInRules.HasTradeOrOrderPrice(e.Kind);
                bool hit = r.Type switch
                {
                    "halts" => BuiltInRules.IsExchangeState(e.Kind),
                    "imbalance" => e.Kind == EventKind.Imbalance && NearCross(e.ExchangeTimestampNs),
                    "watchInstruments" => o.WatchInstruments.Contains(e.Instrument),
                    "watchSectors" => o.WatchSectors.Contains(table.Sector(e.Instrument)),
                    "priceMove" => priced && PriceMove(in e, r.Bps),
                    "size" => (priced || e.Kind == EventKind.OrderCancel) && e.Quantity >= r.Shares,
                    "topOfBook" => (e.Flags & EventFlags.TopChanged) != 0 || BuiltInRules.IsBookKind(e.Kind),
                    _ => throw new InvalidOperationException(r.Type),
                };
                if (!hit) continue;
                if (r.Type == "topOfBook" && (e.Flags & EventFlags.TopChanged) == 0) return Parse(r.OtherLane);
                return Parse(r.Lane);
            }
            return null;
        }

        private bool NearCross(long ts)
        {
            long tod = ts % (86_400L * 1_000_000_000), open = NineThirty, close = 57_600L * 1_000_000_000;
            long w = (long)(o.ImbalanceWindowSeconds * 1e9);
            return Math.Abs(tod - open) <= w || (tod <= close && close - tod <= w);
        }

        private bool PriceMove(in MarketEvent e, double bps)
        {
            if (e.Price <= 0) return false;
            long reference = (uint)e.Instrument < (uint)_lastTrade.Length ? _lastTrade[e.Instrument] : 0;
            if (reference == 0)
            {
                if (!books.TryGetBestBid(e.Instrument, out long bid, out _) || !books.TryGetBestAsk(e.Instrument, out long ask, out _)) return false;
                reference = (bid + ask) >> 1;
                if (reference <= 0) return false;
            }
            return Math.Abs((double)(e.Price - reference)) * 1e6 > Math.Round(bps * 100) * reference;
        }

        private static Lane Parse(string lane) => (Lane)Array.IndexOf(s_lanes, lane);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Compiled_table_classifies_as_the_ordered_rule_list(int seed)
    {
        var rng = new Random(seed);
        var table = new InstrumentTable(Instruments);
        for (int i = 0; i < Instruments; i++) table.TrySetSector(i, i % 6);
        var books = new OrderBookSet(new BookOptions { MaxInstruments = Instruments, MaxLiveOrders = 256, MaxLevelsPerSide = 8 }, table);
        for (int i = 1; i < Instruments; i += 2) // two-sided books on odd instruments: the mid fallback before a first trade
        {
            var bid = new MarketEvent { Kind = EventKind.AddOrder, Instrument = i, OrderId = (ulong)(2 * i), Side = Side.Buy, Price = 99 * Dollar, Quantity = 100 };
            var ask = new MarketEvent { Kind = EventKind.AddOrder, Instrument = i, OrderId = (ulong)(2 * i + 1), Side = Side.Sell, Price = 101 * Dollar, Quantity = 100 };
            books.Apply(ref bid);
            books.Apply(ref ask);
        }

        for (int config = 0; config < 40; config++)
        {
            var o = RandomOptions(rng);
            var walk = new ListWalk(o, books, table);
            var stage = new ClassifyStage<TableRule>(new RuleSetHolder(o), default, books, table);
            var ctx = new StageContext();
            for (int n = 0; n < 400; n++)
            {
                var e = RandomEvent(rng);
                Lane expected = walk.Classify(in e);
                stage.Process(ref e, in ctx);
                Assert.True(expected == e.Lane, $"seed {seed}, configuration {config}, event {n}: {e.Kind} instrument {e.Instrument} price {e.Price} qty {e.Quantity} flags {e.Flags}: list {expected}, table {e.Lane}; rules {Describe(o)}");
            }
        }
    }

    private static PriorityOptions RandomOptions(Random rng)
    {
        var types = new List<string>(s_types);
        for (int i = types.Count - 1; i > 0; i--) { int j = rng.Next(i + 1); (types[i], types[j]) = (types[j], types[i]); }
        var rules = new List<RuleOptions>();
        foreach (string t in types.GetRange(0, rng.Next(types.Count + 1)))
            rules.Add(new RuleOptions
            {
                Type = t,
                Enabled = rng.Next(5) > 0,
                Lane = s_lanes[rng.Next(4)],
                OtherLane = s_lanes[rng.Next(4)],
                Bps = new[] { 1.0, 25, 50, 150 }[rng.Next(4)],
                Shares = new long[] { 1, 100, 500, 10_000 }[rng.Next(4)],
            });
        var watched = new List<int>();
        for (int i = 0; i < rng.Next(4); i++) watched.Add(rng.Next(Instruments));
        var sectors = new List<int>();
        for (int i = 0; i < rng.Next(3); i++) sectors.Add(rng.Next(6));
        return new PriorityOptions
        {
            Rules = rules,
            DefaultLane = s_lanes[rng.Next(4)],
            WatchInstruments = watched,
            WatchSectors = sectors,
            ImbalanceWindowSeconds = 600,
            MaxInstruments = Instruments,
            SurgeMessagesPerWindow = 0,        // lanes as the rules decide them: no re-weighting
            BreakerPromoteLevel = "normal",
        };
    }

    private static MarketEvent RandomEvent(Random rng)
    {
        int k = rng.Next(24);
        var kind = (EventKind)(k < 8 ? 1 + rng.Next(8) : rng.Next(k < 20 ? 20 : 256)); // mostly orders and trades, some status, some unknown
        long price = rng.Next(4) switch { 0 => 0, 1 => 100 * Dollar + rng.Next(-30, 31), 2 => 100 * Dollar + rng.Next(-2 * (int)Dollar, 2 * (int)Dollar), _ => rng.Next(1, 300) * Dollar };
        var e = new MarketEvent
        {
            Kind = kind,
            Instrument = rng.Next(-2, Instruments + 4),
            Price = price,
            Quantity = new long[] { 0, 1, 99, 100, 499, 500, 9_999, 10_000, 50_000 }[rng.Next(9)],
            ExchangeTimestampNs = NineThirty + rng.Next(-3_600, 7 * 3_600) * 1_000_000_000L,
            Side = Side.Buy,
        };
        e.Flags = rng.Next(2) == 0 ? EventFlags.TopChanged : EventFlags.None;
        return e;
    }

    private static string Describe(PriorityOptions o)
    {
        var parts = new List<string>();
        foreach (var r in o.Rules) parts.Add($"{r.Type}{(r.Enabled ? "" : "(off)")}->{r.Lane}/{r.OtherLane} bps {r.Bps} shares {r.Shares}");
        return string.Join(", ", parts) + $"; default {o.DefaultLane}; watch [{string.Join(",", o.WatchInstruments)}] sectors [{string.Join(",", o.WatchSectors)}]";
    }
}
