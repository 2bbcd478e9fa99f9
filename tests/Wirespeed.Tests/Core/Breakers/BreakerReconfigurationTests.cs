using System;
using Wirespeed.Core.Signals;
using System.Linq;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Events;
using Xunit;
using static Wirespeed.Tests.Core.Breakers.BreakerDriver;

namespace Wirespeed.Tests.Core.Breakers;

/// <summary>
/// Breaker settings swap at run time: a bad configuration is refused with the field named while the old settings keep
/// running; a good one takes effect at the breaker thread's next event, keeps levels and detector state, and is logged.
/// </summary>
public class BreakerReconfigurationTests
{
    private static BreakerTransition[] Reconfigurations(BreakerDriver d)
        => d.State.Transitions.Snapshot().Where(t => t.Detector == BreakerDetector.Reconfigured).ToArray();

    public static TheoryData<string, Func<BreakerOptions, BreakerOptions>, string> Refused() => new()
    {
        { "exit above entry", o => o with { Volatility = o.Volatility with { Thresholds = new LevelThresholds(0.0015, 0.001, 0.003, 0.002, 0.006, 0.007) } }, "breakers.volatility.haltedExit=0.007:" },
        { "unknown response", o => o with { HaltedResponses = ["suppressSignals", "panic"] }, "breakers.haltedResponses[1]=panic:" },
        { "unknown level", o => o with { Exchange = o.Exchange with { HaltLevel = "frozen" } }, "breakers.exchange.haltLevel=frozen:" },
        { "table size", o => o with { MaxInstruments = o.MaxInstruments * 2 }, "breakers.maxInstruments=18: cannot change at run time (running with 9)" },
        { "sector count", o => o with { MaxSectors = 4 }, "breakers.maxSectors=4: cannot change at run time (running with 2)" },
        { "log size", o => o with { TransitionLogCapacity = 64 }, "breakers.transitionLogCapacity=64: cannot change at run time (running with 4096)" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Bad_settings_are_refused_with_the_field_named_and_the_old_ones_keep_running(string name, Func<BreakerOptions, BreakerOptions> configure, string expected)
    {
        var d = new BreakerDriver(new BreakerOptions());
        var before = d.State.Settings;
        Assert.False(d.State.TryReconfigure(configure(d.State.Options), out string? error), name);
        Assert.StartsWith(expected, error);
        Assert.Equal(1, d.State.Rejected);
        d.Trade(1, 100 * Dollar);
        Assert.Same(before, d.State.Settings);
        Assert.Empty(Reconfigurations(d));
    }

    [Fact]
    public void Unchanged_settings_hand_over_nothing()
    {
        var d = new BreakerDriver(new BreakerOptions());
        Assert.True(d.State.TryPrepare(d.State.Options with { }, out var next, out string? error), error);
        Assert.Null(next);
        d.Trade(1, 100 * Dollar);
        Assert.Equal(1, d.State.Settings.Version);
        Assert.Empty(Reconfigurations(d));
    }

    [Fact]
    public void New_thresholds_apply_from_the_next_event_and_the_level_in_force_carries_over()
    {
        var d = new BreakerDriver(Only(BreakerDetector.PriceBand) with { PriceBand = new PriceBandOptions { ReferenceWindowNs = 10_000 * Second } });
        d.Trades(1, 100 * Dollar, 2 * Second);
        d.Trade(1, 104 * Dollar);
        Assert.Equal(BreakerLevel.Caution, d.State.InstrumentLevel(1)); // 4 % against caution 3 %, restricted 5 %

        var tighter = d.State.Options with { PriceBand = d.State.Options.PriceBand with { Thresholds = new LevelThresholds(0.02, 0.01, 0.035, 0.025, 0.10, 0.07) } };
        Assert.True(d.State.TryPrepare(tighter, out var next, out string? error), error);
        Assert.NotNull(next);
        Assert.Equal(2, next!.Version);
        Assert.Equal(
            ["breakers.priceBand.thresholds.cautionEntry 0.03 -> 0.02", "breakers.priceBand.thresholds.cautionExit 0.02 -> 0.01",
             "breakers.priceBand.thresholds.restrictedEntry 0.05 -> 0.035", "breakers.priceBand.thresholds.restrictedExit 0.035 -> 0.025"],
            next.Changes);
        d.State.Reconfigure(next);
        Assert.Equal(1, d.State.Settings.Version); // taken by the breaker thread at its next event, not before
        Assert.Equal(BreakerLevel.Caution, d.State.InstrumentLevel(1));

        d.Now += 10 * Ms;
        d.Trade(1, 104 * Dollar);
        Assert.Equal(2, d.State.Settings.Version);
        Assert.Equal(BreakerLevel.Restricted, d.State.InstrumentLevel(1)); // 4 % is above the new restricted entry 3.5 %
        var log = d.State.Transitions.Snapshot();
        var swap = Reconfigurations(d).Single();
        Assert.Equal((BreakerScope.Market, 2.0, 1.0), (swap.Scope, swap.Figure, swap.Threshold));
        var rise = log[^1];
        Assert.Equal((BreakerLevel.Caution, BreakerLevel.Restricted, BreakerDetector.PriceBand, 0.035), (rise.From, rise.To, rise.Detector, rise.Threshold));
        Assert.True(Array.IndexOf(log, swap) < Array.IndexOf(log, rise), "the swap is logged before the first event it governs");
        Assert.Equal(2, d.State.TripsBy(BreakerDetector.PriceBand)); // the reload itself counts as neither a trip nor a step down
        Assert.Equal(2, d.State.TripsUp);
        Assert.Equal(0, d.State.StepsDown);
    }

    [Fact]
    public void An_exchange_halt_in_force_takes_its_newly_configured_level_and_steps_down_to_it()
    {
        var d = new BreakerDriver(Only(BreakerDetector.Recovery));
        d.Trade(1, 100 * Dollar);
        d.TradingState(1, 'H');
        Assert.Equal(BreakerLevel.Halted, d.State.InstrumentLevel(1));
        Assert.True(d.State.TryReconfigure(d.State.Options with { Exchange = d.State.Options.Exchange with { HaltLevel = "caution" } }, out string? error), error);
        d.Trades(1, 100 * Dollar, 5 * Second, 100 * Ms);      // still halted by the exchange: held at its new level, caution
        Assert.Equal(BreakerLevel.Caution, d.State.InstrumentLevel(1));
        var downs = d.State.Transitions.Snapshot().Where(t => t.To < t.From).Select(t => t.To).ToArray();
        Assert.Equal([BreakerLevel.Restricted, BreakerLevel.Caution], downs); // one level per window, as any recovery
    }

    [Fact]
    public void New_responses_govern_the_next_query()
    {
        var d = new BreakerDriver(Only(BreakerDetector.Recovery));
        d.Trade(1, 100 * Dollar);
        d.TradingState(1, 'H');
        Assert.Equal(SignalPolicy.Suppress, d.State.SignalPolicyFor(1));
        Assert.True(d.State.TryReconfigure(d.State.Options with { HaltedResponses = ["throttleSignals", "widenThresholds"], ThresholdMultipliers = [1, 1.5, 2, 4] }, out string? error), error);
        d.Trade(1, 100 * Dollar);
        Assert.Equal(SignalPolicy.Throttle, d.State.SignalPolicyFor(1));
        Assert.Equal(4.0, d.State.ThresholdMultiplier(1));
        Assert.Equal(BreakerLevel.Halted, d.State.InstrumentLevel(1));
    }

    [Fact]
    public void A_new_sample_interval_keeps_the_volatility_figure_continuous()
    {
        var d = new BreakerDriver(Only(BreakerDetector.Volatility) with { Volatility = new VolatilityOptions { WindowNs = 10 * Second } });
        const long Low = 1000 * Dollar / 10, High = 1003 * Dollar / 10;
        for (int k = 0; k < 30; k++) d.Trades(1, k % 2 == 0 ? Low : High, Second, 100 * Ms);
        double vol = d.State.Figure(1, BreakerDetector.Volatility);
        Assert.True(vol > 0);
        var o = d.State.Options;
        Assert.True(d.State.TryReconfigure(o with { Volatility = o.Volatility with { SampleIntervalNs = 500 * Ms } }, out string? error), error);
        // The same price a second later: one to three samples of zero return on the new 0.5 s grid. With the EWMA rescaled
        // to the new interval the figure (σ per √s) only decays a little (e^(-0.025 k)); kept per old interval it would
        // read √2 ≈ 1.41 times higher.
        d.Now += Second;
        d.Trade(1, High);
        double after = d.State.Figure(1, BreakerDetector.Volatility);
        Assert.InRange(after, 0.9 * vol, vol);
    }

    [Fact]
    public void Turning_the_breakers_off_puts_every_scope_back_to_normal_and_on_again_starts_afresh()
    {
        var d = new BreakerDriver(Only(BreakerDetector.Recovery));
        for (int i = 1; i <= 8; i++) d.Trade(i, 100 * Dollar);
        d.TradingState(1, 'H');
        d.TradingState(3, 'H'); // sector 1 halted through its share
        Assert.Equal(BreakerLevel.Halted, d.State.SectorLevel(1));
        Assert.True(d.State.TryReconfigure(d.State.Options with { Enabled = false }, out string? error), error);
        d.Trade(2, 100 * Dollar);
        Assert.Equal(BreakerLevel.Normal, d.State.InstrumentLevel(1));
        Assert.Equal(BreakerLevel.Normal, d.State.SectorLevel(1));
        Assert.Equal(BreakerLevel.Normal, d.State.EffectiveLevel(3));
        Assert.False(d.State.AnyAtOrAbove(BreakerLevel.Caution));
        Assert.Equal(3, d.State.Transitions.Snapshot().Count(t => t.Detector == BreakerDetector.Reconfigured && t.To == BreakerLevel.Normal && t.From > t.To));
        d.TradingState(5, 'H');                                // ignored while off
        Assert.Equal(BreakerLevel.Normal, d.State.InstrumentLevel(5));

        Assert.True(d.State.TryReconfigure(d.State.Options with { Enabled = true }, out error), error);
        d.Trade(5, 100 * Dollar);
        Assert.Equal(BreakerLevel.Normal, d.State.InstrumentLevel(5)); // the halt sent while off was never observed
        d.TradingState(5, 'H');
        Assert.Equal(BreakerLevel.Halted, d.State.InstrumentLevel(5));
        Assert.Equal(3, d.State.Settings.Version);
    }

    [Fact]
    public void Taking_new_settings_allocates_nothing_on_the_breaker_thread()
    {
        var d = new BreakerDriver(new BreakerOptions());
        d.Trades(1, 100 * Dollar, Second);
        var o = d.State.Options;
        var none = new NoBreakerActions();
        long allocated = 0;
        for (int round = 1; round <= 2; round++) // the first round compiles the path; the second is measured
        {
            Assert.True(d.State.TryReconfigure(o with { MinHoldNs = round, Spread = o.Spread with { SustainNs = round } }, out string? error), error);
            var e = new MarketEvent { Kind = EventKind.Trade, Instrument = 1, Price = 100 * Dollar, Quantity = 100, ExchangeTimestampNs = d.Now += Ms };
            long before = GC.GetAllocatedBytesForCurrentThread();
            d.State.OnEvent(ref e, 0, d.Books, ref none);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.Equal(3, d.State.Settings.Version);
        Assert.Equal(0, allocated);
    }
}
