using System.Collections.Generic;
using System.IO;
using System.Text;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Files;
using Wirespeed.Plotting;

namespace Wirespeed.Commands;

/// <summary>
/// <c>wirespeed hdr FILE.hlog [--tag T]</c>: reads an interval log and prints its report (<see cref="HlogReport"/>):
/// per tag, the merged percentile distribution and a compact summary.
/// <c>wirespeed hdr A.hlog [B.hlog …] --plot OUT.svg [--tag T]</c>: draws the percentile-distribution chart of one tag
/// of each file, overlaid (<see cref="PercentileChartSvg"/>); the tag is --tag, else "end-to-end" where the file has
/// it, else the file's only tag.
/// </summary>
internal static class HdrCommand
{
    /// <summary>The tag plotted when --tag is absent and the file has it: the run's receive-to-deliver latency.</summary>
    public const string DefaultPlotTag = "end-to-end";

    public static int Run(CommandArgs args, TextWriter output)
    {
        string? tag = args.String("tag");
        string? plot = args.String("plot");
        args.RejectUnknown();
        if (args.Positionals.Count == 0 || (plot is null && args.Positionals.Count != 1))
            throw new UsageException("hdr: give one .hlog file, e.g. wirespeed hdr demo.hlog (several only with --plot OUT.svg)");
        foreach (string path in args.Positionals)
            if (InputFile.Check(path, "hdr: log") is { } problem) throw new UsageException(problem);
        if (plot is null) return Run(args.Positionals[0], output, tag);
        using var svg = OutputFile.Check(plot, "--plot", OutputMode.Replace)!;
        return Plot(args.Positionals, tag, svg, output);
    }

    /// <summary>Prints the report of <paramref name="path"/>. Returns 0 on success, 1 when the log is unreadable or holds no matching interval, 2 when the file is missing.</summary>
    public static int Run(string path, TextWriter output, string? tag)
    {
        if (Read(path, output) is not { } intervals) return File.Exists(path) ? 1 : 2;
        if (HlogReport.Write(intervals, tag, output) == 0)
        {
            output.WriteLine(tag is null
                ? $"wirespeed hdr: {path}: no interval histograms"
                : $"wirespeed hdr: {path}: no interval histograms tagged '{tag}'");
            return 1;
        }
        return 0;
    }

    /// <summary>
    /// Writes the chart of <paramref name="paths"/> to <paramref name="svg"/>. Returns 0, 1 when a log is unreadable,
    /// lacks the tag (the message lists the tags it has) or the chart cannot be written, 2 when a file is missing.
    /// </summary>
    public static int Plot(IReadOnlyList<string> paths, string? tag, OutputFile svg, TextWriter output)
    {
        var series = new List<PercentileSeries>();
        var tags = new List<string>();
        foreach (string path in paths)
        {
            if (Read(path, output) is not { } intervals) return File.Exists(path) ? 1 : 2;
            var merged = HlogReader.MergeByTag(intervals);
            string? chosen = ChooseTag(merged.Keys, tag);
            if (chosen is null || !merged.TryGetValue(chosen, out var histogram) || histogram.TotalCount == 0)
            {
                output.WriteLine($"wirespeed hdr: {path}: {(tag is null ? "no default tag to plot" : $"no values tagged '{tag}'")}; " +
                                 $"its tags: {Describe(merged.Keys)}; choose one with --tag");
                return 1;
            }
            if (!tags.Contains(chosen)) tags.Add(chosen);
            string name = Path.GetFileName(path) + (tag is null && chosen != DefaultPlotTag ? $" [{Describe([chosen])}]" : "");
            series.Add(PercentileSeries.Of(name, histogram));
        }
        var fileNames = new List<string>();
        foreach (string path in paths) fileNames.Add(Path.GetFileName(path));
        string title = $"Latency by percentile: {Describe(tags)}";
        string subtitle = string.Join(", ", fileNames);
        if (!svg.TryWrite(Encoding.UTF8.GetBytes(PercentileChartSvg.Render(title, subtitle, series)), out string? error))
        {
            output.WriteLine(error);
            return 1;
        }
        output.WriteLine($"wirespeed hdr: plotted {Describe(tags)} of {subtitle} to {svg.Path}");
        return 0;
    }

    /// <summary>--tag when given; else "end-to-end" when present; else the only tag; else null (the caller lists the tags).</summary>
    internal static string? ChooseTag(ICollection<string> tags, string? requested)
    {
        if (requested is not null) return requested;
        if (tags.Contains(DefaultPlotTag)) return DefaultPlotTag;
        if (tags.Count == 1) foreach (string only in tags) return only;
        return null;
    }

    private static string Describe(IEnumerable<string> tags)
    {
        var names = new List<string>();
        foreach (string t in tags) names.Add(t.Length == 0 ? "(untagged)" : t);
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }

    private static List<HlogInterval>? Read(string path, TextWriter output)
    {
        if (!File.Exists(path))
        {
            output.WriteLine($"wirespeed hdr: {path}: no such file");
            return null;
        }
        try
        {
            return HlogReader.ReadFile(path);
        }
        catch (InvalidDataException e)
        {
            output.WriteLine($"wirespeed hdr: {path}: {e.Message}");
            return null;
        }
    }
}
