using Wirespeed.Core.Events;

namespace Wirespeed.Core.Pipeline;

/// <summary>
/// One job of the pipeline, implemented by a struct so that <see cref="StageNode{TStage}"/> is specialised and the
/// call is direct and inlinable (STYLE 3.4).
/// </summary>
/// <remarks>
/// Why per event, driven stage-major by the runner: the runner hands the whole batch to one stage, event by event, then
/// the survivors to the next stage. So each stage is timed per batch with the clock read that ends the previous stage
/// and one read at its own end (N + 1 reads for N stages, fewer than two per stage), its code and state stay hot in
/// cache for the whole batch, and the verdict of each event is seen by the runner, which counts it and compacts the
/// batch in place: a stage never has to know how removal works, and no per-event clock read or verdict array is needed.
/// Stages never throw on data: bad input is a <see cref="Verdict.Quarantine"/> plus the stage's own cause counter.
/// </remarks>
public interface IStage
{
    /// <summary>Handles one event in place. Called on the worker thread only; <paramref name="evt"/> is valid for the call.</summary>
    Verdict Process(ref MarketEvent evt, in StageContext ctx);

    /// <summary>
    /// Called once after the last <see cref="Process"/> of a batch (inside the stage's timing window), e.g. to publish
    /// a ring once per batch. Not called for a batch that reached this stage empty.
    /// </summary>
    void EndBatch(in StageContext ctx);
}
