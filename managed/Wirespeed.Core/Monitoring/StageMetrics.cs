using System.Threading;
using HdrHistogram;

namespace Wirespeed.Core.Monitoring;

/// <summary>
/// Latency of one pipeline stage (or of the end-to-end path): an interval HdrHistogram recorder, a budget, and an
/// overrun counter. <see cref="Record(long)"/> is called by exactly one thread (the worker that runs the stage) and never
/// allocates; the monitor thread takes interval histograms with <see cref="SampleInterval()"/>.
/// </summary>
public sealed class StageMetrics
{
    /// <summary>Highest value tracked: 60 s in ns. Larger values are clamped and counted in <see cref="Clamped"/>.</summary>
    public const long HighestTrackableNs = 60_000_000_000L;

    private readonly Recorder _recorder;
    private long _count;
    private long _overruns;
    private long _clamped;

    public StageMetrics(string name, long budgetNs)
    {
        Name = name;
        BudgetNs = budgetNs;
        // 3 significant digits: 0.1% resolution, the usual HdrHistogram trade-off of size against precision.
        _recorder = HistogramFactory.With64BitBucketSize().WithValuesFrom(1).WithValuesUpTo(HighestTrackableNs)
            .WithPrecisionOf(Precision).WithThreadSafeReads().Create();
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
        if (ns < 1) ns = 1;
        if (ns > HighestTrackableNs) { ns = HighestTrackableNs; _clamped++; }
        _recorder.RecordValue(ns);
        // Plain increments published by Volatile reads on the monitor side: counters are advisory between intervals.
        _count++;
        if (BudgetNs > 0 && ns > BudgetNs) _overruns++;
    }

    /// <summary>
    /// Records <paramref name="ns"/> as <paramref name="count"/> equal values (e.g. a batch's per-event service time,
    /// weighted by its events). Single writer; allocation-free. Overruns count once per call.
    /// </summary>
    public void Record(long ns, long count)
    {
        if (count <= 0) return;
        if (ns < 1) ns = 1;
        if (ns > HighestTrackableNs) { ns = HighestTrackableNs; _clamped++; }
        _recorder.RecordValueWithCount(ns, count);
        _count += count;
        if (BudgetNs > 0 && ns > BudgetNs) _overruns++;
    }

    /// <summary>Returns the values recorded since the previous call (monitor thread only). The histogram is new each call.</summary>
    public HistogramBase SampleInterval() => _recorder.GetIntervalHistogram();

    /// <summary>
    /// As <see cref="SampleInterval()"/>, but reuses <paramref name="recycle"/> (a histogram an earlier call of this
    /// instance returned, which the caller no longer reads), so that sampling allocates nothing in steady state.
    /// Pass null on the first call.
    /// </summary>
    public HistogramBase SampleInterval(HistogramBase? recycle)
        => recycle is null ? _recorder.GetIntervalHistogram() : _recorder.GetIntervalHistogram(recycle);

    /// <summary>A new, empty histogram with the layout of this stage's interval histograms (for whole-run totals).</summary>
    public static HistogramBase CreateCompatibleHistogram() => new LongHistogram(1, HighestTrackableNs, Precision);

    /// <summary>Significant digits of every stage histogram.</summary>
    internal const int Precision = 3;
}
