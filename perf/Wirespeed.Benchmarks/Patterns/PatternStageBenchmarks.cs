using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Patterns;

namespace Wirespeed.Benchmarks.Patterns;

/// <summary>
/// Pattern-stage throughput with [Params] workers: one operation drains a pre-filled broadcast ring of
/// <see cref="Events"/> events through the workers (see <see cref="PatternScalingHarness"/>). The harness's
/// --patterns-scaling mode gives the same figure with a 1..N sweep and ratios in one run.
/// </summary>
public class PatternStageBenchmarks
{
    private MarketEvent[] _events = [];
    private InstrumentTable _table = null!;
    private List<PatternOptions> _patterns = [];

    [Params(1, 2)]
    public int Workers { get; set; }

    [Params(1 << 16)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup() => (_events, _table, _patterns) = PatternScalingHarness.Universe(16, Events);

    [Benchmark(OperationsPerInvoke = 1 << 16)]
    public double DrainRing() => PatternScalingHarness.Throughput(Workers, _events, _table, _patterns, routed: true, out _);
}
