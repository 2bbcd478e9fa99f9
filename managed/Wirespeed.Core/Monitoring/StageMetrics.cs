using System.Runtime.CompilerServices;
using System.Threading;
using HdrHistogram;
using HdrHistogram.Utilities;

namespace Wirespeed.Core.Monitoring;

/// <summary>
/// Latency of one pipeline stage (or of the end-to-end path): an interval HdrHistogram recorder, a budget, and an
/// overrun counter. <see cref="Record(long)"/> is called by exactly one thread (the worker that runs the stage) and never
/// allocates; the monitor thread takes interval histograms with <see cref="SampleInterval()"/>.
/// </summary>
/// <remarks>
/// Double-buffered like HdrHistogram's Recorder: the writer records into the active histogram inside a
/// <see cref="WriterReaderPhaser"/> critical section; the monitor swaps in a fresh one and flips the phase, after which
/// no writer touches the old one. Unlike the Recorder, a writer with many values (end-to-end latency of every event of a
/// batch) opens one critical section per batch (<see cref="BeginBatch"/> … <see cref="EndBatch"/>) instead of two
/// interlocked operations per value.
/// </remarks>
public sealed class StageMetrics
{
    /// <summary>Highest value tracked: 60 s in ns. Larger values are clamped and counted in <see cref="Clamped"/>.</summary>
    public const long HighestTrackableNs = 60_000_000_000L;

    private readonly WriterReaderPhaser _phaser = new();
    private HistogramBase _active;      // written by the writer inside a critical section; replaced by the monitor
    private HistogramBase? _batch;      // writer-private: the active histogram as of BeginBatch
    private long _batchPhase;           // writer-private: the phaser value BeginBatch entered with
    private long _count;
    private long _overruns;
    private long _clamped;

    public StageMetrics(string name, long budgetNs)
    {
        Name = name;
        BudgetNs = budgetNs;
        // 3 significant digits: 0.1% resolution, the usual HdrHistogram trade-off of size against precision.
        _active = CreateCompatibleHistogram();
    }

    /// <summary>Stage name as it appears in summaries and .hlog tags.</summary>
    public string Name { get; }

    /// <summary>Latency budget in ns for one batch (or one event for end-to-end). 0 means no budget.</summary>
    public long BudgetNs { get; }

    /// <summary>Values recorded since start (monotonic, read from any thread).</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Values above <see cref="BudgetNs"/> since start.</summary>
    public long Overruns => Volatile.Read(ref _overruns);

    /// <summary>Values above <see cref="HighestTrackableNs"/>, recorded as that maximum.</summary>
    public long Clamped => Volatile.Read(ref _clamped);

    /// <summary>Records one value in ns. Single writer; allocation-free.</summary>
    public void Record(long ns)
    {
        ns = Clamp(ns);
        long phase = _phaser.WriterCriticalSectionEnter();   // interlocked: pairs with FlipPhase in SampleInterval
        Volatile.Read(ref _active).RecordValue(ns);         // never throws: ns is within the trackable range
        _phaser.WriterCriticalSectionExit(phase);
        // Plain increments published by Volatile reads on the monitor side: counters are advisory between intervals.
        _count++;
        if (BudgetNs > 0 && ns > BudgetNs) _overruns++;
    }

    /// <summary>Writer: opens one critical section for a run of <see cref="RecordInBatch"/> calls. Keep it short (one batch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void BeginBatch()
    {
        _batchPhase = _phaser.WriterCriticalSectionEnter();  // interlocked: pairs with FlipPhase in SampleInterval
        _batch = Volatile.Read(ref _active);
    }

    /// <summary>Writer, between <see cref="BeginBatch"/> and <see cref="EndBatch"/>: records one value with no synchronisation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordInBatch(long ns)
    {
        ns = Clamp(ns);
        _batch!.RecordValue(ns);
        _count++;
        if (BudgetNs > 0 && ns > BudgetNs) _overruns++;
    }

    /// <summary>Writer: closes the critical section <see cref="BeginBatch"/> opened.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EndBatch()
    {
        _batch = null;
        _phaser.WriterCriticalSectionExit(_batchPhase);
    }

    /// <summary>
    /// Records <paramref name="ns"/> as <paramref name="count"/> equal values (e.g. a batch's per-event service time,
    /// weighted by its events). Single writer; allocation-free. Overruns count once per call.
    /// </summary>
    public void Record(long ns, long count)
    {
        if (count <= 0) return;
        ns = Clamp(ns);
        long phase = _phaser.WriterCriticalSectionEnter();
        Volatile.Read(ref _active).RecordValueWithCount(ns, count);
        _phaser.WriterCriticalSectionExit(phase);
        _count += count;
        if (BudgetNs > 0 && ns > BudgetNs) _overruns++;
    }

    /// <summary>Returns the values recorded since the previous call (monitor thread only). The histogram is new each call.</summary>
    public HistogramBase SampleInterval() => SampleInterval(null);

    /// <summary>
    /// As <see cref="SampleInterval()"/>, but reuses <paramref name="recycle"/> (a histogram an earlier call of this
    /// instance returned, which the caller no longer reads), so that sampling allocates nothing in steady state.
    /// Pass null on the first call.
    /// </summary>
    public HistogramBase SampleInterval(HistogramBase? recycle)
    {
        var fresh = recycle ?? CreateCompatibleHistogram();
        fresh.Reset();
        _phaser.ReaderLock();
        try
        {
            var old = _active;
            Volatile.Write(ref _active, fresh);   // release; writers that enter after the flip see the fresh one
            _phaser.FlipPhase();                  // waits for every writer that entered before the swap to leave
            return old;
        }
        finally
        {
            _phaser.ReaderUnlock();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long Clamp(long ns)
    {
        if (ns < 1) return 1;
        if (ns > HighestTrackableNs) { _clamped++; return HighestTrackableNs; }
        return ns;
    }

    /// <summary>A new, empty histogram with the layout of this stage's interval histograms (for whole-run totals).</summary>
    public static HistogramBase CreateCompatibleHistogram() => new LongHistogram(1, HighestTrackableNs, Precision);

    /// <summary>Significant digits of every stage histogram.</summary>
    internal const int Precision = 3;
}
