using System;
using System.Diagnostics;
using System.Threading;
using Wirespeed.Core.Pipeline;
using Xunit;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Pipeline.Topology;

namespace Wirespeed.Tests.Core.Pipeline;

public class PipelineAllocationTests
{
    [Theory]
    [InlineData("3")]
    [InlineData("1,2")]
    public void Worker_threads_allocate_zero_bytes_across_a_million_events_after_warm_up(string cut)
    {
        const long warmup = 200_000;
        const long events = 1_300_000;
        var first = new AllocationProbe(warmup);
        var last = new AllocationProbe(warmup);
        var options = new PipelineOptions
        {
            Stages = [new() { Name = "probe-first", BudgetNs = 1 }, new() { Name = "filter", BudgetNs = 1 }, new() { Name = "probe-last", BudgetNs = 1 }],
            Workers = cut == "3"
                ? [new WorkerOptions { Name = "all", Idle = new() { Kind = IdleStrategyKind.BackOff } }]
                : [
                    new WorkerOptions { Name = "up", Stages = ["probe-first"], Idle = new() { Kind = IdleStrategyKind.BackOff } },
                    new WorkerOptions { Name = "down", Stages = ["filter", "probe-last"], Idle = new() { Kind = IdleStrategyKind.BackOff } },
                ],
            RingCapacity = 4096,
            EndToEndBudgetNs = 1,   // budgets of 1 ns: every record is an overrun, so the overrun path is measured too
        };
        using var pipeline = ChainBuilder.Build(options, new GeneratorSource(events),
            new AllocationProbeStage(first), new DropEveryKthStage(k: 1000, q: 999), new AllocationProbeStage(last),
            onlineCpus: CpuList.Range(Environment.ProcessorCount));

        var sw = Stopwatch.StartNew();
        pipeline.Start();
        long expectedLast = events - events / 1000 - (events / 999 - events / (999 * 1000));
        var deadline = Environment.TickCount64 + 30_000;
        while (pipeline.Runners[^1].Delivered < expectedLast && Environment.TickCount64 < deadline) Thread.Sleep(1);
        pipeline.Stop();
        sw.Stop();

        Assert.Equal(expectedLast, pipeline.Runners[^1].Delivered);
        Assert.True(first.EventsAfterBaseline >= 1_000_000, $"only {first.EventsAfterBaseline} events after warm-up");
        Assert.True(last.EventsAfterBaseline >= 1_000_000, $"only {last.EventsAfterBaseline} events after warm-up");
        Assert.Equal(0, first.AllocatedAfterWarmup);
        Assert.Equal(0, last.AllocatedAfterWarmup);
        Assert.NotEqual(Environment.CurrentManagedThreadId, first.ThreadId);   // measured on the worker, not here
        Assert.Equal(cut == "3", first.ThreadId == last.ThreadId);
        Assert.All(pipeline.Stages, s => Assert.Equal(s.Batches, s.Metrics.Overruns));
        Assert.Equal(expectedLast, pipeline.EndToEnd.Overruns);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"{events} events took {sw.Elapsed}");
    }
}
