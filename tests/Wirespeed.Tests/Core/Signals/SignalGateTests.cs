using System;
using Wirespeed.Core.Events;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Signals;
using Xunit;

namespace Wirespeed.Tests.Core.Signals;

public class SignalGateTests
{
    internal sealed class Box
    {
        public int Delivered;
        public SignalPolicy Policy;
        public double Multiplier = 1;
    }

    private readonly struct CountingSink : ISignalSink
    {
        private readonly Box _box;
        public CountingSink(Box box) => _box = box;
        public void OnSignal(in Signal signal) => _box.Delivered++;
    }

    private readonly struct TestGate : ISignalGate
    {
        private readonly Box _box;
        public TestGate(Box box) => _box = box;
        public SignalPolicy PolicyFor(int instrument) => instrument == 1 ? _box.Policy : SignalPolicy.Allow;
        public double ThresholdMultiplier(int instrument) => instrument == 1 ? _box.Multiplier : 1;
    }

    private static (SignalEmitter<CountingSink, TestGate> Emitter, Box Box) Make(long throttleNs = 1000)
    {
        var box = new Box();
        return (new SignalEmitter<CountingSink, TestGate>(new CountingSink(box), new TestGate(box), PatternClock.Virtual, throttleNs, 4, []), box);
    }

    private static void Fire(SignalEmitter<CountingSink, TestGate> e, int instrument, long t)
    {
        var sig = new Signal { Kind = PatternKind.Momentum, Instrument = instrument };
        var evt = new MarketEvent { ExchangeTimestampNs = t, ReceiveTimestampNs = t + 5, Instrument = instrument };
        e.Emit(0, ref sig, ref evt);
    }

    [Fact]
    public void Allow_all_gate_lets_everything_through_at_configured_thresholds()
    {
        var gate = new AllowAllGate();
        Assert.Equal(SignalPolicy.Allow, gate.PolicyFor(123));
        Assert.Equal(1.0, gate.ThresholdMultiplier(123));
    }

    [Fact]
    public void Suppressed_signals_are_counted_and_not_delivered()
    {
        var (e, box) = Make();
        box.Policy = SignalPolicy.Suppress;
        Fire(e, 1, 100);
        Fire(e, 2, 100);
        Assert.Equal(1, box.Delivered);
        Assert.Equal(1, e.Suppressed);
        Assert.Equal(2, e.Detected);
    }

    [Fact]
    public void Throttled_signals_pass_once_per_interval_of_event_time()
    {
        var (e, box) = Make(throttleNs: 1000);
        box.Policy = SignalPolicy.Throttle;
        Fire(e, 1, 10_000);
        Fire(e, 1, 10_500);
        Fire(e, 1, 10_999);
        Fire(e, 1, 11_000);
        Assert.Equal(2, box.Delivered);
        Assert.Equal(2, e.Throttled);
    }

    [Fact]
    public void A_wider_threshold_from_the_gate_stops_a_pattern_that_would_fire()
    {
        var box = new Box { Multiplier = 1 };
        int Run(double multiplier)
        {
            box.Multiplier = multiplier;
            var e = new SignalEmitter<CountingSink, TestGate>(new CountingSink(box), new TestGate(box), PatternClock.Virtual, 0, 1, []);
            var set = new PatternSet<ArbitragePattern>(new KeySpace(2, 8));
            set.Add(0, new ArbitragePattern(new InstrumentKey(0, 1), new InstrumentKey(1, 1), costPrice: 100, holdNs: 0));
            set.Seal();
            box.Delivered = 0;
            var a = new MarketEvent { Kind = EventKind.TopOfBook, Instrument = 1, LineId = 0, Price = 10_300, Aux = 10_400 };
            var b = new MarketEvent { Kind = EventKind.TopOfBook, Instrument = 1, LineId = 1, Price = 10_000, Aux = 10_100 };
            set.OnEvent(ref a, 1, e);                       // key of (0, 1)
            set.OnEvent(ref b, 8 + 1, e);                   // key of (1, 1)
            return box.Delivered;
        }
        Assert.Equal(1, Run(1));   // 10,300 − 10,100 − 100 = 100 > 0
        Assert.Equal(0, Run(3));   // cost widened to 300: no edge
    }
}
