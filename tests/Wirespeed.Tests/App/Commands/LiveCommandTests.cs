using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Linq;
using System.Threading;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.App.Commands;

/// <summary>demo and run over loopback multicast, each on its own port so they never hear each other.</summary>
public class LiveCommandTests
{
    private static string Config(int port, string extra = "") =>
        $$"""{ "lines": [ { "port": {{port}} } ], "books": { "maxInstruments": 128, "maxOrders": 65536 }, "simulator": { "rate": 200000, "seconds": 1 }{{extra}} }""";

    [Fact]
    public void Demo_delivers_every_message_without_allocating_on_the_hot_thread()
    {
        string dir = Directory.CreateTempSubdirectory("ws-demo").FullName;
        try
        {
            string cfg = Path.Combine(dir, "c.json"), json = Path.Combine(dir, "s.json"), hlog = Path.Combine(dir, "d.hlog");
            File.WriteAllText(cfg, Config(26611));
            var (code, output, err) = CommandRunner.Run("demo", "--config", cfg, "--json", json, "--hlog", hlog);
            Assert.True(code == 0, output + err);
            Assert.Contains("== demo summary", output);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var counters = doc.RootElement.GetProperty("counters");
            var demo = counters.GetProperty("demo");
            long sent = demo.GetProperty("messages_sent").GetInt64();
            Assert.True(sent >= 400_000, $"sent {sent}");   // 1 s warm-up + 1 s run at 200k/s
            Assert.Equal(sent, demo.GetProperty("messages_received").GetInt64());
            Assert.Equal(0, demo.GetProperty("messages_lost").GetInt64());
            Assert.Equal(0, counters.GetProperty("sequencing").GetProperty("gap_messages").GetInt64());
            foreach (var t in doc.RootElement.GetProperty("hot_threads").EnumerateArray())
            {
                Assert.True(t.GetProperty("marked").GetBoolean());
                Assert.Equal(0, t.GetProperty("allocated_bytes").GetInt64());
            }
            Assert.True(doc.RootElement.GetProperty("end_to_end").GetProperty("count").GetInt64() > 0);
            // The default patterns run on their own worker (a hot thread too), or inline on the book worker where no core
            // is left for one (placement auto), and report their detections and latency row.
            bool inline = output.Contains("inline on the book worker", StringComparison.Ordinal);
            Assert.Equal(!inline, doc.RootElement.GetProperty("hot_threads").EnumerateArray().Any(t => t.GetProperty("name").GetString() == "patterns.0"));
            Assert.Equal(Environment.ProcessorCount <= 2, inline);   // one spinning book worker and one core left free: none for a pattern worker
            var patterns = counters.GetProperty("patterns");
            Assert.True(patterns.GetProperty("signals_detected").GetInt64() > 0, "the default patterns detect nothing in the demo");
            Assert.Equal(patterns.GetProperty("signals_detected").GetInt64(), counters.EnumerateObject()
                .Where(c => c.Name.StartsWith("pattern.", StringComparison.Ordinal)).Sum(c => c.Value.GetProperty("detected").GetInt64()));
            Assert.Contains(doc.RootElement.GetProperty("stages").EnumerateArray(), st => st.GetProperty("name").GetString() == "detection");
            Assert.Contains("patterns: ", output);
            // The .hlog it wrote is readable by the hdr command.
            var hdr = CommandRunner.Run("hdr", hlog, "--tag", "end-to-end");
            Assert.Equal(0, hdr.Code);
            Assert.Contains("end-to-end", hdr.Out);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Demo_with_the_two_venue_example_receives_both_lines_on_one_worker_and_detects_cross_line_arbitrage()
    {
        string dir = Directory.CreateTempSubdirectory("ws-two").FullName;
        try
        {
            // The shipped example, on ports of its own, at a rate this VM's two senders hold.
            string cfg = Path.Combine(dir, "two.json"), json = Path.Combine(dir, "s.json");
            File.WriteAllText(cfg, File.ReadAllText(Path.Combine(SharedData.RepoRoot, "deploy", "two-venues.json"))
                .Replace("26477", "26621", StringComparison.Ordinal).Replace("26478", "26622", StringComparison.Ordinal));
            var (code, output, err) = CommandRunner.Run("demo", "--config", cfg, "--json", json, "--seconds", "1", "--rate", "400000");
            Assert.True(code == 0, output + err);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var counters = doc.RootElement.GetProperty("counters");
            var demo = counters.GetProperty("demo");
            Assert.Equal(0, demo.GetProperty("messages_lost").GetInt64());
            long a = counters.GetProperty("sequencing").GetProperty("announced_messages").GetInt64();
            long b = counters.GetProperty("sequencing.B").GetProperty("announced_messages").GetInt64();
            Assert.Equal(demo.GetProperty("messages_sent").GetInt64(), a + b);
            Assert.True(a > 100_000 && b > 100_000, $"line A {a}, line B {b}");
            Assert.Equal(0, counters.GetProperty("sequencing.B").GetProperty("gap_messages").GetInt64());
            Assert.True(counters.GetProperty("pattern.arbitrage.arb-aaaa").GetProperty("detected").GetInt64() +
                        counters.GetProperty("pattern.arbitrage.arb-baaa").GetProperty("detected").GetInt64() > 0, "no cross-venue arbitrage");
            foreach (var t in doc.RootElement.GetProperty("hot_threads").EnumerateArray())
                Assert.Equal(0, t.GetProperty("allocated_bytes").GetInt64());
            Assert.Contains("lines: 2 (A id 0, B id 1)", output);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Run_receives_a_simulated_feed_and_reports_it()
    {
        string dir = Directory.CreateTempSubdirectory("ws-run").FullName;
        try
        {
            string cfg = Path.Combine(dir, "c.json"), json = Path.Combine(dir, "s.json");
            File.WriteAllText(cfg, Config(26612));
            (int Code, string Out, string Err) result = default;
            var runner = new Thread(() => result = CommandRunner.Run("run", "--config", cfg, "--seconds", "4", "--json", json));
            runner.Start();
            Thread.Sleep(1500);   // the receiver joins the group before the simulator sends
            var sim = CommandRunner.Run("simulate", "--config", cfg, "--messages", "100000");
            Assert.Equal(0, sim.Code);
            Assert.True(runner.Join(TimeSpan.FromSeconds(30)), "run did not stop after --seconds");
            Assert.True(result.Code == 0, result.Out + result.Err);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var counters = doc.RootElement.GetProperty("counters");
            Assert.Equal(100_000, counters.GetProperty("messages_by_type").EnumerateObject().Sum(p => p.Value.GetInt64()));
            Assert.Equal(0, counters.GetProperty("line").GetProperty("gap_messages").GetInt64());
            Assert.Equal(0, counters.GetProperty("line").GetProperty("malformed").GetInt64());
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async System.Threading.Tasks.Task Run_drains_and_exits_cleanly_on_SIGTERM()
    {
        string exe = Path.Combine(SharedData.RepoRoot, "managed", "Wirespeed", "bin", BuildConfiguration, "net10.0", "wirespeed");
        Requires.That(File.Exists(exe), $"the wirespeed executable is not built at {exe} (./ws test builds it)");
        string dir = Directory.CreateTempSubdirectory("ws-sig").FullName;
        try
        {
            string cfg = Path.Combine(dir, "c.json");
            File.WriteAllText(cfg, Config(26613));
            var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "run", "--config", cfg }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var ct = TestContext.Current.CancellationToken;
            var stdout = p.StandardOutput.ReadToEndAsync(ct);
            var stderr = p.StandardError.ReadToEndAsync(ct);
            await System.Threading.Tasks.Task.Delay(2500, ct);
            Assert.False(p.HasExited, "run exited before it was signalled");
            using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
                await kill.WaitForExitAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(20_000);
            await p.WaitForExitAsync(timeout.Token);
            string o = await stdout, e = await stderr;
            Assert.True(p.ExitCode == 0, o + e);
            Assert.Contains("stopping (SIGTERM): draining workers", o);
            Assert.Contains("== run summary", o);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData(new[] { "run" }, "--config FILE is required")]
    [InlineData(new[] { "demo", "--rate", "fast" }, "not a whole number")]
    [InlineData(new[] { "demo", "--scenario", "meltdown" }, "simulator.scenario: 'meltdown' is not one of: normal, flash-crash, news-spike, open-close, correlated-move.")]
    [InlineData(new[] { "demo", "--topology", "mesh" }, "pipeline.topology: 'mesh' is not one of: single, split.")]
    [InlineData(new[] { "bench", "--passes", "0" }, "--passes must be 1..100")]
    [InlineData(new[] { "simulate", "--format", "csv", "--out", "x" }, "is not one of: itch50, pcap")]
    [InlineData(new[] { "frobnicate" }, "unknown command")]
    public void Bad_command_lines_fail_with_a_message(string[] args, string message)
    {
        var (code, _, err) = CommandRunner.Run(args);
        Assert.NotEqual(0, code);
        Assert.Contains(message, err);
    }

    [Fact]
    public void Help_lists_every_command()
    {
        var (code, output, _) = CommandRunner.Run("help");
        Assert.Equal(0, code);
        foreach (var c in new[] { "demo", "run", "simulate", "replay", "bench", "hdr", "check-config" }) Assert.Contains("  " + c, output);
    }

    private static string BuildConfiguration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
}
