using System;
using System.IO;

namespace Wirespeed.Tests.Infrastructure;

/// <summary>Locates <c>../shared/data</c> (beside the repository) and the repository root from the test binary.</summary>
public static class SharedData
{
    private static readonly Lazy<string> s_repoRoot = new(FindRepoRoot);

    /// <summary>The repository root (the folder holding Wirespeed.sln).</summary>
    public static string RepoRoot => s_repoRoot.Value;

    /// <summary>Path of a file under ../shared/data, e.g. <c>Path("itch/nasdaq-packets/OrderDelete.pcap")</c>.</summary>
    public static string Path(string relative)
    {
        string env = Environment.GetEnvironmentVariable("WIRESPEED_SHARED_DATA") ?? "";
        string root = env.Length > 0 ? env : System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoRoot, "..", "shared", "data"));
        string full = System.IO.Path.Combine(root, relative);
        if (!File.Exists(full) && !Directory.Exists(full))
            throw new FileNotFoundException($"shared test data missing: {full} (clone the project beside ../shared, or set WIRESPEED_SHARED_DATA)");
        return full;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Wirespeed.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Wirespeed.sln not found above " + AppContext.BaseDirectory);
    }
}
