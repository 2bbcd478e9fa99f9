using Wirespeed.Core.Breakers;
using Wirespeed.Core.Signals;
using Wirespeed.Core.Events;
using Xunit;
using static Wirespeed.Tests.Core.Breakers.BreakerDriver;

namespace Wirespeed.Tests.Core.Breakers;

/// <summary>Response strategies per level, as selected in configuration, change what the query API and callbacks do.</summary>
public class BreakerResponseTests
{
    private struct Recorder : IBreakerActions
    {
        public int CancelAlls, Alerts;
        public BreakerTransition Last;
        public void CancelAll(in BreakerTransition t) { CancelAlls++; Last = t; }
        public void Alert(in BreakerTransition t) { Alerts++; Last = t; }
    }

    private static (BreakerDriver, Recorder) AtLevel(BreakerOptions options, char state)
    {
        var d = new BreakerDriver(Only(BreakerDetector.Recovery, options));
        var rec = new Recorder();
        var e = new MarketEvent { Kind = EventKind.Trade, Instrument = 1, Price = 100 * Dollar, Quantity = 100 };
        d.Send(ref e, ref rec);
        var h = new MarketEvent { Kind = EventKind.TradingAction, Instrument = 1, Aux = state };
        d.Send(ref h, ref rec);
        return (d, rec);
    }

    [Theory]
    [InlineData('T', SignalPolicy.Allow, 1.0, false, 0, 0)]
    [InlineData('Q', SignalPolicy.Throttle, 2.0, false, 0, 1)]   // restricted: widen ×2, throttle, alert
    [InlineData('H', SignalPolicy.Suppress, 1.0, true, 1, 1)]    // halted: suppress, cancel-all, conservative, alert
    public void Default_responses_per_level(char state, SignalPolicy policy, double multiplier, bool conservative, int cancels, int alerts)
    {
        var (d, rec) = AtLevel(new BreakerOptions(), state);
        Assert.Equal(policy, d.State.SignalPolicyFor(1));
        Assert.Equal(multiplier, d.State.ThresholdMultiplier(1));
        Assert.Equal(conservative, d.State.UseConservativePatterns(1));
        Assert.Equal(cancels, rec.CancelAlls);
        Assert.Equal(alerts, rec.Alerts);
        if (alerts > 0) Assert.Equal(BreakerDetector.Exchange, rec.Last.Detector);
    }

    [Fact]
    public void Configured_responses_replace_the_defaults()
    {
        var o = new BreakerOptions
        {
            RestrictedResponses = ["suppressSignals", "cancelAll"],
            HaltedResponses = ["widenThresholds"],
            ThresholdMultipliers = [1, 1.2, 1.4, 5],
        };
        var (r, recR) = AtLevel(o, 'Q');
        Assert.Equal(SignalPolicy.Suppress, r.State.SignalPolicyFor(1));
        Assert.Equal(1.0, r.State.ThresholdMultiplier(1));
        Assert.Equal(1, recR.CancelAlls);
        Assert.Equal(0, recR.Alerts);
        var (h, recH) = AtLevel(o, 'H');
        Assert.Equal(SignalPolicy.Allow, h.State.SignalPolicyFor(1));
        Assert.Equal(5.0, h.State.ThresholdMultiplier(1));
        Assert.False(h.State.UseConservativePatterns(1));
        Assert.Equal(0, recH.CancelAlls);
    }

    [Fact]
    public void Throttle_admits_one_signal_per_interval()
    {
        var (d, _) = AtLevel(new BreakerOptions { ThrottleIntervalNs = Second }, 'Q');
        long t = d.Now;
        Assert.True(d.State.TryAdmitSignal(1, t));
        Assert.False(d.State.TryAdmitSignal(1, t + Second / 2));
        Assert.True(d.State.TryAdmitSignal(1, t + Second));
        Assert.True(d.State.TryAdmitSignal(2, t)); // another instrument is Normal
    }

    [Fact]
    public void Disabled_breakers_never_move()
    {
        var (d, rec) = AtLevel(new BreakerOptions { Enabled = false }, 'H');
        Assert.Equal(BreakerLevel.Normal, d.State.EffectiveLevel(1));
        Assert.Equal(0, rec.CancelAlls);
    }
}
