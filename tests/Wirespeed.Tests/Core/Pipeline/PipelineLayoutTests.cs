using System;
using System.Collections.Generic;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Pipeline;
using Xunit;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Pipeline.Topology;

namespace Wirespeed.Tests.Core.Pipeline;

public class PipelineLayoutTests
{
    private static readonly CpuList AnyCpus = CpuList.Range(4);

    private static PipelineOptions Options(string cut, int ringCapacity = 1024, int batchSize = 64)
    {
        string[] names = ["stamp", "filter", "collect"];
        var counts = Array.ConvertAll(cut.Split(','), int.Parse);
        var workers = new List<WorkerOptions>();
        int next = 0;
        for (int w = 0; w < counts.Length; w++)
        {
            workers.Add(new WorkerOptions
            {
                Name = "w" + w,
                BatchSize = batchSize,
                // BackOff, never BusySpin: tests must not run two spinning threads on this 2-CPU box.
                Idle = new IdleStrategyOptions { Kind = IdleStrategyKind.BackOff, MaxSpins = 10, MaxYields = 10 },
                Stages = names[next..(next + counts[w])],
            });
            next += counts[w];
        }
        return new PipelineOptions
        {
            Stages = [new() { Name = "stamp", BudgetNs = 1_000_000 }, new() { Name = "filter" }, new() { Name = "collect" }],
            Workers = workers,
            RingCapacity = ringCapacity,
            Source = new StageOptions { Name = "generate", BudgetNs = 1_000_000_000 },
        };
    }

    private static (ulong[] Sequences, ulong[] Aux, RunningPipeline Pipeline) Run(string cut, long events, int ringCapacity = 1024, int batchSize = 64)
    {
        int expected = (int)(events - events / 3);
        var collector = new Collector(expected + 16);
        var pipeline = ChainBuilder.Build(Options(cut, ringCapacity, batchSize), new GeneratorSource(events, perFill: 50),
            new StampStage(7), new DropEveryKthStage(k: 3), new CollectStage(collector), onlineCpus: AnyCpus);
        using (pipeline)
        {
            pipeline.Start();
            bool arrived = collector.WaitFor(expected);
            pipeline.Stop();
            Assert.True(arrived, $"layout {cut}: {collector.Count} of {expected} events arrived");
        }
        return (collector.Sequences[..collector.Count], collector.Aux[..collector.Count], pipeline);
    }

    [Theory]
    [InlineData("1,2")]
    [InlineData("2,1")]
    [InlineData("1,1,1")]
    public void Output_on_several_workers_joined_by_rings_equals_output_on_one_worker(string cut)
    {
        const long events = 100_000;
        var single = Run("3", events);
        var split = Run(cut, events);

        Assert.Equal(events - events / 3, single.Sequences.Length);
        Assert.Equal(single.Sequences, split.Sequences);
        Assert.Equal(single.Aux, split.Aux);
        Assert.Equal(cut.Split(',').Length, split.Pipeline.Workers.Count);
        Assert.Equal(split.Pipeline.Workers.Count - 1, split.Pipeline.Links.Count);
        Assert.Equal(events / 3, split.Pipeline.Stages[1].Dropped);
        Assert.Equal(events - events / 3, split.Pipeline.EndToEnd.Count);
        Assert.Equal(events, split.Pipeline.SourceStage!.Events);                     // the timed source: every batch it filled
        Assert.Equal(split.Pipeline.SourceStage.Batches, split.Pipeline.SourceStage.Metrics.Count);
        Assert.Equal(split.Pipeline.Runners[0].Batches, split.Pipeline.SourceStage.Batches);
        Assert.All(split.Pipeline.Links, l => Assert.Equal(0, l.Abandoned));
        var described = split.Pipeline.DescribeWorkers();
        Assert.Equal(split.Pipeline.Workers.Count, described.Length);
        Assert.StartsWith("worker w0 [stamp", described[0]);
        Assert.Contains("BackOff: not pinned", described[0]);
    }

