using System;
using System.Collections.Generic;
using Wirespeed.Core.Events;
using Wirespeed.Core.Agents;

namespace Wirespeed.Core.Pipeline;

/// <summary>
/// A composition of stages run over one batch: a <see cref="StageNode{TStage}"/> or a
/// <see cref="StageChain{TFirst, TRest}"/>. Structs, so that a whole topology compiles to one specialised loop.
/// </summary>
public interface IStageChain
{
    /// <summary>
    /// Runs every stage over <paramref name="batch"/>, compacting survivors to its front; returns how many survived.
    /// On entry <paramref name="ctx"/>.NowNs is the clock read that starts the first stage; on return it is the last
    /// clock read taken (the end of the last stage that ran). Worker thread only; never allocates.
    /// </summary>
    int Run(Span<MarketEvent> batch, ref StageContext ctx);

    /// <summary>Number of stages in the composition.</summary>
    int StageCount { get; }

    /// <summary>Cold path: appends each stage's counters in chain order.</summary>
    void CollectCounters(List<StageCounters> into);
}
