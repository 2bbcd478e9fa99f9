using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Wirespeed.Core.Time;

/// <summary>Monotonic nanosecond clock for every latency figure (CLOCK_MONOTONIC through <see cref="Stopwatch"/>).</summary>
public static class MonoClock
{
    private static readonly bool s_isNanos = Stopwatch.Frequency == 1_000_000_000;
    private static readonly double s_nsPerTick = 1e9 / Stopwatch.Frequency;

    /// <summary>Now, in ns on the monotonic clock. About 30 ns here (PLATFORM.md).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long NowNs()
    {
        long t = Stopwatch.GetTimestamp();
        return s_isNanos ? t : (long)(t * s_nsPerTick);
    }
}
