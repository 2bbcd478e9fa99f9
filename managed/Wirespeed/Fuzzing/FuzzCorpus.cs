using System;
using System.Collections.Generic;
using System.IO;
using Wirespeed.Commands;
using Wirespeed.Fuzzing.Targets;

namespace Wirespeed.Fuzzing;

/// <summary>
/// Finds the seed files (the repository's deploy/*.json, ../shared/data/itch beside it or $WIRESPEED_SHARED_DATA) and
/// builds each format's target over them. Seeds of hlog and journal are written in memory by the production writers.
/// </summary>
public static class FuzzCorpus
{
    /// <summary>Every format, in the order <c>--format all</c> runs them.</summary>
    public static readonly string[] Formats = { "config", "pcap", "itch50", "hlog", "journal", "fix" };

    /// <summary>The repository root (the folder holding Wirespeed.sln) above the working directory or the executable; null when neither is inside one.</summary>
    public static string? FindRepoRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Wirespeed.sln"))) return dir.FullName;
        return null;
    }

    /// <summary>The shared data folder: $WIRESPEED_SHARED_DATA, else ../shared/data beside the repository; null when absent.</summary>
    public static string? FindSharedData(string? repoRoot)
    {
        string env = Environment.GetEnvironmentVariable("WIRESPEED_SHARED_DATA") ?? "";
        if (env.Length > 0) return Directory.Exists(env) ? env : null;
        if (repoRoot is null) return null;
        string path = Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "data"));
        return Directory.Exists(path) ? path : null;
    }

    /// <summary>The target of <paramref name="format"/> with its seeds. Throws <see cref="UsageException"/> when the seed files are missing.</summary>
    public static IFuzzTarget Create(string format, string? repoRoot, string? sharedData) => format switch
    {
        "config" => new ConfigTarget(ConfigTarget.LoadSeeds(repoRoot)),
        "pcap" => new PcapTarget(Files(sharedData, "*.pcap")),
        "itch50" => new Itch50Target(ItchSlices(Files(sharedData, "*.itch50"))),
        "hlog" => new HlogTarget(new List<byte[]>
        {
            HlogTarget.WriteSeed(1, 2, "decode", "e2e"),
            HlogTarget.WriteSeed(2, 2, (string?)null),
            HlogTarget.WriteSeed(3, 1, "deliver"),
        }),
        "journal" => new JournalTarget(new List<byte[]> { JournalTarget.WriteSeed(1, 12), JournalTarget.WriteSeed(2, 3), JournalTarget.WriteSeed(3, 1) }),
        "fix" => new FixTarget(FixTarget.LoadSeeds(sharedData)),
        _ => throw new UsageException($"fuzz: --format '{format}' must be one of: {string.Join(", ", Formats)}, all."),
    };

    private static List<byte[]> Files(string? sharedData, string pattern)
    {
        if (sharedData is null)
            throw new UsageException("fuzz: the seed files (shared/data/itch) were not found beside the repository; run from the repository or set WIRESPEED_SHARED_DATA.");
        var files = Directory.GetFiles(Path.Combine(sharedData, "itch"), pattern, SearchOption.AllDirectories);
        if (files.Length == 0) throw new UsageException($"fuzz: no {pattern} seed files under {Path.Combine(sharedData, "itch")}.");
        Array.Sort(files, StringComparer.Ordinal);
        var seeds = new List<byte[]>();
        foreach (string f in files) seeds.Add(File.ReadAllBytes(f));
        return seeds;
    }

    private static List<byte[]> ItchSlices(List<byte[]> files)
    {
        var seeds = new List<byte[]>();
        foreach (var file in files) seeds.AddRange(Itch50Target.Slices(file, slices: 24, messagesPerSlice: 64));
        return seeds;
    }
}
