using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Rings;
using Wirespeed.Core.Signals;
using Wirespeed.Tests.Core.Rings;
using Xunit;

namespace Wirespeed.Tests.Core.Patterns;

public class CodePatternTests
{
    /// <summary>A pattern written as code: the best bid of one instrument reaches a level, held for a time.</summary>
    private struct BidAtLeast : IPattern
    {
        private readonly InstrumentKey _leg;
        private readonly long _level;
        private HoldsFor _hold;

        public BidAtLeast(InstrumentKey leg, long level, long holdNs)
        {
            _leg = leg;
            _level = level;
            _hold = new HoldsFor(holdNs);
        }

        public int LegCount => 1;
        public InstrumentKey Leg(int leg) => _leg;

        public bool OnEvent(ref MarketEvent evt, int leg, double thresholdMultiplier, ref Signal signal)
        {
            if (evt.Kind != EventKind.TopOfBook) return false;
            if (!_hold.Update(evt.Price >= _level * thresholdMultiplier, evt.ExchangeTimestampNs)) return false;
            signal.Kind = PatternKind.Custom;
            signal.Instrument = _leg.Instrument;
            signal.Strength = evt.Price;
            return true;
        }
    }

    private sealed class Log { public int Count; public readonly int[] ByPattern = new int[8]; }

    private readonly struct LogCallback : ISignalCallback
    {
        private readonly Log _log;
        public LogCallback(Log log) => _log = log;
        public void OnSignal(in Signal s) { _log.Count++; _log.ByPattern[s.PatternId]++; }
    }

    [Fact]
    public unsafe void A_code_pattern_runs_beside_the_built_ins_on_one_worker_through_the_ring()
    {
        var keys = new KeySpace(1, 16);
        var builtIns = new BuiltInSets(keys);
        builtIns.Momentums.Add(0, new MomentumPattern(new(0, 3), count: 2, withinNs: 1000));
        builtIns.Seal();
        var custom = new PatternSet<BidAtLeast>(keys);
        custom.Add(1, new BidAtLeast(new(0, 5), level: 10_000, holdNs: 100));
        custom.Seal();
        var group = new GroupPair<BuiltInGroup, SetGroup<BidAtLeast>>(new BuiltInGroup(builtIns), new SetGroup<BidAtLeast>(custom));

        using var buffer = new AlignedBuffer(SpmcBroadcast<MarketEvent>.RequiredBytes(64));
        var ring = new SpmcBroadcast<MarketEvent>(buffer.Pointer, 64, 1);
        var log = new Log();
        var emitter = new SignalEmitter<CallbackSignalSink<LogCallback>, AllowAllGate>(
            new CallbackSignalSink<LogCallback>(new LogCallback(log)), default, PatternClock.Virtual, 0, 2, []);
        var agent = new PatternAgent<GroupPair<BuiltInGroup, SetGroup<BidAtLeast>>, CallbackSignalSink<LogCallback>, AllowAllGate>(
            ring.GetConsumer(0), group, emitter, keys, 16);

        Assert.True(agent.Subscribes(0, 3));
        Assert.True(agent.Subscribes(0, 5));
        Assert.False(agent.Subscribes(0, 4));

        MarketEvent Top(int instrument, long bid, long t) => new() { Kind = EventKind.TopOfBook, Instrument = instrument, Price = bid, Aux = (ulong)bid + 100, ExchangeTimestampNs = t };
        MarketEvent Trade(int instrument, long t) => new() { Kind = EventKind.Trade, Instrument = instrument, Side = Side.Buy, ExchangeTimestampNs = t };
        MarketEvent[] stream = [Top(5, 10_000, 0), Top(4, 99_999, 10), Trade(3, 20), Top(5, 10_100, 50), Trade(3, 60), Top(5, 10_200, 150), Top(5, 10_300, 200)];
        foreach (var e in stream) Assert.True(ring.TryWrite(in e));
        while (agent.DoWork() > 0) { }

        Assert.Equal(1, log.ByPattern[0]);    // two seller-initiated trades within 1 µs
        Assert.Equal(1, log.ByPattern[1]);    // bid ≥ 10,000 held 150 ns ≥ 100 ns, once
        Assert.Equal(7, agent.Counters.Seen);
        Assert.Equal(6, agent.Counters.Evaluated);   // instrument 4 is filtered out
    }

    [Fact]
    public unsafe void A_worker_past_the_64th_cannot_be_routed_to_and_is_refused_at_start_up()
    {
        var keys = new KeySpace(1, 8);
        var sets = new BuiltInSets(keys);
        sets.Seal();
        using var buffer = new AlignedBuffer(SpmcBroadcast<MarketEvent>.RequiredBytes(4));
        var ring = new SpmcBroadcast<MarketEvent>(buffer.Pointer, 4, 65);
        var emitter = new SignalEmitter<CallbackSignalSink<LogCallback>, AllowAllGate>(
            new CallbackSignalSink<LogCallback>(new LogCallback(new Log())), default, PatternClock.Virtual, 0, 1, []);
        var e = Assert.Throws<ArgumentException>(() => new PatternAgent<BuiltInGroup, CallbackSignalSink<LogCallback>, AllowAllGate>(
            ring.GetConsumer(64), new BuiltInGroup(sets), emitter, keys, 16));
        Assert.Contains("at most 64 workers", e.Message);
    }
}
