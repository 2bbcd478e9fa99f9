using System;
using System.IO;
using System.Linq;
using Wirespeed.Configuration;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Monitoring;
using Wirespeed.Feeds.Sim;
using Wirespeed.Hosting.Detection;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Simulation;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.App.Hosting;

/// <summary>
/// The supervisor over a real feed: simulated packets → books → publish → a pattern worker made to throw or to stall
/// by the test hook (<see cref="FaultInjection"/>), with the supervisor and its policies as run and demo wire them
/// (<see cref="FeedHealth"/>).
/// </summary>
public sealed class WorkerSupervisionTests
{
    private sealed record Run(FeedHost Host, FeedHealth Health, FeedPatterns Patterns, PacedBlobState Packets, long Messages, StringWriter Alerts, string? Failure);

    /// <summary>The deadline stays far above this VM's scheduling outliers (hundreds of ms with six builds on two cores, PLATFORM.md): a parked worker that is merely not scheduled must not read as stuck.</summary>
    private static WirespeedConfig Config(string policy) => ConfigLoader.Parse($$"""
        { "books": { "maxInstruments": 128, "maxOrders": 262144 },
          "pipeline": { "workers": [ { "name": "feed", "idle": "yield" } ] },
          "patterns": { "idle": "back-off", "placement": "workers", "ringCapacity": 4096 },
          "clock": { "enabled": false },
          "supervisor": { "policy": "{{policy}}", "deadlineMs": 1500, "intervalMs": 20, "restartGraceMs": 100 } }
        """);

    /// <summary>Builds the feed with pattern worker 0 behind <paramref name="injection"/>, starts it and its watchers, lets the packets go.</summary>
    private static Run Start(WirespeedConfig config, FaultInjection injection, long messages, Action<string> onFail)
    {
        var feed = new SimFeed(new ExchangeSimulator(SimulatorPlan.From(config.Simulator)),
            config.Simulator.Session, config.Simulator.MaxPayloadBytes, SimTimestampMode.Virtual, messages);
        var blob = PacketBlob.Generate(feed, messages);
        var paced = new PacedBlobState(blob, 2e6, (byte)config.Lines[0].Id);   // 2 M msg/s: the run lasts long enough to fault in
        var host = FeedHost.Create(ConfigValidator.Resolve(config), new MemoryRegistry(0), new PacedBlobPackets(paced), 1464, measureOneWay: false, 0);
        var patterns = Assert.IsAssignableFrom<FeedPatterns>(host.Patterns);
        Assert.False(patterns.Inline);
        patterns.Inject(0, injection);
        var alerts = new StringWriter();
        var monitor = new RunMonitor(new MonitorOptions { AlertOutput = alerts, HiccupMeter = false });
        var health = FeedHealth.Create(host, monitor, onFail);
        host.Start();
        health.Start();
        paced.Begin();
        return new Run(host, health, patterns, paced, blob.Messages, alerts, null);
    }

    private static void Wait(Func<bool> done, Func<string> what)
    {
        long deadline = Environment.TickCount64 + 30_000;
        while (!done())
        {
            Assert.True(Environment.TickCount64 < deadline, "timed out waiting for " + what());
            System.Threading.Thread.Sleep(5);
        }
    }

    [Fact]
    public void A_pattern_worker_that_throws_is_reported_with_its_instruments_and_restarted_from_the_ring_position_with_the_gap_counted()
    {
        var config = Config("restart");
        string? failure = null;
        using var injection = new FaultInjection(InjectedFault.Throw, afterWork: 5_000);
        var r = Start(config, injection, 1_500_000, cause => failure = cause);
        using var host = r.Host;
        using var health = r.Health;
        var entry = Assert.Single(health.Supervisor.Workers, w => w.Name == "patterns.0");
        HostRun.WaitFor(() => entry.Restarts == 1, "the restart of patterns.0");
        HostRun.WaitFor(() => host.Delivered >= r.Messages, "every event delivered");
        Wait(() => r.Patterns.Backlog(0) == 0, () => $"the restarted worker to drain the ring ({r.Patterns.Backlog(0)} left, {entry.Health}, {r.Patterns.ThreadOf(0)?.State}, {r.Patterns.ThreadOf(0)?.Fault}, {r.Patterns.ThreadOf(0)?.Cycles} cycles, {r.Patterns.WorkerCounters(0).Seen} seen) " + string.Join(" | ", health.Supervisor.Notes) + r.Alerts);
        health.Stop();
        host.Stop();   // the faulted thread was replaced: nothing is thrown

        // Detected, alerted once with the worker's instruments, restarted; no failure, healthy again.
        Assert.True(injection.Fired);
        Assert.Null(failure);
        Assert.Null(health.Failed);
        string instruments = r.Patterns.InstrumentsOf(0);
        Assert.StartsWith("11: AAAA, AAAB, BAAA, BAAB, CAAA", instruments);   // the embedded default definitions' legs, all on the one worker
        var lines = r.Alerts.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, string.Join("\n", lines) + "\n" + string.Join("\n", health.Supervisor.Notes));
        string alert = lines[0];
        Assert.StartsWith($"wirespeed alert kind=worker_faulted worker=patterns.0 role=patterns instruments={instruments.Replace(' ', '_')} policy=restart cause=threw_InvalidOperationException:_injected_fault_(test_hook)", alert);
        Assert.Equal((1L, 1L, 0L), (entry.Faults, entry.Restarts, entry.Stalls));
        Assert.True(entry.Health is WorkerHealth.Healthy or WorkerHealth.Stopped, entry.Health.ToString());

