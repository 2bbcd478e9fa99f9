using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Time;

namespace Wirespeed.Core.Pipeline;

/// <summary>One stage of a chain with its counters: runs the stage over a batch, times it, counts verdicts.</summary>
/// <remarks>Mutable struct held inside the runner: never copy it after the runner is built, and never make it readonly.</remarks>
public struct StageNode<TStage> : IStageChain where TStage : struct, IStage
{
    /// <summary>The stage itself; its state mutates as it runs.</summary>
    public TStage Stage;
    private readonly StageCounters _counters;

    public StageNode(TStage stage, StageCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        Stage = stage;
        _counters = counters;
    }

    /// <summary>This stage's counters and metrics.</summary>
    public readonly StageCounters Counters => _counters;

    public readonly int StageCount => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Run(Span<MarketEvent> batch, ref StageContext ctx)
    {
        ctx.BatchCount = batch.Length;
        int kept = 0, dropped = 0, quarantined = 0;
        for (int i = 0; i < batch.Length; i++)
        {
            Verdict v = Stage.Process(ref batch[i], in ctx);
            if (v == Verdict.Continue)
            {
                if (kept != i) batch[kept] = batch[i];   // compact survivors in place; order is kept
                kept++;
            }
            else if (v == Verdict.Drop) dropped++;
            else quarantined++;                        // Quarantine, or a value no stage should return
        }
        Stage.EndBatch(in ctx);
        long now = MonoClock.NowNs();                  // ends this stage, starts the next: one read per stage
        _counters.RecordBatch(now - ctx.NowNs, batch.Length, dropped, quarantined);
        ctx.NowNs = now;
        return kept;
    }

    public readonly void CollectCounters(List<StageCounters> into) => into.Add(_counters);
}
