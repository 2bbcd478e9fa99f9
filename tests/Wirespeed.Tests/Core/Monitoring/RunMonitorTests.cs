using System;
using System.IO;
using System.Threading;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Monitoring;
using Xunit;

namespace Wirespeed.Tests.Core.Monitoring;

public class RunMonitorTests
{
    private static RunMonitor Manual(StringWriter alerts, string? hlog = null) =>
        new(new MonitorOptions { HiccupMeter = false, AlertOutput = alerts, HlogPath = hlog });

    private static void Feed(StageMetrics stage, long value, int count)
    {
        for (int i = 0; i < count; i++) stage.Record(value);
    }

    [Fact]
    public void Budget_alert_is_raised_exactly_when_the_interval_p999_exceeds_the_budget()
    {
        var alerts = new StringWriter();
        using var monitor = Manual(alerts);
        var decode = new StageMetrics("decode", budgetNs: 1000);
        var s = monitor.Add(decode);
        Feed(decode, 9000, 50);                // warm-up before the run: neither alerted nor summarised
        monitor.BeginRun();

        Feed(decode, 1000, 1000);             // p99.9 = 1000 = budget: not above it
        monitor.SampleInterval();
        Assert.Equal(0, s.Alerts);
        Assert.Equal(1000, s.IntervalP999Ns);

        Feed(decode, 500, 999);                // one outlier in 1000: p99.9 is the 999th value = 500
        Feed(decode, 2000, 1);
        monitor.SampleInterval();
        Assert.Equal(0, s.Alerts);
        Assert.Equal(500, s.IntervalP999Ns);

        Feed(decode, 500, 998);                // two outliers in 1000: p99.9 = 2000 > 1000
        Feed(decode, 2000, 2);                 // (below 2048 a 3-digit histogram is exact to 1 ns)
        monitor.SampleInterval();
        Assert.Equal(1, s.Alerts);
        Assert.Equal(2000, s.IntervalP999Ns);

        Feed(decode, 1001, 10);                // just above the budget
        monitor.SampleInterval();
        Assert.Equal(2, s.Alerts);

        monitor.SampleInterval();              // an empty interval never alerts
        Assert.Equal(2, s.Alerts);
        Assert.Equal(2, monitor.Alerts);

        string[] lines = alerts.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("wirespeed alert stage=decode kind=budget p999_ns=2000 budget_ns=1000 max_ns=2000 count=1000 interval=2", lines[0]);
        Assert.StartsWith("wirespeed alert stage=decode kind=budget p999_ns=1001 budget_ns=1000 ", lines[1]);

        monitor.Stop();
        var summary = monitor.BuildSummary("test");
        Assert.Equal(2, summary.Alerts);
        Assert.Equal(2, summary.Stages[0].Alerts);
        Assert.Equal(3010, summary.Stages[0].Count);
        Assert.Equal(1 + 2 + 10, summary.Stages[0].Overruns);
    }

    [Fact]
    public void A_stage_without_budget_never_alerts()
    {
        var alerts = new StringWriter();
        using var monitor = Manual(alerts);
        var stage = new StageMetrics("book", budgetNs: 0);
        var s = monitor.Add(stage);
        monitor.BeginRun();
        Feed(stage, 50_000_000, 100);
        monitor.SampleInterval();
        Assert.Equal(0, s.Alerts);
        Assert.Equal("", alerts.ToString());
    }

