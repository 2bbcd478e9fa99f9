using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;

namespace Wirespeed.Tests.Infrastructure;

/// <summary>
/// Debian's prometheus package (./ws installs it: DEB_PACKAGES): <c>promtool</c> and the <c>prometheus</c> server.
/// Tests that need them skip with the reason when they are missing, and fail under CI=true (<see cref="Requires"/>).
/// </summary>
public static class PrometheusTools
{
    /// <summary>The full path of <paramref name="tool"/> on PATH (or /usr/bin), or null.</summary>
    public static string? Find(string tool)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            string candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        return File.Exists("/usr/bin/" + tool) ? "/usr/bin/" + tool : null;
    }

    /// <summary>promtool, or a skip (a failure under CI) naming the package.</summary>
    public static string Promtool()
    {
        string? path = Find("promtool");
        Requires.That(path is not null, "promtool is not installed (Debian package prometheus; ./ws installs it)");
        return path!;
    }

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>, <paramref name="stdin"/> on its input; waits at most <paramref name="timeoutMs"/>.</summary>
    public static (int Code, string Output) Run(string file, string[] args, string? stdin = null, int timeoutMs = 30_000, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null,
            UseShellExecute = false, WorkingDirectory = workingDirectory ?? "",
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return (124, $"{file} timed out after {timeoutMs} ms\n{stdout.Result}{stderr.Result}");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>A loopback TCP port free right now (bound and released: another process may take it in between, rarely).</summary>
    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
