using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using HdrHistogram;

namespace Wirespeed.Core.Monitoring;

/// <summary>
/// The report of an interval log (cold path): the intervals of each tag merged, then per tag the percentile
/// distribution (the table HistogramLogProcessor prints, values in µs) and a compact summary in ns/µs. The command
/// that reads a file and prints this is the executable's (<c>wirespeed hdr</c>).
/// </summary>
public static class HlogReport
{
    /// <summary>Percentiles of the compact summary line.</summary>
    public static readonly double[] SummaryPercentiles = { 50, 90, 99, 99.9, 99.99 };

    /// <summary>
    /// Writes one section per tag of <paramref name="intervals"/> (only <paramref name="tag"/> when given) to
    /// <paramref name="output"/>; returns how many sections it wrote (0: no interval histogram matched).
    /// </summary>
    public static int Write(IReadOnlyList<HlogInterval> intervals, string? tag, TextWriter output)
    {
        var merged = HlogReader.MergeByTag(intervals, tag);
        foreach (var (name, histogram) in merged)
        {
            int count = 0;
            double first = double.MaxValue, end = double.MinValue;
            foreach (var i in intervals)
            {
                if ((i.Tag ?? "") != name) continue;
                count++;
                first = Math.Min(first, i.StartSeconds);
                end = Math.Max(end, i.StartSeconds + i.LengthSeconds);
            }
            output.WriteLine($"== {(name.Length == 0 ? "(untagged)" : name)}: {count} intervals over {(end - first).ToString("F3", CultureInfo.InvariantCulture)} s; values in µs");
            histogram.OutputPercentileDistribution(output, 5, 1000.0, false);
            output.WriteLine(SummaryLine(histogram));
            output.WriteLine();
        }
        return merged.Count;
    }

    /// <summary>"p50=… p90=… p99=… p99.9=… p99.99=… max=… count=… mean=…" with ns/µs units.</summary>
    public static string SummaryLine(HistogramBase histogram)
    {
        var parts = new List<string>();
        foreach (double p in SummaryPercentiles)
            parts.Add($"p{p.ToString(CultureInfo.InvariantCulture)}={LatencyFormat.Ns(HistogramStats.ValueAtPercentile(histogram, p))}");
        parts.Add($"max={LatencyFormat.Ns(HistogramStats.Max(histogram))}");
        parts.Add($"count={histogram.TotalCount.ToString(CultureInfo.InvariantCulture)}");
        parts.Add($"mean={LatencyFormat.Ns(HistogramStats.Mean(histogram))}");
        return string.Join("  ", parts);
    }
}
