using System;
using System.Collections.Generic;
using System.Globalization;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Events;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Priority;

namespace Wirespeed.Core.Pipeline.Topology;

public static partial class ChainBuilder
{
    /// <summary>
    /// State of one build, shared by every layout: validated options, stage counters, the links between workers and
    /// their counters, the workers made so far. Cold path.
    /// </summary>
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
        private bool _ownsLinks;

        public BuildContext(PipelineOptions options, int stageCount, Action<Worker, Exception>? onFault, CpuList? onlineCpus)
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
            for (int w = 0; w < workers; w++) cut.Add(options.StagesOf(w).Count.ToString(CultureInfo.InvariantCulture));
            Cut = string.Join(",", cut);

            _workers = new Worker[workers];
            _runners = new RunnerCounters[workers];
            _links = new RingLink[workers - 1];
            _linkStages = new StageCounters[workers - 1];
            _endToEnd = new StageMetrics("end-to-end", options.EndToEndBudgetNs);
            _sourceStage = options.Source is { } src ? new StageCounters(src.Name, src.BudgetNs) : null;
        }

        /// <summary>Stages per worker, e.g. "1,2".</summary>
        public string Cut { get; }

        public StageCounters Stage(int i) => _stages[i];

        /// <summary>Joins consecutive workers by rings of <see cref="PipelineOptions.RingCapacity"/> events, owned (and freed) by the pipeline.</summary>
        public void LinkWithRings(MemoryRegistry? registry)
        {
            _ownsLinks = true;
            try
            {
                for (int i = 0; i < _links.Length; i++)
                {
                    string name = _options.Workers[i].Name + "->" + _options.Workers[i + 1].Name;
                    _links[i] = new RingLink(name, _options.RingCapacity, registry);
                    _linkStages[i] = new StageCounters("link." + name, 0);
                }
            }
            catch
            {
                foreach (var l in _links) l?.Dispose();
                throw;
            }
        }

        /// <summary>The end of the first worker's chain when two workers are joined by the lanes (the feed chain's split).</summary>
        /// <remarks>
        /// RunningPipeline closes and frees the link between its workers; here that is the lane rings, owned by the
        /// LaneQueues (freed by the host after the workers stop). The Critical ring stands for them: a lane sink never
        /// waits on a full ring (it counts an overflow), so closing it changes nothing, and freeing is idempotent.
        /// </remarks>
        public StageNode<LaneSinkStage> LaneSink(LaneQueues lanes)
        {
            _links[0] = lanes.Link(Lane.Critical);
            _linkStages[0] = new StageCounters("link.lanes", 0);
            return Stages.Node(new LaneSinkStage(lanes, _options.Workers[0].Idle), _linkStages[0]);
        }

        public StageNode<RingSinkStage> Sink(int link)
            => Stages.Node(new RingSinkStage(_links[link], _options.Workers[link].Idle), _linkStages[link]);

        public RingSource Source(int link) => new(_links[link].Ring);

        /// <summary>
        /// Creates worker <c>index</c> running <c>chain</c> over <c>source</c>; <c>closeInbound</c> closes what feeds
        /// it when it faults (default: the ring from the worker upstream; none for the first).
        /// </summary>
        public void AddWorker<TSource, TChain>(int index, TSource source, TChain chain, Action? closeInbound = null)
            where TSource : struct, IBatchSource
            where TChain : struct, IStageChain
        {
            var w = _options.Workers[index];
            bool last = index == _workers.Length - 1;
            var runner = new StageRunner<TSource, TChain>(w.Name, source, chain, w.BatchSize, last ? _endToEnd : null,
                index == 0 ? _sourceStage : null);
            _runners[index] = runner.Counters;
            if (closeInbound is null && _ownsLinks && index > 0) closeInbound = _links[index - 1].Close;
            _workers[index] = Worker.Create(w, runner.AsAgent(), FaultHandler(closeInbound, _onFault));
        }

        public Exception Unsupported()
        {
            if (_ownsLinks) foreach (var l in _links) l.Dispose();
            return new PipelineConfigException([$"pipeline.workers: stages per worker {Cut} is not a layout this build supports."]);
        }

        public RunningPipeline Finish()
            => new(_options, _workers, _links, _stages, _linkStages, _runners, _endToEnd, _sourceStage);

        /// <summary>
        /// The fault handler a worker gets: closes what feeds the faulted worker, so the worker upstream stops waiting
        /// for room and counts what it cannot deliver (<see cref="RingLink.Abandoned"/>), then reports.
        /// </summary>
        private static Action<Worker, Exception> FaultHandler(Action? closeInbound, Action<Worker, Exception>? report)
            => (worker, e) =>
            {
                closeInbound?.Invoke();
                if (report != null) report(worker, e);
                else Console.Error.WriteLine($"wirespeed: worker '{worker.Name}' faulted: {e}");
            };
    }
}
