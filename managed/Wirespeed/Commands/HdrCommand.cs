using System.IO;
using Wirespeed.Core.Files;

namespace Wirespeed.Commands;

/// <summary><c>wirespeed hdr FILE.hlog [--tag T]</c>: percentile table of an HdrHistogram log.</summary>
internal static class HdrCommand
{
    public static int Run(CommandArgs args, TextWriter output)
    {
        string? tag = args.String("tag");
        args.RejectUnknown();
        if (args.Positionals.Count != 1) throw new UsageException("hdr: give one .hlog file, e.g. wirespeed hdr demo.hlog");
        if (InputFile.Check(args.Positionals[0], "hdr: log") is { } problem) throw new UsageException(problem);
        return Core.Monitoring.HdrCommand.Run(args.Positionals[0], output, tag);
    }
}
