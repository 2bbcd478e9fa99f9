
namespace Wirespeed.Core.Agents;

/// <summary>
/// What a worker does when its agent found no work (Agrona's IdleStrategy contract). Implemented by structs so the
/// worker loop is specialised per strategy. Used by one thread only.
/// </summary>
public interface IIdleStrategy
{
    /// <summary>
    /// After one duty cycle: <paramref name="workCount"/> &gt; 0 resets the strategy (work was found), 0 idles one step.
    /// </summary>
    void Idle(int workCount);

    /// <summary>Idles one step unconditionally (escalating, for strategies that escalate).</summary>
    void Idle();

    /// <summary>Back to the least idle state (called when work is found).</summary>
    void Reset();
}
