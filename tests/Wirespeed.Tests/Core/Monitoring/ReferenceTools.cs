using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Core.Monitoring;

/// <summary>
/// The reference HdrHistogram readers our logs must satisfy: Java's HistogramLogProcessor (Debian libhdrhistogram-java)
/// and hdr-histogram-js (npm, installed by <c>./ws test</c> into build/tools). A missing tool skips the test, except
/// under CI=true, where it fails: CI must prove interoperability, not skip it.
/// </summary>
internal static class ReferenceTools
{
    private static readonly string[] s_jarCandidates =
        { "/usr/share/java/HdrHistogram.jar", "/usr/share/java/hdrhistogram.jar" };

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips (or fails under CI=true) with <paramref name="reason"/>.</summary>
    public static void Missing(string reason)
    {
        if (IsCi) Assert.Fail("CI=true requires the reference tool: " + reason);
        Assert.Skip(reason);
    }

    public static string RequireJar()
    {
        foreach (string p in s_jarCandidates) if (File.Exists(p)) return p;
        Missing("HdrHistogram.jar not found in /usr/share/java (apt-get install libhdrhistogram-java)");
        return "";
    }

    public static string RequireExecutable(string name, string installHint)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            if (dir.Length == 0) continue;
            string full = Path.Combine(dir, name);
            if (File.Exists(full)) return full;
        }
        Missing($"{name} not on PATH ({installHint})");
        return "";
    }

    /// <summary>build/tools/node_modules under the repository root, holding hdr-histogram-js.</summary>
    public static string RequireHdrHistogramJs()
    {
        RequireExecutable("node", "apt-get install nodejs");
        string modules = Path.Combine(SharedData.RepoRoot, "build", "tools", "node_modules");
        if (!Directory.Exists(Path.Combine(modules, "hdr-histogram-js")))
            Missing($"hdr-histogram-js not in {modules} (npm install --prefix build/tools hdr-histogram-js)");
        return modules;
    }

    /// <summary>Runs a process to completion; returns (exit code, stdout, stderr). Fails the test after 60 s.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string file, string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + file);
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{file} did not finish within 60 s");
        }
        return (p.ExitCode, stdout, stderr.Result);
    }
}
