using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;

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
    private readonly byte[] _indexOf;    // line id → index; a line not listed maps to 0 (a source only stamps configured lines)

    /// <param name="lineIds">The line id of each stage, in the order of <paramref name="stages"/>.</param>
    /// <param name="stages">One stage per line.</param>
    public PerLineStage(ReadOnlySpan<byte> lineIds, TStage[] stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        if (stages.Length == 0 || stages.Length != lineIds.Length)
            throw new ArgumentException($"{stages.Length} stages for {lineIds.Length} lines: one stage per line, at least one", nameof(stages));
        _stages = stages;
        _indexOf = new byte[256];
        for (int i = 0; i < lineIds.Length; i++)
        {
            for (int j = 0; j < i; j++)
                if (lineIds[j] == lineIds[i]) throw new ArgumentException($"line id {lineIds[i]} is listed twice", nameof(lineIds));
            _indexOf[lineIds[i]] = (byte)i;
        }
    }

    /// <summary>Lines served.</summary>
    public readonly int Lines => _stages.Length;

    /// <summary>The stage of line index <paramref name="index"/> (its state is shared with the running copy through references).</summary>
    public readonly ref TStage this[int index] => ref _stages[index];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Verdict Process(ref MarketEvent evt, in StageContext ctx)
        => _stages[_indexOf[evt.LineId]].Process(ref evt, in ctx);

    public void EndBatch(in StageContext ctx)
    {
        for (int i = 0; i < _stages.Length; i++) _stages[i].EndBatch(in ctx);
    }
}
