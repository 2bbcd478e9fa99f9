using System;
using System.Collections.Generic;

namespace Wirespeed.Plotting;

/// <summary>
/// The chart's latency (y) axis: linear from 0, in the unit that keeps the labels short (ns below 10 µs, µs below
/// 10 ms, ms below 10 s, then s), with ticks at 1, 2 or 5 × 10^k of that unit (4 to 10 of them).
/// </summary>
public sealed record LatencyAxis(string Unit, double NsPerUnit, double Step, double Top)
{
    /// <summary>The axis for a highest value of <paramref name="maxNs"/>.</summary>
    public static LatencyAxis For(long maxNs)
    {
        (string unit, double per) = maxNs < 10_000 ? ("ns", 1.0)
            : maxNs < 10_000_000 ? ("µs", 1e3)
            : maxNs < 10_000_000_000 ? ("ms", 1e6)
            : ("s", 1e9);
        double max = Math.Max(maxNs, 1) / per;
        double step = NiceStep(max);
        double top = Math.Ceiling(max / step) * step;
        if (top <= 0) top = step;
        return new LatencyAxis(unit, per, step, top);
    }

    /// <summary>Tick values in the axis unit, 0 to <see cref="Top"/> inclusive.</summary>
    public IReadOnlyList<double> Ticks()
    {
        var ticks = new List<double>();
        int n = (int)Math.Round(Top / Step);
        for (int i = 0; i <= n; i++) ticks.Add(i * Step);
        return ticks;
    }

    /// <summary>The smallest 1/2/5 × 10^k step that covers <paramref name="max"/> in at most 8 steps.</summary>
    private static double NiceStep(double max)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(max / 8)));
        foreach (double m in new[] { 1.0, 2.0, 5.0, 10.0 })
            if (max / (m * magnitude) <= 8) return m * magnitude;
        return 10 * magnitude;
    }
}
