using System;
using HdrHistogram;
using Wirespeed.Core.Monitoring;
using Wirespeed.Hosting.Metrics;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.App.Hosting.Metrics;

/// <summary>The text exposition format 0.0.4 as written by <see cref="PrometheusText"/> and the histogram buckets of <see cref="FeedMetrics"/>.</summary>
public class PrometheusTextTests
{
    [Fact]
    public void Families_have_help_and_type_and_label_values_are_escaped()
    {
        var t = new PrometheusText();
        t.Family("wirespeed_x_total", MetricType.Counter, "A \\ help\nline").Sample(3, ("line", "A\"b\\c\nd"));
        t.Family("wirespeed_y", MetricType.Gauge, "y").Sample(double.NaN).Sample(0.25, ("k", "v"));
        Assert.Equal(
            "# HELP wirespeed_x_total A \\\\ help\\nline\n# TYPE wirespeed_x_total counter\nwirespeed_x_total{line=\"A\\\"b\\\\c\\nd\"} 3\n" +
            "# HELP wirespeed_y y\n# TYPE wirespeed_y gauge\nwirespeed_y NaN\nwirespeed_y{k=\"v\"} 0.25\n", t.ToString());
        Assert.Throws<InvalidOperationException>(() => t.Family("wirespeed_y", MetricType.Gauge, "again"));
        Assert.Equal("+Inf", PrometheusText.Number(double.PositiveInfinity));
        Assert.Equal("1E-06", PrometheusText.Number(1e-6));
    }

    [Fact]
    public void A_histogram_has_cumulative_buckets_ending_in_inf_then_sum_and_count()
    {
        var t = new PrometheusText();
        t.Family("wirespeed_h_seconds", MetricType.Histogram, "h").Histogram([0.5, 1, double.PositiveInfinity], [1, 3, 4], 2.5, 4, ("stage", "s"));
        Assert.Equal("# HELP wirespeed_h_seconds h\n# TYPE wirespeed_h_seconds histogram\n" +
                     "wirespeed_h_seconds_bucket{stage=\"s\",le=\"0.5\"} 1\nwirespeed_h_seconds_bucket{stage=\"s\",le=\"1\"} 3\n" +
                     "wirespeed_h_seconds_bucket{stage=\"s\",le=\"+Inf\"} 4\nwirespeed_h_seconds_sum{stage=\"s\"} 2.5\nwirespeed_h_seconds_count{stage=\"s\"} 4\n", t.ToString());
    }

    [Fact]
    public void Stage_histograms_become_cumulative_second_buckets()
    {
        var h = new LongHistogram(1, StageMetrics.HighestTrackableNs, 3);
        h.RecordValueWithCount(800, 10);          // ≤ 1 µs
        h.RecordValueWithCount(3_000, 5);         // ≤ 5 µs
        h.RecordValueWithCount(2_000_000, 2);     // ≤ 2.5 ms
        h.RecordValue(30_000_000_000);            // above 10 s: only +Inf
        var counts = new long[FeedMetrics.LatencyBucketsSeconds.Length];
        double sum = FeedMetrics.CumulativeBuckets(h, counts);
        int At(double seconds) => Array.IndexOf(FeedMetrics.LatencyBucketsSeconds, seconds);
        Assert.Equal(0, counts[At(500e-9)]);
        Assert.Equal(10, counts[At(1e-6)]);
        Assert.Equal(10, counts[At(2.5e-6)]);
        Assert.Equal(15, counts[At(5e-6)]);
        Assert.Equal(15, counts[At(1e-3)]);
        Assert.Equal(17, counts[At(2.5e-3)]);
        Assert.Equal(17, counts[At(10)]);
        Assert.Equal(18, counts[^1]);
        for (int i = 1; i < counts.Length; i++) Assert.True(counts[i] >= counts[i - 1]);
        Assert.InRange(sum, (10 * 800 + 5 * 3000 + 2 * 2e6 + 30e9) * 0.999e-9, (10 * 800 + 5 * 3000 + 2 * 2e6 + 30e9) * 1.001e-9);
    }

    [Fact]
    public void The_monitor_only_exposition_passes_promtool()
    {
        string promtool = PrometheusTools.Promtool();
        using var monitor = new RunMonitor(new MonitorOptions { HiccupMeter = false });
        var stage = new StageMetrics("decode", 100_000);
        monitor.Add(stage);
        monitor.BeginRun();
        for (int i = 1; i <= 1000; i++) stage.Record(i * 37);
        monitor.SampleInterval();
        string text = FeedMetrics.Build(monitor, host: null);
        Assert.Contains("wirespeed_stage_latency_seconds_count{stage=\"decode\",role=\"stage\"} 1000", text);
        var (code, output) = PrometheusTools.Run(promtool, ["check", "metrics"], stdin: text);
        Assert.True(code == 0, output);
    }
}
