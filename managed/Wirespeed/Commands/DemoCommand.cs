using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Wirespeed.Configuration;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Sim;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Reporting;
using Wirespeed.Hosting.Simulation;

namespace Wirespeed.Commands;

/// <summary>
/// <c>wirespeed demo</c>: the simulator publishes ITCH 5.0 in MoldUDP64 on loopback multicast; Wirespeed receives it
/// through a plain UDP socket, decodes, builds books, runs the measured pipeline and the pattern workers, then prints a summary.
/// </summary>
/// <remarks>
/// Phases: warm-up (one second of traffic at the target rate, so the JIT reaches its final code and every page is
/// touched), then the measured run (the monitor's histograms and the hot-thread allocation probes start here), then a
/// drain (until the receiver has delivered everything the simulator sent, or has been quiet for 500 ms).
/// </remarks>
internal static class DemoCommand
{
    private const double WarmupSeconds = 1.0;

    public static int Run(CommandArgs args, TextWriter output, TextWriter error)
    {
        var config = ConfigOverrides.Load(args);
        string? json = args.String("json");
        args.RejectUnknown();

        var sim = config.Simulator;
        // The demo knows its senders: enforce each line's simulated session unless the configuration names another.
        SimulatedLines.AssignSessions(config);
        if (sim.BreakerProfile == "compressed") config.Breakers = SimulatedDayBreakers.For(config.Breakers);
        var registry = new MemoryRegistry(config.Memory.CeilingBytes);
        // The simulator stamps each message from the realtime clock as ns since UTC midnight (not the exchange's zone).
        long midnight = RealtimeClock.MidnightUtcNs(RealtimeClock.NowNs());
        using var transport = LineTransport.Create(config, registry, measureOneWay: true, midnight);
        var host = transport.Host;
        for (int i = config.Lines.Count - 1; i >= 0; i--)
        {
            var l = config.Lines[i];
            host.Notes.Insert(0, $"transport: {transport.Name} on {l.Group}:{l.Port} via {l.Interface}" + (config.Lines.Count > 1 ? $" (line {l.Name})" : $" ({transport.Reason})"));
        }
        if (config.Lines.Count > 1) host.Notes.Insert(config.Lines.Count, $"transport: {transport.Reason}");
        host.Notes.Add(config.Lines.Count == 1
            ? "simulator: one sender thread, paced with sleeps (never spins); realtime ITCH timestamps"
            : $"simulator: {config.Lines.Count} venues of one market (same instruments and price path, own order flow), a sender thread each at {sim.Rate / config.Lines.Count:N0} msg/s, paced with sleeps; realtime ITCH timestamps");
        if (sim.BreakerProfile == "compressed") host.Notes.Add("breakers: compressed-day profile (simulator.breakerProfile; windows and thresholds matched to the simulator)");

        var monitor = new RunMonitor(new MonitorOptions
        {
            IntervalMs = config.Monitor.IntervalMs,
            HlogPath = string.IsNullOrEmpty(config.Monitor.Hlog) ? null : config.Monitor.Hlog,
            HiccupMeter = config.Monitor.Hiccup,
            Memory = registry,
        });
        host.Register(monitor);

        long warmMessages = Math.Max(1, (long)(sim.Rate * WarmupSeconds));
        long runMessages = SimulatorPlan.Messages(sim);
        using var lines = new SimulatedLines(config, warmMessages, runMessages, WarmupSeconds);

        output.WriteLine($"wirespeed demo: {sim.Scenario} scenario, {sim.Instruments} instruments in {sim.Sectors} sectors, {sim.Rate:N0} msg/s for {sim.Seconds:0.#} s (seed {sim.Seed})");
        transport.Start(TimeSpan.FromSeconds(10));
        foreach (var n in host.Notes) output.WriteLine("  " + n);
        lines.Start();
        lines.WaitWarmedUp();
        long deliveredAtStart = host.Delivered;
        long startNs = MonoClock.NowNs();
        host.EndWarmup();
        var progress = new ProgressPrinter(output, host);   // with one-time foreign-session warnings
        monitor.Progress = progress.Print;
        monitor.Start();
        lines.Join();
        var (warm, run) = lines.Results;
        Exception? senderFault = lines.Fault;

        // Drain: everything the simulator sent, or 500 ms without progress (lost packets never arrive).
        long sent = lines.MessagesPacked;
        long idleSince = MonoClock.NowNs(), seen = -1;
        while (host.DecodedMessages < sent)
        {
            long now = MonoClock.NowNs();
            long d = host.DecodedMessages;
            if (d != seen) { seen = d; idleSince = now; }
            else if (now - idleSince > 500_000_000) break;
            Thread.Sleep(5);
        }
        monitor.Stop();
        long runNs = MonoClock.NowNs() - startNs;
        host.Stop();

        long received = host.DecodedMessages;
        long lost = Math.Max(0, sent - received);
        var summary = monitor.BuildSummary("demo");
        host.AddTo(summary);
        summary.SetCounters("transport", transport.Counters());   // the receive path's own figures (system calls, re-arms)
        long deliveredRun = host.Delivered - deliveredAtStart;
        summary.SetCounters("demo", new Dictionary<string, long>
        {
            ["messages_sent"] = sent,
            ["messages_received"] = received,
            ["messages_lost"] = lost,
            ["gap_messages"] = host.GapMessages,
            ["malformed"] = host.Malformed,
            ["packets_sent"] = warm.Packets + run.Packets,
            ["packets_received"] = host.PacketsReceived,
            ["throughput_msgs_per_s"] = runNs > 0 ? (long)(deliveredRun * 1e9 / runNs) : 0,
            ["sender_achieved_msgs_per_s"] = (long)run.AchievedMessagesPerSecond,
        });
        summary.Notes.Add($"sender: warm-up {warm.Messages:N0} msgs, run {run.Messages:N0} msgs at {run.AchievedMessagesPerSecond:N0}/s (target {sim.Rate:N0}), ended by {run.EndedBy}");

        output.WriteLine();
        RunSummaryPrinter.Print(summary, output);
        output.WriteLine();
        output.WriteLine($"messages: sent {sent:N0}, received {received:N0}, lost {lost:N0}, malformed {summary.Counters["demo"]["malformed"]:N0}; " +
                         $"throughput {summary.Counters["demo"]["throughput_msgs_per_s"]:N0} msg/s; GC collections {summary.Gc.Gen0 + summary.Gc.Gen1 + summary.Gc.Gen2}");
        if (host.Patterns is { } patterns)
        {
            var t = patterns.Totals;
            string where = patterns.Inline ? "the book worker (inline)" : $"{patterns.Workers} worker(s)";
            output.WriteLine($"patterns: {t.Detected:N0} signals detected by {patterns.Plan.Options.Patterns.Count} definitions on {where}: " +
                             $"{t.Delivered:N0} delivered, {t.Suppressed:N0} suppressed and {t.Throttled:N0} throttled by the breakers; {patterns.Publish.Dropped:N0} ring drops");
        }
        if (json is not null)
        {
            RunSummaryJson.WriteFile(summary, json);
            output.WriteLine($"summary written to {json}");
        }
        if (senderFault is not null)
        {
            error.WriteLine("wirespeed: simulator failed: " + senderFault.Message);
            return 1;
        }
        if (lost > 0) error.WriteLine($"wirespeed: {lost:N0} messages lost (see sequencing.gap_messages and the receive buffer size)");
        return lost > 0 ? 1 : 0;
    }
}
