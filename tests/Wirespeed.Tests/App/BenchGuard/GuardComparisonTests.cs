using System.Collections.Generic;
using Wirespeed.BenchGuard;
using Xunit;

namespace Wirespeed.Tests.App.BenchGuard;

public class GuardComparisonTests
{
    private static GuardBaseline Baseline(double tolerance, params (string Name, double Ratio)[] entries)
    {
        var map = new Dictionary<string, GuardBaselineEntry>();
        foreach (var (name, ratio) in entries) map[name] = new GuardBaselineEntry(ratio, 50, "event");
        return new GuardBaseline(tolerance, "quick", 3, "2026-12-07 23:00 UTC", "test", map);
    }

    private static GuardSample Sample(string name, double ratio, long allocated = 0, int collections = 0) =>
        new(name, "event", ratio * 70, ratio, allocated, collections);

    [Fact]
    public void A_ratio_within_the_tolerance_passes_up_to_the_limit_itself()
    {
        var baseline = Baseline(0.5, ("a", 1.0), ("b", 2.0));
        var findings = GuardComparison.Compare([Sample("a", 1.49), Sample("b", 3.0)], baseline, "b.json");
        Assert.All(findings, f => Assert.Equal(GuardOutcome.Pass, f.Outcome));
        Assert.StartsWith("ok a: ratio 1.490 (baseline 1.000, tolerance +50% → limit 1.500)", findings[0].Line);
    }

    [Fact]
    public void A_ratio_beyond_the_tolerance_fails_with_measured_baseline_and_tolerance_in_its_line()
    {
        var baseline = Baseline(0.3, ("decode_book", 1.2), ("ring_handoff", 0.03));
        var findings = GuardComparison.Compare([Sample("decode_book", 1.57), Sample("ring_handoff", 0.031)], baseline, "b.json");
        Assert.Equal(GuardOutcome.Regressed, findings[0].Outcome);
        Assert.StartsWith("REGRESSED decode_book: ratio 1.570 (baseline 1.200, tolerance +30% → limit 1.560)", findings[0].Line);
        Assert.EndsWith("31% slower than the baseline", findings[0].Line);
        Assert.Equal(GuardOutcome.Pass, findings[1].Outcome);
    }

    [Fact]
    public void Much_faster_than_the_baseline_passes_and_suggests_re_recording()
    {
        var findings = GuardComparison.Compare([Sample("a", 0.5)], Baseline(0.3, ("a", 1.0)), "b.json");
        Assert.Equal(GuardOutcome.Pass, findings[0].Outcome);
        Assert.Contains("re-record it with --update", findings[0].Line);
    }

    [Theory]
    [InlineData(1L, 0)]
    [InlineData(0L, 1)]
    public void A_byte_allocated_or_a_collection_fails_however_fast_the_benchmark_is(long allocated, int collections)
    {
        var findings = GuardComparison.Compare([Sample("a", 0.9, allocated, collections)], Baseline(0.3, ("a", 1.0)), "b.json");
        Assert.Equal(GuardOutcome.Allocates, findings[0].Outcome);
        Assert.StartsWith($"ALLOCATES a: {allocated} bytes and {collections} GC collections in the measured loop (must be 0 and 0)", findings[0].Line);
    }

    [Fact]
    public void A_benchmark_without_a_baseline_entry_is_an_error_naming_it_and_the_fix()
    {
        var e = Assert.Throws<GuardBaselineException>(() =>
            GuardComparison.Compare([Sample("a", 1.0), Sample("pattern_stage", 1.0)], Baseline(0.3, ("a", 1.0)), "perf/baseline.json"));
        Assert.Equal("baseline perf/baseline.json has no entry for pattern_stage: record it with ./ws bench --check --update", e.Message);
    }
}
