using System;
using System.Collections.Generic;
using Wirespeed.Configuration;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Pipeline.Topology;
using Wirespeed.Hosting.Detection;

namespace Wirespeed.Hosting.Lines;

/// <summary>
/// Turns the configuration's pipeline section into <see cref="PipelineOptions"/> for the feed chain
/// decode (source) → book → breakers → classify → publish → deliver, and resolves idle strategy "auto" against the cores
/// of this machine. Topology split cuts after classify: the lanes (one ring each) join the two workers (see
/// <see cref="ChainBuilder.Feed"/>). The pattern workers that read the publish stage's ring are planned by <see cref="FeedPatterns"/>,
/// after these: they spin only on cores these leave.
/// </summary>
/// <remarks>
/// "auto" gives busy-spin to at most (cores − 1) workers, in topology order, and back-off to the rest: one core is
/// always left to the kernel (loopback and veth receive work runs on the sender's CPU), the monitor and the
/// simulator. On a 2-core box that is one spinning thread, which PLATFORM.md shows is the most a VM of this kind can
/// carry without the host stealing the time back.
/// </remarks>
public static class PipelinePlan
{
    /// <summary>Stage names in chain order after the source stage ("decode").</summary>
    public static readonly string[] ChainStages = { "book", "breakers", "classify", "publish", "deliver" };

    /// <summary>The strategy a configured idle setting names; <paramref name="auto"/> for auto.</summary>
    internal static IdleStrategyKind IdleKindOf(IdleSetting idle, IdleStrategyKind auto) => idle switch
    {
        IdleSetting.BusySpin => IdleStrategyKind.BusySpin,
        IdleSetting.Yield => IdleStrategyKind.Yield,
        IdleSetting.BackOff => IdleStrategyKind.BackOff,
        _ => auto,
    };

    /// <summary>Builds validated options; <paramref name="notes"/> receives one line per decision made for the user.</summary>
    public static PipelineOptions From(PipelineConfig config, int processorCount, List<string> notes)
    {
        ArgumentNullException.ThrowIfNull(config);
        int spinningAllowed = Math.Max(0, processorCount - 1);
        int workers = config.Topology == PipelineTopology.Split ? 2 : 1;
        var list = new List<WorkerOptions>(workers);
        for (int i = 0; i < workers; i++)
        {
            var w = config.Workers[i];
            IdleStrategyKind kind = IdleKindOf(w.Idle, auto: w.Idle == IdleSetting.Auto && spinningAllowed-- > 0 ? IdleStrategyKind.BusySpin : IdleStrategyKind.BackOff);
            if (w.Idle == IdleSetting.Auto)
                notes.Add($"worker '{w.Name}': idle auto -> {kind} ({processorCount} CPUs; at most {Math.Max(0, processorCount - 1)} busy-spinning thread(s) so one core stays free for the kernel and the monitor)");
            else
                notes.Add($"worker '{w.Name}': idle {kind} (configured)");
            list.Add(new WorkerOptions
            {
                Name = w.Name,
                Cpu = w.Cpu,
                BatchSize = config.BatchSize,
                Idle = new IdleStrategyOptions { Kind = kind },
                Stages = workers == 1 ? Array.Empty<string>() : (i == 0 ? new[] { "book", "breakers", "classify", "publish" } : new[] { "deliver" }),
            });
        }
        var options = new PipelineOptions
        {
            Source = new StageOptions { Name = "decode", BudgetNs = Budget(config, "decode") },
            Stages = Array.ConvertAll(ChainStages, name => new StageOptions { Name = name, BudgetNs = Budget(config, name) }),
            Workers = list,
            RingCapacity = config.RingSlots,
            EndToEndBudgetNs = config.EndToEndBudgetNs,
        };
        return options.Validated();
    }

    private static long Budget(PipelineConfig c, string stage) => c.BudgetsNs.TryGetValue(stage, out long v) ? v : 0;
}
