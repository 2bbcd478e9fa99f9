using System;

namespace Wirespeed.Core.Agents;

/// <summary>What the <see cref="WorkerSupervisor"/> does with a worker that faulted or stalled.</summary>
public enum WorkerFailurePolicy : byte
{
    /// <summary>
    /// Replace the worker from consistent state where that is possible (pattern workers: a new agent from the plan,
    /// resuming at the ring's current position, the skipped slots counted); elsewhere fall back to <see cref="Fail"/>.
    /// </summary>
    Restart = 0,
    /// <summary>Stop the feed cleanly, print the summary with the cause, exit 1 (systemd's Restart= starts it again).</summary>
    Fail = 1,
}

/// <summary>Options of the <see cref="WorkerSupervisor"/>. Check once at start-up with <see cref="Validated"/>.</summary>
public sealed record SupervisorOptions
{
    /// <summary>What happens to a worker that faulted or stalled. Default: Restart.</summary>
    public WorkerFailurePolicy Policy { get; init; } = WorkerFailurePolicy.Restart;
    /// <summary>
    /// A worker that runs no duty cycle, or does no work while its input waits, for longer than this is stalled, ms.
    /// Idle workers park for at most 160 µs (back-off), so any deadline far above that tells stuck from idle; a host
    /// stall (PLATFORM.md: outliers of hundreds of ms) must not look like one. Default: 2000.
    /// </summary>
    public int DeadlineMs { get; init; } = 2000;
    /// <summary>How often the supervisor looks at the workers, ms. Default: 250.</summary>
    public int IntervalMs { get; init; } = 250;
    /// <summary>How long a restart waits for the old worker's thread to end before it gives up and fails, ms. Default: 1000.</summary>
    public int RestartGraceMs { get; init; } = 1000;

    /// <summary>Returns this when valid; throws <see cref="ArgumentException"/> naming the field and the fix.</summary>
    public SupervisorOptions Validated()
    {
        if (!Enum.IsDefined(Policy)) throw new ArgumentException($"Policy={(int)Policy} must be restart or fail.", nameof(Policy));
        if (DeadlineMs is < 10 or > 600_000) throw new ArgumentException($"DeadlineMs={DeadlineMs} must be 10..600000.", nameof(DeadlineMs));
        if (IntervalMs < 1 || IntervalMs > DeadlineMs)
            throw new ArgumentException($"IntervalMs={IntervalMs} must be 1..deadlineMs ({DeadlineMs}): a stall is only seen at a check.", nameof(IntervalMs));
        if (RestartGraceMs is < 0 or > 60_000) throw new ArgumentException($"RestartGraceMs={RestartGraceMs} must be 0..60000.", nameof(RestartGraceMs));
        return this;
    }
}
