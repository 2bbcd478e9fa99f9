using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using HdrHistogram;

namespace Wirespeed.Core.Monitoring;

/// <summary>One interval line of an .hlog file, decoded.</summary>
/// <param name="Tag">The line's tag, or null for an untagged line.</param>
/// <param name="StartSeconds">Interval start in seconds since the Unix epoch (BaseTime added when the log has one).</param>
/// <param name="LengthSeconds">Interval length in seconds.</param>
/// <param name="Histogram">The interval's histogram.</param>
public sealed record HlogInterval(string? Tag, double StartSeconds, double LengthSeconds, LongHistogram Histogram);

/// <summary>
/// Reads HdrHistogram interval logs (format 1.2/1.3, as written by <see cref="HlogWriter"/> or by Java's
/// HistogramLogWriter): comment and legend lines, optional <c>Tag=</c> prefix, base64 compressed V2 histograms.
/// Cold path; accepts UTF-8 with or without a byte-order mark.
/// </summary>
public static class HlogReader
{
    /// <summary>Reads every interval of <paramref name="path"/>. Throws <see cref="InvalidDataException"/> naming the line on bad input.</summary>
    public static List<HlogInterval> ReadFile(string path)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return Read(reader);
    }

    /// <summary>Reads every interval from <paramref name="reader"/>.</summary>
    public static List<HlogInterval> Read(TextReader reader)
    {
        var intervals = new List<HlogInterval>();
        var totals = new Dictionary<string, long>(StringComparer.Ordinal); // per tag: the merge must stay countable
        double baseTime = double.NaN, startTime = double.NaN;
        int lineNo = 0;
        for (string? line; (line = reader.ReadLine()) != null;)
        {
            lineNo++;
            line = line.Trim();
            if (line.Length == 0) continue;
            if (line[0] == '#')
            {
                try
                {
                    if (line.StartsWith("#[StartTime: ", StringComparison.Ordinal)) startTime = LeadingNumber(line, 13);
                    else if (line.StartsWith("#[BaseTime: ", StringComparison.Ordinal)) baseTime = LeadingNumber(line, 12);
                }
                catch (FormatException e)
                {
                    throw new InvalidDataException($"line {lineNo}: bad header '{line}': {e.Message}", e);
                }
                continue;
            }
            if (line[0] == '"') continue; // CSV legend
            HlogInterval interval;
            try
            {
                interval = ParseLine(line, ref baseTime, startTime);
            }
            catch (Exception e) when (e is FormatException or InvalidDataException or OverflowException or ArgumentException)
            {
                throw new InvalidDataException($"line {lineNo}: {e.Message}", e);
            }
            string key = interval.Tag ?? "";
            long total = totals.GetValueOrDefault(key) + interval.Histogram.TotalCount;
            if (total > HdrCodec.MaxTotalCount)
                throw new InvalidDataException($"line {lineNo}: the intervals of tag '{key}' count more than 2^48 values together: percentiles cannot be computed over them");
            totals[key] = total;
            intervals.Add(interval);
        }
        return intervals;
    }

    /// <summary>
    /// Merges the intervals per tag (untagged lines under ""), into histograms wide and precise enough for all of them.
    /// Only <paramref name="onlyTag"/> when given.
    /// </summary>
    public static SortedDictionary<string, LongHistogram> MergeByTag(IReadOnlyList<HlogInterval> intervals, string? onlyTag = null)
    {
        var ranges = new Dictionary<string, (long Lowest, long Highest, int Digits)>();
        foreach (var i in intervals)
        {
            string key = i.Tag ?? "";
            if (onlyTag is not null && key != onlyTag) continue;
            var h = i.Histogram;
            ranges[key] = ranges.TryGetValue(key, out var r)
                ? (Math.Min(r.Lowest, h.LowestTrackableValue), Math.Max(r.Highest, h.HighestTrackableValue),
                   Math.Max(r.Digits, h.NumberOfSignificantValueDigits))
                : (h.LowestTrackableValue, h.HighestTrackableValue, h.NumberOfSignificantValueDigits);
        }
        var merged = new SortedDictionary<string, LongHistogram>(StringComparer.Ordinal);
        foreach (var (key, r) in ranges) merged[key] = new LongHistogram(r.Lowest, r.Highest, r.Digits);
        foreach (var i in intervals)
        {
            string key = i.Tag ?? "";
            if (!merged.TryGetValue(key, out var target)) continue;
            AddInto(target, i.Histogram);
        }
        return merged;
    }

    /// <summary>Adds every bucket of <paramref name="source"/> into <paramref name="target"/> (layouts may differ).</summary>
    public static void AddInto(HistogramBase target, HistogramBase source)
    {
        if (source.TotalCount == 0) return;
        var layout = HistogramStats.LayoutOf(source);
        int last = HdrCodec.LastNonZeroIndex(source, layout);
        for (int i = 0; i <= last; i++)
        {
            long v = layout.ValueFromIndex(i);
            long c = source.GetCountAtValue(v);
            if (c != 0) target.RecordValueWithCount(v, c);
        }
    }

    private static HlogInterval ParseLine(string line, ref double baseTime, double startTime)
    {
        string? tag = null;
        int pos = 0;
        if (line.StartsWith("Tag=", StringComparison.Ordinal))
        {
            int comma = line.IndexOf(',');
            if (comma < 0) throw new FormatException("tag without fields");
            tag = line.Substring(4, comma - 4);
            pos = comma + 1;
        }
        string[] fields = line.Substring(pos).Split(',');
        if (fields.Length != 4) throw new FormatException($"expected 4 comma-separated fields after the tag, found {fields.Length}");
        double start = double.Parse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture);
        double length = double.Parse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture);
        var histogram = HdrCodec.Decode(Convert.FromBase64String(fields[3]));

        // As the reference reader does: without a BaseTime, a first timestamp far below StartTime is relative to it.
        if (double.IsNaN(baseTime))
            baseTime = !double.IsNaN(startTime) && start < startTime - 365 * 24 * 3600.0 ? startTime : 0;
        return new HlogInterval(tag, baseTime + start, length, histogram);
    }

    private static double LeadingNumber(string line, int from)
    {
        int end = from;
        while (end < line.Length && (char.IsDigit(line[end]) || line[end] is '.' or '-' or 'E' or 'e' or '+')) end++;
        return double.Parse(line.AsSpan(from, end - from), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
