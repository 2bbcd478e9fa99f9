using Wirespeed.Core.Pipeline;

namespace Wirespeed.Core.Pipeline.Topology;

/// <summary>One stage of the chain (<c>pipeline.stages[i]</c>): its name and latency budget. Cold path.</summary>
public sealed record StageOptions
{
    /// <summary>Stage name, as workers list it and summaries show it.</summary>
    public string Name { get; init; } = "";

    /// <summary>Budget for one batch through this stage, in ns; 0 means no budget. Default: 0.</summary>
    public long BudgetNs { get; init; }
}
