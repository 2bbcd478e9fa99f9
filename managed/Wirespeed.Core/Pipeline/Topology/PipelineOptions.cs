using System;
using System.Collections.Generic;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Pipeline;

namespace Wirespeed.Core.Pipeline.Topology;

/// <summary>
/// The pipeline's topology (<c>pipeline</c> in configuration): the chain of stages with their budgets, and the workers
/// that run consecutive parts of it, joined by rings. Cold path; validated completely before anything starts.
/// </summary>
/// <remarks>
/// Two layouts: one worker running every stage (lowest latency on a small box), or the chain cut into consecutive
/// runs of stages, one per worker, each worker handing its output to the next through an SPSC ring of
/// <see cref="RingCapacity"/> events (throughput). Example:
/// <code>
/// pipeline: { ringCapacity: 65536, endToEndBudgetNs: 20000,
///   stages: [ { name: "book", budgetNs: 8000 }, { name: "classify", budgetNs: 2000 }, { name: "patterns", budgetNs: 8000 } ],
///   workers: [ { name: "feed", cpu: 0, idle: { kind: "BusySpin" }, stages: [ "book", "classify" ] },
///              { name: "patterns", cpu: 1, idle: { kind: "BackOff" }, stages: [ "patterns" ] } ] }
/// </code>
/// </remarks>
public sealed record PipelineOptions
{
    /// <summary>Largest batch a worker may take (<see cref="WorkerOptions.MaxBatchSize"/>).</summary>
    public const int MaxBatchSize = WorkerOptions.MaxBatchSize;

    /// <summary>The stages, in chain order, with their budgets.</summary>
    public IReadOnlyList<StageOptions> Stages { get; init; } = [];

    /// <summary>
    /// When set, the first worker's source is timed as a stage of this name and budget (e.g. "decode" when the source
    /// is a <see cref="PacketBatchSource{TPackets, TDecoder}"/>: receive poll plus decode, per batch). Default: null.
    /// </summary>
    public StageOptions? Source { get; init; }

    /// <summary>The workers, upstream first. Default: one worker ("main") running every stage.</summary>
    public IReadOnlyList<WorkerOptions> Workers { get; init; } = [new WorkerOptions()];

    /// <summary>Slots of each ring between two workers; a power of two. Default: 65536 (4 MiB of events).</summary>
    public int RingCapacity { get; init; } = 65536;

    /// <summary>Budget for one event from receive to the end of the chain, in ns; 0 means none. Default: 0.</summary>
    public long EndToEndBudgetNs { get; init; }

    /// <summary>
    /// The stage names each worker runs, resolved: a worker that lists no stages gets every stage when it is the only
    /// worker. Valid only after <see cref="Validated"/>.
    /// </summary>
    public IReadOnlyList<string> StagesOf(int worker)
    {
        var w = Workers[worker];
        if (w.Stages.Count > 0 || Workers.Count > 1) return w.Stages;
        var all = new string[Stages.Count];
        for (int i = 0; i < all.Length; i++) all[i] = Stages[i].Name;
        return all;
    }

    /// <summary>The budget configured for stage <paramref name="name"/>.</summary>
    public long BudgetOf(string name)
    {
        foreach (var s in Stages) if (s.Name == name) return s.BudgetNs;
        throw new ArgumentException($"pipeline.stages has no stage named '{name}'", nameof(name));
    }

    /// <summary>
    /// Checks everything and returns this, or throws <see cref="PipelineConfigException"/> listing every problem, each
    /// naming the field and the fix.
    /// </summary>
    /// <param name="onlineCpus">CPUs that exist here; default: this machine's (/sys/devices/system/cpu/online).</param>
    public PipelineOptions Validated(CpuList? onlineCpus = null)
    {
        var errors = Validate(onlineCpus ?? CpuList.Online());
        if (errors.Count > 0) throw new PipelineConfigException(errors);
        return this;
    }

