using System;
using System.Collections.Generic;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Pipeline;

namespace Wirespeed.Core.Pipeline.Topology;

/// <summary>
/// A built pipeline: its workers (upstream first), the rings between them, and every counter the monitor and the
/// summary need. Build one with <see cref="ChainBuilder"/>, or assemble workers yourself and pass them here.
/// Cold path: start, stop and inspection; the hot work happens on the workers.
/// </summary>
public sealed class RunningPipeline : IDisposable
{
    private readonly Worker[] _workers;
    private readonly RingLink[] _links;
    private bool _started;
    private bool _disposed;

    /// <param name="options">The validated options the pipeline was built from.</param>
    /// <param name="workers">Workers, upstream first; worker i writes <paramref name="links"/>[i], worker i+1 reads it.</param>
    /// <param name="links">Rings between consecutive workers (one fewer than workers); owned and freed by the pipeline.</param>
    /// <param name="stages">Counters of the configured stages, in chain order.</param>
    /// <param name="linkStages">Counters of the ring sink stages, one per link.</param>
    /// <param name="runners">Runner totals, one per worker.</param>
    /// <param name="endToEnd">End-to-end latency of events leaving the chain.</param>
    /// <param name="sourceStage">Counters of the timed source of the first worker, if it is timed.</param>
    public RunningPipeline(PipelineOptions options, Worker[] workers, RingLink[] links, StageCounters[] stages,
        StageCounters[] linkStages, RunnerCounters[] runners, StageMetrics endToEnd, StageCounters? sourceStage = null)
    {
        if (links.Length != Math.Max(0, workers.Length - 1))
            ThrowHelper.Argument(nameof(links), $"{workers.Length} workers need {workers.Length - 1} links, got {links.Length}");
        Options = options;
        _workers = workers;
        _links = links;
        Stages = stages;
        LinkStages = linkStages;
        Runners = runners;
        EndToEnd = endToEnd;
        SourceStage = sourceStage;
    }

    public PipelineOptions Options { get; }

    /// <summary>Workers, upstream first.</summary>
    public IReadOnlyList<Worker> Workers => _workers;

    /// <summary>Rings between consecutive workers.</summary>
    public IReadOnlyList<RingLink> Links => _links;

    /// <summary>Counters (verdicts, per-batch latency, overruns) of each configured stage, in chain order.</summary>
    public IReadOnlyList<StageCounters> Stages { get; }

    /// <summary>Counters of the ring sink stages (named "link.{from}->{to}"); their latency includes back-pressure waits.</summary>
    public IReadOnlyList<StageCounters> LinkStages { get; }

    /// <summary>Batch and event totals of each worker's runner.</summary>
    public IReadOnlyList<RunnerCounters> Runners { get; }

    /// <summary>The first worker's source timed as a stage (<see cref="PipelineOptions.Source"/>), or null.</summary>
    public StageCounters? SourceStage { get; }

    /// <summary>Latency from receive timestamp to the end of the chain, per event.</summary>
    public StageMetrics EndToEnd { get; }

    /// <summary>Starts the workers downstream first, so every ring has its consumer before its producer runs.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_started) ThrowHelper.InvalidOperation("pipeline already started");
        _started = true;
        for (int i = _workers.Length - 1; i >= 0; i--) _workers[i].Start();
    }

    /// <summary>
    /// Stops the workers upstream first, each draining what it already has into the next, so nothing in flight is
    /// lost; then throws if any worker faulted (a <see cref="WorkerFaultException"/>, or an AggregateException of them).
    /// </summary>
    public void Stop()
    {
        var faults = new List<Exception>();
        for (int i = 0; i < _workers.Length; i++)
        {
            try
            {
                _workers[i].Stop();
            }
            catch (WorkerFaultException e)
            {
                faults.Add(e);
            }
            // Its producer is already stopped; closing the inbound ring keeps any later misuse from waiting forever.
            if (i > 0) _links[i - 1].Close();
        }
        if (faults.Count == 1) throw faults[0];
        if (faults.Count > 1) throw new AggregateException("pipeline workers faulted", faults);
    }

    /// <summary>
    /// Cold path: one line per worker for the start-up log (after <see cref="Start"/>): stages, idle strategy, and the
    /// pinning outcome with its warning, e.g. <c>worker feed [book, classify] BusySpin: pinned to CPU 1 (tid 4242); warning: …</c>.
    /// </summary>
    public string[] DescribeWorkers()
    {
        var lines = new string[_workers.Length];
        for (int i = 0; i < _workers.Length; i++)
        {
            var w = _workers[i];
            lines[i] = $"worker {w.Name} [{string.Join(", ", Options.StagesOf(i))}] {w.IdleKind}: {w.Pin}";
        }
        return lines;
    }

    /// <summary>Stops every worker without throwing (faults stay in <see cref="Worker.Fault"/>) and frees the rings.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var w in _workers) w.Dispose();
        foreach (var l in _links) l.Dispose();
    }
}
