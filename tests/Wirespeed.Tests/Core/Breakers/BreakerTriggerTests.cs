using System;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Events;
using Xunit;
using static Wirespeed.Tests.Core.Breakers.BreakerDriver;

namespace Wirespeed.Tests.Core.Breakers;

/// <summary>
/// Detector by detector, through a trip and a recovery: evaluating an instrument only when a trigger fires gives exactly
/// the transitions of evaluating it at every event (time, levels, detector, figure and threshold).
/// </summary>
public class BreakerTriggerTests
{
    private static void Calm(BreakerDriver d)
    {
        // Steady trades first (nothing but the clock and the message count moves), then a tight two-sided book and trades
        // for long enough to step down from any level.
        for (int k = 0; k < 30; k++) { d.Now += 100 * Ms; d.Trade(1, 100 * Dollar); }
        d.Add(1, Side.Buy, 100 * Dollar - 100);
        d.Add(1, Side.Sell, 100 * Dollar + 100);
        for (int k = 0; k < 600; k++) { d.Now += 100 * Ms; d.Trade(1, 100 * Dollar); }
    }

    public static TheoryData<BreakerThresholdTests.Case, BreakerDetector, long, bool> Cases()
    {
        var data = new TheoryData<BreakerThresholdTests.Case, BreakerDetector, long, bool>();
        foreach (bool halt in new[] { false, true })
        {
            data.Add(BreakerThresholdTests.Case.BandMove6Pct, BreakerDetector.PriceBand, 0, halt);
            data.Add(BreakerThresholdTests.Case.BandMove11Pct, BreakerDetector.PriceBand, 2 * Second, halt);
            data.Add(BreakerThresholdTests.Case.VolatilitySwings, BreakerDetector.Volatility, 0, halt);
            data.Add(BreakerThresholdTests.Case.RateBurst, BreakerDetector.MessageRate, 0, halt);
            data.Add(BreakerThresholdTests.Case.RateBurst, BreakerDetector.MessageRate, Second, halt);
            data.Add(BreakerThresholdTests.Case.SpreadWide, BreakerDetector.Spread, 0, halt);
            data.Add(BreakerThresholdTests.Case.SpreadWide, BreakerDetector.Spread, 3 * Second, halt);
            data.Add(BreakerThresholdTests.Case.OneSided15Seconds, BreakerDetector.OneSidedBook, 0, halt);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Triggered_evaluation_matches_evaluating_every_event(BreakerThresholdTests.Case c, BreakerDetector detector, long minHoldNs, bool exchangeHalt)
    {
        var options = Only(detector) with
        {
            MinHoldNs = minHoldNs,
            Volatility = new VolatilityOptions { Enabled = detector == BreakerDetector.Volatility, WindowNs = 10 * Second },
            Spread = new SpreadOptions { Enabled = detector == BreakerDetector.Spread, SustainNs = 350 * Ms },
        };
        var triggered = new BreakerDriver(options);
        var everyEvent = new BreakerDriver(options);
        everyEvent.State.EvaluateEveryEvent = true;
        foreach (var d in new[] { triggered, everyEvent })
        {
            BreakerThresholdTests.Drive(d, c);
            if (exchangeHalt)
            {
                d.TradingState(1, 'H');      // an exchange halt on top, then resumed
                d.Trades(1, 100 * Dollar, Second, 50 * Ms);
                d.TradingState(1, 'T');
            }
            Calm(d);
        }
        var a = triggered.State.Transitions.Snapshot();
        var b = everyEvent.State.Transitions.Snapshot();
        Assert.True(Array.Exists(b, t => t.Detector == detector), $"{c} trips by {detector}");
        Assert.True(Array.Exists(b, t => t.To < t.From), $"{c} steps down");
        Assert.Equal(b.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(BreakerDriver.Same(in a[i], in b[i]), $"{c}, transition {i}: triggered {a[i]}; every event {b[i]}");
    }
}
