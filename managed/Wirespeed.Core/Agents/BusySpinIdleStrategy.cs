using System.Runtime.CompilerServices;
using System.Threading;

namespace Wirespeed.Core.Agents;

/// <summary>Never gives the CPU away; emits a pause hint so a sibling hyper-thread keeps its share.</summary>
public struct BusySpinIdleStrategy : IIdleStrategy
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Idle(int workCount)
    {
        if (workCount <= 0) Thread.SpinWait(1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Idle() => Thread.SpinWait(1);

    public void Reset() { }
}
