using System;
using HdrHistogram;

namespace Wirespeed.Core.Monitoring;

/// <summary>
/// Figures of a histogram computed by walking its buckets with <see cref="HdrLayout"/>: allocation-free, unlike
/// HdrHistogram.NET's iterator-based extensions, so the monitor thread can use them every interval.
/// Values follow HdrHistogram's conventions: max is the highest equivalent value of the top bucket, min the lowest
/// value of the bottom one, mean weights each bucket's median equivalent value.
/// </summary>
public static class HistogramStats
{
    /// <summary>Highest recorded value (highest equivalent), or 0 when empty.</summary>
    public static long Max(HistogramBase histogram)
    {
        if (histogram.TotalCount == 0) return 0;
        var layout = LayoutOf(histogram);
        int last = HdrCodec.LastNonZeroIndex(histogram, layout);
        return layout.HighestEquivalentValue(layout.ValueFromIndex(last));
    }

    /// <summary>Lowest recorded value (lowest equivalent), or 0 when empty.</summary>
    public static long Min(HistogramBase histogram)
    {
        if (histogram.TotalCount == 0) return 0;
        var layout = LayoutOf(histogram);
        for (int i = 0; i < layout.CountsLength; i++)
        {
            long v = layout.ValueFromIndex(i);
            if (histogram.GetCountAtValue(v) != 0) return v;
        }
        return 0;
    }

    /// <summary>Mean of the recorded values (median equivalent value per bucket), or 0 when empty.</summary>
    public static double Mean(HistogramBase histogram)
    {
        long total = histogram.TotalCount;
        if (total == 0) return 0;
        var layout = LayoutOf(histogram);
        int last = HdrCodec.LastNonZeroIndex(histogram, layout);
        double sum = 0;
        for (int i = 0; i <= last; i++)
        {
            long v = layout.ValueFromIndex(i);
            long c = histogram.GetCountAtValue(v);
            if (c == 0) continue;
            long width = layout.HighestEquivalentValue(v) - v + 1;
            sum += (double)(v + width / 2) * c;
        }
        return sum / total;
    }

    /// <summary>
    /// Value at <paramref name="percentile"/> (0..100): the highest equivalent value of the first bucket at which the
    /// cumulative count reaches percentile × total (rounded up, at least 1), as HdrHistogram defines it. 0 when empty.
    /// </summary>
    public static long ValueAtPercentile(HistogramBase histogram, double percentile)
    {
        long total = histogram.TotalCount;
        if (total == 0) return 0;
        if (percentile > 100) percentile = 100;
        // Round the count up, so the value covers at least that share of the values, but step back one ulp first so
        // that floating-point error in the product never skips a count (HdrHistogram's own rule).
        double fpCount = percentile / 100.0 * total;
        long target = (long)Math.Ceiling(fpCount - (Math.BitIncrement(fpCount) - fpCount));
        if (target < 1) target = 1;
        var layout = LayoutOf(histogram);
        long cumulative = 0;
        for (int i = 0; i < layout.CountsLength; i++)
        {
            long v = layout.ValueFromIndex(i);
            cumulative += histogram.GetCountAtValue(v);
            if (cumulative >= target) return layout.HighestEquivalentValue(v);
        }
        return Max(histogram);
    }

    /// <summary>
    /// <see cref="ValueAtPercentile"/> and <see cref="Max"/> in one upward pass (the monitor's per-interval figures).
    /// Both 0 when empty.
    /// </summary>
    public static void PercentileAndMax(HistogramBase histogram, double percentile, out long valueAtPercentile, out long max)
    {
        valueAtPercentile = 0;
        max = 0;
        long total = histogram.TotalCount;
        if (total == 0) return;
        if (percentile > 100) percentile = 100;
        double fpCount = percentile / 100.0 * total;
        long target = (long)Math.Ceiling(fpCount - (Math.BitIncrement(fpCount) - fpCount));
        if (target < 1) target = 1;
        var layout = LayoutOf(histogram);
        long cumulative = 0;
        for (int i = 0; i < layout.CountsLength; i++)
        {
            long v = layout.ValueFromIndex(i);
            long c = histogram.GetCountAtValue(v);
            if (c == 0) continue;
            cumulative += c;
            max = layout.HighestEquivalentValue(v);
            if (valueAtPercentile == 0 && cumulative >= target) valueAtPercentile = max;
            if (cumulative >= total) break;
        }
    }

    /// <summary>Number of recorded values at or below <paramref name="value"/> (whole buckets).</summary>
    public static long CountAtOrBelow(HistogramBase histogram, long value)
    {
        var layout = LayoutOf(histogram);
        int limit = value >= layout.HighestTrackableValue ? layout.CountsLength - 1 : layout.IndexOf(value);
        long cumulative = 0;
        for (int i = 0; i <= limit; i++) cumulative += histogram.GetCountAtValue(layout.ValueFromIndex(i));
        return cumulative;
    }

    internal static HdrLayout LayoutOf(HistogramBase histogram)
        => new(histogram.LowestTrackableValue, histogram.HighestTrackableValue, histogram.NumberOfSignificantValueDigits);
}
