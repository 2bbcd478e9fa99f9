using System;
using System.Collections.Generic;
using Wirespeed.Configuration;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Time;

namespace Wirespeed.Hosting.Lines;

/// <summary>
/// The two watchers beside a running feed, off the hot threads: the clock-health watcher (<c>clock</c> section:
/// steps, backward jumps, exchange-vs-local drift; publishes ClockSuspect to the decoders) and the worker supervisor
/// (<c>supervisor</c> section: every pipeline worker and every pattern worker, faults and stalls, restart or fail).
/// Their alerts go through the monitor (counted, one line each); their figures are the summary's <c>clock</c> and
/// <c>workers</c> sections. Cold path.
/// </summary>
/// <remarks>
/// Life: <see cref="Create"/> before the host starts (a test hook given in WIRESPEED_TEST_INJECT must wrap its pattern
/// worker before that worker starts); <see cref="Start"/> once the workers run; <see cref="Stop"/> before the host
/// stops them (an orderly stop is not a stall). The receiving/book worker is never restarted: the events that passed
/// while it was down would be missing from its books, which would then be wrong with nothing to say so; under either
/// policy it fails the process, and systemd starts it again from a clean state (Restart=on-failure).
/// </remarks>
public sealed class FeedHealth : IDisposable
{
    /// <summary>The test hook's environment variable: "patterns.N:throw[@EVENTS]" or "patterns.N:stall[@EVENTS]".</summary>
    public const string InjectVariable = "WIRESPEED_TEST_INJECT";

    private readonly ClockHealthWatcher? _clock;
    private readonly FaultInjection? _injection;

    private FeedHealth(WorkerSupervisor supervisor, ClockHealthWatcher? clock, FaultInjection? injection)
    {
        Supervisor = supervisor;
        _clock = clock;
        _injection = injection;
    }

    public WorkerSupervisor Supervisor { get; }
    /// <summary>The clock-health watcher; null when clock.enabled is false.</summary>
    public ClockHealthWatcher? Clock => _clock;

    /// <summary>True while every worker is healthy (the systemd watchdog pings only then). Any thread.</summary>
    public bool AllHealthy => Supervisor.AllHealthy;

    /// <summary>Why the fail policy stopped the feed; null when it did not.</summary>
    public string? Failed => Supervisor.Failed;

    /// <summary>
    /// Builds both watchers for <paramref name="host"/> (not started). <paramref name="onFail"/> is called once, on the
    /// supervisor's thread, when the fail policy applies (the command stops the session). A PTP device that cannot be
    /// read, or a malformed test hook, is a configuration error naming the field.
    /// </summary>
    public static FeedHealth Create(FeedHost host, RunMonitor? monitor, Action<string> onFail)
    {
        ArgumentNullException.ThrowIfNull(host);
        var config = host.Config;
        Action<string>? alert = monitor is null ? null : monitor.RaiseAlert;
        var supervisorOptions = config.Supervisor.ToOptions();
        var supervisor = new WorkerSupervisor(supervisorOptions, alert, onFail);
        var pipeline = host.Pipeline;
        for (int i = 0; i < pipeline.Workers.Count; i++)
        {
            Worker worker = pipeline.Workers[i];
            string role = i == 0 ? "receive+book" : "deliver";
            // The receiving worker polls the network: only its duty cycles tell stuck from idle. A later worker reads the
            // ring from the one before it: items waiting there with no work done is a stall too.
            Func<long>? backlog = i == 0 ? null : pipeline.Links[i - 1].Ring is var ring ? () => ring.Count : null;
            supervisor.Watch(new SupervisedWorker(worker.Name, role, () => worker, backlog, instruments: "all",
                restart: null, cannotRestart: "the receiving/book worker and the workers after it cannot be restarted: the events in flight while it was down would be missing from the books, which would then be wrong"));
        }
        FaultInjection? injection = ParseInjection(host);
        if (host.Patterns is { Inline: false } patterns)
        {
            for (int w = 0; w < patterns.Workers; w++)
            {
                int index = w;
                supervisor.Watch(new SupervisedWorker($"patterns.{w}", "patterns", () => patterns.ThreadOf(index), () => patterns.Backlog(index),
                    patterns.InstrumentsOf(w), () => patterns.Restart(index, supervisorOptions.RestartGraceMs)));
            }
        }

        ClockHealthWatcher? clock = null;
        string clockNote = "clock: watcher off (clock.enabled false)";
        if (host.Clock is { } state)
        {
            var options = config.Clock.ToOptions();
            IClockReader reader;
            if (options.Source == ClockSourceKind.Ptp)
            {
                if (!PtpClockReader.TryOpen(options.Device, options.PtpUtcOffsetSeconds, out var ptp, out string? error))
                {
                    injection?.Dispose();
                    throw new ConfigException("clock.device", error + ".");
                }
                reader = ptp!;
            }
            else reader = new RealtimeClockReader();
            clock = new ClockHealthWatcher(options, reader, state, alert);
            clockNote = $"clock: watching {reader.Describe} every {options.IntervalMs} ms (step > {options.StepThresholdNs / 1e6:0.###} ms, drift > {options.DriftThresholdNs / 1e6:0.###} ms, events flagged ClockSuspect for {options.SuspectHoldMs} ms after a step)";
        }
        host.Notes.Add(clockNote);
        host.Notes.Add($"supervisor: {supervisor.Workers.Count} worker(s) watched, policy {ConfigNames.FailurePolicies.Of(supervisorOptions.Policy)}, stall deadline {supervisorOptions.DeadlineMs} ms; the systemd watchdog pings only while all are healthy");
        return new FeedHealth(supervisor, clock, injection);
    }

