using System;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using HdrHistogram;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Events;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Priority;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Sim;

namespace Wirespeed.Benchmarks.Priority;

/*
 * Priority under load: what the lanes buy a Critical event when the worker after the book is saturated.
 *
 * A model of the scheduling worker on ONE thread (PLATFORM.md: never two spinning threads on this VM): simulator
 * events, classified by the real breakers and rules (halts and two watched instruments → Critical), arrive on a paced
 * schedule at RatePerSecond with a burst of BurstMultiplier × the rate; each loop turn injects every event whose
 * arrival time has passed through LaneSinkStage, then takes one batch from LaneScheduler and serves it, spending
 * ServiceNs per event (the pattern and signal work the lanes protect). Latency is measured from the event's scheduled
 * arrival (not from when the loop got round to injecting it, so a stalled loop is not hidden: no coordinated
 * omission) to the end of its service, into one HdrHistogram per lane. Service capacity (1e9 / ServiceNs) sits above
 * the base rate and below the burst rate, so queues build in the burst and drain after it.
 */

/// <summary>Settings of <see cref="PriorityLoadHarness"/>.</summary>
public sealed record PriorityLoadOptions
{
    /// <summary>Default: 2,000,000 messages/s.</summary>
    public double RatePerSecond { get; init; } = 2_000_000;
    /// <summary>Default: 400 ms.</summary>
    public long DurationNs { get; init; } = 400_000_000;
    /// <summary>Default: 150 ms after the start.</summary>
    public long BurstStartNs { get; init; } = 150_000_000;
    /// <summary>Default: 20 ms.</summary>
    public long BurstNs { get; init; } = 20_000_000;
    /// <summary>Default: 3 (6 million messages/s during the burst).</summary>
    public double BurstMultiplier { get; init; } = 3;
    /// <summary>Work per event after scheduling. Default: 250 ns (with the loop's own clock reads and recording, capacity about 2.8 million/s).</summary>
    public long ServiceNs { get; init; } = 250;
    /// <summary>Default: 64.</summary>
    public int BatchSize { get; init; } = 64;
}

/// <summary>The priority-under-load harness; run with <c>--filter '*PriorityLoadHarness*' --job dry</c> (one run). Prints its figures.</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1, invocationCount: 1)]
public class PriorityLoadHarness
{
    [Benchmark]
    public string Run()
    {
        string report = Measure(new PriorityLoadOptions());
        Console.WriteLine(report);
        return report;
    }

