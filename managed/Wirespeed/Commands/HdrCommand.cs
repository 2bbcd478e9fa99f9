using System.Collections.Generic;
using System.IO;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Files;

namespace Wirespeed.Commands;

/// <summary>
/// <c>wirespeed hdr FILE.hlog [--tag T]</c>: reads an interval log and prints its report (<see cref="HlogReport"/>):
/// per tag, the merged percentile distribution and a compact summary.
/// </summary>
internal static class HdrCommand
{
    public static int Run(CommandArgs args, TextWriter output)
    {
        string? tag = args.String("tag");
        args.RejectUnknown();
        if (args.Positionals.Count != 1) throw new UsageException("hdr: give one .hlog file, e.g. wirespeed hdr demo.hlog");
        if (InputFile.Check(args.Positionals[0], "hdr: log") is { } problem) throw new UsageException(problem);
        return Run(args.Positionals[0], output, tag);
    }

    /// <summary>Prints the report of <paramref name="path"/>. Returns 0 on success, 1 when the log is unreadable or holds no matching interval, 2 when the file is missing.</summary>
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
        if (HlogReport.Write(intervals, tag, output) == 0)
        {
            output.WriteLine(tag is null
                ? $"wirespeed hdr: {path}: no interval histograms"
                : $"wirespeed hdr: {path}: no interval histograms tagged '{tag}'");
            return 1;
        }
        return 0;
    }
}
