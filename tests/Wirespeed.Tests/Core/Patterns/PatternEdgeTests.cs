using System;
using System.Collections.Generic;
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

/// <summary>
/// Edges of the pattern stage: sets refusing legs outside the key space and unknown ids, configuration entries that are
/// missing or of a kind that cannot be configured, a runtime whose ring does not match its plan, a full publish ring.
/// </summary>
public class PatternEdgeTests
{
    private readonly struct CountCallback : ISignalCallback
    {
        public readonly int[] Count;
        public CountCallback(int[] count) => Count = count;
        public void OnSignal(in Signal s) => Count[0]++;
    }

    private static InstrumentTable Table()
    {
        var t = new InstrumentTable(16);
        t.TrySet(1, "AAA", 100);
        t.TrySet(2, "BBB", 100);
        return t;
    }

    [Fact]
    public void A_set_refuses_a_leg_outside_its_key_space_and_finds_only_the_ids_it_holds()
    {
        var keys = new KeySpace(1, 8);
        var set = new PatternSet<MomentumPattern>(keys);
        var e = Assert.Throws<ArgumentException>(() => set.Add(0, new MomentumPattern(new(0, 9), count: 2, withinNs: 1000)));
        Assert.Contains("pattern 0: leg 0", e.Message);
        Assert.Contains("outside the key space (lines 1, instruments 8)", e.Message);
        Assert.Equal(0, set.Count);
        set.Add(4, new MomentumPattern(new(0, 3), count: 2, withinNs: 1000));
        Assert.Equal(1, set.Count);   // pending before the seal
        set.Seal();
        Assert.Equal(1, set.Count);
        Assert.Equal(3, set.Find(4).Leg(0).Instrument);
        Assert.Throws<KeyNotFoundException>(() => set.Find(5));
        Assert.Same(set, new SetGroup<MomentumPattern>(set).Set);
        var builtIns = new BuiltInSets(keys);
        Assert.Same(builtIns, new BuiltInGroup(builtIns).Sets);
    }

    [Fact]
    public void A_missing_entry_and_a_kind_that_cannot_be_configured_are_named()
    {
        var missing = Assert.Throws<PatternConfigException>(() => new PatternsOptions { Patterns = [null!] }.Validated(Table()));
        Assert.Contains("patterns[0]: missing", missing.Errors);

        var custom = Assert.Throws<PatternConfigException>(() => new PatternsOptions
        {
            Patterns = [new PatternOptions { Name = "mine", Kind = PatternKind.Custom, Legs = [new PatternLegOptions { Symbol = "AAA" }] }],
        }.Validated(Table()));
        Assert.Contains(custom.Errors, m => m.StartsWith("patterns[0].kind: 'Custom' is not a configurable kind", StringComparison.Ordinal));
    }

    [Fact]
    public unsafe void A_runtime_whose_ring_has_another_number_of_consumers_than_the_plan_has_workers_is_refused()
    {
        var plan = PatternPlan.Build(new PatternsOptions
        {
            Workers = 1,
            Patterns = [new PatternOptions { Name = "m", Kind = PatternKind.Momentum, Legs = [new PatternLegOptions { Symbol = "AAA" }] }],
        }, Table());
        using var buffer = new AlignedBuffer(SpmcBroadcast<MarketEvent>.RequiredBytes(16));
        var ring = new SpmcBroadcast<MarketEvent>(buffer.Pointer, 16, 2);
        var e = Assert.Throws<PatternConfigException>(() => new PatternRuntime<CallbackSignalSink<CountCallback>, AllowAllGate>(plan, ring,
            _ => new CallbackSignalSink<CountCallback>(new CountCallback(new int[1])), default));
        Assert.Contains("patterns.workers: 1 workers but the broadcast ring has 2 consumers", e.Errors);
    }

