using BenchmarkDotNet.Attributes;
using HdrHistogram;
using Wirespeed.Core.Monitoring;

namespace Wirespeed.Benchmarks.Monitoring;

/// <summary>
/// Cost of measuring: <see cref="StageMetrics.Record"/> runs once per batch (or per event for end-to-end) on every hot
/// thread, so it must be a few ns and allocate nothing. The monitor-side costs (sampling an interval, the interval
/// p99.9, encoding an .hlog line) run once a second on a cold thread; they are here to keep them honest.
/// </summary>
[MemoryDiagnoser]
public class StageMetricsBenchmarks
{
    private const int Values = 1024;
    private readonly long[] _values = new long[Values];
    private StageMetrics _metrics = null!;
    private HistogramBase? _recycle;
    private HistogramBase _interval = null!;
    private readonly HdrCodec _codec = new();

    [GlobalSetup]
    public void Setup()
    {
        var rng = new System.Random(42);
        // Mostly 100–2,000 ns with a tail to 1 ms: the shape of a stage's batch timings.
        for (int i = 0; i < Values; i++) _values[i] = rng.Next(10) == 0 ? rng.Next(2_000, 1_000_000) : rng.Next(100, 2_000);
        _metrics = new StageMetrics("bench", budgetNs: 5_000);
        _interval = StageMetrics.CreateCompatibleHistogram();
        foreach (long v in _values) _interval.RecordValue(v);
    }

    /// <summary>Per value: clamp, record into the interval recorder, count, compare with the budget.</summary>
    [Benchmark(OperationsPerInvoke = Values)]
    public void Record()
    {
        var metrics = _metrics;
        long[] values = _values;
        for (int i = 0; i < values.Length; i++) metrics.Record(values[i]);
    }

    /// <summary>Monitor thread: swap out the interval histogram, recycling the previous one.</summary>
    [Benchmark]
    public long SampleIntervalRecycled()
    {
        _recycle = _metrics.SampleInterval(_recycle);
        return _recycle.TotalCount;
    }

    /// <summary>Monitor thread: the interval p99.9 the budget check uses (bucket walk, no allocation).</summary>
    [Benchmark]
    public long IntervalP999() => HistogramStats.ValueAtPercentile(_interval, 99.9);

    /// <summary>Monitor thread: one .hlog histogram, V2-encoded and zlib-compressed.</summary>
    [Benchmark]
    public int EncodeCompressed() => _codec.EncodeCompressed(_interval).Length;
}
