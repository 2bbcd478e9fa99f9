using System;
using System.Linq;
using System.Threading;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Pipeline.Topology;
using Wirespeed.Core.Priority;
using Wirespeed.Core.Time;
using Xunit;

namespace Wirespeed.Tests.Core.Pipeline;

/// <summary>
/// <see cref="ChainBuilder.Feed"/> with stand-in stages: the five-stage feed chain on one worker, or split at the lanes,
/// delivers every event the stages pass, counts them in the same rows, and refuses layouts it does not have.
/// </summary>
public class ChainBuilderFeedTests
{
    private static readonly CpuList AnyCpus = CpuList.Range(4);
    private static readonly string[] Names = ["book", "breakers", "classify", "publish", "deliver"];

    private static PipelineOptions Options(params int[] cut)
    {
        // BackOff, never BusySpin: tests must not run two spinning threads on this 2-CPU box.
        var idle = new IdleStrategyOptions { Kind = IdleStrategyKind.BackOff, MaxSpins = 10, MaxYields = 10 };
        var workers = new WorkerOptions[cut.Length];
        int next = 0;
        for (int w = 0; w < cut.Length; w++)
        {
            workers[w] = new WorkerOptions { Name = "w" + w, Idle = idle, Stages = cut.Length == 1 ? [] : Names[next..(next + cut[w])] };
            next += cut[w];
        }
        return new PipelineOptions { Stages = Array.ConvertAll(Names, n => new StageOptions { Name = n }), Workers = workers, RingCapacity = 1024 };
    }

    private static void WaitDelivered(DeliverCounters counters, long expected)
    {
        long deadline = MonoClock.NowNs() + 20_000_000_000;
        while (Volatile.Read(ref counters.Events) < expected && MonoClock.NowNs() < deadline) Thread.Sleep(2);
    }

    [Fact]
    public void On_one_worker_every_event_the_stages_pass_is_delivered_in_feed_order()
    {
        const long events = 30_000;
        long expected = events - events / 3;
        var collector = new Collector((int)expected + 16);
        var delivered = new DeliverCounters();
        using var pipeline = ChainBuilder.Feed(Options(5), new GeneratorSource(events, perFill: 50), new StampStage(1),
            new DropEveryKthStage(k: 3), new StampStage(2), new CollectStage(collector), new DeliverStage(delivered, null),
            null, null, onlineCpus: AnyCpus);
        pipeline.Start();
        WaitDelivered(delivered, expected);
        pipeline.Stop();

        Assert.Equal(expected, delivered.Events);
        Assert.Equal(expected, collector.Count);
        Assert.True(collector.Sequences[..collector.Count].SequenceEqual(collector.Sequences[..collector.Count].Order()), "events left in feed order");
        Assert.Single(pipeline.Workers);
        Assert.Empty(pipeline.Links);
        Assert.Equal(Names, pipeline.Stages.Select(s => s.Name).ToArray());
        Assert.Equal(events / 3, pipeline.Stages[1].Dropped);
        Assert.Equal(expected, pipeline.EndToEnd.Count);
    }

    [Fact]
    public void Split_at_the_lanes_delivers_every_event_on_the_second_worker_with_the_lanes_as_its_link()
    {
        const long events = 30_000;
        long expected = events - events / 3;
        var collector = new Collector((int)expected + 16);
        var delivered = new DeliverCounters();
        using var lanes = new LaneQueues(256);
        using var pipeline = ChainBuilder.Feed(Options(4, 1), new GeneratorSource(events, perFill: 50), new StampStage(1),
            new DropEveryKthStage(k: 3), new StampStage(2), new CollectStage(collector), new DeliverStage(delivered, null),
            lanes, new LaneScheduler(lanes, new PriorityOptions()), onlineCpus: AnyCpus);
        pipeline.Start();
        WaitDelivered(delivered, expected);
        pipeline.Stop();

        Assert.Equal(expected, delivered.Events);
        Assert.Equal(expected, delivered.ByLane.Sum());
        Assert.Equal(2, pipeline.Workers.Count);
        Assert.Same(lanes.Link(global::Wirespeed.Core.Events.Lane.Critical), Assert.Single(pipeline.Links));
        Assert.Equal("link.lanes", Assert.Single(pipeline.LinkStages).Name);
        Assert.Equal(expected, pipeline.LinkStages[0].Events);
        Assert.Equal(expected, pipeline.EndToEnd.Count);
        for (int l = 0; l < 4; l++) Assert.Equal(0, lanes.Overflow((global::Wirespeed.Core.Events.Lane)l));   // a full lane waits, never drops
    }

    [Fact]
    public void Layouts_the_feed_chain_does_not_have_are_refused_with_the_cut_named()
    {
        var e = Assert.Throws<PipelineConfigException>(() => ChainBuilder.Feed(Options(3, 1, 1), new GeneratorSource(0), new StampStage(1),
            new StampStage(2), new StampStage(3), new StampStage(4), new DeliverStage(new DeliverCounters(), null), null, null, onlineCpus: AnyCpus));
        Assert.Contains("stages per worker 3,1,1 is not a layout", e.Message);

        var a = Assert.Throws<ArgumentException>(() => ChainBuilder.Feed(Options(4, 1), new GeneratorSource(0), new StampStage(1),
            new StampStage(2), new StampStage(3), new StampStage(4), new DeliverStage(new DeliverCounters(), null), null, null, onlineCpus: AnyCpus));
        Assert.Contains("lane queues", a.Message);

        var s = Assert.Throws<PipelineConfigException>(() => ChainBuilder.Feed(Options(5) with { Stages = [new() { Name = "book" }] },
            new GeneratorSource(0), new StampStage(1), new StampStage(2), new StampStage(3), new StampStage(4),
            new DeliverStage(new DeliverCounters(), null), null, null, onlineCpus: AnyCpus));
        Assert.Contains("this build composes 5 stages", s.Message);
    }
}
