using System;
using System.Collections.Generic;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Pipeline.Topology;
using Xunit;

namespace Wirespeed.Tests.Core.Pipeline;

/// <summary>
/// The pipeline's argument checks and read-only views: what a caller sees when it builds a runner, a link or a
/// pipeline wrongly, and what the accessors hand back once it is built right.
/// </summary>
public class PipelineContractTests
{
    private static readonly CpuList AnyCpus = CpuList.Range(4);

    private struct NoPackets : IPacketSource
    {
        public readonly int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler => 0;
    }

    /// <summary>A decoder that claims it can yield no event from a packet: a contract breach the source refuses.</summary>
    private struct ZeroBoundDecoder : IPacketDecoder
    {
        public readonly int MaxEventsPerPacket => 0;
        public readonly int EventBound(ReadOnlySpan<byte> payload) => 0;
        public readonly void Decode(ReadOnlySpan<byte> payload, in PacketInfo info, ref EventBatchWriter events) { }
    }

    [Fact]
    public void A_decoder_that_yields_no_event_per_packet_is_refused_by_name()
    {
        var e = Assert.Throws<ArgumentException>(() => new PacketBatchSource<NoPackets, ZeroBoundDecoder>(default, default));
        Assert.Equal("decoder", e.ParamName);
        Assert.Contains("MaxEventsPerPacket=0 must be >= 1", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(WorkerOptions.MaxBatchSize + 1)]
    public void A_runner_batch_size_outside_its_range_is_refused(int batchSize)
    {
        var e = Assert.Throws<ArgumentException>(() => new StageRunner<GeneratorSource, StageNode<StampStage>>(
            "r", new GeneratorSource(10), Stages.Node(new StampStage(1), "a", 0), batchSize, null));
        Assert.Equal("batchSize", e.ParamName);
        Assert.Contains($"batchSize={batchSize} must be in 1..{WorkerOptions.MaxBatchSize}", e.Message);
    }

    [Fact]
    public void A_runner_shows_its_batch_size_timed_source_chain_and_agent()
    {
        var source = new StageCounters("generate", 0);
        var runner = new StageRunner<GeneratorSource, StageNode<StampStage>>(
            "r", new GeneratorSource(100), Stages.Node(new StampStage(1), "a", 0), 16, null, source);
        Assert.Equal(16, runner.BatchSize);
        Assert.Same(source, runner.SourceStage);
        Assert.Equal("r", runner.Counters.Name);
        Assert.Same(runner.Stages[0], runner.Chain.Counters);   // the node's counters are the runner's first stage's
        Assert.Same(runner, runner.AsAgent().Runner);
        while (runner.DoWork() > 0) { }
        Assert.Equal(100, runner.Chain.Counters.Events);
        Assert.Equal(100, runner.Source.Produced);
        Assert.Equal(7, source.Batches);                          // ceil(100 / 16), each timed
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(24)]
    public void A_ring_link_whose_capacity_is_not_a_power_of_two_is_refused(int capacity)
    {
        var e = Assert.Throws<ArgumentException>(() => new RingLink("a->b", capacity));
        Assert.Equal("capacity", e.ParamName);
    }

    [Fact]
    public void A_ring_link_names_itself_and_accounts_its_slots()
    {
        var registry = new MemoryRegistry(0);
        using var link = new RingLink("a->b", 64, registry);
        Assert.Equal("a->b", link.Name);
        Assert.Equal("ring.a->b", link.Account.Name);
        Assert.Equal(64, link.Account.CapacityUnits);
        Assert.Contains(registry.Snapshot(), a => ReferenceEquals(a, link.Account));
    }

    [Fact]
    public void A_pipeline_whose_links_do_not_join_its_workers_is_refused()
    {
        var options = new PipelineOptions { Stages = [new() { Name = "a" }], Workers = [new WorkerOptions { Name = "w", Stages = ["a"] }] };
        var e = Assert.Throws<ArgumentException>(() => new RunningPipeline(options, new Worker[2], [], [], [], [], new StageMetrics("e2e", 0)));
        Assert.Equal("links", e.ParamName);
        Assert.Contains("2 workers need 1 links, got 0", e.Message);
    }

    [Fact]
    public void Two_stages_on_one_worker_run_in_order()
    {
        var collector = new Collector(200);
        var options = new PipelineOptions
        {
            Stages = [new() { Name = "stamp" }, new() { Name = "collect" }],
            Workers = [new WorkerOptions { Name = "w0", Idle = new IdleStrategyOptions { Kind = IdleStrategyKind.BackOff, MaxSpins = 10, MaxYields = 10 } }],
        };
        using var pipeline = ChainBuilder.Build(options, new GeneratorSource(150), new StampStage(3), new CollectStage(collector), onlineCpus: AnyCpus);
        Assert.Single(pipeline.Workers);
        pipeline.Start();
        bool arrived = collector.WaitFor(150);
        pipeline.Stop();
        Assert.True(arrived, $"{collector.Count} of 150 events arrived");
        Assert.Throws<InvalidOperationException>(pipeline.Start);   // once only
        for (int i = 0; i < 150; i++) Assert.Equal((ulong)(i + 1), collector.Sequences[i]);
        Assert.Equal(3 + collector.Sequences[0], collector.Aux[0]);
    }

    [Fact]
    public void A_ring_that_does_not_fit_the_memory_ceiling_fails_the_build_and_frees_the_rings_made_before_it()
    {
        var options = new PipelineOptions
        {
            Stages = [new() { Name = "a" }, new() { Name = "b" }, new() { Name = "c" }],
            Workers = [new WorkerOptions { Name = "w0", Stages = ["a"] }, new WorkerOptions { Name = "w1", Stages = ["b"] }, new WorkerOptions { Name = "w2", Stages = ["c"] }],
            RingCapacity = 1024,
        };
        // Room for exactly one ring's arena: the second link is over the ceiling.
        var probe = new MemoryRegistry(0);
        long oneRing;
        using (new RingLink("probe", 1024, probe)) oneRing = probe.ReservedBytes;
        Assert.True(oneRing > 0);
        var registry = new MemoryRegistry(oneRing + oneRing / 2);
        var collector = new Collector(1);
        Assert.Throws<MemoryCeilingException>(() => ChainBuilder.Build(options, new GeneratorSource(1), new StampStage(1), new StampStage(2),
            new CollectStage(collector), registry, onlineCpus: AnyCpus));
        Assert.Equal(0, registry.ReservedBytes);   // the first ring was unmapped and its account removed
    }

    [Fact]
    public void Stage_views_hand_back_what_they_were_built_with()
    {
        var counters = new StageCounters("x", 0);
        var node = new StageNode<StampStage>(new StampStage(1), counters);
        Assert.Same(counters, node.Counters);

        var books = new OrderBookSet(new BookOptions { MaxInstruments = 4, MaxLiveOrders = 16, MaxLevelsPerSide = 4 });
        Assert.Same(books, new BookStage(books).Books);

        Assert.False(new DeliverStage(new DeliverCounters(), null).RecordOneWay);
        Assert.True(new DeliverStage(new DeliverCounters(), new StageMetrics("one-way", 0)).RecordOneWay);
    }

    [Fact]
    public void Options_name_the_missing_stage_budget_the_empty_stage_list_and_repeated_or_idle_workers()
    {
        var options = new PipelineOptions { Stages = [new() { Name = "book", BudgetNs = 5 }], Workers = [new WorkerOptions { Name = "w" }] };
        Assert.Equal(5, options.BudgetOf("book"));
        var e = Assert.Throws<ArgumentException>(() => options.BudgetOf("classify"));
        Assert.Contains("pipeline.stages has no stage named 'classify'", e.Message);

        var empty = Assert.Throws<PipelineConfigException>(() => new PipelineOptions { Stages = [], Workers = [new WorkerOptions { Name = "w" }] }.Validated(AnyCpus));
        Assert.Contains(empty.Errors, m => m.StartsWith("pipeline.stages is empty", StringComparison.Ordinal));

        var twice = Assert.Throws<PipelineConfigException>(() => new PipelineOptions
        {
            Stages = [new() { Name = "a" }, new() { Name = "b" }],
            Workers = [new WorkerOptions { Name = "w", Stages = ["a"] }, new WorkerOptions { Name = "w", Stages = ["b"] }],
        }.Validated(AnyCpus));
        Assert.Contains(twice.Errors, m => m.Contains("pipeline.workers[1].name=\"w\": already used by pipeline.workers[0]", StringComparison.Ordinal));

        var idle = Assert.Throws<PipelineConfigException>(() => new PipelineOptions
        {
            Stages = [new() { Name = "a" }],
            Workers = [new WorkerOptions { Name = "w0", Stages = ["a"] }, new WorkerOptions { Name = "w1", Stages = [] }],
        }.Validated(AnyCpus));
        Assert.Contains(idle.Errors, m => m.StartsWith("pipeline.workers[1].stages is empty", StringComparison.Ordinal));
    }

    [Fact]
    public void Advancing_a_batch_writer_by_nothing_commits_nothing()
    {
        var target = new MarketEvent[8];
        var writer = new EventBatchWriter(target, 2, 4);
        writer.Advance(0);
        writer.Advance(-3);
        Assert.Equal(0, writer.Count);
        Assert.Equal(4, writer.Free.Length);
        writer.Advance(5);   // one more than there is room for: counted as overflow
        Assert.Equal(4, writer.Count);
        Assert.Equal(1, writer.Overflow);
    }
}
