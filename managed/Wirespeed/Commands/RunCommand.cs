using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using Wirespeed.Configuration;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Time;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Breakers;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Platform;
using Wirespeed.Hosting.Reporting;

namespace Wirespeed.Commands;

/// <summary>
/// <c>wirespeed run --config F</c>: receives the configured feed line until SIGINT or SIGTERM (or --seconds), then
/// drains the workers in order and prints the summary. SIGHUP reloads F: its priority rule set and breaker settings.
/// </summary>
/// <remarks>
/// Reload (SIGHUP): the whole file is parsed and validated again, by the validation start-up and check-config use; a bad
/// file (invalid, unreadable, empty, not a regular file, over 1 MiB) is rejected on stderr with the field or the file
/// named and the running rule set and breaker settings stay: a reload never ends the process. The "priority" and "breakers" sections change at run time, both
/// or neither: the classify stage takes the new rule set at its next batch (logged as a priority change), the breaker
/// stage the new settings at its next event (logged as a Reconfigured transition; levels and detector state carry
/// over), and every breaker setting that changed is printed with its old and new value. Lane capacity, breaker table
/// sizes (maxInstruments, maxSectors, transitionLogCapacity) and every other section need a restart.
/// </remarks>
internal static class RunCommand
{
    public static int Run(CommandArgs args, TextWriter output, TextWriter error)
    {
        if (!args.Has("config")) throw new UsageException("run: --config FILE is required (wirespeed demo runs on the embedded default).");
        using var session = CommandSession.Open("run", args, output, error);
        string configPath = args.String("config")!;
        var resolved = ConfigOverrides.LoadForRun(args);
        var config = resolved.Config;
        double? seconds = args.Double("seconds");
        bool oneWay = args.Has("one-way");
        args.RejectUnknown();
        if (seconds is <= 0) throw new UsageException("run: --seconds must be positive.");

        var registry = new MemoryRegistry(config.Memory.CeilingBytes);
        var monitor = session.CreateMonitor(config, registry);   // before the lines: a bad monitor.hlog fails here
        using var transport = OpenLines(resolved, registry, oneWay);
        var host = transport.Host;
        string names = string.Join(", ", config.Lines.ConvertAll(l => l.Name));
        // Each pinned worker's start-up line says when its CPU is not isolated (PinReport; deploy/systemd/README.md explains isolcpus).
        host.Register(monitor);
        void OnHangup(PosixSignalContext ctx)
        {
            ctx.Cancel = true;            // SIGHUP reloads; it does not end the process
            Reload(configPath, host, output, error);
        }
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnHangup);

        using var systemd = SystemdNotifier.FromEnvironment();
        using var health = FeedHealth.Create(host, monitor, session.Fail);   // before the workers start (test hook)
        transport.Start(TimeSpan.FromSeconds(10));
        transport.Recovery.Watch(monitor.RaiseAlert);   // gaps that stay open, a re-request server that stays silent
        health.Start();
        output.WriteLine($"wirespeed run: line {names}, {ConfigNames.Topologies.Of(config.Pipeline.Topology)} topology; SIGINT or SIGTERM stops, draining in order; SIGUSR1 prints the histograms so far; SIGHUP reloads the priority rules and breaker settings");
        foreach (var n in host.Notes) output.WriteLine("  " + n);
        // Warm-up ends with the first interval; allocation on hot threads counts from then on.
        var progress = new ProgressPrinter(output, host);   // with one-time foreign-session warnings
        // SIGUSR1 (10 on Linux): the current histograms, printed by the command thread, never by a worker.
        using var dump = new AutoResetEvent(false);
        using var sigusr1 = PosixSignalRegistration.Create((PosixSignal)10, ctx => { ctx.Cancel = true; dump.Set(); });
        session.StartMonitor(m =>
        {
            host.EndWarmup();
            progress.Print(m);
            systemd.Status($"{host.Delivered:N0} events delivered, {m.Alerts} alerts");
        }, host);
        systemd.Ready($"receiving line {names} over {transport.Name}");
        // Watchdog pings only while the supervisor says every worker (pattern workers included) is healthy.
        systemd.StartWatchdog(() => health.AllHealthy);
        session.Wait(seconds, poke: dump, onPoke: () =>
        {
            output.WriteLine("wirespeed run: SIGUSR1: histograms so far");
            session.PrintSoFar();
        });