    [Fact]
    public unsafe void A_full_publish_ring_drops_and_counts_top_of_book_changes_under_drop_and_count()
    {
        using var buffer = new AlignedBuffer(SpmcBroadcast<MarketEvent>.RequiredBytes(2));
        var ring = new SpmcBroadcast<MarketEvent>(buffer.Pointer, 2, 1);
        var books = new OrderBookSet(new BookOptions { MaxInstruments = 8, MaxLiveOrders = 64, MaxLevelsPerSide = 8 });
        var stage = new TopOfBookPublishStage(books, ring, PublishOverflowPolicy.DropAndCount);
        Assert.Same(ring, stage.Ring);
        var ctx = new StageContext();
        for (int i = 0; i < 3; i++)
        {
            var add = BookEvents.Add((ulong)(i + 1), 3, Side.Buy, 10_000 + i, 100);   // each a better bid: a top change
            books.Apply(ref add);
            Assert.Equal(Verdict.Continue, stage.Process(ref add, in ctx));
        }
        stage.EndBatch(in ctx);
        Assert.Equal(2, stage.Counters.TopOfBook);
        Assert.Equal(1, stage.Counters.DroppedTopOfBook);
        Assert.Equal(0, stage.Counters.DroppedTrades);
        Assert.Equal(2, ring.Published);
    }

    [Fact]
    public void Sinks_emitters_and_blocks_show_their_state()
    {
        var count = new int[1];
        var sink = new CallbackSignalSink<CountCallback>(new CountCallback(count));
        Assert.Same(count, sink.Callback.Count);
        var emitter = new SignalEmitter<CallbackSignalSink<CountCallback>, AllowAllGate>(sink, default, PatternClock.Virtual, 0, 1, []);
        Assert.Same(count, emitter.Sink.Callback.Count);

        var within = new EventsWithin(count: 3, windowNs: 100);
        Assert.Equal(0, within.Filled);
        within.Add(1);
        within.Add(2);
        Assert.Equal(2, within.Filled);
        within.Add(3);
        within.Add(4);
        Assert.Equal(3, within.Filled);   // at most Count

        var hold = new HoldsFor(100);
        Assert.False(hold.Active);
        hold.Update(true, 0);
        Assert.True(hold.Active);
        hold.Update(false, 10);
        Assert.False(hold.Active);

        var stats = new RollingStats(4);
        Assert.Equal((4, 0), (stats.Window, stats.Count));
        for (int i = 0; i < 6; i++) stats.Push(i);
        Assert.Equal((4, 4), (stats.Window, stats.Count));
    }

    [Fact]
    public void Blocks_and_patterns_refuse_sizes_that_cannot_work()
    {
        Assert.Equal("lines", Assert.Throws<ArgumentOutOfRangeException>(() => new KeySpace(0, 8)).ParamName);
        Assert.Equal("lines", Assert.Throws<ArgumentOutOfRangeException>(() => new KeySpace(257, 8)).ParamName);
        Assert.Equal("maxInstruments", Assert.Throws<ArgumentOutOfRangeException>(() => new KeySpace(1, 0)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => new EventsWithin(0, 10)).ParamName);
        Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => new TimedSeries(1)).ParamName);
        Assert.Throws<ArgumentException>(() => new BasketPattern(new(0, 1), [new InstrumentKey(0, 2)], [0.5, 0.5], 16, 2, 0));
        Assert.Throws<ArgumentException>(() => new BasketPattern(new(0, 1), [], [], 16, 2, 0));
        Assert.Equal("followers", Assert.Throws<ArgumentException>(() => new LeadLagPattern(new(0, 1), [], 10, 1000)).ParamName);
    }

    [Fact]
    public unsafe void The_publish_stage_needs_books_and_a_ring_and_the_emitter_counts_nothing_for_unknown_ids()
    {
        using var buffer = new AlignedBuffer(SpmcBroadcast<MarketEvent>.RequiredBytes(2));
        var ring = new SpmcBroadcast<MarketEvent>(buffer.Pointer, 2, 1);
        var books = new OrderBookSet(new BookOptions { MaxInstruments = 8, MaxLiveOrders = 64, MaxLevelsPerSide = 8 });
        Assert.Equal("books", Assert.Throws<ArgumentNullException>(() => new TopOfBookPublishStage(null!, ring)).ParamName);
        Assert.Equal("ring", Assert.Throws<ArgumentNullException>(() => new TopOfBookPublishStage(books, null!)).ParamName);

        var emitter = new SignalEmitter<CallbackSignalSink<CountCallback>, AllowAllGate>(
            new CallbackSignalSink<CountCallback>(new CountCallback(new int[1])), default, PatternClock.Virtual, 0, 1, []);
        Assert.Equal(0, emitter.DetectedOf((PatternKind)200));
        Assert.Equal(default, emitter.CountsOf(5));
    }
}
