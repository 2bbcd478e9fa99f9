using System;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Rings;
using Wirespeed.Core.Signals;
using Wirespeed.Tests.Core.Books;
using Wirespeed.Tests.Core.Rings;
using Xunit;

namespace Wirespeed.Tests.Core.Patterns;

public class BuiltInPatternTests
{
    private static MarketEvent Quote(int instrument, double mid, long t, byte line = 0)
    {
        long m = (long)Math.Round(mid);
        return new MarketEvent { Kind = EventKind.TopOfBook, Instrument = instrument, LineId = line, Price = m - 1, Aux = (ulong)(m + 1), ExchangeTimestampNs = t };
    }

    private static bool Feed<T>(ref T p, MarketEvent e, int leg, out Signal s) where T : struct, IPattern
    {
        s = default;
        return p.OnEvent(ref e, leg, 1.0, ref s);
    }

    [Fact]
    public void Pair_spread_uses_the_hedge_ratio_so_a_hedged_move_is_no_signal()
    {
        // A = B²: ln A − 2 ln B is constant, ln A − ln B is not. B jumps 5%; A follows on its next quote, so the
        // hedged spread deviates for 1 ns only (B fresh, A stale) and a 2 ns hold rides over that staleness.
        var hedged = new PairSpreadPattern(new(0, 1), new(0, 2), hedgeRatio: 2, window: 32, thresholdZ: 3, holdNs: 2);
        var unhedged = new PairSpreadPattern(new(0, 1), new(0, 2), hedgeRatio: 1, window: 32, thresholdZ: 3, holdNs: 2);
        var rng = new Random(1);
        int hedgedSignals = 0, unhedgedSignals = 0;
        double b = 1000;
        for (int i = 0; i < 200; i++)
        {
            b *= i == 150 ? 1.05 : 1 + 0.000001 * (rng.NextDouble() - 0.5);
            double a = b * b / 1000 * (1 + 0.0001 * (rng.NextDouble() - 0.5));
            if (Feed(ref hedged, Quote(2, b * 1000, i * 2), 1, out _)) hedgedSignals++;
            if (Feed(ref hedged, Quote(1, a * 1000, i * 2 + 1), 0, out _)) hedgedSignals++;
            if (Feed(ref unhedged, Quote(2, b * 1000, i * 2), 1, out _)) unhedgedSignals++;
            if (Feed(ref unhedged, Quote(1, a * 1000, i * 2 + 1), 0, out var s) ) { unhedgedSignals++; Assert.Equal(PatternKind.PairSpread, s.Kind); }
        }
        Assert.Equal(0, hedgedSignals);
        Assert.True(unhedgedSignals >= 1);
    }

    [Fact]
    public void Pair_spread_with_a_hold_time_fires_only_after_the_deviation_lasted()
    {
        var p = new PairSpreadPattern(new(0, 1), new(0, 2), 1, window: 16, thresholdZ: 3, holdNs: 1000);
        var rng = new Random(2);
        long t = 0;
        for (int i = 0; i < 40; i++)
        {
            Feed(ref p, Quote(1, 1_000_000, t += 10), 0, out _);
            Feed(ref p, Quote(2, 1_000_000 * (1 + 0.0001 * rng.NextDouble()), t += 10), 1, out _);
        }
        long start = t + 10;
        Assert.False(Feed(ref p, Quote(2, 1_100_000, start), 1, out _));    // deviation begins: z large, not yet held
        Assert.True(Feed(ref p, Quote(1, 1_000_000, start + 1000), 0, out var s)); // still deviating 1 µs later
        Assert.Equal(1, s.Direction);                                       // B jumped: A is cheap against B, buy A
    }

    [Fact]
    public void Lead_lag_fires_when_the_leader_moves_and_followers_do_not_and_not_when_they_move_too()
    {
        LeadLagPattern Make() => new(new(0, 1), [new(0, 2), new(0, 3)], moveBps: 20, withinNs: 500);
        var lagging = Make();
        var together = Make();
        Feed(ref lagging, Quote(2, 500_000, 0), 1, out _);
        Feed(ref lagging, Quote(3, 700_000, 0), 2, out _);
        Feed(ref lagging, Quote(1, 1_000_000, 0), 0, out _);
        Feed(ref together, Quote(2, 500_000, 0), 1, out _);
        Feed(ref together, Quote(3, 700_000, 0), 2, out _);
        Feed(ref together, Quote(1, 1_000_000, 0), 0, out _);
        Feed(ref together, Quote(2, 501_500, 300), 1, out _);                // +30 bps
        Feed(ref together, Quote(3, 702_100, 300), 2, out _);

        Assert.True(Feed(ref lagging, Quote(1, 1_003_000, 400), 0, out var s));   // +30 bps in 400 ns
        Assert.Equal(1, s.Direction);
        Assert.InRange(s.Strength, 29, 31);
        Assert.False(Feed(ref lagging, Quote(1, 1_003_100, 450), 0, out _));      // once per move
        Assert.False(Feed(ref together, Quote(1, 1_003_000, 400), 0, out _));
    }