    /// <summary>The test hook (WIRESPEED_TEST_INJECT), applied to the pattern worker it names before the workers start.</summary>
    private static FaultInjection? ParseInjection(FeedHost host)
    {
        (string Worker, FaultInjection Injection)? parsed;
        try
        {
            parsed = FaultInjection.Parse(Environment.GetEnvironmentVariable(InjectVariable));
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(InjectVariable, e.Message.Split(" (Parameter", 2)[0] + ".");
        }
        if (parsed is not { } p) return null;
        int w = -1;
        if (host.Patterns is { Inline: false } patterns && p.Worker.StartsWith("patterns.", StringComparison.Ordinal)
            && int.TryParse(p.Worker.AsSpan("patterns.".Length), out int n) && n >= 0 && n < patterns.Workers)
            w = n;
        if (w < 0)
        {
            p.Injection.Dispose();
            throw new ConfigException(InjectVariable, $"'{p.Worker}' is not a pattern worker of this run (patterns.0 .. patterns.N-1, with patterns.placement workers).");
        }
        host.Patterns!.Inject(w, p.Injection);
        host.Notes.Add($"warning: test hook {InjectVariable} is set: worker {p.Worker} will {p.Injection.Fault.ToString().ToLowerInvariant()} after {p.Injection.AfterWork} events");
        return p.Injection;
    }

    /// <summary>Starts the watchers (after the workers started).</summary>
    public void Start()
    {
        _clock?.Start();
        Supervisor.Start();
    }

    /// <summary>Stops the watchers (before the workers are stopped). Idempotent.</summary>
    public void Stop()
    {
        Supervisor.Stop();
        _clock?.Stop();
        _injection?.Release();   // a stalled test worker lets go, so the host's stop can join it
    }

    /// <summary>The summary's <c>clock</c> and <c>workers</c> sections and their notes.</summary>
    public void AddTo(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        summary.SetCounters("clock", _clock?.Counters() ?? new Dictionary<string, long> { ["enabled"] = 0 });
        if (_clock is not null) summary.Notes.AddRange(_clock.Events);
        summary.SetCounters("workers", Supervisor.Counters());
        foreach (var w in Supervisor.Workers)
            if (w.Health is not (WorkerHealth.Healthy or WorkerHealth.Stopped or WorkerHealth.NotStarted) || w.Restarts > 0)
                summary.Notes.Add($"workers: {w.Name} ({w.Role}) {w.Health.ToString().ToLowerInvariant()}, {w.Faults} fault(s), {w.Stalls} stall(s), {w.Restarts} restart(s); instruments: {w.Instruments}; last cause: {w.LastCause}");
        summary.Notes.AddRange(Supervisor.Notes);
        if (Failed is { } cause) summary.Notes.Add("FAILED: " + cause);
    }

    public void Dispose()
    {
        Stop();
        _clock?.Dispose();
        Supervisor.Dispose();
        _injection?.Dispose();
    }
}
