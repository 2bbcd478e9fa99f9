using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Time;
using Wirespeed.Core.Agents;

namespace Wirespeed.Core.Pipeline;

/// <summary>
/// Runs a chain of stages over batches polled from a source: one <see cref="DoWork"/> = one batch. Generic over
/// structs, so each topology compiles to one specialised loop.
/// </summary>
/// <remarks>
/// Per batch: one <see cref="IBatchSource.Fill"/> (timed as a stage when a source stage is given), one clock read to start the first stage, one read at the end of each
/// stage (recorded into that stage's <see cref="StageMetrics"/>, which counts budget overruns), and the final read
/// reused for end-to-end latency (now − <see cref="MarketEvent.ReceiveTimestampNs"/>) of each event that survived the
/// chain. Nothing allocates after construction. Alerts (p99.9 of an interval against the budget) are the monitor's job.
/// <para>Thread: <see cref="DoWork"/> on one thread at a time (the worker's); counters readable anywhere.</para>
/// </remarks>
public sealed class StageRunner<TSource, TChain>
    where TSource : struct, IBatchSource
    where TChain : struct, IStageChain
{
    private TSource _source;                // mutable structs: never readonly
    private TChain _chain;
    private readonly MarketEvent[] _batch;
    private readonly StageMetrics? _endToEnd;
    private readonly StageCounters? _sourceStage;
    private readonly RunnerCounters _counters;
    private long _batchSequence;

    /// <param name="name">Runner name (normally the worker's) for summaries.</param>
    /// <param name="source">Where events come from.</param>
    /// <param name="chain">The stages, in order.</param>
    /// <param name="batchSize">Most events per batch; 1 to <see cref="WorkerOptions.MaxBatchSize"/>; 64 events (4 KiB) stay in L1 across every stage pass.</param>
    /// <param name="endToEnd">Where end-to-end latency of surviving events is recorded; null on a worker whose chain
    /// does not end the pipeline (its events go on to another worker, which records it).</param>
    /// <param name="sourceStage">When set, the source's Fill is timed as a stage of its own (e.g. "decode" for a
    /// <see cref="PacketBatchSource{TPackets, TDecoder}"/>): one more clock read per poll, recorded only for non-empty batches.</param>
    public StageRunner(string name, TSource source, TChain chain, int batchSize, StageMetrics? endToEnd, StageCounters? sourceStage = null)
    {
        if (batchSize < 1 || batchSize > WorkerOptions.MaxBatchSize)
            ThrowHelper.Argument(nameof(batchSize), $"batchSize={batchSize} must be in 1..{WorkerOptions.MaxBatchSize}");
        _source = source;
        _chain = chain;
        // Pinned: the batch never moves, like the unmanaged memory on either side of it.
        _batch = GC.AllocateArray<MarketEvent>(batchSize, pinned: true);
        _endToEnd = endToEnd;
        _sourceStage = sourceStage;
        _counters = new RunnerCounters(name);
        Stages = global::Wirespeed.Core.Pipeline.Stages.CountersOf(chain);
    }

    /// <summary>Batch, event and delivery totals.</summary>
    public RunnerCounters Counters => _counters;

    /// <summary>Counters of each stage, in chain order.</summary>
    public StageCounters[] Stages { get; }

    /// <summary>Counters of the timed source, or null when the source is not timed.</summary>
    public StageCounters? SourceStage => _sourceStage;

    /// <summary>End-to-end latency, or null when this runner does not end the pipeline.</summary>
    public StageMetrics? EndToEnd => _endToEnd;

    /// <summary>Most events per batch.</summary>
    public int BatchSize => _batch.Length;

    /// <summary>The source, by reference (inspect it only while the runner is not running).</summary>
    public ref TSource Source => ref _source;

    /// <summary>The chain, by reference (inspect it only while the runner is not running).</summary>
    public ref TChain Chain => ref _chain;

    /// <summary>Polls one batch and runs it through the chain. Returns events polled (0 = idle).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int DoWork()
    {
        MarketEvent[] batch = _batch;
        StageCounters? sourceStage = _sourceStage;
        long fillStart = MonoClock.NowNs();       // starts the source's time and the batch's service time
        int n = _source.Fill(batch);
        if (n <= 0) return 0;
        if (n > batch.Length) n = batch.Length;   // a source that over-reports must not push the chain out of bounds

        StageContext ctx;
        ctx.BatchSequence = _batchSequence++;
        ctx.BatchCount = n;
        ctx.NowNs = MonoClock.NowNs();            // ends the source's time, starts the first stage's
        sourceStage?.RecordBatch(ctx.NowNs - fillStart, n, 0, 0);
        int delivered = _chain.Run(batch.AsSpan(0, n), ref ctx);

        StageMetrics? e2e = _endToEnd;
        if (e2e != null)
        {
            long now = ctx.NowNs;                 // the read that ended the last stage: no extra clock read
            e2e.BeginBatch();                     // one critical section for the whole batch
            for (int i = 0; i < delivered; i++) e2e.RecordInBatch(now - batch[i].ReceiveTimestampNs);
            e2e.EndBatch();
        }
        _counters.ServiceTime.Record((ctx.NowNs - fillStart) / n, n);
        _counters.RecordBatch(n, delivered);
        return n;
    }

    /// <summary>This runner as a struct agent for <see cref="Worker.Create{TAgent}"/>.</summary>
    public Agent AsAgent() => new(this);

    /// <summary>Forwards the agent contract to the runner with direct calls (the runner class is sealed).</summary>
    public readonly struct Agent : IAgent
    {
        private readonly StageRunner<TSource, TChain> _runner;

        public Agent(StageRunner<TSource, TChain> runner)
        {
            ArgumentNullException.ThrowIfNull(runner);
            _runner = runner;
        }

        public StageRunner<TSource, TChain> Runner => _runner;

        public void OnStart() { }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int DoWork() => _runner.DoWork();

        public void OnClose() { }
    }
}
