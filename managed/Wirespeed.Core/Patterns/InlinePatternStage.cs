using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Signals;

namespace Wirespeed.Core.Patterns;

/// <summary>
/// Pattern detection on the book worker itself (placement inline): publishes as <see cref="TopOfBookPublishStage"/>
/// does, and at the end of each batch, right after publishing it, runs the one pattern agent over what it published.
/// No thread hand-off, so detection latency is the book worker's own service time; the cost is that pattern evaluation
/// (for the events some pattern reads) adds to that worker's time per batch. The lowest-latency layout where no core is
/// free for a pattern worker of its own (DESIGN.md: all stages on one worker on a small box).
/// </summary>
/// <remarks>
/// The agent keeps all its state in objects it refers to (counters, emitter, pattern sets), so this copy of it and the
/// runtime's share them; its ring cursor is read by this thread alone. The ring never holds more than one batch.
/// </remarks>
public struct InlinePatternStage<TGroup, TSink, TGate> : IStage
    where TGroup : struct, IPatternGroup
    where TSink : struct, ISignalSink
    where TGate : struct, ISignalGate
{
    private readonly TopOfBookPublishStage _publish;
    private PatternAgent<TGroup, TSink, TGate> _agent;   // mutable struct: never readonly

    public InlinePatternStage(TopOfBookPublishStage publish, PatternAgent<TGroup, TSink, TGate> agent)
    {
        _publish = publish;
        _agent = agent;
    }

    public readonly TopOfBookPublishStage Publish => _publish;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Verdict Process(ref MarketEvent evt, in StageContext ctx) => _publish.Process(ref evt, in ctx);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EndBatch(in StageContext ctx)
    {
        _publish.EndBatch(in ctx);
        while (_agent.DoWork() > 0) { }
    }
}
