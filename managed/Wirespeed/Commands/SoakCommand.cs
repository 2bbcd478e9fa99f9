using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using Wirespeed.Configuration;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Time;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Reporting;
using Wirespeed.Hosting.Simulation;
using Wirespeed.Hosting.Soak;

namespace Wirespeed.Commands;

/// <summary>
/// <c>wirespeed soak --hours H</c>: a simulated trading day (<see cref="SoakDay"/>: pre-open, open burst, normal flow, a
/// flash crash, a news spike, close burst) through demo's chain (simulator → loopback multicast → the configured
/// transport → decode → books → breakers → priority → patterns), a report row per interval of the day (an hour by
/// default), then the pass criteria (<see cref="SoakVerdict"/>), checked here: exit 1 naming every one that failed.
/// </summary>
/// <remarks>
/// --accelerate X runs the day's clock X times faster than the wall (an 8-hour day at 16× takes 30 minutes): the phases
/// and the rows shrink with it, the message rates do not (they are what the box receives per wall second). The monitor
/// has no thread of its own here: the command's thread closes each row's interval, so the row's percentiles are those of
/// exactly that interval. Two lines are needed (the crash on A, the news on B, one scenario per simulator): a
/// configuration with one line gets line B on the next port (books.maxOrders capped at 1,048,576 per line, as
/// deploy/two-venues.json does, so two lines' books fit the default memory ceiling).
/// </remarks>
internal static class SoakCommand
{
    private const double WarmupSeconds = 1.0;
    /// <summary>Normal-flow rate over all lines when --rate is absent, msg/s (bursts run at 4×).</summary>
    public const long DefaultRate = 100_000;
    private const int LineBMaxOrders = 1 << 20;