    [Fact]
    public void A_full_ring_is_back_pressure_that_is_counted_and_loses_nothing()
    {
        // An 8-slot ring in front of a consumer that spins 50 µs per batch of 8: the producer must wait, often.
        const int events = 4000;
        var collector = new Collector(events);
        var options = new PipelineOptions
        {
            Stages = [new() { Name = "stamp" }, new() { Name = "slow" }, new() { Name = "collect" }],
            Workers =
            [
                new WorkerOptions { Name = "fast", BatchSize = 8, Stages = ["stamp"], Idle = new() { Kind = IdleStrategyKind.BackOff, MaxSpins = 10, MaxYields = 10 } },
                new WorkerOptions { Name = "slow", BatchSize = 8, Stages = ["slow", "collect"], Idle = new() { Kind = IdleStrategyKind.BackOff, MaxSpins = 10, MaxYields = 10 } },
            ],
            RingCapacity = 8,
        };
        using var pipeline = ChainBuilder.Build(options, new GeneratorSource(events), new StampStage(1), new SpinStage(50_000),
            new CollectStage(collector), onlineCpus: AnyCpus);

        pipeline.Start();
        bool arrived = collector.WaitFor(events);
        pipeline.Stop();

        Assert.True(arrived, $"{collector.Count} of {events} arrived");
        var link = pipeline.Links[0];
        Assert.True(link.BackPressureEvents > 0, "the producer never found the ring full");
        Assert.True(link.BackPressureWaits >= link.BackPressureEvents);
        Assert.Equal(0, link.Abandoned);
        Assert.Equal(0, pipeline.LinkStages[0].Dropped);
        Assert.Equal(events, pipeline.LinkStages[0].Events);
        for (int i = 0; i < events; i++) Assert.Equal((ulong)(i + 1), collector.Sequences[i]);
    }

    [Fact]
    public void A_faulted_downstream_worker_closes_its_ring_so_the_upstream_worker_counts_what_it_cannot_deliver()
    {
        var faults = new List<string>();
        var options = new PipelineOptions
        {
            Stages = [new() { Name = "stamp" }, new() { Name = "bug" }],
            Workers =
            [
                new WorkerOptions { Name = "up", BatchSize = 8, Stages = ["stamp"] },
                new WorkerOptions { Name = "down", BatchSize = 8, Stages = ["bug"] },
            ],
            RingCapacity = 16,
        };
        using var pipeline = ChainBuilder.Build(options, new GeneratorSource(10_000), new StampStage(1), new ThrowOnSequenceStage(100),
            onFault: (w, e) => { lock (faults) faults.Add(w.Name + ": " + e.Message); }, onlineCpus: AnyCpus);

        pipeline.Start();
        var deadline = Environment.TickCount64 + 20_000;
        while (pipeline.Runners[0].Events < 10_000 && Environment.TickCount64 < deadline) System.Threading.Thread.Sleep(1);
        var error = Assert.Throws<WorkerFaultException>(pipeline.Stop);

        Assert.Equal("down", error.Worker);
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal(new[] { "down: test bug at sequence 100" }, faults);
        Assert.Equal(WorkerState.Faulted, pipeline.Workers[1].State);
        Assert.True(pipeline.Links[0].IsClosed);
        Assert.Equal(10_000, pipeline.Runners[0].Events);
        // Every event is accounted for: delivered into the ring, or counted as abandoned (and dropped by verdict).
        Assert.True(pipeline.Links[0].Abandoned > 0);
        Assert.Equal(pipeline.Links[0].Abandoned, pipeline.LinkStages[0].Dropped);
        Assert.Equal(10_000, pipeline.LinkStages[0].Passed + pipeline.Links[0].Abandoned);
    }

    [Fact]
    public void Ring_memory_is_accounted_in_the_memory_registry()
    {
        var registry = new MemoryRegistry(ceilingBytes: 0);
        using var pipeline = ChainBuilder.Build(Options("1,1,1", ringCapacity: 256), new GeneratorSource(0),
            new StampStage(1), new StampStage(2), new StampStage(3), registry, onlineCpus: AnyCpus);

        // Each link's slots are carved from an arena of its own; the ring account names the ring, the arena its parent.
        var rings = Array.FindAll(registry.Snapshot(), a => a.Name.StartsWith("ring.", StringComparison.Ordinal));
        Assert.Equal(new[] { "ring.w0->w1", "ring.w1->w2" }, Array.ConvertAll(rings, a => a.Name));
        Assert.All(rings, a => Assert.Equal(256 * 64, a.ReservedBytes));
        Assert.All(rings, a => Assert.Equal("arena." + a.Name, a.Parent!.Name));
        pipeline.Dispose();
        Assert.DoesNotContain(registry.Snapshot(), a => a.Name.StartsWith("arena.ring.", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_refuses_options_whose_stage_count_differs_from_the_composition()
    {
        var options = Options("3") with { Stages = [new() { Name = "stamp" }, new() { Name = "filter" }] , Workers = [new WorkerOptions { Stages = ["stamp", "filter"] }] };

        var e = Assert.Throws<PipelineConfigException>(() => ChainBuilder.Build(options, new GeneratorSource(0),
            new StampStage(1), new StampStage(2), new StampStage(3), onlineCpus: AnyCpus));

        Assert.Contains("pipeline.stages has 2 entries, but this build composes 3 stages", e.Message);
    }
}