        // No silent gap: every slot published to the ring was either passed by a worker (the faulted one, then its
        // replacement) or skipped by the restart and counted.
        var counters = r.Patterns.WorkerCounters(0);
        long gap = r.Patterns.GapSlots(0);
        Assert.Equal(r.Patterns.Publish.TopOfBook + r.Patterns.Publish.Trades, counters.Seen + gap);
        Assert.True(counters.Seen > 5_000, $"the replacement passed no events ({counters.Seen})");

        // The summary's sections say it.
        var summary = new RunSummary();
        health.AddTo(summary);
        r.Patterns.AddTo(summary, host.BooksOfLine);
        var workers = summary.Counters["workers"];
        Assert.Equal((1L, 1L, 0L), (workers["patterns_0_faults"], workers["patterns_0_restarts"], workers["failed"]));
        Assert.Equal(gap, summary.Counters["patterns"]["worker0_restart_gap_slots"]);
        Assert.Contains(summary.Notes, n => n.Contains($"instruments marked: {instruments}; policy restart", StringComparison.Ordinal));
        Assert.Contains(summary.Notes, n => n.Contains("patterns.0 (patterns) restarted (restart 1)", StringComparison.Ordinal));
        Assert.Equal(0, summary.Counters["clock"]["enabled"]);
    }

    [Fact]
    public void A_pattern_worker_stuck_in_a_cycle_is_reported_and_as_it_cannot_be_replaced_safely_the_process_fails_with_the_cause()
    {
        var config = Config("restart");
        string? failure = null;
        using var injection = new FaultInjection(InjectedFault.Stall, afterWork: 5_000);
        var r = Start(config, injection, 1_500_000, cause => failure = cause);
        using var host = r.Host;
        using var health = r.Health;
        var entry = Assert.Single(health.Supervisor.Workers, w => w.Name == "patterns.0");
        HostRun.WaitFor(() => health.Failed is not null, "the supervisor to fail the run");
        Assert.False(health.AllHealthy);   // the systemd watchdog stops pinging
        HostRun.WaitFor(() => host.Delivered >= r.Messages, "every event delivered (the book worker is not held up by the stuck pattern worker)");
        health.Stop();
        injection.Release();   // the stuck cycle returns; the worker drains and ends, so the host's stop can join it
        host.Stop();

        Assert.Equal(WorkerHealth.Failed, entry.Health);
        Assert.Equal((1L, 0L, 0L), (entry.Stalls, entry.Faults, entry.Restarts));
        Assert.NotNull(failure);
        Assert.Matches(@"^worker patterns\.0 \(patterns\) stalled: no duty cycle for \d+ ms \(deadline 1500 ms\)(, \d+ items waiting)?, and it could not be restarted: its thread did not end within 100 ms of the stop request", failure);
        string alerts = r.Alerts.ToString();
        Assert.Contains($"wirespeed alert kind=worker_stalled worker=patterns.0 role=patterns instruments={r.Patterns.InstrumentsOf(0).Replace(' ', '_')} policy=restart", alerts);
        Assert.Contains("wirespeed alert kind=worker_failed worker=patterns.0", alerts);
        // The ring held what it could, and the rest was dropped and counted, never silently lost.
        Assert.True(r.Patterns.Publish.Dropped > 0);
        var summary = new RunSummary();
        health.AddTo(summary);
        Assert.Equal((long)WorkerHealth.Failed, summary.Counters["workers"]["patterns_0_state"]);
        Assert.Contains(summary.Notes, n => n.StartsWith("FAILED: worker patterns.0 (patterns) stalled", StringComparison.Ordinal));
    }
    [Fact]
    public void A_healthy_split_feed_keeps_every_worker_healthy_and_shows_their_progress()
    {
        var config = ConfigLoader.Parse("""
            { "books": { "maxInstruments": 128, "maxOrders": 262144 },
              "pipeline": { "topology": "split", "workers": [ { "name": "feed", "idle": "yield" }, { "name": "deliver", "idle": "back-off" } ] },
              "patterns": { "idle": "back-off", "placement": "workers" },
              "clock": { "enabled": false },
              "supervisor": { "policy": "fail", "deadlineMs": 1500, "intervalMs": 20 } }
            """);
        string? failure = null;
        using var injection = new FaultInjection(InjectedFault.Throw, afterWork: long.MaxValue);   // never fires
        var r = Start(config, injection, 300_000, cause => failure = cause);
        using var host = r.Host;
        using var health = r.Health;
        HostRun.WaitFor(() => host.Delivered >= r.Messages, "every event delivered");
        System.Threading.Thread.Sleep(100);   // a few more checks with the feed idle: idle is not stalled
        health.Stop();
        host.Stop();
        Assert.Null(failure);
        Assert.True(health.AllHealthy);
        Assert.Equal(["feed", "deliver", "patterns.0"], health.Supervisor.Workers.Select(w => w.Name));
        Assert.All(health.Supervisor.Workers, w => Assert.True(w.Progress > 0 && w.Faults == 0 && w.Stalls == 0, $"{w.Name}: {w.Progress} cycles, {w.Faults} faults, {w.Stalls} stalls"));
        Assert.Empty(r.Alerts.ToString());   // the simulator's virtual timestamps would be clock drift: the clock is off here
    }
}
