using System;
using Wirespeed.Core.Events;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Pipeline;
using Xunit;

namespace Wirespeed.Tests.Core.Pipeline;

public class StageRunnerTests
{
    private static StageRunner<TSource, TChain> Runner<TSource, TChain>(TSource source, TChain chain, int batchSize, StageMetrics? e2e = null)
        where TSource : struct, IBatchSource where TChain : struct, IStageChain
        => new("test", source, chain, batchSize, e2e);

    private static int RunToEnd<TSource, TChain>(StageRunner<TSource, TChain> runner)
        where TSource : struct, IBatchSource where TChain : struct, IStageChain
    {
        int calls = 0;
        while (runner.DoWork() > 0) calls++;
        return calls;
    }

    [Fact]
    public void Runner_counts_each_verdict_per_stage_and_passes_only_survivors_on()
    {
        var collector = new Collector(1000);
        var runner = Runner(new GeneratorSource(1000), Stages.Chain(
            Stages.Node(new StampStage(1), "stamp", 0),
            Stages.Node(new DropEveryKthStage(k: 4, q: 10), "filter", 0),   // drops 4,8,..; quarantines 10,30,50,.. (not multiples of 4)
            Stages.Node(new CollectStage(collector), "collect", 0)), batchSize: 64);

        int batches = RunToEnd(runner);

        Assert.Equal(16, batches);                                          // ceil(1000 / 64)
        var stamp = runner.Stages[0];
        var filter = runner.Stages[1];
        var collect = runner.Stages[2];
        Assert.Equal(("stamp", "filter", "collect"), (stamp.Name, filter.Name, collect.Name));
        Assert.Equal(1000, stamp.Events);
        Assert.Equal(0, stamp.Dropped + stamp.Quarantined);
        Assert.Equal(1000, filter.Events);
        Assert.Equal(250, filter.Dropped);
        Assert.Equal(50, filter.Quarantined);                               // multiples of 10 that are not multiples of 4: 10,30,..,990
        Assert.Equal(700, filter.Passed);
        Assert.Equal(700, collect.Events);
        Assert.Equal(1000, runner.Counters.Events);
        Assert.Equal(700, runner.Counters.Delivered);
        Assert.Equal(700, collector.Count);
        // Survivors keep their order and were stamped exactly once.
        for (int i = 1; i < collector.Count; i++) Assert.True(collector.Sequences[i] > collector.Sequences[i - 1]);
        Assert.All(collector.Sequences[..700], s => Assert.True(s % 4 != 0 && s % 10 != 0));
        Assert.Equal(1 + collector.Sequences[0], collector.Aux[0]);
    }

    [Fact]
    public void Each_stage_records_one_latency_value_per_batch()
    {
        var runner = Runner(new GeneratorSource(640), Stages.Chain(
            Stages.Node(new StampStage(1), "a", 0), Stages.Node(new StampStage(2), "b", 0)), batchSize: 64);

        RunToEnd(runner);

        Assert.Equal(10, runner.Counters.Batches);
        Assert.All(runner.Stages, s => Assert.Equal(10, s.Metrics.Count));
        Assert.All(runner.Stages, s => Assert.Equal(10, s.Batches));
    }

    [Fact]
    public void End_to_end_latency_is_recorded_for_each_surviving_event_from_its_receive_time()
    {
        var e2e = new StageMetrics("end-to-end", budgetNs: 0);
        const long ageNs = 2_000_000;                                       // events "received" 2 ms before they were made
        var runner = Runner(new GeneratorSource(500, receiveAgeNs: ageNs), Stages.Chain(
            Stages.Node(new DropEveryKthStage(k: 5), "filter", 0), Stages.Node(new StampStage(1), "stamp", 0)), batchSize: 32, e2e);

        RunToEnd(runner);

        Assert.Equal(400, e2e.Count);
        var h = e2e.SampleInterval();
        Assert.Equal(400, h.TotalCount);
        Assert.True(h.GetValueAtPercentile(0) >= ageNs * 0.999, $"min e2e {h.GetValueAtPercentile(0)} ns < receive age {ageNs} ns");
        Assert.True(h.GetValueAtPercentile(100) < 10_000_000_000L);
    }

    [Fact]
    public void Budget_overruns_are_counted_for_a_stage_slower_than_its_budget()
    {
        var runner = Runner(new GeneratorSource(10 * 16), Stages.Chain(
            Stages.Node(new SpinStage(spinNs: 200_000), "slow", budgetNs: 50_000),
            Stages.Node(new StampStage(1), "fast", budgetNs: 1_000_000_000)), batchSize: 16);

        RunToEnd(runner);

        var slow = runner.Stages[0].Metrics;
        var fast = runner.Stages[1].Metrics;
        Assert.Equal(10, slow.Count);
        Assert.Equal(10, slow.Overruns);
        Assert.Equal(0, fast.Overruns);
        Assert.True(slow.SampleInterval().GetValueAtPercentile(0) >= 200_000 * 0.999);
    }

    [Fact]
    public void A_batch_emptied_by_a_stage_skips_the_later_stages()
    {
        var collector = new Collector(64);
        var runner = Runner(new GeneratorSource(64), Stages.Chain(
            Stages.Node(new DropEveryKthStage(k: 1), "drop-all", 0),
            Stages.Node(new CollectStage(collector), "collect", 0)), batchSize: 64);

        RunToEnd(runner);

        Assert.Equal(64, runner.Stages[0].Dropped);
        Assert.Equal(0, runner.Stages[1].Batches);
        Assert.Equal(0, runner.Stages[1].Metrics.Count);
        Assert.Equal(0, collector.Count);
        Assert.Equal(0, runner.Counters.Delivered);
    }

    [Fact]
    public void Idle_source_costs_no_stage_records()
    {
        var runner = Runner(new GeneratorSource(0), Stages.Node(new StampStage(1), "a", 0), batchSize: 8);

        Assert.Equal(0, runner.DoWork());
        Assert.Equal(0, runner.Counters.Batches);
        Assert.Equal(0, runner.Stages[0].Metrics.Count);
    }

    [Fact]
    public void Stage_context_carries_the_batch_sequence_and_count()
    {
        var seen = new long[4];
        var runner = Runner(new GeneratorSource(4 * 10 - 3), Stages.Node(new ContextProbeStage(seen), "probe", 0), batchSize: 10);

        RunToEnd(runner);

        Assert.Equal(new long[] { 0 * 1000 + 10, 1 * 1000 + 10, 2 * 1000 + 10, 3 * 1000 + 7 }, seen);
    }

    private struct ContextProbeStage : IStage
    {
        private readonly long[] _seen;

        public ContextProbeStage(long[] seen) => _seen = seen;

        public readonly Verdict Process(ref MarketEvent evt, in StageContext ctx) => Verdict.Continue;

        public readonly void EndBatch(in StageContext ctx) => _seen[ctx.BatchSequence] = ctx.BatchSequence * 1000 + ctx.BatchCount;
    }
}