    [Fact]
    public void Arbitrage_fires_when_one_lines_bid_crosses_the_others_ask_net_of_costs()
    {
        var p = new ArbitragePattern(new(0, 7), new(1, 7), costPrice: 100, holdNs: 0);
        var a = new MarketEvent { Kind = EventKind.TopOfBook, Instrument = 7, LineId = 0, Price = 10_000, Aux = 10_100 };
        var b = new MarketEvent { Kind = EventKind.TopOfBook, Instrument = 7, LineId = 1, Price = 10_050, Aux = 10_150 };
        Assert.False(Feed(ref p, a, 0, out _));
        Assert.False(Feed(ref p, b, 1, out _));
        b.Price = 10_200;                                    // bid on line 1 = ask on line 0 + 100: not above costs
        Assert.False(Feed(ref p, b, 1, out _));
        b.Price = 10_201;
        b.Aux = 10_300;
        Assert.True(Feed(ref p, b, 1, out var s));
        Assert.Equal(-1, s.Direction);                       // sell on line 1, buy on line 0
        Assert.Equal(1, s.OtherLine);
    }

    [Fact]
    public void Momentum_counts_a_run_of_same_direction_trades_within_the_window()
    {
        var p = new MomentumPattern(new(0, 4), count: 4, withinNs: 100);
        MarketEvent T(Side resting, long t) => new() { Kind = EventKind.Trade, Instrument = 4, Side = resting, ExchangeTimestampNs = t };
        Assert.False(Feed(ref p, T(Side.Sell, 0), 0, out _));
        Assert.False(Feed(ref p, T(Side.Sell, 10), 0, out _));
        Assert.False(Feed(ref p, T(Side.Buy, 20), 0, out _));    // the other direction breaks the run
        Assert.False(Feed(ref p, T(Side.Sell, 30), 0, out _));
        Assert.False(Feed(ref p, T(Side.Sell, 40), 0, out _));
        Assert.False(Feed(ref p, T(Side.Sell, 50), 0, out _));
        Assert.True(Feed(ref p, T(Side.Sell, 60), 0, out var s)); // 4 buyer-initiated in 30 ns
        Assert.Equal(1, s.Direction);
        var slow = new MomentumPattern(new(0, 4), count: 2, withinNs: 100);
        Assert.False(Feed(ref slow, T(Side.Buy, 0), 0, out _));
        Assert.False(Feed(ref slow, T(Side.Buy, 101), 0, out _)); // too far apart
    }

    [Fact]
    public void Basket_divergence_fires_when_the_target_leaves_its_weighted_basket()
    {
        var p = new BasketPattern(new(0, 1), [new(0, 2), new(0, 3)], [0.5, 0.5], window: 32, thresholdZ: 6, holdNs: 0);
        var rng = new Random(4);
        long t = 0;
        int signals = 0;
        for (int i = 0; i < 100; i++)
        {
            double c1 = 400_000 * (1 + 0.001 * rng.NextDouble()), c2 = 600_000 * (1 + 0.001 * rng.NextDouble());
            double target = (0.5 * c1 + 0.5 * c2) * (1 + 0.0001 * rng.NextDouble()) * (i == 80 ? 1.01 : 1);
            if (Feed(ref p, Quote(2, c1, t += 10), 1, out _)) signals++;
            if (Feed(ref p, Quote(3, c2, t += 10), 2, out _)) signals++;
            if (Feed(ref p, Quote(1, target, t += 10), 0, out var s))
            {
                signals++;
                Assert.Equal(80, i);
                Assert.Equal(-1, s.Direction);
            }
        }
        Assert.Equal(1, signals);
    }

    private sealed class Log { public int Count; public Signal Last; public readonly int[] ByPattern = new int[4]; }

    private readonly struct LogSink : ISignalSink
    {
        private readonly Log _log;
        public LogSink(Log log) => _log = log;
        public void OnSignal(in Signal s) { _log.Count++; _log.Last = s; _log.ByPattern[s.PatternId]++; }
    }

