using System;

namespace Wirespeed.Core.Monitoring;

/// <summary>
/// Process-wide garbage-collector figures at one instant; the difference of two snapshots is what a run cost.
/// Reading them allocates nothing.
/// </summary>
public readonly record struct RuntimeFigures(int Gen0, int Gen1, int Gen2, TimeSpan PauseTotal, long AllocatedBytes)
{
    /// <summary>Now.</summary>
    public static RuntimeFigures Capture() => new(
        GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
        GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(precise: false));

    /// <summary>What happened between <paramref name="start"/> and this snapshot.</summary>
    public RuntimeFigures Since(in RuntimeFigures start) => new(
        Gen0 - start.Gen0, Gen1 - start.Gen1, Gen2 - start.Gen2,
        PauseTotal - start.PauseTotal, AllocatedBytes - start.AllocatedBytes);
}
