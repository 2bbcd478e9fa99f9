using System;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.App.Commands;

/// <summary>
/// SoupBinTCP from the built executables over loopback (ports 26600..26603, this file's only): <c>simulate
/// --soupbintcp-server</c> serves the simulator's day and <c>replay --soupbintcp</c> logs in, receives it by TCP replay and
/// replays it through the itch50 path, to the same book checksum as the same day written to a file. The NativeAOT case
/// proves DotNetty works in the published binary (PLATFORM.md: it crashes there unless rooted).
/// </summary>
public sealed class SoupBinCommandTests
{
    private static string JitBinary => Path.Combine(SharedData.RepoRoot, "managed", "Wirespeed", "bin",
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release",
        "net10.0", "wirespeed");

    private static string AotBinary => Path.Combine(SharedData.RepoRoot, "build", "publish", "wirespeed");

    [Fact]
    public Task The_JIT_binary_replays_a_day_over_soupbintcp() => ReplayOverSoupBin(JitBinary, 26600, "the wirespeed executable is not built (./ws test builds it)");

    [Fact]
    public Task The_NativeAOT_binary_replays_a_day_over_soupbintcp() => ReplayOverSoupBin(AotBinary, 26602, "no NativeAOT build at build/publish/wirespeed: ./ws test publishes it first (./ws publish)");

    private static async Task ReplayOverSoupBin(string exe, int port, string missing)
    {
        Requires.That(File.Exists(exe), missing + $" ({exe})");
        var ct = TestContext.Current.CancellationToken;
        string dir = Directory.CreateTempSubdirectory("ws-soupbin").FullName;
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "simulate", "--soupbintcp-server", port.ToString(), "--messages", "20000", "--seed", "5", "--linger", "60" }) psi.ArgumentList.Add(a);
        // Lines are read as they come (event-driven): an awaited ReadLineAsync on the pipe did not return the first line
        // until the server exited.
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serverOut = new System.Text.StringBuilder();
        using var server = new Process { StartInfo = psi };
        server.OutputDataReceived += (_, l) =>
        {
            lock (serverOut) serverOut.AppendLine(l.Data);
            if (l.Data is null) listening.TrySetResult();   // exited: the assertion below says so
            else if (l.Data.Contains("SoupBinTCP server on")) listening.TrySetResult();
        };
        server.ErrorDataReceived += (_, l) => { lock (serverOut) serverOut.AppendLine(l.Data); };
        server.Start();
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
            Assert.False(server.HasExited, "the server did not start: " + serverOut);
            var (code, o, e) = await RunAsync(exe, "replay", "--soupbintcp", $"127.0.0.1:{port}", "--from-seq", "1", "--user", "sim", "--password", "SIM");
            Assert.True(code == 0, o + e);
            Assert.Contains("20,000 messages from sequence 1 to end of session", o);

            // The same day from a file: the same books.
            string file = Path.Combine(dir, "day.itch50");
            (code, _, e) = await RunAsync(exe, "simulate", "--out", file, "--format", "itch50", "--messages", "20000", "--seed", "5");
            Assert.True(code == 0, e);
            var (fileCode, fo, fe) = await RunAsync(exe, "replay", "--format", "itch50", file);
            Assert.True(fileCode == 0, fo + fe);
            string checksum = Regex.Match(fo, "checksum[^\n]*").Value;
            Assert.NotEmpty(checksum);
            Assert.Equal(checksum, Regex.Match(o, "checksum[^\n]*").Value);

            (code, o, e) = await RunAsync(exe, "replay", "--soupbintcp", $"127.0.0.1:{port}", "--from-seq", "19990", "--user", "sim", "--password", "sim");
            Assert.True(code == 0, o + e);
            Assert.Contains("11 messages from sequence 19990", o);

            (code, o, e) = await RunAsync(exe, "replay", "--soupbintcp", $"127.0.0.1:{port}", "--user", "sim", "--password", "wrong");
            Assert.Equal(1, code);
            Assert.Contains("not authorized", e);
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync(ct);
            Directory.Delete(dir, true);
        }
    }

    private static async Task<(int, string, string)> RunAsync(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var ct = TestContext.Current.CancellationToken;
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync(ct);
        var e = p.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(60_000);
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);   // a child left running would hold its port and CPU for the rest of the run
            throw;
        }
        return (p.ExitCode, await o, await e);
    }
}