    public static int Run(CommandArgs args, TextWriter output, TextWriter error)
    {
        using var session = CommandSession.Open("soak", args, output, error);
        double hours = args.Double("hours") ?? throw new UsageException("soak: --hours H is required (the length of the simulated day, e.g. 8)");
        double accelerate = args.Double("accelerate") ?? 1;
        double intervalS = args.Double("interval-s") ?? 3600;
        double rate = args.Double("rate") ?? DefaultRate;
        if (!(hours > 0 && hours <= 24)) throw new UsageException($"soak: --hours {hours} must be in (0, 24]");
        if (!(accelerate >= 1 && accelerate <= 1e6)) throw new UsageException($"soak: --accelerate {accelerate} must be 1..1000000 (1: real time)");
        if (!(rate >= 1 && rate <= 1e8)) throw new UsageException($"soak: --rate {rate} must be 1..100000000 msg/s");
        double daySeconds = hours * 3600;
        if (!(intervalS > 0) || daySeconds / intervalS < 2 - 1e-9)
            throw new UsageException($"soak: --interval-s {intervalS} gives fewer than 2 intervals in {hours} h; the criteria need 2 (the first is the warm-up), e.g. --interval-s {daySeconds / 8:0.#}");
        int intervals = (int)Math.Ceiling(daySeconds / intervalS - 1e-9);
        var resolved = Load(args, out string? addedLine);
        var config = resolved.Config;
        args.RejectUnknown();

        SimulatedLines.AssignSessions(config);
        var registry = new MemoryRegistry(config.Memory.CeilingBytes);
        var monitor = session.CreateMonitor(config, registry);
        long midnight = SimulatedLines.ExchangeMidnightNs(config);
        using var transport = LineTransport.Create(resolved, registry, measureOneWay: true, midnight);
        var host = transport.Host;
        host.Register(monitor);
        double dayWall = daySeconds / accelerate;
        using var senders = new SoakSenders(config, rate, WarmupSeconds, dayWall, midnight, session.Stopping);

        string unit = intervalS == 3600 ? "hour" : "interval";
        output.WriteLine($"wirespeed soak: a {hours:0.##}-hour day" + (accelerate > 1 ? $" at {accelerate:0.##}× ({Clock(dayWall)} of wall time)" : " in real time") +
                         $", {intervals} {unit}s of {intervalS:0.#} s; {rate:N0} msg/s normal flow over {config.Lines.Count} lines (0.2× pre-open, 4× open and close); " +
                         $"{config.Simulator.Instruments} instruments; SIGINT or SIGTERM stops early, with the rows so far and the verdict");
        if (addedLine is not null) output.WriteLine("  " + addedLine);
        output.WriteLine($"  day: {Phases()}");
        using var health = FeedHealth.Create(host, monitor, session.Fail);
        transport.Start(TimeSpan.FromSeconds(10));
        health.Start();
        foreach (var n in host.Notes) output.WriteLine("  " + n);
        senders.Start();
        senders.WaitWarmedUp();
        host.EndWarmup();
        monitor.BeginRun();   // no monitor thread: each row closes its own interval
        var sampler = new SoakSampler(monitor, host);
        long startNs = MonoClock.NowNs();
        var rows = new List<SoakInterval>(intervals);
        for (int i = 1; i <= intervals; i++)
        {
            double from = (i - 1) * intervalS, to = Math.Min(i * intervalS, daySeconds);
            double left = (startNs + to / accelerate * 1e9 - MonoClock.NowNs()) / 1e9;
            if (left > 0 && session.Wait(left) == SessionEnd.Signal) break;
            var row = sampler.Sample(i, from, to, daySeconds);
            rows.Add(row);
            output.WriteLine(Row(row, unit));
        }
        senders.Join();
        if (session.StopRequested) output.WriteLine($"wirespeed soak: stopping ({session.StopReason}) after {rows.Count} of {intervals} {unit}s; draining what was sent");
        long sent = senders.MessagesPacked;
        host.WaitUntilDecoded(sent);
        monitor.Stop();
        health.Stop();
        RunCommand.StopHost(host, session, error);

        long lost = Math.Max(0, sent - host.DecodedMessages);
        var criteria = SoakVerdict.Check(rows, lost);
        bool passed = SoakVerdict.Passed(criteria);
        int failed = 0;
        foreach (var c in criteria) if (!c.Passed) failed++;
        var report = RunReport.ForFeed(host)
            .Add("clock and workers", health.AddTo)
            .Counters("transport", transport.Counters)
            .Counters("soak", () => new Dictionary<string, long>
            {
                ["passed"] = passed ? 1 : 0,
                ["criteria_failed"] = failed,
                ["intervals"] = rows.Count,
                ["intervals_planned"] = intervals,
                ["interval_seconds"] = (long)intervalS,
                ["day_seconds"] = (long)daySeconds,
                ["accelerate"] = (long)accelerate,
                ["normal_rate_msgs_per_s"] = (long)rate,
                ["messages_sent"] = sent,
                ["messages_received"] = host.DecodedMessages,
                ["messages_lost"] = lost,
                ["sender_phases_behind"] = senders.PhasesBehind,
            })
            .Add("soak intervals", s =>
            {
                s.Intervals = new List<Dictionary<string, long>>(rows.Count);
                foreach (var r in rows) s.Intervals.Add(r.ToCounters());
                foreach (var c in criteria) s.Notes.Add($"soak: {(c.Passed ? "pass" : "FAIL")} {c.Name}: {c.Detail}");
                if (senders.PhasesBehind > 0) s.Notes.Add($"soak: the simulator fell behind in {senders.PhasesBehind} phase(s) (ended on time, not on count): the rate was more than this box's sender holds");
            });
        int code = session.Finish(report, _ => Verdict(criteria, passed, output));
        if (senders.Fault is { } fault)
        {
            error.WriteLine("wirespeed: simulator failed: " + fault.Message);
            return 1;
        }
        foreach (var c in criteria)
            if (!c.Passed) error.WriteLine($"wirespeed: soak criterion failed: {c.Name}: {c.Detail}");
        return passed ? code : 1;
    }

