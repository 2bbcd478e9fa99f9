using System.Runtime.CompilerServices;
using System.Threading;

namespace Wirespeed.Core.Agents;

/// <summary>Yields the CPU (sched_yield) each time no work was found.</summary>
public struct YieldIdleStrategy : IIdleStrategy
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Idle(int workCount)
    {
        if (workCount <= 0) Thread.Yield();
    }

    public void Idle() => Thread.Yield();

    public void Reset() { }
}
