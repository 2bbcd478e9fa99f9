using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Signals;

namespace Wirespeed.Core.Patterns;

/// <summary>
/// Pattern detection on the book worker itself (placement inline): publishes through its publish stage (a
/// <see cref="TopOfBookPublishStage"/>, or one per line), and at the end of each batch, right after publishing it, runs the one pattern agent over what it published.
/// No thread hand-off, so detection latency is the book worker's own service time; the cost is that pattern evaluation
/// (for the events some pattern reads) adds to that worker's time per batch. The lowest-latency layout where no core is
/// free for a pattern worker of its own (DESIGN.md: all stages on one worker on a small box).
/// </summary>
/// <remarks>
/// The agent keeps all its state in objects it refers to (counters, emitter, pattern sets), so this copy of it and the
/// runtime's share them; its ring cursor is read by this thread alone. The ring never holds more than one batch.
/// </remarks>
public struct InlinePatternStage<TPublish, TGroup, TSink, TGate> : IStage
    where TPublish : struct, IStage
    where TGroup : struct, IPatternGroup
    where TSink : struct, ISignalSink
    where TGate : struct, ISignalGate
{
    private TPublish _publish;                           // mutable structs: never readonly
    private PatternAgent<TGroup, TSink, TGate> _agent;

    /// <param name="publish">The publish stage (<see cref="TopOfBookPublishStage"/>, or one per line of the worker).</param>
    /// <param name="agent">The one pattern agent, reading the ring the publish stage writes.</param>
    public InlinePatternStage(TPublish publish, PatternAgent<TGroup, TSink, TGate> agent)
    {
        _publish = publish;
        _agent = agent;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Verdict Process(ref MarketEvent evt, in StageContext ctx) => _publish.Process(ref evt, in ctx);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EndBatch(in StageContext ctx)
    {
        _publish.EndBatch(in ctx);
        while (_agent.DoWork() > 0) { }
    }
}
