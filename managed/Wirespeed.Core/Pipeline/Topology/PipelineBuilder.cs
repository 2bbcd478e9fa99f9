using System;
using System.Collections.Generic;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Books;
using Wirespeed.Core.Pipeline;

namespace Wirespeed.Core.Pipeline.Topology;

/// <summary>
/// Ready-made compositions: a source and two or three concrete stage structs, laid out on workers as
/// <see cref="PipelineOptions"/> says (all on one worker, or cut into consecutive runs joined by rings).
/// </summary>
/// <remarks>
/// Generic arguments are fixed at compile time, so each possible cut of the chain is a case below, and each case is
/// its own specialised loop; the options choose among them at run time. Stage structs are copied into the workers
/// that run them: keep per-stage state that others must read in objects the struct refers to.
/// <para>
/// For other shapes use the building blocks directly: <see cref="Stages.Node{TStage}(TStage, string, long)"/>,
/// <see cref="Stages.Chain{TFirst, TRest}"/>, <see cref="StageRunner{TSource, TChain}"/>, <see cref="RingLink"/>,
/// <see cref="RingSinkStage"/>, <see cref="RingSource"/>, <see cref="Worker.Create{TAgent}"/> and the
/// <see cref="RunningPipeline"/> constructor; <see cref="Build{TSource, TA, TB, TC}"/> shows the pattern.
/// </para>
/// <para>Wiring a feed (the decode runs inside the first worker's source, timed as <c>pipeline.source</c>):</para>
/// <code>
/// var source = new PacketBatchSource&lt;MyPacketSource, MyMoldItchDecoder&gt;(packets, decoder);
/// using var pipeline = PipelineBuilder.Build(options, source, new BookStage(…), new ClassifyStage(…), new PatternStage(…), registry, onFault);
/// pipeline.Start();
/// foreach (string line in pipeline.DescribeWorkers()) log(line);   // pinning outcome and isolation warnings
/// …
/// pipeline.Stop();                                                  // drains upstream first; throws if a worker faulted
/// </code>
/// </remarks>
public static class PipelineBuilder
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
        var ctx = new BuildContext(options, 2, registry, onFault, onlineCpus);
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
        var ctx = new BuildContext(options, 3, registry, onFault, onlineCpus);
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

    /// <summary>State of one build: validated options, links, counters, workers made so far. Cold path.</summary>
    private sealed class BuildContext
    {
        private readonly PipelineOptions _options;
        private readonly Action<Worker, Exception>? _onFault;
        private readonly StageCounters[] _stages;
        private readonly RingLink[] _links;
        private readonly StageCounters[] _linkStages;
        private readonly Worker[] _workers;
        private readonly RunnerCounters[] _runners;
        private readonly StageMetrics _endToEnd;
        private readonly StageCounters? _sourceStage;

        public BuildContext(PipelineOptions options, int stageCount, MemoryRegistry? registry,
            Action<Worker, Exception>? onFault, CpuList? onlineCpus)
        {
            ArgumentNullException.ThrowIfNull(options);
            options.Validated(onlineCpus);
            if (options.Stages.Count != stageCount)
                throw new PipelineConfigException([
                    $"pipeline.stages has {options.Stages.Count} entries, but this build composes {stageCount} stages; list exactly {stageCount}, in chain order."]);
            _options = options;
            _onFault = onFault;
            _stages = new StageCounters[stageCount];
            for (int i = 0; i < stageCount; i++) _stages[i] = new StageCounters(options.Stages[i].Name, options.Stages[i].BudgetNs);

            int workers = options.Workers.Count;
            var cut = new List<string>(workers);
            for (int w = 0; w < workers; w++) cut.Add(options.StagesOf(w).Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Cut = string.Join(",", cut);

            _workers = new Worker[workers];
            _runners = new RunnerCounters[workers];
            _links = new RingLink[workers - 1];
            _linkStages = new StageCounters[workers - 1];
            _endToEnd = new StageMetrics("end-to-end", options.EndToEndBudgetNs);
            _sourceStage = options.Source is { } src ? new StageCounters(src.Name, src.BudgetNs) : null;
            try
            {
                for (int i = 0; i < _links.Length; i++)
                {
                    string name = options.Workers[i].Name + "->" + options.Workers[i + 1].Name;
                    _links[i] = new RingLink(name, options.RingCapacity, registry);
                    _linkStages[i] = new StageCounters("link." + name, 0);
                }
            }
            catch
            {
                foreach (var l in _links) l?.Dispose();
                throw;
            }
        }

        /// <summary>Stages per worker, e.g. "1,2".</summary>
        public string Cut { get; }

        public StageCounters Stage(int i) => _stages[i];

        public StageNode<RingSinkStage> Sink(int link)
            => Stages.Node(new RingSinkStage(_links[link], _options.Workers[link].Idle), _linkStages[link]);

        public RingSource Source(int link) => new(_links[link].Ring);

        public void AddWorker<TSource, TChain>(int index, TSource source, TChain chain)
            where TSource : struct, IBatchSource
            where TChain : struct, IStageChain
        {
            var w = _options.Workers[index];
            bool last = index == _workers.Length - 1;
            var runner = new StageRunner<TSource, TChain>(w.Name, source, chain, w.BatchSize, last ? _endToEnd : null,
                index == 0 ? _sourceStage : null);
            _runners[index] = runner.Counters;
            RingLink? inbound = index > 0 ? _links[index - 1] : null;
            _workers[index] = Worker.Create(w, runner.AsAgent(), RunningPipeline.FaultHandler(inbound, _onFault));
        }

        public Exception Unsupported()
        {
            foreach (var l in _links) l.Dispose();
            return new PipelineConfigException([$"pipeline.workers: stages per worker {Cut} is not a layout this build supports."]);
        }

        public RunningPipeline Finish()
            => new(_options, _workers, _links, _stages, _linkStages, _runners, _endToEnd, _sourceStage);
    }
}
