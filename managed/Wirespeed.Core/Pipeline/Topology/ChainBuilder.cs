using System;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Books;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Priority;

namespace Wirespeed.Core.Pipeline.Topology;

/// <summary>
/// The one place a chain is built (cold path): stages, the workers that run them, and the links between workers (SPSC
/// rings, or the four lane rings of the feed chain), laid out as <see cref="PipelineOptions"/> says. Production builds
/// the feed chain with <see cref="Feed"/>; the ready-made two- and three-stage layouts (<c>ChainBuilder.Layouts.cs</c>)
/// serve the pipeline's tests and any chain of two or three stages. Both go through one <see cref="BuildContext"/>
/// (<c>ChainBuilder.Context.cs</c>), which validates the options, makes the counters, creates the workers and links.
/// </summary>
/// <remarks>
/// Generic arguments are fixed at compile time, so each possible cut of a chain is a case of a switch, and each case
/// is its own specialised loop (<see cref="StageRunner{TSource, TChain}"/> over nested <see cref="Stages.Chain{TFirst, TRest}"/>
/// structs); the options choose among them at run time. Stage structs are copied into the workers that run them: keep
/// per-stage state that others must read in objects the struct refers to.
/// <para>The feed chain (the decode runs inside the first worker's source, timed as <c>pipeline.source</c>):</para>
/// <code>
/// single: decode → book → breakers → classify → publish → deliver                 (classify writes lanes; nothing reorders)
/// split:  decode → book → breakers → classify → publish → lane sink ═(4 lane rings)═► LaneScheduler → deliver
///                                                 ╚═(top-of-book broadcast ring)═► pattern workers (<see cref="PatternAgent{TGroup, TSink, TGate}"/>)
/// </code>
/// Ordering guarantee (DESIGN.md): decode, book, breakers, classify and publish all run on the first worker in feed
/// order; each lane is a FIFO SPSC ring, so one instrument's events stay in feed order within a lane; only deliver,
/// which reads state and bears no sequence, sees lanes interleaved (Critical first, with aging bounds on the others).
/// The publish stage writes top-of-book changes and trades into the broadcast ring in feed order; every pattern worker
/// reads that ring in the same order. It runs after the breakers and classify (DESIGN.md's order: book, classify,
/// patterns) for two reasons: a published event carries the lane classify gave it, and a batch is published (release)
/// only after the breakers have taken every event of it, so the breaker level a pattern worker's gate reads is never
/// older than the event it evaluates. The pattern workers bear no sequence and may run behind the feed.
/// <para>Use:</para>
/// <code>
/// using var pipeline = ChainBuilder.Build(options, source, new StampStage(1), new SpinStage(50), registry, onFault);
/// pipeline.Start();
/// foreach (string line in pipeline.DescribeWorkers()) log(line);   // pinning outcome and isolation warnings
/// …
/// pipeline.Stop();                                                  // drains upstream first; throws if a worker faulted
/// </code>
/// </remarks>
public static partial class ChainBuilder
{
    /// <summary>Stages of the feed chain: book, breakers, classify, publish, deliver (the options name them, in this order).</summary>
    public const int FeedStageCount = 5;

    /// <summary>
    /// Builds the feed chain: book → breakers → classify → publish → deliver, on one worker (<c>5</c>) or split at the
    /// lanes (<c>4,1</c>); <paramref name="lanes"/> and <paramref name="scheduler"/> are required for the split.
    /// </summary>
    /// <param name="options">Topology with five stages; validated here.</param>
    /// <param name="source">Feeds the first worker (the packet source and decoder).</param>
    /// <param name="book">A <see cref="BookStage"/>, or a <see cref="PerLineStage{TStage}"/> of them when the worker receives several lines.</param>
    /// <param name="breakers">A <see cref="BreakerStage{TActions}"/>, or a <see cref="PerLineStage{TStage}"/> of them.</param>
    /// <param name="classify">A <see cref="ClassifyStage{TRules}"/>, or a <see cref="PerLineStage{TStage}"/> of them.</param>
    /// <param name="publish">The <see cref="TopOfBookPublishStage"/> (per line, inline with detection) when patterns
    /// run, else <see cref="NoPublishStage"/> (the stage and its row stay, doing nothing).</param>
    /// <param name="deliver">The last stage, on the last worker.</param>
    /// <param name="lanes">The lane rings between the two workers of the split; null for one worker.</param>
    /// <param name="scheduler">The second worker's source under the split; null for one worker.</param>
    /// <param name="onFault">Told about an agent's exception (on the worker thread); null writes it to stderr.</param>
    /// <param name="onlineCpus">CPUs that exist, for validation; default: this machine's.</param>
    public static RunningPipeline Feed<TSource, TBook, TBreakers, TClassify, TPublish>(PipelineOptions options, TSource source, TBook book,
        TBreakers breakers, TClassify classify, TPublish publish, DeliverStage deliver, LaneQueues? lanes, LaneScheduler? scheduler,
        Action<Worker, Exception>? onFault = null, CpuList? onlineCpus = null)
        where TSource : struct, IBatchSource
        where TBook : struct, IStage
        where TBreakers : struct, IStage
        where TClassify : struct, IStage
        where TPublish : struct, IStage
    {
        var ctx = new BuildContext(options, FeedStageCount, onFault, onlineCpus);
        var nBook = Stages.Node(book, ctx.Stage(0));
        var nBreakers = Stages.Node(breakers, ctx.Stage(1));
        var nClassify = Stages.Node(classify, ctx.Stage(2));
        var nPublish = Stages.Node(publish, ctx.Stage(3));
        var nDeliver = Stages.Node(deliver, ctx.Stage(4));
        switch (ctx.Cut)
        {
            case "5":
                ctx.AddWorker(0, source, Stages.Chain(nBook, nBreakers, Stages.Chain(nClassify, nPublish, nDeliver)));
                break;
            case "4,1":
                if (lanes is null || scheduler is null)
                    throw new ArgumentException("topology split needs the lane queues and their scheduler", nameof(lanes));
                // A full lane is back-pressure, as the ring between split workers always was: market events are not
                // dropped. If the deliver worker faults, closing the lanes lets the first worker stop waiting (and
                // count what it abandons).
                ctx.AddWorker(0, source, Stages.Chain(nBook, nBreakers, Stages.Chain(nClassify, nPublish, ctx.LaneSink(lanes))));
                ctx.AddWorker(1, scheduler.Value, nDeliver, lanes.CloseAll);
                break;
            default:
                throw ctx.Unsupported();
        }
        return ctx.Finish();
    }
}
