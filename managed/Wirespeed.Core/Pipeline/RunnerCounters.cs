using System.Threading;
using Wirespeed.Core.Monitoring;

namespace Wirespeed.Core.Pipeline;

/// <summary>
/// Totals of one <see cref="StageRunner{TSource, TChain}"/>: batches run, events polled, events that came out of the
/// end of the chain. Single writer (the worker), read anywhere with <see cref="Volatile"/> reads.
/// </summary>
public sealed class RunnerCounters
{
    private long _batches;
    private long _events;
    private long _delivered;

    public RunnerCounters(string name)
    {
        Name = name;
        ServiceTime = new StageMetrics("service." + name, 0);
    }

    /// <summary>
    /// Service time per event on this runner: the busy time of each batch (source fill plus every stage, queueing
    /// excluded) divided by its events, recorded once per batch with a weight of its event count.
    /// </summary>
    public StageMetrics ServiceTime { get; }

    public string Name { get; }

    /// <summary>Non-empty batches run.</summary>
    public long Batches => Volatile.Read(ref _batches);

    /// <summary>Events polled from the source.</summary>
    public long Events => Volatile.Read(ref _events);

    /// <summary>Events that passed every stage.</summary>
    public long Delivered => Volatile.Read(ref _delivered);

    internal void RecordBatch(int events, int delivered)
    {
        _batches++;
        _events += events;
        _delivered += delivered;
    }
}
