using System.Threading;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Agents;

namespace Wirespeed.Core.Pipeline;

/// <summary>
/// Counters of one stage: its latency histogram and budget (<see cref="Metrics"/>, one value per batch), and how many
/// events it saw, passed, dropped and quarantined. Written by the one worker that runs the stage with plain stores;
/// read from any thread with <see cref="Volatile"/> reads (advisory between samples, exact once the worker stopped).
/// </summary>
public sealed class StageCounters
{
    private long _batches;
    private long _events;
    private long _dropped;
    private long _quarantined;

    /// <param name="name">Stage name as in configuration and summaries.</param>
    /// <param name="budgetNs">Budget for one batch through this stage, in ns; 0 means none.</param>
    public StageCounters(string name, long budgetNs)
    {
        Name = name;
        Metrics = new StageMetrics(name, budgetNs);
    }

    public string Name { get; }

    /// <summary>Per-batch latency of this stage, its budget and overruns (the monitor reads it).</summary>
    public StageMetrics Metrics { get; }

    /// <summary>Batches that reached this stage with at least one event.</summary>
    public long Batches => Volatile.Read(ref _batches);

    /// <summary>Events handed to the stage.</summary>
    public long Events => Volatile.Read(ref _events);

    /// <summary>Events the stage returned <see cref="Verdict.Drop"/> for.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Events the stage returned <see cref="Verdict.Quarantine"/> for (or a value outside <see cref="Verdict"/>).</summary>
    public long Quarantined => Volatile.Read(ref _quarantined);

    /// <summary>Events passed on (<see cref="Verdict.Continue"/>).</summary>
    public long Passed => Events - Dropped - Quarantined;

    /// <summary>Worker thread: accounts one batch. Allocation-free.</summary>
    internal void RecordBatch(long elapsedNs, int events, int dropped, int quarantined)
    {
        Metrics.Record(elapsedNs);
        _batches++;
        _events += events;
        _dropped += dropped;
        _quarantined += quarantined;
    }
}
