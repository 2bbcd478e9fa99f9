using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using Wirespeed.Core.Time;

namespace Wirespeed.Core.Agents;

/// <summary>
/// Watches every worker from a cold thread of its own: the receiving/book worker, the pipeline's other workers and
/// the pattern workers. A worker is unhealthy when its agent threw (<see cref="Worker.Fault"/>), when its duty-cycle
/// counter (<see cref="Worker.Cycles"/>) stopped for longer than the deadline (stuck inside a cycle: an idle worker
/// still cycles, parking at most 160 µs at a time), or when its input has unread items and its work counter
/// (<see cref="Worker.WorkDone"/>) stopped past the deadline (busy doing nothing). An idle worker with nothing to read
/// is healthy.
/// </summary>
/// <remarks>
/// An unhealthy worker is reported once (an alert line <c>wirespeed alert kind=worker_faulted|worker_stalled …</c>
/// naming its instruments, and a note), then the policy applies: restart where the worker supports it
/// (<see cref="SupervisedWorker.Restart"/>), otherwise, or when the restart fails, fail: <see cref="Failed"/> is set
/// with the cause and the fail callback asks the command to stop, report and exit 1. <see cref="AllHealthy"/> is what
/// the systemd watchdog pings on. Drive it with <see cref="Start"/> or call <see cref="Check"/> directly (tests).
/// </remarks>
public sealed class WorkerSupervisor : IDisposable
{
    private readonly SupervisorOptions _options;
    private readonly List<SupervisedWorker> _workers = new();
    private readonly Action<string>? _alert;
    private readonly Action<string>? _onFail;
    private readonly ManualResetEventSlim _stop = new(false);
    private readonly List<string> _notes = new();
    private Thread? _thread;
    private volatile bool _allHealthy = true;
    private volatile string? _failure;

