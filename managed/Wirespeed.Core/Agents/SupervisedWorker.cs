using System;
using System.Threading;

namespace Wirespeed.Core.Agents;

/// <summary>Health of a supervised worker, as the supervisor last saw it.</summary>
public enum WorkerHealth : byte
{
    /// <summary>Not started yet (or placed inline: no thread of its own).</summary>
    NotStarted = 0,
    /// <summary>Running duty cycles; idle or doing work.</summary>
    Healthy = 1,
    /// <summary>No duty cycle, or no work done while its input waits, past the deadline.</summary>
    Stalled = 2,
    /// <summary>Its agent threw.</summary>
    Faulted = 3,
    /// <summary>The fail policy applied: the process is stopping because of it.</summary>
    Failed = 4,
    /// <summary>Stopped in order (the run is ending).</summary>
    Stopped = 5,
}

/// <summary>
/// One worker as the <see cref="WorkerSupervisor"/> sees it: how to find its current thread (a restart replaces it),
/// how much input waits for it, which instruments it owns, and how to restart it. Cold path.
/// </summary>
public sealed class SupervisedWorker
{
    /// <param name="name">Worker name ("main", "patterns.0").</param>
    /// <param name="role">What it runs, for reports ("book", "patterns").</param>
    /// <param name="current">Its current worker (null before start or when inline).</param>
    /// <param name="backlog">Items waiting in its input (ring slots not yet read); null when it has no ring to read (the
    /// receiving worker polls the network: only its duty cycles tell).</param>
    /// <param name="instruments">The instruments whose data it owns, as a reader should see them ("all", "2: AAPL, MSFT").</param>
    /// <param name="restart">Replaces the worker from consistent state; returns null when done, or why it cannot. Null:
    /// this worker cannot be restarted (the fail policy applies).</param>
    /// <param name="cannotRestart">Why <paramref name="restart"/> is null, for the report.</param>
    public SupervisedWorker(string name, string role, Func<Worker?> current, Func<long>? backlog, string instruments,
        Func<string?>? restart, string? cannotRestart = null)
    {
        Name = name;
        Role = role;
        Current = current;
        Backlog = backlog;
        Instruments = instruments;
        Restart = restart;
        CannotRestart = cannotRestart ?? "this worker cannot be restarted";
    }

    public string Name { get; }
    public string Role { get; }
    public Func<Worker?> Current { get; }
    public Func<long>? Backlog { get; }
    public string Instruments { get; }
    public Func<string?>? Restart { get; }
    public string CannotRestart { get; }

    private int _health;
    /// <summary>Health at the last check. Any thread.</summary>
    public WorkerHealth Health
    {
        get => (WorkerHealth)Volatile.Read(ref _health);
        internal set => Volatile.Write(ref _health, (int)value);   // supervisor thread; read by the watchdog and reports
    }

    /// <summary>Faults seen (each thread's first exception).</summary>
    public long Faults { get; internal set; }
    /// <summary>Stalls seen.</summary>
    public long Stalls { get; internal set; }
    /// <summary>Restarts done.</summary>
    public long Restarts { get; internal set; }
    /// <summary>Duty cycles of the current thread at the last check, plus those of the threads it replaced.</summary>
    public long Progress => _retiredCycles + (_watched?.Cycles ?? 0);
    /// <summary>The last fault or stall, in words; null while none happened.</summary>
    public string? LastCause { get; internal set; }

    internal Worker? _watched;
    internal long _retiredCycles;
    internal long _lastCycles, _lastWork, _lastCyclesNs, _lastWorkNs;
}