    /// <summary>Runs the model once and returns a human summary with every figure.</summary>
    public static string Measure(PriorityLoadOptions o)
    {
        double burstExtra = o.BurstNs * (o.BurstMultiplier - 1) / 1e9 * o.RatePerSecond;
        int total = (int)(o.DurationNs / 1e9 * o.RatePerSecond + burstExtra);
        var sim = new SimulatorOptions { Seed = 4, Scenario = SimScenario.Normal, VolatilityPerSqrtSecond = 0.002 };
        var (events, books, table, _) = PriorityBenchEvents.Generate(sim, total);
        total = Math.Min(total, events.Length);

        var priority = new PriorityOptions
        {
            MaxInstruments = table.Capacity,
            LaneCapacity = 1 << 17, // room for the whole burst backlog: overflow would hide latency as drops
            WatchInstruments = [1, 2],
            Rules = [RuleOptions.Of("halts", "critical"), RuleOptions.Of("watchInstruments", "critical"), RuleOptions.Of("size", "high"), RuleOptions.Of("topOfBook", "normal")],
            SurgeMessagesPerWindow = 0,
        };
        var breakers = new BreakerState(new BreakerOptions { MaxInstruments = table.Capacity, MaxSectors = 8 }, table);
        var breakerStage = new BreakerStage<NoBreakerActions>(breakers, books, default);
        var classify = new ClassifyStage<TableRule>(new RuleSetHolder(priority), default, books, table, breakers);
        var ctx = new StageContext();
        for (int i = 0; i < total; i++)
        {
            breakerStage.Process(ref events[i], in ctx);
            classify.Process(ref events[i], in ctx);
        }

        // Arrival schedule, ns from the start: 1/rate apart, 1/(rate × multiplier) inside the burst.
        var arrival = new long[total];
        double t = 0;
        for (int i = 0; i < total; i++)
        {
            arrival[i] = (long)t;
            bool inBurst = t >= o.BurstStartNs && t < o.BurstStartNs + o.BurstNs;
            t += 1e9 / (o.RatePerSecond * (inBurst ? o.BurstMultiplier : 1));
        }

        using var lanes = new LaneQueues(priority.LaneCapacity);
        var sink = new LaneSinkStage(lanes);
        var scheduler = new LaneScheduler(lanes, priority);
        var hist = new LongHistogram[4];
        var service = new LongHistogram(1, 10_000_000, 3);
        for (int l = 0; l < 4; l++) hist[l] = new LongHistogram(1, 10_000_000_000, 3);
        var batch = new MarketEvent[o.BatchSize];
        long start = MonoClock.NowNs();
        int next = 0;
        long served = 0, dropped = 0;
        long lastTop = 0, stalls = 0, longestStall = 0;
        while (served + dropped < total)
        {
            long now = MonoClock.NowNs() - start;
            // Host interference (PLATFORM.md): a loop turn takes at most one batch of service (≈ 64 × ServiceNs); a much
            // longer gap between turns is the VM's host taking the CPU away, which every lane's latency then includes.
            long gap = now - lastTop - o.BatchSize * (o.ServiceNs + 100);
            if (lastTop != 0 && gap > 50_000) { stalls++; longestStall = Math.Max(longestStall, gap); }
            lastTop = now;
            while (next < total && arrival[next] <= now)
            {
                var e = events[next];
                e.ReceiveTimestampNs = start + arrival[next];
                if (sink.Process(ref e, in ctx) == Verdict.Drop) dropped++;
                next++;
            }
            sink.EndBatch(in ctx);
            int got = scheduler.Fill(batch);
            for (int i = 0; i < got; i++)
            {
                long s0 = MonoClock.NowNs();
                long until = s0 + o.ServiceNs;
                long s1;
                do s1 = MonoClock.NowNs(); while (s1 < until); // the downstream work the lanes protect
                service.RecordValue(Math.Max(1, s1 - s0));
                hist[(int)batch[i].Lane].RecordValue(Math.Max(1, s1 - batch[i].ReceiveTimestampNs));
            }
            served += got;
        }
        long wall = MonoClock.NowNs() - start;

        var sb = new StringBuilder();
        sb.AppendLine($"priority under load: {total:N0} events in {wall / 1e6:F1} ms wall, offered {o.RatePerSecond / 1e6:F1} M/s with a {o.BurstNs / 1e6:F0} ms burst at {o.RatePerSecond * o.BurstMultiplier / 1e6:F1} M/s, service {o.ServiceNs} ns/event (measured p50 {service.GetValueAtPercentile(50)} ns)");
        string[] names = ["Critical", "High", "Normal", "Bulk"];
        for (int l = 0; l < 4; l++)
        {
            var h = hist[l];
            if (h.TotalCount == 0) { sb.AppendLine($"  {names[l],-8} no events"); continue; }
            sb.AppendLine($"  {names[l],-8} n={h.TotalCount,9:N0}  p50 {Us(h.GetValueAtPercentile(50)),9}  p99 {Us(h.GetValueAtPercentile(99)),9}  p99.9 {Us(h.GetValueAtPercentile(99.9)),9}  max {Us(HistogramStats.Max(h)),9}" +
                          (l > 0 ? $"  longest wait {scheduler.State.MaxWait((Lane)l)} events (aging bound {scheduler.State.AgingBound((Lane)l)}, aged serves {scheduler.State.AgedServes((Lane)l)})" : ""));
        }
        sb.AppendLine($"  dropped (lane overflow): {dropped}");
        sb.Append($"  host stalls > 50 µs seen by the loop: {stalls}, longest {Us(longestStall)} (latency tails above that are the host's)");
        return sb.ToString();
    }

    private static string Us(long ns) => $"{ns / 1000.0:F1} µs";
}