    /// <param name="options">Policy, deadline, interval (validated here).</param>
    /// <param name="alert">Receives each alert line (the monitor counts and prints it); null prints to stderr.</param>
    /// <param name="onFail">Called once, on the supervisor thread, with the cause when the fail policy applies.</param>
    public WorkerSupervisor(SupervisorOptions options, Action<string>? alert, Action<string>? onFail)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validated();
        _alert = alert;
        _onFail = onFail;
    }

    public SupervisorOptions Options => _options;
    public IReadOnlyList<SupervisedWorker> Workers => _workers;

    /// <summary>True while no worker is faulted, stalled or failed. Any thread (the watchdog pings on it).</summary>
    public bool AllHealthy => _allHealthy;

    /// <summary>The cause when the fail policy applied; null otherwise. Any thread.</summary>
    public string? Failed => _failure;

    /// <summary>What happened (faults, stalls, restarts, failures), one line each, for the summary's notes.</summary>
    public IReadOnlyList<string> Notes
    {
        get { lock (_notes) return _notes.ToArray(); }
    }

    /// <summary>Adds a worker to watch (before <see cref="Start"/>).</summary>
    public SupervisedWorker Watch(SupervisedWorker worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        if (_thread is not null) throw new InvalidOperationException("add workers before Start");
        _workers.Add(worker);
        return worker;
    }

    /// <summary>Starts the supervisor thread.</summary>
    public void Start()
    {
        if (_thread is not null) throw new InvalidOperationException("supervisor already started");
        _thread = new Thread(Run) { IsBackground = true, Name = "ws-supervisor" };
        _thread.Start();
    }

    /// <summary>Stops the thread (before the workers are stopped: an orderly stop is not a failure). Idempotent.</summary>
    public void Stop()
    {
        _stop.Set();
        if (_thread is not null && Thread.CurrentThread != _thread) _thread.Join();
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.Wait(_options.IntervalMs)) Check(MonoClock.NowNs());
    }

    /// <summary>One look at every worker at monotonic time <paramref name="nowNs"/>: detects, reports, applies the policy.</summary>
    public void Check(long nowNs)
    {
        bool healthy = _failure is null;
        foreach (var entry in _workers)
        {
            CheckOne(entry, nowNs);
            if (entry.Health is WorkerHealth.Stalled or WorkerHealth.Faulted or WorkerHealth.Failed) healthy = false;
        }
        _allHealthy = healthy && _failure is null;
    }

    private void CheckOne(SupervisedWorker entry, long nowNs)
    {
        if (entry.Health == WorkerHealth.Failed) return;
        Worker? w = entry.Current();
        if (w is null) return;
        if (!ReferenceEquals(w, entry._watched))
        {
            // First look, or a restart replaced the thread: progress counts from here.
            if (entry._watched is not null) entry._retiredCycles += entry._watched.Cycles;
            entry._watched = w;
            entry._lastCycles = w.Cycles;
            entry._lastWork = w.WorkDone;
            entry._lastCyclesNs = entry._lastWorkNs = nowNs;
            entry.Health = WorkerHealth.Healthy;
        }
        if (w.Fault is Exception fault)
        {
            if (entry.Health == WorkerHealth.Faulted) return;
            entry.Faults++;
            Unhealthy(entry, WorkerHealth.Faulted, "worker_faulted", $"threw {fault.GetType().Name}: {fault.Message}");
            return;
        }
        if (w.State != WorkerState.Running || w.IsStopRequested)
        {
            if (w.State == WorkerState.Stopped || w.IsStopRequested) entry.Health = WorkerHealth.Stopped;
            return;
        }
        long deadlineNs = _options.DeadlineMs * 1_000_000L;
        long cycles = w.Cycles, work = w.WorkDone;
        long backlog = entry.Backlog?.Invoke() ?? 0;
        if (cycles != entry._lastCycles)
        {
            entry._lastCycles = cycles;
            entry._lastCyclesNs = nowNs;
        }
        if (work != entry._lastWork || backlog <= 0)
        {
            entry._lastWork = work;
            entry._lastWorkNs = nowNs;
        }
        long noCycleNs = nowNs - entry._lastCyclesNs, noWorkNs = nowNs - entry._lastWorkNs;
        if (noCycleNs > deadlineNs || noWorkNs > deadlineNs)
        {
            if (entry.Health == WorkerHealth.Stalled) return;
            entry.Stalls++;
            string cause = noCycleNs > deadlineNs
                ? string.Create(CultureInfo.InvariantCulture, $"stalled: no duty cycle for {noCycleNs / 1_000_000} ms (deadline {_options.DeadlineMs} ms){(backlog > 0 ? $", {backlog} items waiting" : "")}")
                : string.Create(CultureInfo.InvariantCulture, $"stalled: {backlog} items waiting and no work done for {noWorkNs / 1_000_000} ms (deadline {_options.DeadlineMs} ms)");
            Unhealthy(entry, WorkerHealth.Stalled, "worker_stalled", cause);
            return;
        }
        if (entry.Health == WorkerHealth.Stalled) Note($"worker {entry.Name} ({entry.Role}) is making progress again");
        entry.Health = WorkerHealth.Healthy;
    }

    /// <summary>Reports the worker with its instruments, then applies the policy.</summary>
    private void Unhealthy(SupervisedWorker entry, WorkerHealth health, string kind, string cause)
    {
        entry.Health = health;
        entry.LastCause = cause;
        bool restart = _options.Policy == WorkerFailurePolicy.Restart && entry.Restart is not null;
        string policy = _options.Policy == WorkerFailurePolicy.Fail ? "fail" : restart ? "restart" : "fail (restart not possible)";
        Raise(string.Create(CultureInfo.InvariantCulture,
            $"wirespeed alert kind={kind} worker={OneWord(entry.Name)} role={OneWord(entry.Role)} instruments={OneWord(entry.Instruments)} policy={OneWord(policy)} cause={OneWord(cause)}"));
        Note($"worker {entry.Name} ({entry.Role}) {cause}; instruments marked: {entry.Instruments}; policy {policy}");
        if (restart)
        {
            string? why;
            try
            {
                why = entry.Restart!();
            }
            catch (Exception e)
            {
                why = $"the restart threw {e.GetType().Name}: {e.Message}";
            }
            if (why is null)
            {
                entry.Restarts++;
                Note($"worker {entry.Name} ({entry.Role}) restarted (restart {entry.Restarts})");
                return;   // the next check watches the new thread
            }
            Fail(entry, $"worker {entry.Name} ({entry.Role}) {cause}, and it could not be restarted: {why}");
            return;
        }
        Fail(entry, _options.Policy == WorkerFailurePolicy.Restart
            ? $"worker {entry.Name} ({entry.Role}) {cause} ({entry.CannotRestart})"
            : $"worker {entry.Name} ({entry.Role}) {cause}");
    }

    private void Fail(SupervisedWorker entry, string cause)
    {
        entry.Health = WorkerHealth.Failed;
        _allHealthy = false;
        if (_failure is not null) return;   // the first failure is the cause; the process is already stopping
        _failure = cause;
        Note("failing: " + cause);
        Raise($"wirespeed alert kind=worker_failed worker={OneWord(entry.Name)} cause={OneWord(cause)}");
        _onFail?.Invoke(cause);
    }

    private void Raise(string line)
    {
        if (_alert is not null) _alert(line);
        else Console.Error.WriteLine(line);
    }

    private void Note(string note)
    {
        lock (_notes) if (_notes.Count < 64) _notes.Add(note);
    }

    private static string OneWord(string s) => s.Replace(' ', '_').Replace('=', '_');

    /// <summary>The summary's <c>workers</c> section: per worker its health (code of <see cref="WorkerHealth"/>), progress, faults, stalls and restarts.</summary>
    public Dictionary<string, long> Counters()
    {
        var c = new Dictionary<string, long>
        {
            ["watched"] = _workers.Count,
            ["all_healthy"] = AllHealthy ? 1 : 0,
            ["failed"] = _failure is null ? 0 : 1,
        };
        foreach (var w in _workers)
        {
            string k = w.Name.Replace('.', '_').Replace('-', '_');
            c[k + "_state"] = (long)w.Health;
            c[k + "_progress"] = w.Progress;
            c[k + "_faults"] = w.Faults;
            c[k + "_stalls"] = w.Stalls;
            c[k + "_restarts"] = w.Restarts;
        }
        return c;
    }
}
