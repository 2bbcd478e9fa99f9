using System;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Priority;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Books;

namespace Wirespeed.Core.Pipeline.Topology;

/// <summary>
/// Composes the feed chain on the workers the plan names (cold path). PipelineBuilder's ready-made layouts join workers
/// with one FIFO ring; here the cut of topology split is the four lane rings, so the chain is assembled from the
/// building blocks (Stages.Node/Chain, StageRunner, Worker.Create, RunningPipeline):
/// <code>
/// single: decode → book → breakers → classify → publish → deliver                 (classify writes lanes; nothing reorders)
/// split:  decode → book → breakers → classify → publish → lane sink ═(4 lane rings)═► LaneScheduler → deliver
///                                                 ╚═(top-of-book broadcast ring)═► pattern workers (<see cref="Patterns.PatternAgent{TGroup, TSink, TGate}"/>)
/// </code>
/// </summary>
/// <remarks>
/// Ordering guarantee (DESIGN.md): decode, book, breakers, classify and publish all run on the first worker in feed
/// order; each lane is a FIFO SPSC ring, so one instrument's events stay in feed order within a lane; only deliver,
/// which reads state and bears no sequence, sees lanes interleaved (Critical first, with aging bounds on the others).
/// The publish stage writes top-of-book changes and trades into the broadcast ring in feed order; every pattern worker
/// reads that ring in the same order. It runs after the breakers and classify (DESIGN.md's order: book, classify,
/// patterns) for two reasons: a published event carries the lane classify gave it, and a batch is published (release)
/// only after the breakers have taken every event of it, so the breaker level a pattern worker's gate reads is never
/// older than the event it evaluates. The pattern workers bear no sequence and may run behind the feed.
/// </remarks>
public static class FeedChain
{
    /// <summary>Builds and returns the pipeline; <paramref name="lanes"/> and <paramref name="scheduler"/> are required for two workers.</summary>
    /// <remarks><paramref name="book"/>, <paramref name="breakers"/>, <paramref name="classify"/>: <see cref="BookStage"/>,
    /// <see cref="BreakerStage{TActions}"/> and <see cref="ClassifyStage{TRules}"/>, or a <see cref="PerLineStage{TStage}"/>
    /// of them when the worker receives several lines. <paramref name="publish"/>: the
    /// <see cref="Core.Patterns.TopOfBookPublishStage"/> (per line, inline with detection) when patterns run, else
    /// <see cref="NoPublishStage"/> (the stage and its row stay, doing nothing).</remarks>
    public static RunningPipeline Build<TSource, TBook, TBreakers, TClassify, TPublish>(PipelineOptions options, TSource source, TBook book,
        TBreakers breakers, TClassify classify, TPublish publish, DeliverStage deliver,
        LaneQueues? lanes, LaneScheduler? scheduler)
        where TSource : struct, IBatchSource
        where TBook : struct, IStage
        where TBreakers : struct, IStage
        where TClassify : struct, IStage
        where TPublish : struct, IStage
    {
        if (options.Stages.Count != 5) throw new ArgumentException($"the feed chain has 5 stages; options list {options.Stages.Count}", nameof(options));
        var stages = new StageCounters[5];
        for (int i = 0; i < 5; i++) stages[i] = new StageCounters(options.Stages[i].Name, options.Stages[i].BudgetNs);
        var endToEnd = new StageMetrics("end-to-end", options.EndToEndBudgetNs);
        var sourceStage = options.Source is { } src ? new StageCounters(src.Name, src.BudgetNs) : null;
        var nBook = Stages.Node(book, stages[0]);
        var nBreakers = Stages.Node(breakers, stages[1]);
        var nClassify = Stages.Node(classify, stages[2]);
        var nPublish = Stages.Node(publish, stages[3]);
        var nDeliver = Stages.Node(deliver, stages[4]);

        if (options.Workers.Count == 1)
        {
            var w0 = Worker(options.Workers[0], source, Stages.Chain(nBook, nBreakers, Stages.Chain(nClassify, nPublish, nDeliver)), endToEnd, sourceStage, out var r0, null);
            return new RunningPipeline(options, [w0], [], stages, [], [r0], endToEnd, sourceStage);
        }
        if (options.Workers.Count != 2 || lanes is null || scheduler is null)
            throw new ArgumentException("topology split needs two workers, the lane queues and their scheduler", nameof(options));
        var laneStage = new StageCounters("link.lanes", 0);
        var first = Worker(options.Workers[0], source,
            Stages.Chain(nBook, nBreakers, Stages.Chain(nClassify, nPublish, Stages.Node(new LaneSinkStage(lanes, options.Workers[0].Idle), laneStage))),
            null, sourceStage, out var c0, null);
        // A full lane is back-pressure, as the ring between split workers always was: market events are not dropped.
        // If the deliver worker faults, closing the lanes lets the first worker stop waiting (and count what it abandons).
        var second = Worker(options.Workers[1], scheduler.Value, nDeliver, endToEnd, null, out var c1, lanes);
        // RunningPipeline closes and frees the link between its workers; here that is the lane rings, owned by the
        // LaneQueues (freed by the host after the workers stop). The Critical ring stands for them: a lane sink never
        // waits on a full ring (it counts an overflow), so closing it changes nothing, and freeing is idempotent.
        return new RunningPipeline(options, [first, second], [lanes.Link(Core.Events.Lane.Critical)], stages, [laneStage], [c0, c1], endToEnd, sourceStage);
    }

    private static Worker Worker<TS, TC>(WorkerOptions w, TS source, TC chain, StageMetrics? endToEnd, StageCounters? sourceStage,
        out RunnerCounters counters, LaneQueues? inbound)
        where TS : struct, IBatchSource
        where TC : struct, IStageChain
    {
        var runner = new StageRunner<TS, TC>(w.Name, source, chain, w.BatchSize, endToEnd, sourceStage);
        counters = runner.Counters;
        return Agents.Worker.Create(w, runner.AsAgent(), (worker, e) =>
        {
            inbound?.CloseAll();
            Console.Error.WriteLine($"wirespeed: worker '{worker.Name}' faulted: {e}");
        });
    }
}
