using System;
using System.Collections.Generic;
using HdrHistogram;
using Wirespeed.Core.Monitoring;

namespace Wirespeed.Plotting;

/// <summary>One point of a percentile-distribution curve: x on the "nines" axis, the latency there in ns.</summary>
/// <param name="Nines">log10(1 / (1 - p)) for the fraction p: 0 at 0%, 1 at 90%, 2 at 99%, 3 at 99.9% …</param>
/// <param name="Percentile">p as a percentage (0..100).</param>
/// <param name="ValueNs">The histogram's value at that percentile (HdrHistogram's definition, <see cref="HistogramStats.ValueAtPercentile"/>).</param>
public readonly record struct PercentilePoint(double Nines, double Percentile, long ValueNs);

/// <summary>A named curve of the chart: the merged histogram of one tag of one .hlog file.</summary>
/// <param name="Name">The legend's text.</param>
/// <param name="Points">The curve, in increasing percentile order (values never decrease).</param>
/// <param name="Count">Values in the histogram.</param>
/// <param name="MaxNs">Its highest value.</param>
public sealed record PercentileSeries(string Name, IReadOnlyList<PercentilePoint> Points, long Count, long MaxNs)
{
    /// <summary>Steps per nine: the curve is sampled every 1/<c>StepsPerNine</c> of a nine (0.02: smooth at any zoom an SVG is read at).</summary>
    public const int StepsPerNine = 50;

    /// <summary>The x of a percentile on the nines axis: log10(1 / (1 - p/100)); infinite at 100%.</summary>
    public static double NinesOf(double percentile) => -Math.Log10(1 - percentile / 100.0);

    /// <summary>The percentile at x on the nines axis: 100 × (1 - 10^-x).</summary>
    public static double PercentileOf(double nines) => 100.0 * (1 - Math.Pow(10, -nines));

    /// <summary>
    /// The curve of <paramref name="histogram"/>: every 1/<see cref="StepsPerNine"/> nine from 0% up to the nines where
    /// one value is left above (log10 of the count: beyond it every percentile is the maximum), ending there at the
    /// maximum, as HdrHistogram's own percentile distribution ends. Empty for an empty histogram.
    /// </summary>
    public static PercentileSeries Of(string name, HistogramBase histogram)
    {
        long count = histogram.TotalCount;
        var points = new List<PercentilePoint>();
        if (count == 0) return new PercentileSeries(name, points, 0, 0);
        long max = HistogramStats.Max(histogram);
        double last = Math.Max(Math.Log10(count), 1.0 / StepsPerNine);
        int steps = (int)Math.Floor(last * StepsPerNine);
        for (int i = 0; i <= steps; i++)
        {
            double x = (double)i / StepsPerNine;
            double p = PercentileOf(x);
            points.Add(new PercentilePoint(x, p, HistogramStats.ValueAtPercentile(histogram, p)));
        }
        if (points[^1].Nines < last) points.Add(new PercentilePoint(last, PercentileOf(last), max));
        else points[^1] = points[^1] with { ValueNs = max };
        return new PercentileSeries(name, points, count, max);
    }
}