        output.WriteLine($"wirespeed run: stopping ({session.StopReason}): draining workers");
        systemd.Stopping();
        health.Stop();
        StopHost(host, session, error);
        monitor.Stop();
        var report = RunReport.ForFeed(host)
            .Add("clock and workers", health.AddTo)
            .Counters("transport", transport.Counters)   // the receive path's own figures (system calls, re-arms)
            .Counters("line", () => FeedReport.LineTotals(host.Lines));
        if (transport.Recovery.Any) report.Counters("arbitration", transport.Recovery.Counters);   // how every message arrived
        return session.Finish(report);
    }

    /// <summary>
    /// Stops the workers in order. A worker fault the supervisor already reported (the fail policy stopped the run) is
    /// in the summary; it is not thrown again, so that the summary is printed. Any other fault is thrown as before.
    /// </summary>
    /// <remarks>
    /// After a failure the stop is bounded: a worker stuck inside a duty cycle never ends, and the summary with the cause
    /// must still be printed. Its thread is left behind (a background thread) and said so on stderr; systemd's watchdog,
    /// which stopped pinging when the supervisor failed the run, ends the process if it cannot exit by itself.
    /// </remarks>
    internal static void StopHost(FeedHost host, CommandSession session, TextWriter error)
    {
        if (session.FailureCause is null)
        {
            host.Stop();
            return;
        }
        var stopping = new Thread(() =>
        {
            try { host.Stop(); }
            catch (Exception e) when (e is WorkerFaultException or AggregateException) { }   // in the summary already
        }) { IsBackground = true, Name = "ws-stop" };
        stopping.Start();
        if (!stopping.Join(TimeSpan.FromSeconds(5)))
            error.WriteLine("wirespeed: a worker did not stop within 5 s of the failure (stuck inside a duty cycle): the summary is taken without it");
    }

    /// <summary>
    /// The configured lines over the transport the configuration and the machine allow, their ITCH timestamps counted
    /// from midnight in the exchange's zone; one note per line says how it is received, and one warns of each line
    /// without a session.
    /// </summary>
    private static LineTransport OpenLines(ResolvedConfig resolved, MemoryRegistry registry, bool oneWay)
    {
        var config = resolved.Config;
        // ITCH timestamps count from midnight in the exchange's zone (validated at start-up).
        ExchangeDay.TryFindZone(config.Lines[0].ExchangeTimeZone, out var zone);
        long midnight = ExchangeDay.MidnightEpochNs(zone, RealtimeClock.NowNs());
        var transport = LineTransport.Create(resolved, registry, oneWay, midnight);
        var notes = transport.Host.Notes;
        for (int i = config.Lines.Count - 1; i >= 0; i--)   // inserted last line first: the notes list them in order
        {
            var l = config.Lines[i];
            notes.Insert(0, $"line {l.Name}: {transport.Name} on {(l.Group.Length == 0 ? "unicast " + l.Interface : l.Group + " via " + l.Interface)}:{l.Port} ({transport.Reason}); ITCH midnight {l.ExchangeTimeZone}");
        }
        for (int i = 0; i < config.Lines.Count; i++)
            if (config.Lines[i].Session.Length == 0)
                notes.Add($"warning: lines[{i}].session is empty: the first MoldUDP64 session seen is adopted, so a stray packet could capture the line; configure the session in production");
        return transport;
    }

    /// <summary>
    /// SIGHUP: re-reads <paramref name="path"/>; swaps the priority rule set and hands over the breaker settings, or says
    /// on stderr why not (field named) while both keep running. Each breaker setting that changed is listed on stdout.
    /// </summary>
    internal static bool Reload(string path, FeedHost host, TextWriter output, TextWriter error)
    {
        int running = host.Priority.RuleSets.Current.Version;
        int runningBreakers = host.Priority.Breakers.Settings.Version;
        string keeps = $"rule set v{running} and breaker settings v{runningBreakers} keep running";
        ResolvedConfig next;   // validated and mapped as start-up does (ConfigValidator.Resolve)
        try
        {
            next = ConfigLoader.Resolve(path);
        }
        catch (ConfigException e)
        {
            error.WriteLine($"wirespeed: SIGHUP: {path} rejected, {keeps}: {e.Message}");
            return false;
        }
        string? why;
        BreakerSettings? breakers;
        bool applied;
        try
        {
            applied = host.Priority.TryReconfigure(next.Priority, next.Breakers, out why, out breakers);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // The validator checked the file as start-up would; this is the last guard of a signal handler, which must
            // never end the process: what the running system cannot take is refused like any other bad file.
            applied = false;
            why = e.Message;
            breakers = null;
        }
        if (!applied)
        {
            error.WriteLine($"wirespeed: SIGHUP: {path} rejected, {keeps}: {why}");
            return false;
        }
        var now = host.Priority.RuleSets.Current;
        string breakerNote = breakers is null
            ? "breaker settings unchanged"
            : $"breaker settings v{breakers.Version} replace v{breakers.Version - 1} at the breaker stage's next event ({breakers.Changes.Count} changed)";
        output.WriteLine($"wirespeed: SIGHUP: {path} reloaded: priority rule set v{now.Version} ({now.Rules.Length} rules) replaces v{running}; {breakerNote}; other sections apply at the next start");
        if (breakers is not null)
            foreach (string change in breakers.Changes) output.WriteLine($"wirespeed: SIGHUP: breakers v{breakers.Version}: {change}");
        return true;
    }
}
