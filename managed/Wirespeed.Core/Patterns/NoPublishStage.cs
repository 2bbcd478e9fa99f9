using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Pipeline;

namespace Wirespeed.Core.Patterns;

/// <summary>The publish stage when patterns are off: every event continues, nothing is published.</summary>
public readonly struct NoPublishStage : IStage
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Verdict Process(ref MarketEvent evt, in StageContext ctx) => Verdict.Continue;

    public void EndBatch(in StageContext ctx) { }
}