    [Fact]
    public void A_then_B_within_n_emits_a_sequence_signal_only_inside_the_window()
    {
        var log = new Log();
        var keys = new KeySpace(1, 8);
        var set = new PatternSet<MomentumPattern>(keys);
        set.Add(0, new MomentumPattern(new(0, 1), 2, 1000));   // A: instrument 1
        set.Add(1, new MomentumPattern(new(0, 2), 2, 1000));   // B: instrument 2
        set.Seal();
        var e = new SignalEmitter<LogSink, AllowAllGate>(new LogSink(log), default, PatternClock.Virtual, 0, 3, [(2, 0, 1, 5_000)]);
        void Trade(int instrument, long t)
        {
            var evt = new MarketEvent { Kind = EventKind.Trade, Instrument = instrument, Side = Side.Sell, ExchangeTimestampNs = t };
            set.OnEvent(ref evt, instrument, e);
        }
        Trade(1, 0); Trade(1, 10);        // A fires at 10
        Trade(2, 3000); Trade(2, 3010);   // B fires at 3010: within 5 µs of A
        Assert.Equal(1, log.ByPattern[2]);
        Assert.Equal(PatternKind.Sequence, log.Last.Kind);
        Trade(1, 10_000); Trade(1, 10_010);
        Trade(2, 20_000); Trade(2, 20_010);   // 10 µs later: too late
        Assert.Equal(1, log.ByPattern[2]);
        Assert.Equal(2, log.ByPattern[0]);
        Assert.Equal(2, log.ByPattern[1]);
    }
}

public class TopOfBookPublishStageTests
{
    private static OrderBookSet Books() => new(new BookOptions { MaxInstruments = 8, MaxLiveOrders = 64, MaxLevelsPerSide = 8 });

    private struct Collect : IRingHandler<MarketEvent>
    {
        public MarketEvent[] Items;
        public int Count;
        public void OnItem(ref MarketEvent item) => Items[Count++] = item;
    }

    [Fact]
    public unsafe void Top_changes_become_top_of_book_events_and_trades_are_copied()
    {
        using var buffer = new AlignedBuffer(SpmcBroadcast<MarketEvent>.RequiredBytes(16));
        var ring = new SpmcBroadcast<MarketEvent>(buffer.Pointer, 16, 2);
        var books = Books();
        var stage = new TopOfBookPublishStage(books, ring);
        var ctx = new StageContext();
        MarketEvent[] evts =
        [
            BookEvents.Add(1, 3, Side.Buy, 10_000, 100),
            BookEvents.Add(2, 3, Side.Sell, 10_100, 200),
            BookEvents.Add(3, 3, Side.Buy, 9_900, 100),       // below the best bid: top unchanged
            BookEvents.Executed(2, 50),
        ];
        for (int i = 0; i < evts.Length; i++)
        {
            evts[i].ReceiveTimestampNs = 1000 + i;
            evts[i].LineId = 1;
            books.Apply(ref evts[i]);
            Assert.Equal(Verdict.Continue, stage.Process(ref evts[i], in ctx));
        }
        Assert.Equal(0, ring.Published);     // published once per batch
        stage.EndBatch(in ctx);
        var c = new Collect { Items = new MarketEvent[16] };
        ring.GetConsumer(1).Poll(ref c, 16);
        Assert.Equal(4, c.Count);            // two quotes, the execution's top change and the execution itself
        Assert.Equal(EventKind.TopOfBook, c.Items[1].Kind);
        Assert.Equal(10_000, c.Items[1].Price);
        Assert.Equal(10_100UL, c.Items[1].Aux);
        Assert.Equal(1001, c.Items[1].ReceiveTimestampNs);
        Assert.Equal(1, c.Items[1].LineId);
        Assert.Equal(150UL, c.Items[2].OrderId);  // ask size after the execution
        Assert.Equal(EventKind.OrderExecuted, c.Items[3].Kind);
        Assert.Equal(Side.Sell, c.Items[3].Side);
        Assert.Equal(1, MarketData.AggressorDirection(ref c.Items[3]));
        Assert.Equal(3, stage.Counters.TopOfBook);
        Assert.Equal(1, stage.Counters.Trades);
    }

