using System.Collections.Generic;
using Wirespeed.Core.Events;
using Wirespeed.Core.Time;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Core.Time;

/// <summary>Every case the clock-health watcher detects, injected through a scripted clock and driven sample by sample.</summary>
public class ClockHealthWatcherTests
{
    private const long Ms = 1_000_000;

    private sealed class Fixture
    {
        public readonly ScriptedClock Clock = new();
        public readonly ClockHealthState State = new();
        public readonly List<string> Alerts = new();
        public readonly ClockHealthWatcher Watcher;

        public Fixture(ClockHealthOptions? options = null)
            => Watcher = new ClockHealthWatcher(options ?? new ClockHealthOptions { StepThresholdNs = 1 * Ms, DriftThresholdNs = 50 * Ms, SuspectHoldMs = 500 },
                                                Clock, State, Alerts.Add);

        /// <summary>Time passes by <paramref name="ns"/>, then one sample.</summary>
        public void Tick(long ns = 100 * Ms)
        {
            Clock.Advance(ns);
            Watcher.Sample();
        }

        /// <summary>The decoder saw a packet received now whose last event was stamped <paramref name="lagNs"/> before the local time of day.</summary>
        public void Packet(long lagNs) => State.Observe(Clock.TimeOfDay - lagNs, Clock.Mono, 0);
    }

    [Fact]
    public void A_clock_that_only_runs_and_slews_raises_nothing_and_flags_nothing()
    {
        var f = new Fixture();
        for (int i = 0; i < 50; i++)
        {
            f.Packet(lagNs: 200_000);   // 200 µs from the exchange
            f.Tick();
        }
        Assert.Empty(f.Alerts);
        Assert.Equal(0, f.State.SuspectFlag);
        Assert.Equal((50L, 0L, 0L, 0L), (f.Watcher.Samples, f.Watcher.Steps, f.Watcher.BackwardJumps, f.Watcher.DriftEpisodes));
        Assert.Equal(50, f.Watcher.DriftSamples);   // one per packet: each sample saw a new one
    }

    [Fact]
    public void A_forward_step_beyond_the_threshold_is_alerted_and_flags_events_for_the_hold_time()
    {
        var f = new Fixture();
        f.Tick();
        f.Clock.Step(5 * Ms);
        f.Tick();
        Assert.Equal(1, f.Watcher.Steps);
        Assert.Equal(5 * Ms, f.Watcher.MaxStepNs);
        var alert = Assert.Single(f.Alerts);
        Assert.StartsWith("wirespeed alert kind=clock_step source=scripted step_ns=5000000 threshold_ns=1000000", alert);
        Assert.Equal((byte)EventFlags.ClockSuspect, f.State.SuspectFlag);
        Assert.Equal(1, f.Watcher.SuspectPeriods);

        f.Tick(400 * Ms);   // still inside the 500 ms hold
        Assert.True(f.State.IsSuspect);
        f.Tick(200 * Ms);   // past it, nothing new
        Assert.False(f.State.IsSuspect);
        Assert.Single(f.Alerts);
    }

    [Fact]
    public void A_step_under_the_threshold_is_not_a_step()
    {
        var f = new Fixture();
        f.Tick();
        f.Clock.Step(900_000);   // 0.9 ms, threshold 1 ms
        f.Tick();
        Assert.Equal(0, f.Watcher.Steps);
        Assert.Empty(f.Alerts);
        Assert.False(f.State.IsSuspect);
    }

    [Fact]
    public void A_backward_jump_is_alerted_as_such_and_flags_events()
    {
        var f = new Fixture();
        f.Tick();
        f.Clock.Step(-300 * Ms);   // larger than the 100 ms interval: the time of day reads earlier than at the last sample
        f.Tick();
        Assert.Equal((1L, 0L), (f.Watcher.BackwardJumps, f.Watcher.Steps));
        var alert = Assert.Single(f.Alerts);
        Assert.StartsWith("wirespeed alert kind=clock_backward_jump source=scripted step_ns=-300000000 back_ns=200000000", alert);
        Assert.True(f.State.IsSuspect);
        Assert.Contains(f.Watcher.Events, e => e.Contains("went back 200.000 ms", System.StringComparison.Ordinal));
    }

    [Fact]
    public void A_step_back_smaller_than_the_interval_is_a_step_not_a_backward_jump()
    {
        var f = new Fixture();
        f.Tick();
        f.Clock.Step(-20 * Ms);
        f.Tick();
        Assert.Equal((0L, 1L), (f.Watcher.BackwardJumps, f.Watcher.Steps));
        Assert.Contains("step_ns=-20000000", Assert.Single(f.Alerts));
    }

