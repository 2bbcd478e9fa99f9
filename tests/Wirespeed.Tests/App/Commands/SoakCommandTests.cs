using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.App.Commands;

/// <summary>
/// <c>wirespeed soak</c>. The day itself runs as its own process (the JIT build): the soak judges the whole process's
/// RSS and GC counts, which in the test host would count every other test running beside it.
/// </summary>
public class SoakCommandTests
{
    private static string JitBinary => Path.Combine(SharedData.RepoRoot, "managed", "Wirespeed", "bin",
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release",
        "net10.0", "wirespeed");

    [Fact]
    public async Task An_accelerated_eight_hour_day_reports_eight_hours_and_passes_its_own_criteria()
    {
        Requires.That(File.Exists(JitBinary), $"the wirespeed executable is not built at {JitBinary} (./ws test builds it)");
        string dir = Directory.CreateTempSubdirectory("ws-soak").FullName;
        try
        {
            // One line configured: the soak adds line B on the next port for the news spike.
            string cfg = Path.Combine(dir, "c.json"), json = Path.Combine(dir, "s.json");
            File.WriteAllText(cfg, """{ "lines": [ { "port": 26851 } ], "books": { "maxInstruments": 128, "maxOrders": 65536 } }""");
            // 8 hours at 2400×: 12 s of wall time, a row each 1.5 s.
            var psi = new ProcessStartInfo(JitBinary) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "soak", "--hours", "8", "--accelerate", "2400", "--rate", "50000", "--config", cfg, "--json", json }) psi.ArgumentList.Add(a);
            var ct = TestContext.Current.CancellationToken;
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync(ct);
            var stderr = p.StandardError.ReadToEndAsync(ct);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(120_000);
                await p.WaitForExitAsync(timeout.Token);
            }
            finally
            {
                if (!p.HasExited) p.Kill();
            }
            string o = await stdout, e = await stderr;
            Assert.True(p.ExitCode == 0, o + e);
            for (int h = 1; h <= 8; h++) Assert.Contains($"  hour {h} [", o);
            Assert.DoesNotContain("  hour 9 [", o);
            Assert.Contains("line B added on 239.192.0.1:26852", o);
            Assert.Contains("soak: PASSED", o);
            foreach (var c in new[] { "memory", "gc", "drift", "loss", "pools" }) Assert.Contains($"soak pass {c}: ", o);

            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var rows = doc.RootElement.GetProperty("intervals").EnumerateArray().ToList();
            Assert.Equal(8, rows.Count);
            Assert.Equal(Enumerable.Range(1, 8), rows.Select(r => r.GetProperty("index").GetInt32()));
            Assert.All(rows, r =>
            {
                Assert.True(r.GetProperty("messages").GetInt64() > 0);
                Assert.True(r.GetProperty("service_p50_ns").GetInt64() > 0);
                Assert.True(r.GetProperty("end_to_end_p999_ns").GetInt64() >= r.GetProperty("end_to_end_p50_ns").GetInt64());
                Assert.True(r.GetProperty("rss_bytes").GetInt64() > 0);
                Assert.True(r.GetProperty("orders_high_water").GetInt64() > 0);
                Assert.Equal(0, r.GetProperty("gap_messages").GetInt64());
            });
            // The open and close bursts (4×) carry more than a normal hour (1×); the crash trips breakers.
            long Messages(int i) => rows[i].GetProperty("messages").GetInt64();
            Assert.True(Messages(0) > Messages(2) && Messages(7) > Messages(2), $"hours 1, 3, 8: {Messages(0)}, {Messages(2)}, {Messages(7)}");
            Assert.True(rows.Sum(r => r.GetProperty("breaker_trips").GetInt64()) > 0);
            var soak = doc.RootElement.GetProperty("counters").GetProperty("soak");
            Assert.Equal(1, soak.GetProperty("passed").GetInt64());
            Assert.Equal(0, soak.GetProperty("messages_lost").GetInt64());
            Assert.Equal(soak.GetProperty("messages_sent").GetInt64(), soak.GetProperty("messages_received").GetInt64());
            Assert.Contains(doc.RootElement.GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("soak: pass drift: ", StringComparison.Ordinal));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData(new[] { "soak" }, "--hours H is required")]
    [InlineData(new[] { "soak", "--hours", "0" }, "--hours 0 must be in (0, 24]")]
    [InlineData(new[] { "soak", "--hours", "8", "--accelerate", "0.5" }, "--accelerate 0.5 must be")]
    [InlineData(new[] { "soak", "--hours", "1" }, "gives fewer than 2 intervals in 1 h")]
    [InlineData(new[] { "soak", "--hours", "8", "--rate", "0" }, "--rate 0 must be")]
    [InlineData(new[] { "soak", "--hours", "8", "--speed", "2" }, "--speed")]
    public void Bad_options_are_usage_errors_that_name_the_option(string[] args, string message)
    {
        var (code, _, err) = CommandRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
    }

    [Fact]
    public void The_usage_text_lists_soak()
    {
        var (_, output, _) = CommandRunner.Run("help");
        Assert.Contains("  soak --hours H", output);
    }
}
