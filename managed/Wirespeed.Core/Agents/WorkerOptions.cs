using System.Collections.Generic;

namespace Wirespeed.Core.Agents;

/// <summary>One worker of the pipeline (<c>pipeline.workers[i]</c>). Cold path.</summary>
public sealed record WorkerOptions
{
    /// <summary>Largest batch a worker may take: keeps a batch well inside L2 and bounded in time.</summary>
    public const int MaxBatchSize = 4096;

    /// <summary>Thread name and summary label. Default: "main".</summary>
    public string Name { get; init; } = "main";

    /// <summary>CPU to pin the thread to; -1 leaves it to the scheduler. Default: -1.</summary>
    public int Cpu { get; init; } = -1;

    /// <summary>Idle strategy when a cycle finds no work. Default: BackOff.</summary>
    public IdleStrategyOptions Idle { get; init; } = new();

    /// <summary>Most events per batch. Default: 64 (4 KiB of events, stays in L1 across the stage passes).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Names of the stages this worker runs, in chain order (names from the pipeline's stage list; unused by the worker itself).</summary>
    public IReadOnlyList<string> Stages { get; init; } = [];

    /// <summary>Longest time Stop spends draining what is already queued, in ms. Default: 1000.</summary>
    public int DrainTimeoutMs { get; init; } = 1000;

    /// <summary>Appends one message per invalid field of this worker alone (not its stages), each prefixed with <paramref name="path"/>.</summary>
    public void Validate(string path, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(Name)) errors.Add($"{path}.name is empty: give each worker a name, e.g. \"feed\".");
        if (BatchSize < 1 || BatchSize > MaxBatchSize)
            errors.Add($"{path}.batchSize={BatchSize}: must be in 1..{MaxBatchSize}; 64 is a good start.");
        if (DrainTimeoutMs < 0) errors.Add($"{path}.drainTimeoutMs={DrainTimeoutMs}: must be >= 0.");
        if (Cpu < -1) errors.Add($"{path}.cpu={Cpu}: use a CPU number, or -1 for no pinning.");
        if (Idle is null) errors.Add($"{path}.idle is missing: set {{ kind: BackOff }} (or BusySpin, Yield).");
        else Idle.Validate(path + ".idle", errors);
    }
}
