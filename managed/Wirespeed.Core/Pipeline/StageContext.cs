namespace Wirespeed.Core.Pipeline;

/// <summary>
/// What the runner tells a stage about the batch it is processing. Passed by <c>in</c> reference to stages and by
/// <c>ref</c> along the chain; a struct on the worker's stack, never allocated.
/// </summary>
public struct StageContext
{
    /// <summary>
    /// Monotonic ns read when this stage started its pass over the batch (the same read that times the stage), so a
    /// stage needing "now" gets it without another clock read. Not updated per event.
    /// </summary>
    public long NowNs;

    /// <summary>Batches this runner has started before this one (0 for the first).</summary>
    public long BatchSequence;

    /// <summary>Events in the batch as it enters this stage (after earlier stages removed some).</summary>
    public int BatchCount;
}
