using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;

namespace Wirespeed.Core.Pipeline;

/// <summary>
/// One stage per feed line on a worker that receives several lines: each event goes to the stage of its
/// <see cref="MarketEvent.LineId"/> (its own books, its own decoder state), so a worker can serve several lines
/// without a stage knowing of more than one. Lines are mapped once, at start-up, to dense indices; the hot path is one
/// table read per event. Every line's stage ends each batch.
/// </summary>
public struct PerLineStage<TStage> : IStage where TStage : struct, IStage
{
    private readonly TStage[] _stages;   // by line index; mutable structs, always used by reference
    private readonly LineIndex _lines;

    /// <param name="lines">The lines, in the order of <paramref name="stages"/>.</param>
    /// <param name="stages">One stage per line.</param>
    public PerLineStage(LineIndex lines, TStage[] stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        if (stages.Length != lines.Count)
            throw new ArgumentException($"{stages.Length} stages for {lines.Count} lines: one stage per line", nameof(stages));
        _stages = stages;
        _lines = lines;
    }

    /// <summary>Lines served.</summary>
    public readonly int Lines => _stages.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Verdict Process(ref MarketEvent evt, in StageContext ctx)
        => _stages[_lines[evt.LineId]].Process(ref evt, in ctx);

    public void EndBatch(in StageContext ctx)
    {
        for (int i = 0; i < _stages.Length; i++) _stages[i].EndBatch(in ctx);
    }
}