    /// <summary>Every problem found, one line each; empty when valid.</summary>
    public List<string> Validate(CpuList onlineCpus)
    {
        var errors = new List<string>();
        var stageIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        if (Stages is null || Stages.Count == 0)
            errors.Add("pipeline.stages is empty: list the stages in chain order, e.g. [ { name: \"book\", budgetNs: 5000 } ].");
        else
        {
            for (int i = 0; i < Stages.Count; i++)
            {
                var s = Stages[i];
                string path = $"pipeline.stages[{i}]";
                if (s is null) { errors.Add($"{path} is null: remove it or give it a name."); continue; }
                if (string.IsNullOrWhiteSpace(s.Name)) errors.Add($"{path}.name is empty: give the stage a name.");
                else if (!stageIndex.TryAdd(s.Name, i))
                    errors.Add($"{path}.name=\"{s.Name}\": already used by pipeline.stages[{stageIndex[s.Name]}]; stage names must be unique.");
                if (s.BudgetNs < 0) errors.Add($"{path}.budgetNs={s.BudgetNs}: must be >= 0 (0 means no budget).");
            }
        }

        if (Source is not null)
        {
            if (string.IsNullOrWhiteSpace(Source.Name)) errors.Add("pipeline.source.name is empty: name the timed source, e.g. \"decode\", or remove pipeline.source.");
            else if (stageIndex.TryGetValue(Source.Name, out int clash))
                errors.Add($"pipeline.source.name=\"{Source.Name}\": also the name of pipeline.stages[{clash}]; give the source its own name.");
            if (Source.BudgetNs < 0) errors.Add($"pipeline.source.budgetNs={Source.BudgetNs}: must be >= 0 (0 means no budget).");
        }

        if (Workers is null || Workers.Count == 0)
        {
            errors.Add("pipeline.workers is empty: add at least one worker, e.g. [ { name: \"main\", stages: [ ... ] } ].");
            return errors;
        }

        if (Workers.Count > 1 && (RingCapacity < 2 || (RingCapacity & (RingCapacity - 1)) != 0))
            errors.Add($"pipeline.ringCapacity={RingCapacity}: must be a power of two >= 2, e.g. {RoundUpPow2(RingCapacity)}.");
        if (EndToEndBudgetNs < 0) errors.Add($"pipeline.endToEndBudgetNs={EndToEndBudgetNs}: must be >= 0 (0 means no budget).");

        var workerNames = new Dictionary<string, int>(StringComparer.Ordinal);
        var cpuOwner = new Dictionary<int, int>();
        int expectNext = 0;   // index into Stages of the next stage a worker must run: stages are cut, never reordered
        for (int w = 0; w < Workers.Count; w++)
        {
            var worker = Workers[w];
            string path = $"pipeline.workers[{w}]";
            if (worker is null) { errors.Add($"{path} is null: remove it or describe the worker."); continue; }
            worker.Validate(path, errors);
            if (!string.IsNullOrWhiteSpace(worker.Name) && !workerNames.TryAdd(worker.Name, w))
                errors.Add($"{path}.name=\"{worker.Name}\": already used by pipeline.workers[{workerNames[worker.Name]}]; worker names must be unique.");
            if (worker.Cpu >= 0)
            {
                if (!onlineCpus.Contains(worker.Cpu))
                    errors.Add($"{path}.cpu={worker.Cpu}: this machine has {onlineCpus.Count} CPUs ({onlineCpus}); pick one of them, or -1 for no pinning.");
                else if (!cpuOwner.TryAdd(worker.Cpu, w))
                    errors.Add($"{path}.cpu={worker.Cpu}: already used by pipeline.workers[{cpuOwner[worker.Cpu]}]; give each pinned worker its own CPU, or -1.");
            }
            if (Workers.Count > 1 && worker.BatchSize > RingCapacity && RingCapacity >= 2)
                errors.Add($"{path}.batchSize={worker.BatchSize}: larger than pipeline.ringCapacity={RingCapacity}; lower it or raise the ring.");

            var names = Workers.Count == 1 && worker.Stages.Count == 0 && Stages is not null ? StagesOf(0) : worker.Stages;
            if (names.Count == 0)
                errors.Add($"{path}.stages is empty: every worker runs at least one stage; remove the worker or give it stages.");
            for (int k = 0; k < names.Count; k++)
            {
                string name = names[k];
                string spath = $"{path}.stages[{k}]=\"{name}\"";
                if (!stageIndex.TryGetValue(name ?? "", out int idx))
                    errors.Add($"{spath}: no such stage in pipeline.stages; known: {KnownStages()}.");
                else if (idx != expectNext)
                    errors.Add(idx < expectNext
                        ? $"{spath}: already run earlier in the chain; each stage runs on exactly one worker."
                        : $"{spath}: out of chain order; the next stage here must be \"{Stages![expectNext]?.Name ?? "?"}\" (workers take consecutive stages, upstream first).");
                else expectNext++;
            }
        }
        if (Stages is not null && errors.Count == 0 && expectNext < Stages.Count)
            errors.Add($"pipeline.stages[{expectNext}]=\"{Stages[expectNext].Name}\": no worker runs it; add it to the last worker's stages (in order).");
        return errors;
    }

    private string KnownStages()
    {
        if (Stages is null || Stages.Count == 0) return "(none)";
        var names = new string[Stages.Count];
        for (int i = 0; i < names.Length; i++) names[i] = Stages[i]?.Name ?? "?";
        return string.Join(", ", names);
    }

    private static int RoundUpPow2(int v)
    {
        if (v <= 2) return 2;
        if (v > 1 << 30) return 1 << 30;
        return (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)v);
    }
}
