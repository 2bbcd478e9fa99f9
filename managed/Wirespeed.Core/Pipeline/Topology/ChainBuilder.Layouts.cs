using System;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Memory;

namespace Wirespeed.Core.Pipeline.Topology;

/// <summary>
/// Ready-made layouts of two or three stages (tests and benchmarks): a source and concrete stage structs, all on one
/// worker or cut into consecutive runs joined by SPSC rings (<see cref="RingLink"/>), as the options say.
/// </summary>
public static partial class ChainBuilder
{
    /// <summary>Builds a two-stage pipeline. <paramref name="options"/> has two stages, on one worker or two.</summary>
    /// <param name="options">Topology; validated here.</param>
    /// <param name="source">Feeds the first worker (e.g. a <see cref="PacketBatchSource{TPackets, TDecoder}"/>).</param>
    /// <param name="a">Stage named by pipeline.stages[0].</param>
    /// <param name="b">Stage named by pipeline.stages[1].</param>
    /// <param name="registry">Where ring memory is accounted, if anywhere.</param>
    /// <param name="onFault">Told about an agent's exception (on the worker thread); null writes it to stderr.</param>
    /// <param name="onlineCpus">CPUs that exist, for validation; default: this machine's.</param>
    public static RunningPipeline Build<TSource, TA, TB>(PipelineOptions options, TSource source, TA a, TB b,
        MemoryRegistry? registry = null, Action<Worker, Exception>? onFault = null, CpuList? onlineCpus = null)
        where TSource : struct, IBatchSource
        where TA : struct, IStage
        where TB : struct, IStage
    {
        var ctx = new BuildContext(options, 2, onFault, onlineCpus);
        ctx.LinkWithRings(registry);
        var na = Stages.Node(a, ctx.Stage(0));
        var nb = Stages.Node(b, ctx.Stage(1));
        switch (ctx.Cut)
        {
            case "2":
                ctx.AddWorker(0, source, Stages.Chain(na, nb));
                break;
            case "1,1":
                ctx.AddWorker(0, source, Stages.Chain(na, ctx.Sink(0)));
                ctx.AddWorker(1, ctx.Source(0), nb);
                break;
            default:
                throw ctx.Unsupported();
        }
        return ctx.Finish();
    }

    /// <summary>Builds a three-stage pipeline, on one, two or three workers as <paramref name="options"/> says.</summary>
    /// <param name="options">Topology; validated here.</param>
    /// <param name="source">Feeds the first worker (e.g. a <see cref="PacketBatchSource{TPackets, TDecoder}"/>).</param>
    /// <param name="a">Stage named by pipeline.stages[0].</param>
    /// <param name="b">Stage named by pipeline.stages[1].</param>
    /// <param name="c">Stage named by pipeline.stages[2].</param>
    /// <param name="registry">Where ring memory is accounted, if anywhere.</param>
    /// <param name="onFault">Told about an agent's exception (on the worker thread); null writes it to stderr.</param>
    /// <param name="onlineCpus">CPUs that exist, for validation; default: this machine's.</param>
    public static RunningPipeline Build<TSource, TA, TB, TC>(PipelineOptions options, TSource source, TA a, TB b, TC c,
        MemoryRegistry? registry = null, Action<Worker, Exception>? onFault = null, CpuList? onlineCpus = null)
        where TSource : struct, IBatchSource
        where TA : struct, IStage
        where TB : struct, IStage
        where TC : struct, IStage
    {
        var ctx = new BuildContext(options, 3, onFault, onlineCpus);
        ctx.LinkWithRings(registry);
        var na = Stages.Node(a, ctx.Stage(0));
        var nb = Stages.Node(b, ctx.Stage(1));
        var nc = Stages.Node(c, ctx.Stage(2));
        switch (ctx.Cut)
        {
            case "3":
                ctx.AddWorker(0, source, Stages.Chain(na, nb, nc));
                break;
            case "1,2":
                ctx.AddWorker(0, source, Stages.Chain(na, ctx.Sink(0)));
                ctx.AddWorker(1, ctx.Source(0), Stages.Chain(nb, nc));
                break;
            case "2,1":
                ctx.AddWorker(0, source, Stages.Chain(na, nb, ctx.Sink(0)));
                ctx.AddWorker(1, ctx.Source(0), nc);
                break;
            case "1,1,1":
                ctx.AddWorker(0, source, Stages.Chain(na, ctx.Sink(0)));
                ctx.AddWorker(1, ctx.Source(0), Stages.Chain(nb, ctx.Sink(1)));
                ctx.AddWorker(2, ctx.Source(1), nc);
                break;
            default:
                throw ctx.Unsupported();
        }
        return ctx.Finish();
    }
}
