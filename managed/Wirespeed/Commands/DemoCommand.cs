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
        if (args.Has("aeron")) return Hosting.Aeron.AeronDemo.Run(args, output, error);   // issue 13: box A and box B over Aeron
        using var session = CommandSession.Open("demo", args, output, error);
        // Without --config the demo runs its line as an exchange sends it: A and B copies and a re-request server.
        var resolved = ConfigOverrides.Load(args, simulatedDay: true, record: true, embedded: SimulatedLines.WithRecovery);   // simulator.breakerProfile applies
        var config = resolved.Config;
        var loss = LossOption(args, "demo");
        args.RejectUnknown();

        var sim = config.Simulator;
        // The demo knows its senders: enforce each line's simulated session unless the configuration names another.
        SimulatedLines.AssignSessions(config);
        var registry = new MemoryRegistry(config.Memory.CeilingBytes);
        var monitor = session.CreateMonitor(config, registry);   // before the lines: a bad monitor.hlog fails here
        // The simulator stamps each message from the realtime clock as ns since midnight in the exchange's zone, as run
        // counts them; a day that turns during the demo keeps counting from this midnight on both sides.
        long midnight = SimulatedLines.ExchangeMidnightNs(config);
        long warmMessages = Math.Max(1, (long)(sim.Rate * WarmupSeconds));
        long runMessages = SimulatorPlan.Messages(sim);
        // SIGINT or SIGTERM ends every sender after its current packet; the receiver then drains what was sent. Built
        // before the receiver: its re-request servers give lines[].retransmit.server the port they were given.
        using var lines = new SimulatedLines(config, warmMessages, runMessages, WarmupSeconds, stop: session.Stopping, loss: loss);
        using var transport = LineTransport.Create(resolved, registry, measureOneWay: true, midnight);
        var host = transport.Host;
        Describe(config, transport);
        if (!loss.IsNone) host.Notes.Add($"simulator: loses packets on purpose: {loss} (--loss)");
        host.Register(monitor);

        output.WriteLine($"wirespeed demo: {ConfigNames.Scenarios.Of(sim.Scenario)} scenario, {sim.Instruments} instruments in {sim.Sectors} sectors, {sim.Rate:N0} msg/s for {sim.Seconds:0.#} s (seed {sim.Seed}); SIGINT or SIGTERM stops early, with the summary");
        using var health = FeedHealth.Create(host, monitor, session.Fail);   // before the workers start (test hook)
        transport.Start(TimeSpan.FromSeconds(10));
        transport.Recovery.Watch(monitor.RaiseAlert);
        health.Start();
        foreach (var n in host.Notes) output.WriteLine("  " + n);
        lines.Start();
        lines.WaitWarmedUp();
        long deliveredAtStart = host.Delivered;
        long startNs = MonoClock.NowNs();
        host.EndWarmup();
        session.StartMonitor(new ProgressPrinter(output, host).Print, host);   // with one-time foreign-session warnings
        lines.Join();
        if (session.StopRequested) output.WriteLine($"wirespeed demo: stopping ({session.StopReason}): the simulator stopped; draining what it sent");
        var (warm, run) = lines.Results;

        long sent = lines.MessagesPacked;
        host.WaitUntilDecoded(sent);
        monitor.Stop();
        long runNs = MonoClock.NowNs() - startNs;
        health.Stop();
        RunCommand.StopHost(host, session, error);

        long received = host.DecodedMessages;
        long lost = Math.Max(0, sent - received);
        var report = RunReport.ForFeed(host)
            .Add("clock and workers", health.AddTo)
            .Counters("transport", transport.Counters)   // the receive path's own figures (system calls, re-arms)
            .Counters("demo", () => new Dictionary<string, long>
            {
                ["messages_sent"] = sent,
                ["messages_received"] = received,
                ["messages_lost"] = lost,
                ["gap_messages"] = host.GapMessages,
                ["malformed"] = host.Malformed,
                ["packets_sent"] = warm.Packets + run.Packets,
                ["packets_received"] = host.PacketsReceived,
                ["throughput_msgs_per_s"] = runNs > 0 ? (long)((host.Delivered - deliveredAtStart) * 1e9 / runNs) : 0,
                ["sender_achieved_msgs_per_s"] = (long)run.AchievedMessagesPerSecond,
            })
            .Add("sender", s => s.Notes.Add($"sender: warm-up {warm.Messages:N0} msgs, run {run.Messages:N0} msgs at {run.AchievedMessagesPerSecond:N0}/s (target {sim.Rate:N0}), ended by {run.EndedBy}"));
        if (transport.Recovery.Any) report.Counters("arbitration", transport.Recovery.Counters);   // how every message arrived
        if (transport.Recovery.Any || !loss.IsNone) report.Counters("loss", lines.LossCounters);   // what the simulator lost on purpose
        int code = session.Finish(report, summary =>
        {
            PrintTotals(summary, host, output);
            foreach (var t in transport.Recovery.Totals()) output.WriteLine(t);
        });
        if (lines.Fault is { } senderFault)
        {
            error.WriteLine("wirespeed: simulator failed: " + senderFault.Message);
            return 1;
        }
        if (lost > 0) error.WriteLine($"wirespeed: {lost:N0} messages lost (see sequencing.gap_messages and the receive buffer size)");
        return lost > 0 ? 1 : code;
    }

    /// <summary>--loss SPEC (demo, simulate): what the simulator loses on purpose on sides A and B (<see cref="LossPlan"/>).</summary>
    internal static LossPlan LossOption(CommandArgs args, string command)
    {
        if (args.String("loss") is not string text) return LossPlan.None;
        try
        {
            return LossPlan.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UsageException($"{command}: --loss {e.Message}; e.g. --loss 1% (each side alone) or --loss A=1%,B=burst:10000,both=0.1%.");
        }
    }

    /// <summary>Start-up notes: how each line is received and how the simulator sends.</summary>
    private static void Describe(WirespeedConfig config, LineTransport transport)
    {
        var notes = transport.Host.Notes;
        var sim = config.Simulator;
        for (int i = config.Lines.Count - 1; i >= 0; i--)
        {
            var l = config.Lines[i];
            notes.Insert(0, $"transport: {transport.Name} on {l.Group}:{l.Port} via {l.Interface}" + (config.Lines.Count > 1 ? $" (line {l.Name})" : $" ({transport.Reason})"));
        }
        if (config.Lines.Count > 1) notes.Insert(config.Lines.Count, $"transport: {transport.Reason}");
        notes.Add(config.Lines.Count == 1
            ? "simulator: one sender thread, paced with sleeps (never spins); realtime ITCH timestamps"
            : $"simulator: {config.Lines.Count} venues of one market (same instruments and price path, own order flow), a sender thread each at {sim.Rate / config.Lines.Count:N0} msg/s, paced with sleeps; realtime ITCH timestamps");
        if (sim.BreakerProfile == BreakerProfile.Compressed) notes.Add("breakers: compressed-day profile (simulator.breakerProfile; windows and thresholds matched to the simulator)");
    }

    /// <summary>The two lines after the summary table: messages and throughput, and what the patterns did.</summary>
    private static void PrintTotals(RunSummary summary, FeedHost host, TextWriter output)
    {
        var demo = summary.Counters["demo"];
        output.WriteLine();
        output.WriteLine($"messages: sent {demo["messages_sent"]:N0}, received {demo["messages_received"]:N0}, lost {demo["messages_lost"]:N0}, malformed {demo["malformed"]:N0}; " +
                         $"throughput {demo["throughput_msgs_per_s"]:N0} msg/s; GC collections {summary.Gc.Gen0 + summary.Gc.Gen1 + summary.Gc.Gen2}");
        if (host.Patterns is { } patterns)
        {
            var t = patterns.Totals;
            string where = patterns.Inline ? "the book worker (inline)" : $"{patterns.Workers} worker(s)";
            output.WriteLine($"patterns: {t.Detected:N0} signals detected by {patterns.Plan.Options.Patterns.Count} definitions on {where}: " +
                             $"{t.Delivered:N0} delivered, {t.Suppressed:N0} suppressed and {t.Throttled:N0} throttled by the breakers; {patterns.Publish.Dropped:N0} ring drops");
        }
    }
}