    [Theory]
    [InlineData(80 * Ms)]    // exchange timestamps behind the local clock
    [InlineData(-80 * Ms)]   // ahead of it
    public void Drift_beyond_the_threshold_either_way_flags_events_while_it_lasts_with_one_alert(long lag)
    {
        var f = new Fixture();
        f.Packet(200_000);
        f.Tick();
        f.Packet(lag);
        f.Tick();
        Assert.Equal(1, f.Watcher.DriftEpisodes);
        Assert.Equal(lag, f.Watcher.LastDriftNs);
        Assert.StartsWith($"wirespeed alert kind=clock_drift source=scripted drift_ns={lag} threshold_ns=50000000", Assert.Single(f.Alerts));
        Assert.True(f.State.IsSuspect);

        for (int i = 0; i < 20; i++)   // drift lasts: still flagged (hold long over), one alert only
        {
            f.Packet(lag);
            f.Tick();
        }
        Assert.True(f.State.IsSuspect);
        Assert.Single(f.Alerts);

        f.Packet(1 * Ms);   // the clocks agree again
        f.Tick();
        Assert.False(f.State.IsSuspect);
        Assert.Equal(System.Math.Abs(lag), f.Watcher.MaxAbsDriftNs);
    }

    [Fact]
    public void A_quiet_feed_is_not_drift_the_last_packet_is_measured_once()
    {
        var f = new Fixture();
        f.Packet(1 * Ms);
        f.Tick();
        for (int i = 0; i < 30; i++) f.Tick(1000 * Ms);   // 30 s without a packet: its exchange time grows old, which is not drift
        Assert.Equal(1, f.Watcher.DriftSamples);
        Assert.Empty(f.Alerts);
        Assert.False(f.State.IsSuspect);
    }

    [Fact]
    public void Drift_is_measured_on_the_local_clock_after_a_step_the_stepped_clock_shows_drift()
    {
        // The exchange keeps true time; the local clock steps 200 ms ahead: the step is alerted, and the next packet
        // (receive time on the stepped clock against the exchange's stamp) is drift as well.
        var f = new Fixture();
        f.Packet(100_000);
        f.Tick();
        long trueTime = f.Clock.TimeOfDay;
        f.Clock.Step(200 * Ms);
        f.Watcher.Sample();
        f.State.Observe(trueTime - 100_000, f.Clock.Mono, 0);
        f.Tick(0);
        Assert.Equal(1, f.Watcher.Steps);
        Assert.Equal(1, f.Watcher.DriftEpisodes);
        Assert.Equal(2, f.Alerts.Count);
    }

    [Fact]
    public void An_unreadable_clock_is_alerted_once_and_flags_events_until_it_reads_again()
    {
        var f = new Fixture();
        f.Tick();
        f.Clock.Failing = true;
        f.Tick();
        f.Tick();
        Assert.Equal(2, f.Watcher.ReadFailures);
        Assert.StartsWith("wirespeed alert kind=clock_read_failed source=scripted error=scripted_failure", Assert.Single(f.Alerts));
        Assert.True(f.State.IsSuspect);
        f.Clock.Failing = false;
        f.Tick();
        Assert.False(f.State.IsSuspect);
    }

    [Fact]
    public void The_summary_section_counts_each_case()
    {
        var f = new Fixture();
        f.Tick();
        f.Clock.Step(3 * Ms);
        f.Tick();
        f.Clock.Step(-500 * Ms);
        f.Tick();
        f.Packet(70 * Ms);
        f.Tick();
        f.State.Observe(0, f.Clock.Mono + 1, flaggedEvents: 12);
        var c = f.Watcher.Counters();
        Assert.Equal((1L, 1L, 1L, 12L), (c["steps"], c["backward_jumps"], c["drift_episodes"], c["suspect_events"]));
        Assert.Equal(1, c["suspect_now"]);
        Assert.Equal(0, c["source_ptp"]);
        Assert.Equal(4, c["samples"]);
    }

    [Fact]
    public void Thresholds_outside_their_range_are_refused_naming_the_field()
    {
        var e = Assert.Throws<System.ArgumentException>(() => new ClockHealthOptions { StepThresholdNs = 10 }.Validated());
        Assert.Equal("StepThresholdNs", e.ParamName);
        e = Assert.Throws<System.ArgumentException>(() => new ClockHealthOptions { Source = ClockSourceKind.Ptp, Device = "/tmp/x" }.Validated());
        Assert.Equal("Device", e.ParamName);
    }
}
