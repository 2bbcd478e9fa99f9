using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Pipeline;

/// <summary>
/// Two compositions run one after the other: <typeparamref name="TFirst"/>, then <typeparamref name="TRest"/> over
/// the survivors. Nest it to the right for longer chains (<c>StageChain&lt;A, StageChain&lt;B, C&gt;&gt;</c>); all
/// type arguments are structs, so NativeAOT emits one devirtualised loop per topology. Build with
/// <see cref="Stages.Chain{TFirst, TRest}"/> to let the compiler infer the types.
/// </summary>
/// <remarks>Mutable struct held inside the runner: never copy it after the runner is built.</remarks>
public struct StageChain<TFirst, TRest> : IStageChain
    where TFirst : struct, IStageChain
    where TRest : struct, IStageChain
{
    public TFirst First;
    public TRest Rest;

    public StageChain(TFirst first, TRest rest)
    {
        First = first;
        Rest = rest;
    }

    public int StageCount => First.StageCount + Rest.StageCount;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Run(Span<MarketEvent> batch, ref StageContext ctx)
    {
        int kept = First.Run(batch, ref ctx);
        // An emptied batch stops here: later stages record nothing for it (they did no work).
        return kept == 0 ? 0 : Rest.Run(batch.Slice(0, kept), ref ctx);
    }

    public void CollectCounters(List<StageCounters> into)
    {
        First.CollectCounters(into);
        Rest.CollectCounters(into);
    }
}

/// <summary>Helpers that build chains with inferred type arguments (cold path).</summary>
public static class Stages
{
    /// <summary>A one-stage node with fresh counters named <paramref name="name"/> and a budget per batch in ns.</summary>
    public static StageNode<TStage> Node<TStage>(TStage stage, string name, long budgetNs) where TStage : struct, IStage
        => new(stage, new StageCounters(name, budgetNs));

    /// <summary>A one-stage node over existing counters.</summary>
    public static StageNode<TStage> Node<TStage>(TStage stage, StageCounters counters) where TStage : struct, IStage
        => new(stage, counters);

    /// <summary><paramref name="first"/> then <paramref name="rest"/>.</summary>
    public static StageChain<TFirst, TRest> Chain<TFirst, TRest>(TFirst first, TRest rest)
        where TFirst : struct, IStageChain where TRest : struct, IStageChain
        => new(first, rest);

    /// <summary><paramref name="a"/>, then <paramref name="b"/>, then <paramref name="c"/>.</summary>
    public static StageChain<TA, StageChain<TB, TC>> Chain<TA, TB, TC>(TA a, TB b, TC c)
        where TA : struct, IStageChain where TB : struct, IStageChain where TC : struct, IStageChain
        => new(a, new StageChain<TB, TC>(b, c));

    /// <summary>Cold path: the counters of every stage of <paramref name="chain"/>, in order.</summary>
    public static StageCounters[] CountersOf<TChain>(TChain chain) where TChain : struct, IStageChain
    {
        var list = new List<StageCounters>(chain.StageCount);
        chain.CollectCounters(list);
        return list.ToArray();
    }
}
