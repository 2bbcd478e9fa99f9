
namespace Wirespeed.Core.Agents;

/// <summary>Idle strategy of a worker, chosen in configuration (<c>pipeline.workers[i].idle.kind</c>).</summary>
public enum IdleStrategyKind : byte
{
    /// <summary>Spin with a pause hint: lowest wake-up latency, burns the whole CPU. Only on a dedicated core.</summary>
    BusySpin = 0,
    /// <summary><c>sched_yield</c> between polls: gives the CPU away when another thread wants it, still 100% busy otherwise.</summary>
    Yield = 1,
    /// <summary>Spin, then yield, then sleep for growing periods; resets when work arrives. For shared CPUs and quiet lines.</summary>
    BackOff = 2,
}