    [Fact]
    public void Monitor_interval_allocates_nothing_in_steady_state()
    {
        using var monitor = Manual(new StringWriter());
        var a = new StageMetrics("a", 1_000_000);
        var b = new StageMetrics("b", 0);
        monitor.Add(a);
        monitor.Add(b, StageRole.EndToEnd);
        int progress = 0;
        monitor.Progress = m => progress++;
        monitor.BeginRun();
        // From the first interval on: the spare interval histograms exist since registration (a histogram is a
        // large-object-heap array, and allocating them once the run had begun caused a full GC in the measured run).
        long first = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            Feed(a, 100 + i, 1000);
            Feed(b, 10_000 + i, 1000);
            monitor.SampleInterval();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - first);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            Feed(a, 100 + i, 100);
            Feed(b, 123_456 + i, 100);
            monitor.SampleInterval();
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(25, progress);
        Assert.Equal(5 * 1000 + 20 * 100, monitor.Stages[0].Total.TotalCount);
    }

    [Fact]
    public void Monitor_writes_one_hlog_line_per_stage_per_interval()
    {
        string dir = Directory.CreateTempSubdirectory("ws-mon-").FullName;
        try
        {
            string path = Path.Combine(dir, "run.hlog");
            using var monitor = Manual(new StringWriter(), path);
            var a = new StageMetrics("decode", 0);
            var b = new StageMetrics("book", 0);
            monitor.Add(a);
            monitor.Add(b);
            monitor.BeginRun();
            for (int i = 0; i < 3; i++)
            {
                Feed(a, 200 + i, 100);
                Feed(b, 900, 50);
                monitor.SampleInterval();
            }
            Feed(a, 300, 7);
            monitor.Stop(); // samples the last partial interval
            var intervals = HlogReader.ReadFile(path);
            Assert.Equal(8, intervals.Count);
            var merged = HlogReader.MergeByTag(intervals);
            Assert.Equal(307, merged["decode"].TotalCount);
            Assert.Equal(150, merged["book"].TotalCount);
            Assert.Equal(monitor.Stages[0].Total.TotalCount, merged["decode"].TotalCount);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Monitor_thread_samples_every_interval_and_reports_progress_until_stopped()
    {
        var alerts = new StringWriter();
        using var monitor = new RunMonitor(new MonitorOptions { IntervalMs = 20, AlertOutput = alerts, HiccupIntervalMs = 1 });
        var stage = new StageMetrics("decode", 0);
        monitor.Add(stage);
        int progress = 0;
        monitor.Progress = m => Interlocked.Increment(ref progress);
        monitor.Start();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Volatile.Read(ref progress) < 3 && DateTime.UtcNow < deadline) { stage.Record(1234); Thread.Sleep(5); }
        monitor.Stop();
        Assert.True(progress >= 3, $"only {progress} intervals in 10 s");
        int after = progress;
        Thread.Sleep(60);
        Assert.Equal(after, progress);

        var summary = monitor.BuildSummary("demo");
        Assert.Equal(stage.Count, summary.Stages[0].Count);
        Assert.NotNull(summary.Host.Hiccup);
        Assert.True(summary.Host.Hiccup!.Count > 0);
        Assert.Equal(1, summary.Host.HiccupIntervalMs);
        if (File.Exists("/proc/stat")) Assert.NotNull(summary.Host.StealPercent);
        Assert.True(summary.DurationSeconds > 0);
    }

    [Fact]
    public void Summary_reports_roles_memory_accounts_and_hot_thread_allocation()
    {
        var registry = new MemoryRegistry(0);
        var pool = registry.Register("book.orders", 1 << 20, 4096);
        pool.SetUsed(100);
        pool.SetUsed(40);
        pool.CountExhausted();
        using var monitor = new RunMonitor(new MonitorOptions { HiccupMeter = false, AlertOutput = new StringWriter(), Memory = registry });
        var service = new StageMetrics("service", 0);
        var e2e = new StageMetrics("e2e", 5000);
        monitor.Add(new StageMetrics("decode", 100));
        monitor.Add(service, StageRole.Service);
        monitor.Add(e2e, StageRole.EndToEnd);
        var probe = new ThreadAllocationProbe("worker.0");
        var unmarked = new ThreadAllocationProbe("worker.1");
        monitor.AddProbe(probe);
        monitor.AddProbe(unmarked);
        monitor.BeginRun();

        var t = new Thread(() =>
        {
            probe.Mark();
            s_sink = new byte[1000]; // escapes, so it is a real heap allocation
            probe.Publish();
        });
        t.Start();
        t.Join();
        service.Record(77);
        e2e.Record(1999);
        monitor.Stop();

        var s = monitor.BuildSummary("replay");
        Assert.Single(s.Stages);
        Assert.Equal("decode", s.Stages[0].Name);
        Assert.Equal(77, s.Service!.P50Ns);
        Assert.Equal(1999, s.EndToEnd!.MaxNs);
        Assert.Equal(5000, s.EndToEnd.BudgetNs);
        Assert.Null(s.Host.Hiccup);
        var m = Assert.Single(s.Memory);
        Assert.Equal(("book.orders", 1L << 20, 4096L, 40L, 100L, 1L), (m.Name, m.ReservedBytes, m.CapacityUnits, m.UsedUnits, m.HighWaterUnits, m.Exhausted));
        Assert.Equal(2, s.HotThreads.Count);
        Assert.True(s.HotThreads[0].Marked);
        Assert.InRange(s.HotThreads[0].AllocatedBytes, 1000, 1200);
        Assert.False(s.HotThreads[1].Marked);
        Assert.True(s.Gc.AllocatedBytes > 0);
    }

    private static byte[]? s_sink;

    [Fact]
    public void Allocation_probe_publishes_zero_for_a_thread_that_does_not_allocate()
    {
        var probe = new ThreadAllocationProbe("hot");
        var stage = new StageMetrics("x", 0);
        var t = new Thread(() =>
        {
            for (int i = 0; i < 1000; i++) stage.Record(i + 1); // warm-up
            probe.Mark();
            for (int i = 0; i < 100_000; i++) stage.Record(i % 5000 + 1);
            probe.Publish();
        });
        t.Start();
        t.Join();
        Assert.True(probe.IsMarked);
        Assert.Equal(0, probe.AllocatedSinceMark);
    }

    [Fact]
    public void Options_reject_an_interval_too_short_to_sample()
    {
        Assert.Throws<ArgumentException>(() => new RunMonitor(new MonitorOptions { IntervalMs = 1 }));
    }
}

