using System;
using System.IO;
using System.Threading;
using Wirespeed.Core.Monitoring;
using Xunit;

namespace Wirespeed.Tests.Core.Monitoring;

public class HostInterferenceTests
{
    private const string SampleProcStat =
        "cpu  10132153 290696 3084719 46828483 16683 0 25195 175628 0 0\n" +
        "cpu0 1393280 32966 572056 13343292 6130 0 17875 87814 0 0\n" +
        "intr 199292 1 0 0\n";

    [Fact]
    public void Cpu_line_of_proc_stat_is_parsed_column_by_column()
    {
        Assert.True(CpuTimes.TryParse(SampleProcStat, out var t));
        Assert.Equal(new CpuTimes(10132153, 290696, 3084719, 46828483, 16683, 0, 25195, 175628), t);
        Assert.Equal(10132153L + 290696 + 3084719 + 46828483 + 16683 + 0 + 25195 + 175628, t.Total);
    }

    [Fact]
    public void Steal_percent_is_the_steal_delta_over_the_total_delta()
    {
        Assert.True(CpuTimes.TryParse("cpu  100 0 50 800 0 0 0 50\n", out var before));
        Assert.True(CpuTimes.TryParse("cpu  300 0 100 1400 0 0 0 200\n", out var after));
        // Deltas: user 200, system 50, idle 600, steal 150 → 150 / 1000.
        Assert.Equal(15.0, CpuTimes.StealPercent(before, after), 9);
        Assert.Equal(0.0, CpuTimes.StealPercent(after, after));
    }

    [Fact]
    public void Old_kernels_without_a_steal_column_read_as_zero_steal()
    {
        Assert.True(CpuTimes.TryParse("cpu  1 2 3 4\n", out var t));
        Assert.Equal(0, t.Steal);
        Assert.Equal(10, t.Total);
    }

    [Fact]
    public void Text_without_an_aggregate_cpu_line_is_rejected()
    {
        Assert.False(CpuTimes.TryParse("cpu0 1 2 3 4\n", out _));
        Assert.False(CpuTimes.TryParse("", out _));
        Assert.False(CpuTimes.TryParse("cpu  12 x 3\n", out _));
    }

    [Fact]
    public void Proc_stat_reader_samples_this_machine_repeatedly()
    {
        using var reader = new ProcStatReader();
        if (!reader.IsAvailable) Assert.Skip("no /proc/stat on this system");
        Assert.True(reader.TryRead(out var first));
        Thread.Sleep(30);
        Assert.True(reader.TryRead(out var second));
        Assert.True(second.Total >= first.Total);
        Assert.InRange(CpuTimes.StealPercent(first, second), 0.0, 100.0);
    }

    [Fact]
    public void Missing_proc_stat_file_is_reported_as_unavailable()
    {
        using var reader = new ProcStatReader(Path.Combine(Path.GetTempPath(), "ws-no-such-proc-stat"));
        Assert.False(reader.IsAvailable);
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void A_stall_longer_than_the_interval_is_back_filled_with_the_samples_it_swallowed()
    {
        var metrics = new StageMetrics("hiccup", 0);
        HiccupMeter.RecordWake(metrics, 60_000, 1_000_000);      // an ordinary wake-up: one sample
        HiccupMeter.RecordWake(metrics, 3_500_000, 1_000_000);   // 3.5 ms late: 3.5, 2.5 and 1.5 ms
        var h = metrics.SampleInterval();
        Assert.Equal(4, h.TotalCount);
        Assert.Equal(1, h.GetCountAtValue(60_000));
        Assert.Equal(1, h.GetCountAtValue(1_500_000));
        Assert.Equal(1, h.GetCountAtValue(2_500_000));
        Assert.Equal(1, h.GetCountAtValue(3_500_000));
    }

    [Fact]
    public void Hiccup_meter_records_its_wakeups_and_stops_cleanly()
    {
        using var meter = new HiccupMeter(intervalMs: 1);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        meter.Start();
        Thread.Sleep(300);
        meter.Stop();
        double elapsedMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Assert.False(meter.IsRunning);
        long count = meter.Metrics.Count;
        // At most one sample per elapsed ms, back-filled stalls included (a spinning loop would make millions), and
        // the meter did run.
        Assert.InRange(count, 10, (long)elapsedMs + 1);
        var h = meter.Metrics.SampleInterval();
        Assert.Equal(count, h.TotalCount);
        Assert.True(HistogramStats.Min(h) >= 1);
        Assert.True(HistogramStats.ValueAtPercentile(h, 50) < 100_000_000, "median hiccup above 100 ms");
        Thread.Sleep(20);
        Assert.Equal(count, meter.Metrics.Count); // stopped means stopped
    }
}
