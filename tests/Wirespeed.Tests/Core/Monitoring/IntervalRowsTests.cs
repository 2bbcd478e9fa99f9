using System.Collections.Generic;
using System.IO;
using Wirespeed.Core.Monitoring;
using Xunit;

namespace Wirespeed.Tests.Core.Monitoring;

/// <summary>What a command that reports by interval (soak) reads from the monitor and writes into the summary.</summary>
public class IntervalRowsTests
{
    [Fact]
    public void The_interval_histogram_holds_exactly_the_values_of_the_last_interval()
    {
        using var monitor = new RunMonitor(new MonitorOptions { HiccupMeter = false, AlertOutput = new StringWriter() });
        var stage = new StageMetrics("service", budgetNs: 0);
        var s = monitor.Add(stage, StageRole.Service);
        monitor.BeginRun();
        for (int i = 0; i < 100; i++) stage.Record(700);
        monitor.SampleInterval();
        Assert.Equal(100, s.IntervalHistogram!.TotalCount);
        Assert.Equal(700, HistogramStats.ValueAtPercentile(s.IntervalHistogram, 50), 700 / 100.0);   // HdrHistogram's precision
        for (int i = 0; i < 10; i++) stage.Record(90_000);
        monitor.SampleInterval();
        Assert.Equal(10, s.IntervalHistogram!.TotalCount);
        Assert.True(HistogramStats.ValueAtPercentile(s.IntervalHistogram, 50) >= 89_000);
    }

    [Fact]
    public void Interval_rows_are_written_to_the_json_only_when_set()
    {
        var summary = new RunSummary { Command = "demo" };
        Assert.DoesNotContain("\"intervals\"", RunSummaryJson.Serialize(summary));
        summary.Intervals = new List<Dictionary<string, long>> { new() { ["index"] = 1, ["rss_bytes"] = 42 } };
        string json = RunSummaryJson.Serialize(summary);
        Assert.Contains("\"intervals\"", json);
        var back = RunSummaryJson.Deserialize(json);
        Assert.Equal(42, Assert.Single(back.Intervals!)["rss_bytes"]);
    }
}