public class RunMonitorFailureTests
{
    [Fact]
    public void A_failing_hlog_file_raises_one_alert_and_the_run_goes_on()
    {
        if (!File.Exists("/dev/full")) Assert.Skip("no /dev/full to make writes fail");
        var alerts = new StringWriter();
        using var monitor = new RunMonitor(new MonitorOptions { HiccupMeter = false, AlertOutput = alerts, HlogPath = "/dev/full" });
        var stage = new StageMetrics("decode", 0);
        var s = monitor.Add(stage);
        monitor.BeginRun();
        stage.Record(100);
        monitor.SampleInterval();
        stage.Record(100);
        monitor.SampleInterval();
        monitor.Stop();
        Assert.True(monitor.HlogFailed);
        string[] lines = alerts.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("wirespeed alert kind=hlog_failed path=/dev/full error=", line);
        Assert.Equal(2, s.Total.TotalCount);
    }

    [Fact]
    public void A_failing_progress_callback_is_dropped_with_an_alert()
    {
        var alerts = new StringWriter();
        using var monitor = new RunMonitor(new MonitorOptions { HiccupMeter = false, AlertOutput = alerts });
        monitor.Add(new StageMetrics("decode", 0));
        int calls = 0;
        monitor.Progress = _ => { calls++; throw new InvalidOperationException("printer broke"); };
        monitor.BeginRun();
        monitor.SampleInterval();
        monitor.SampleInterval();
        Assert.Equal(1, calls);
        Assert.Null(monitor.Progress);
        Assert.Equal("wirespeed alert kind=progress_failed error=InvalidOperationException interval=0", alerts.ToString().Trim());
    }

    [Fact]
    public void Stage_names_with_spaces_stay_one_word_in_alert_lines()
    {
        var alerts = new StringWriter();
        using var monitor = new RunMonitor(new MonitorOptions { HiccupMeter = false, AlertOutput = alerts });
        var stage = new StageMetrics("book update", 10);
        monitor.Add(stage);
        monitor.BeginRun();
        stage.Record(500);
        monitor.SampleInterval();
        Assert.StartsWith("wirespeed alert stage=book_update kind=budget ", alerts.ToString());
    }
}