    [Fact]
    public unsafe void Events_are_routed_to_the_workers_that_read_their_instrument_and_the_rest_are_not_published()
    {
        var keys = new KeySpace(2, 8);
        ulong[] w0 = new ulong[1], w1 = new ulong[1];
        w0[0] = 1UL << keys.KeyOf(1, 3);                              // worker 0 reads (line 1, instrument 3)
        w1[0] = (1UL << keys.KeyOf(1, 3)) | (1UL << keys.KeyOf(1, 4)); // worker 1 reads it and (1, 4)
        var routes = PatternRoutes.FromFilters(keys, [w0, w1]);
        Assert.Equal(0b11UL, routes.MaskOf(1, 3));
        Assert.Equal(0b10UL, routes.MaskOf(1, 4));
        Assert.Equal(0UL, routes.MaskOf(1, 5));
        Assert.Equal(0UL, routes.MaskOf(0, 3));                       // another line
        Assert.Equal(0UL, routes.MaskOf(7, 3));                       // outside the key space
        Assert.Equal(0UL, routes.MaskOf(1, 100));
        Assert.Equal(2, routes.SubscribedKeys);
        Assert.Equal(SpmcBroadcast<MarketEvent>.AllConsumers, PatternRoutes.Everyone.MaskOf(200, 123_456));

        using var buffer = new AlignedBuffer(SpmcBroadcast<MarketEvent>.RequiredBytes(16));
        var ring = new SpmcBroadcast<MarketEvent>(buffer.Pointer, 16, 2);
        var stage = new TopOfBookPublishStage(Books(), ring, routes);
        var ctx = new StageContext();
        foreach (int instrument in new[] { 3, 4, 5 })
        {
            var e = BookEvents.Trade(instrument, Side.Buy, 10_000, 100);
            e.LineId = 1;
            stage.Process(ref e, in ctx);
        }
        var q = BookEvents.Add(9, 5, Side.Buy, 10_000, 100);       // a top change nobody reads
        q.LineId = 1;
        q.Flags |= EventFlags.TopChanged;
        stage.Process(ref q, in ctx);
        var quiet = BookEvents.Add(10, 3, Side.Buy, 9_000, 100);   // neither a top change nor a trade: not even routed
        quiet.LineId = 1;
        stage.Process(ref quiet, in ctx);
        stage.EndBatch(in ctx);
        Assert.Equal(2, ring.Published);
        Assert.Equal(2, stage.Counters.Trades);
        Assert.Equal(2, stage.Counters.NotSubscribed);
        Assert.Equal(0b11UL, ring.RouteOf(0));
        Assert.Equal(0b10UL, ring.RouteOf(1));

        Assert.Throws<ArgumentOutOfRangeException>(() => PatternRoutes.FromFilters(keys, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => PatternRoutes.FromFilters(keys, new ulong[65][]));
        Assert.Throws<ArgumentNullException>(() => new TopOfBookPublishStage(Books(), ring, null!));
    }

    [Fact]
    public unsafe void A_full_ring_drops_and_counts_instead_of_blocking_the_book()
    {
        using var buffer = new AlignedBuffer(SpmcBroadcast<MarketEvent>.RequiredBytes(4));
        var ring = new SpmcBroadcast<MarketEvent>(buffer.Pointer, 4, 1);
        var books = Books();
        var stage = new TopOfBookPublishStage(books, ring);
        var ctx = new StageContext();
        for (int i = 0; i < 6; i++)
        {
            var e = BookEvents.Trade(2, Side.Buy, 10_000, 100);
            stage.Process(ref e, in ctx);
        }
        stage.EndBatch(in ctx);
        Assert.Equal(4, stage.Counters.Trades);
        Assert.Equal(2, stage.Counters.DroppedTrades);
        Assert.Equal(2, stage.Counters.Dropped);
        Assert.Equal(4, ring.Published);
    }

    [Fact]
    public unsafe void The_wait_policy_loses_nothing_when_a_worker_is_slow()
    {
        using var buffer = new AlignedBuffer(SpmcBroadcast<MarketEvent>.RequiredBytes(4));
        var ring = new SpmcBroadcast<MarketEvent>(buffer.Pointer, 4, 1);
        var stage = new TopOfBookPublishStage(Books(), ring, PublishOverflowPolicy.Wait);
        var consumer = ring.GetConsumer(0);
        var c = new Collect { Items = new MarketEvent[64] };
        var reader = new System.Threading.Thread(() =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (c.Count < 20 && DateTime.UtcNow < deadline)
            {
                System.Threading.Thread.Sleep(1);           // a slow worker
                consumer.Poll(ref c, 1);
            }
        });
        reader.Start();
        var ctx = new StageContext();
        for (int i = 0; i < 20; i++)
        {
            var e = BookEvents.Trade(2, Side.Buy, 10_000 + i, 100);
            stage.Process(ref e, in ctx);
        }
        stage.EndBatch(in ctx);
        reader.Join();
        Assert.Equal(20, c.Count);
        for (int i = 0; i < 20; i++) Assert.Equal(10_000 + i, c.Items[i].Price);
        Assert.Equal(0, stage.Counters.Dropped);
        Assert.True(stage.Counters.Waits > 0);
    }
}
