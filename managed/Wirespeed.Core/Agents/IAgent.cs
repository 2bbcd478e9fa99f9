
namespace Wirespeed.Core.Agents;

/// <summary>
/// The work a <see cref="Worker"/> runs (Agrona's Agent contract). Implemented by a struct so that the worker loop is
/// specialised; a class agent is wrapped in a struct that forwards to it (as the pipeline's StageRunner does).
/// All three methods run on the worker thread.
/// </summary>
public interface IAgent
{
    /// <summary>Once, on the worker thread, after pinning and before the first <see cref="DoWork"/>.</summary>
    void OnStart();

    /// <summary>One duty cycle. Returns the amount of work done (events, packets); 0 lets the idle strategy idle.</summary>
    int DoWork();

    /// <summary>Once, on the worker thread, after the last <see cref="DoWork"/> (also after a fault).</summary>
    void OnClose();
}
