using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using HdrHistogram;

namespace Wirespeed.Core.Monitoring;

/// <summary>
/// <c>wirespeed hdr FILE.hlog [--tag T]</c>: reads an interval log, merges the intervals of each tag, and prints the
/// percentile distribution (the table HistogramLogProcessor prints, values in µs) and a compact summary in ns/µs.
/// </summary>
public static class HdrCommand
{
    /// <summary>Percentiles of the compact summary line.</summary>
    public static readonly double[] SummaryPercentiles = { 50, 90, 99, 99.9, 99.99 };

    /// <summary>Runs the command. Returns 0 on success, 1 when the log is unreadable or holds no matching interval, 2 when the file is missing.</summary>
    public static int Run(string path, TextWriter output, string? tag)
    {
        if (!File.Exists(path))
        {
            output.WriteLine($"wirespeed hdr: {path}: no such file");
            return 2;
        }
        List<HlogInterval> intervals;
        try
        {
            intervals = HlogReader.ReadFile(path);
        }
        catch (InvalidDataException e)
        {
            output.WriteLine($"wirespeed hdr: {path}: {e.Message}");
            return 1;
        }
        var merged = HlogReader.MergeByTag(intervals, tag);
        if (merged.Count == 0)
        {
            output.WriteLine(tag is null
                ? $"wirespeed hdr: {path}: no interval histograms"
                : $"wirespeed hdr: {path}: no interval histograms tagged '{tag}'");
            return 1;
        }

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
        return 0;
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
