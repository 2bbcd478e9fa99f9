using BenchmarkDotNet.Attributes;
using Wirespeed.Core.Events;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Time;

namespace Wirespeed.Benchmarks.Pipeline;

/// <summary>
/// Cost of the stage runner around three trivial stages, per batch of 64 events: timing (4 clock reads), verdict
/// counting, compaction, per-stage histogram records and, with <see cref="EndToEnd"/>, 64 end-to-end records.
/// <see cref="InlineLoopBaseline"/> does the same three stage bodies with no runner; the difference is the overhead.
/// </summary>
[MemoryDiagnoser]
public class StageRunnerBenchmarks
{
    private const int Batch = 64;

    private StageRunner<RepeatSource, StageChain<StageNode<AddQuantity>, StageChain<StageNode<BumpPrice>, StageNode<TagLane>>>> _runner = null!;
    private MarketEvent[] _events = null!;

    /// <summary>Whether the runner also records end-to-end latency of every event.</summary>
    [Params(false, true)]
    public bool EndToEnd { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var chain = Stages.Chain(
            Stages.Node(new AddQuantity(), "add-quantity", 10_000),
            Stages.Node(new BumpPrice(), "bump-price", 10_000),
            Stages.Node(new TagLane(), "tag-lane", 10_000));
        _runner = new("bench", new RepeatSource(MonoClock.NowNs()), chain, Batch, EndToEnd ? new StageMetrics("end-to-end", 0) : null);
        _events = new MarketEvent[Batch];
    }

    /// <summary>One batch of 64 through the runner and its three stages.</summary>
    [Benchmark]
    public int RunnerOneBatch() => _runner.DoWork();

    /// <summary>The three stage bodies over 64 events, no runner: the floor.</summary>
    [Benchmark(Baseline = true)]
    public int InlineLoopBaseline()
    {
        var events = _events;
        StageContext ctx = default;
        var a = new AddQuantity();
        var b = new BumpPrice();
        var c = new TagLane();
        int kept = 0;
        for (int i = 0; i < events.Length; i++)
        {
            if (a.Process(ref events[i], in ctx) == Verdict.Continue
                && b.Process(ref events[i], in ctx) == Verdict.Continue
                && c.Process(ref events[i], in ctx) == Verdict.Continue) kept++;
        }
        return kept;
    }

    /// <summary>Hands back the same 64 events every time (the stages mutate them in place).</summary>
    private struct RepeatSource : IBatchSource
    {
        private readonly long _receivedNs;
        private bool _initialised;

        public RepeatSource(long receivedNs)
        {
            _receivedNs = receivedNs;
            _initialised = false;
        }

        public int Fill(MarketEvent[] batch)
        {
            if (!_initialised)
            {
                for (int i = 0; i < batch.Length; i++) batch[i].ReceiveTimestampNs = _receivedNs;
                _initialised = true;
            }
            return batch.Length;
        }
    }

    private struct AddQuantity : IStage
    {
        public readonly Verdict Process(ref MarketEvent evt, in StageContext ctx)
        {
            evt.Quantity++;
            return Verdict.Continue;
        }

        public readonly void EndBatch(in StageContext ctx) { }
    }

    private struct BumpPrice : IStage
    {
        public readonly Verdict Process(ref MarketEvent evt, in StageContext ctx)
        {
            evt.Price += 100;
            return Verdict.Continue;
        }

        public readonly void EndBatch(in StageContext ctx) { }
    }

    private struct TagLane : IStage
    {
        public readonly Verdict Process(ref MarketEvent evt, in StageContext ctx)
        {
            evt.Lane = Lane.High;
            return Verdict.Continue;
        }

        public readonly void EndBatch(in StageContext ctx) { }
    }
}
