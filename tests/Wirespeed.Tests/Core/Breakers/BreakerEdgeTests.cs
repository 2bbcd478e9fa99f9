using System;
using System.Linq;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Events;
using Xunit;
using static Wirespeed.Tests.Core.Breakers.BreakerDriver;

namespace Wirespeed.Tests.Core.Breakers;

/// <summary>Edges of the breakers: settings handed over out of order, the market scope turned off, a baseline window too short.</summary>
public class BreakerEdgeTests
{
    [Fact]
    public void Settings_prepared_against_an_older_version_are_refused_and_the_newer_ones_stay()
    {
        var d = new BreakerDriver(new BreakerOptions());
        var o = d.State.Options;
        Assert.True(d.State.TryPrepare(o with { PriceBand = o.PriceBand with { ReferenceWindowNs = 10 * Second } }, out var first, out string? error), error);
        Assert.True(d.State.TryPrepare(o with { PriceBand = o.PriceBand with { ReferenceWindowNs = 20 * Second } }, out var second, out error), error);
        Assert.Equal(first!.Version, second!.Version);             // both prepared against v1
        d.State.Reconfigure(first);
        var e = Assert.Throws<InvalidOperationException>(() => d.State.Reconfigure(second));
        Assert.Equal("breaker settings v2 were prepared against v1, but v2 is the newest: prepare again", e.Message);
        d.Trade(1, 100 * Dollar);
        Assert.Equal(10 * Second, d.State.Settings.Options.PriceBand.ReferenceWindowNs);
    }

    [Fact]
    public void Turning_the_breakers_off_during_a_market_halt_puts_the_market_back_to_normal_and_logs_it()
    {
        var d = new BreakerDriver(Only(BreakerDetector.Recovery) with { Exchange = new ExchangeStateOptions { MwcbHoldNs = 600 * Second } });
        d.Trade(1, 100 * Dollar);
        d.Status(EventKind.MwcbStatus, 0, '1');
        Assert.Equal(BreakerLevel.Halted, d.State.MarketLevel);

        Assert.True(d.State.TryReconfigure(d.State.Options with { Enabled = false }, out string? error), error);
        d.Trade(1, 100 * Dollar);
        Assert.Equal(BreakerLevel.Normal, d.State.MarketLevel);
        Assert.Equal(BreakerLevel.Normal, d.State.EffectiveLevel(1));
        var reset = d.State.Transitions.Snapshot().Single(t => t.Scope == BreakerScope.Market && t.Detector == BreakerDetector.Reconfigured && t.From == BreakerLevel.Halted);
        Assert.Equal(BreakerLevel.Normal, reset.To);
    }

    [Fact]
    public void A_message_rate_baseline_shorter_than_its_window_is_refused_by_field()
    {
        var o = new BreakerOptions();
        var bad = o with { MessageRate = o.MessageRate with { WindowNs = 10 * Second, BaselineWindowNs = 5 * Second } };
        var e = Assert.Throws<BreakerConfigException>(() => bad.Validated());
        Assert.StartsWith("breakers.messageRate.baselineWindowNs=5000000000: must be at least breakers.messageRate.windowNs (10000000000)", e.Message);
    }

    [Fact]
    public void A_figure_is_kept_only_by_the_measuring_detectors_and_only_for_instruments_in_the_table()
    {
        var d = new BreakerDriver(Only(BreakerDetector.PriceBand) with { PriceBand = new PriceBandOptions { ReferenceWindowNs = 10_000 * Second } });
        d.Trades(1, 100 * Dollar, 2 * Second);
        d.Trade(1, 104 * Dollar);
        Assert.InRange(d.State.Figure(1, BreakerDetector.PriceBand), 0.035, 0.045);
        Assert.Equal(0, d.State.Figure(1, BreakerDetector.Mwcb));          // an event, not a measured figure
        Assert.Equal(0, d.State.Figure(1, BreakerDetector.Reconfigured));
        Assert.Equal(0, d.State.Figure(-1, BreakerDetector.PriceBand));
        Assert.Equal(0, d.State.Figure(1_000, BreakerDetector.PriceBand));
    }

    [Fact]
    public void The_signal_gate_reads_the_state_it_was_given()
    {
        var d = new BreakerDriver(new BreakerOptions());
        var gate = new BreakerSignalGate(d.State);
        Assert.Same(d.State, gate.State);
        Assert.Equal(d.State.SignalPolicyFor(1), gate.PolicyFor(1));
        Assert.Throws<ArgumentNullException>(() => new BreakerSignalGate(null!));
    }

    [Fact]
    public void The_transition_log_reports_its_capacity_rounded_to_a_power_of_two()
    {
        Assert.Equal(8, new BoundedLog<long>(8).Capacity);
        Assert.Equal(8, new BoundedLog<long>(5).Capacity);
        Assert.Equal(2, new BoundedLog<long>(1).Capacity);
        Assert.Throws<ArgumentException>(() => new BoundedLog<long>(0));
        Assert.Equal(4096, new BreakerDriver(new BreakerOptions()).State.Transitions.Capacity);
    }

    [Fact]
    public void A_reload_without_a_section_is_refused_and_out_of_range_queries_read_as_normal()
    {
        var d = new BreakerDriver(new BreakerOptions());
        Assert.False(d.State.TryPrepare(null!, out var next, out string? error));
        Assert.Null(next);
        Assert.Equal("breakers: configuration section missing.", error);
        Assert.Equal(1, d.State.Rejected);
        Assert.Equal(BreakerLevel.Normal, d.State.InstrumentLevel(-1));
        Assert.Equal(BreakerLevel.Normal, d.State.InstrumentLevel(1_000));
        Assert.Equal(BreakerLevel.Normal, d.State.SectorLevel(99));
        Assert.Equal(0, d.State.TripsBy((BreakerDetector)200));
    }
}
