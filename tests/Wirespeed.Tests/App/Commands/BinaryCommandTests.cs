using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.App.Commands;

/// <summary>The built executables as a user runs them: the JIT build and the NativeAOT build from ./ws publish.</summary>
public class BinaryCommandTests
{
    private static string JitBinary => Path.Combine(SharedData.RepoRoot, "managed", "Wirespeed", "bin",
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release",
        "net10.0", "wirespeed");

    private static string AotBinary => Path.Combine(SharedData.RepoRoot, "build", "publish", "wirespeed");

    private static string Config(string dir, int port, string transport = "auto")
    {
        string f = Path.Combine(dir, "c.json");
        File.WriteAllText(f, $$"""{ "lines": [ { "port": {{port}}, "transport": "{{transport}}" } ], "books": { "maxInstruments": 128, "maxOrders": 65536 }, "simulator": { "rate": 100000, "seconds": 1 } }""");
        return f;
    }

    [Fact]
    public async Task Run_speaks_sd_notify_over_a_unix_datagram_socket_ready_watchdog_and_stopping()
    {
        Requires.That(File.Exists(JitBinary), $"the wirespeed executable is not built at {JitBinary} (./ws test builds it)");
        string dir = Directory.CreateTempSubdirectory("ws-notify").FullName;
        string socketPath = Path.Combine(dir, "notify.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        var psi = new ProcessStartInfo(JitBinary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "run", "--config", Config(dir, 26721) }) psi.ArgumentList.Add(a);
        psi.Environment["NOTIFY_SOCKET"] = socketPath;
        psi.Environment["WATCHDOG_USEC"] = "200000";     // ping at least every 100 ms
        var ct = TestContext.Current.CancellationToken;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        try
        {
            var seen = new StringBuilder();
            var buffer = new byte[4096];
            listener.ReceiveTimeout = 1000;
            long deadline = Environment.TickCount64 + 20_000;
            while (Environment.TickCount64 < deadline && !(seen.ToString().Contains("READY=1") && seen.ToString().Contains("WATCHDOG=1")))
            {
                try { int n = listener.Receive(buffer); seen.Append(Encoding.UTF8.GetString(buffer, 0, n)).Append('\n'); }
                catch (SocketException) { }
            }
            string messages = seen.ToString();
            Assert.Contains("READY=1", messages);
            Assert.Contains("WATCHDOG=1", messages);
            Assert.Contains("STATUS=", messages);

            using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!) await kill.WaitForExitAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(20_000);
            await p.WaitForExitAsync(timeout.Token);
            string o = await stdout, e = await stderr;
            Assert.True(p.ExitCode == 0, o + e);
            var rest = new StringBuilder();
            listener.ReceiveTimeout = 200;
            try { for (int i = 0; i < 100; i++) { int n = listener.Receive(buffer); rest.Append(Encoding.UTF8.GetString(buffer, 0, n)).Append('\n'); } }
            catch (SocketException) { }
            Assert.Contains("STOPPING=1", rest.ToString());
        }
        finally
        {
            if (!p.HasExited) p.Kill();
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Run_prints_the_histograms_so_far_on_SIGUSR1_and_keeps_running()
    {
        Requires.That(File.Exists(JitBinary), $"the wirespeed executable is not built at {JitBinary} (./ws test builds it)");
        string dir = Directory.CreateTempSubdirectory("ws-usr1").FullName;
        var psi = new ProcessStartInfo(JitBinary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "run", "--config", Config(dir, 26722), "--seconds", "5" }) psi.ArgumentList.Add(a);
        var ct = TestContext.Current.CancellationToken;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        try
        {
            await Task.Delay(2500, ct);
            using (var kill = Process.Start("kill", ["-USR1", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!) await kill.WaitForExitAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(30_000);
            await p.WaitForExitAsync(timeout.Token);
            string o = await stdout, e = await stderr;
            Assert.True(p.ExitCode == 0, o + e);
            Assert.Contains("SIGUSR1: histograms so far", o);
            Assert.Contains("== run (so far) summary", o);
            Assert.Contains("== run summary", o);   // and it ran on to --seconds
        }
        finally
        {
            if (!p.HasExited) p.Kill();
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("socket", 26731)]
    [InlineData("uring", 26732)]
    [InlineData("recv", 26733)]
    public void Demo_runs_over_each_loopback_transport_without_loss(string transport, int port)
    {
        if (transport != "recv") Requires.That(Wirespeed.Interop.NativeLibraryResolver.IsAvailable(out string why), "native shim: " + why);
        string dir = Directory.CreateTempSubdirectory("ws-transport").FullName;
        try
        {
            var (code, output, err) = CommandRunner.Run("demo", "--config", Config(dir, port, transport));
            Assert.True(code == 0, output + err);
            Assert.Contains($"transport: {transport} on", output);
            Assert.Contains("lost 0", output);
            Assert.Contains("worker.main 0 B", output);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task The_NativeAOT_binary_runs_the_demo_and_replays_real_packets()
    {
        Requires.That(File.Exists(AotBinary), $"no NativeAOT build at {AotBinary}: ./ws test publishes it first (./ws publish)");
        string dir = Directory.CreateTempSubdirectory("ws-aot").FullName;
        try
        {
            var (code, o, e) = await RunAsync(AotBinary, "demo", "--config", Config(dir, 26741));
            Assert.True(code == 0, o + e);
            Assert.Contains("lost 0", o);
            Assert.Contains("GC collections 0", o);
            (code, o, e) = await RunAsync(AotBinary, "replay", "--format", "pcap", SharedData.Path("itch/nasdaq-packets/MultipleMessages.pcap"));
            Assert.True(code == 0, o + e);
            Assert.Contains("39 messages in 2 packets", o);
            (code, o, e) = await RunAsync(AotBinary, "check-config", Path.Combine(SharedData.RepoRoot, "deploy", "wirespeed.json"));
            Assert.True(code == 0, o + e);
        }
        finally { Directory.Delete(dir, true); }
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
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await o, await e);
    }
}