    /// <summary>--config FILE (or the embedded default) with --rate's sibling overrides; a second line added when there is one.</summary>
    private static ResolvedConfig Load(CommandArgs args, out string? addedLine)
    {
        var config = args.String("config") is string path ? ConfigLoader.Read(path) : new WirespeedConfig();
        if (args.Long("seed") is long seed) config.Simulator.Seed = (ulong)seed;
        if (args.Long("instruments") is long n) config.Simulator.Instruments = (int)n;
        if (args.String("hlog") is string hlog) config.Monitor.Hlog = hlog;
        addedLine = null;
        if (config.Lines.Count == 1)
        {
            var a = config.Lines[0];
            config.Lines.Add(new LineConfig
            {
                Name = a.Name == "B" ? "C" : "B",
                Id = a.Id + 1,
                Transport = a.Transport,
                Device = a.Device,
                Group = a.Group,
                Port = a.Port + 1,
                Interface = a.Interface,
                ReceiveBufferBytes = a.ReceiveBufferBytes,
                MaxDatagramBytes = a.MaxDatagramBytes,
                ExchangeTimeZone = a.ExchangeTimeZone,
            });
            config.Books.MaxOrders = Math.Min(config.Books.MaxOrders, LineBMaxOrders);
            addedLine = $"line {config.Lines[1].Name} added on {a.Group}:{a.Port + 1} for the news spike (the crash runs on line {a.Name}); books.maxOrders {config.Books.MaxOrders:N0} per line";
        }
        return ConfigValidator.Resolve(config, simulatedDay: true);
    }

    /// <summary>One report row, one line.</summary>
    internal static string Row(SoakInterval r, string unit)
    {
        var ci = CultureInfo.InvariantCulture;
        string steal = r.StealBasisPoints < 0 ? "n/a" : (r.StealBasisPoints / 100.0).ToString("0.0", ci) + "%";
        return $"  {unit} {r.Index} [{Clock(r.FromSeconds)}-{Clock(r.ToSeconds)} {r.Phases}] {r.Messages:N0} msgs in {r.WallSeconds:0.0} s" +
               $" | service p50 {Ns(r.ServiceP50Ns)} p99 {Ns(r.ServiceP99Ns)} p99.9 {Ns(r.ServiceP999Ns)} max {Ns(r.ServiceMaxNs)}" +
               $" | e2e p50 {Ns(r.EndToEndP50Ns)} p99 {Ns(r.EndToEndP99Ns)} p99.9 {Ns(r.EndToEndP999Ns)} max {Ns(r.EndToEndMaxNs)}" +
               $" | rss {r.RssBytes / 1048576.0:0.0} MiB orders {r.OrdersUsed:N0} (hw {r.OrdersHighWater:N0}/{r.OrdersCapacity:N0}) levels {r.LevelsUsed:N0} (hw {r.LevelsHighWater:N0}/{r.LevelsCapacity:N0}) exhausted {r.PoolExhausted}" +
               $" | gc {r.Gen0}/{r.Gen1}/{r.Gen2} pause {r.GcPauseNs / 1e6:0.0} ms alloc {r.AllocatedBytes / 1024.0:N0} KiB" +
               $" | gaps {r.GapMessages} drops {r.Drops} trips {r.BreakerTrips} signals {r.Signals} steal {steal}";
    }

    private static void Verdict(IReadOnlyList<SoakCriterion> criteria, bool passed, TextWriter output)
    {
        output.WriteLine();
        foreach (var c in criteria) output.WriteLine($"soak {(c.Passed ? "pass" : "FAIL")} {c.Name}: {c.Detail}");
        output.WriteLine(passed ? "soak: PASSED (every criterion held)" : "soak: FAILED");
    }

    private static string Phases()
    {
        string s = "";
        foreach (var p in SoakDay.Phases) s += (s.Length == 0 ? "" : ", ") + $"{p.Name} {p.Start * 100:0.##}-{p.End * 100:0.##}% ({p.RateMultiple:0.#}×)";
        return s;
    }

    private static string Ns(long ns) => LatencyFormat.Ns(ns);

    private static string Clock(double seconds)
    {
        long s = (long)Math.Round(seconds);
        return $"{s / 3600:00}:{s / 60 % 60:00}:{s % 60:00}";
    }
}
