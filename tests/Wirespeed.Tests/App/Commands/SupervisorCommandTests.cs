using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.App.Commands;

/// <summary>
/// The supervisor's policies as a user meets them: the built executable's demo with a pattern worker made to throw by
/// the test hook (WIRESPEED_TEST_INJECT, an environment variable: nothing in the data reaches it).
/// </summary>
public class SupervisorCommandTests
{
    private static string JitBinary => Path.Combine(SharedData.RepoRoot, "managed", "Wirespeed", "bin",
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release",
        "net10.0", "wirespeed");

    private static async Task<(int Code, string Out, string Err, JsonDocument Summary)> Demo(string policy, int port)
    {
        string dir = Directory.CreateTempSubdirectory("ws-supervisor").FullName;
        try
        {
            string cfg = Path.Combine(dir, "c.json"), json = Path.Combine(dir, "s.json");
            File.WriteAllText(cfg, $$"""
                { "lines": [ { "port": {{port}} } ], "books": { "maxInstruments": 128, "maxOrders": 65536 },
                  "simulator": { "rate": 200000, "seconds": 2 },
                  "patterns": { "placement": "workers", "idle": "back-off" },
                  "supervisor": { "policy": "{{policy}}", "intervalMs": 20 } }
                """);
            var psi = new ProcessStartInfo(JitBinary) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "demo", "--config", cfg, "--json", json }) psi.ArgumentList.Add(a);
            psi.Environment["WIRESPEED_TEST_INJECT"] = "patterns.0:throw@2000";
            var ct = TestContext.Current.CancellationToken;
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync(ct);
            var stderr = p.StandardError.ReadToEndAsync(ct);
            await p.WaitForExitAsync(ct);
            string o = await stdout, e = await stderr;
            Assert.True(File.Exists(json), o + e);
            return (p.ExitCode, o, e, JsonDocument.Parse(File.ReadAllText(json)));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task Under_the_fail_policy_a_pattern_worker_fault_stops_the_demo_with_the_cause_in_the_summary_and_exit_code_1()
    {
        Requires.That(File.Exists(JitBinary), $"the wirespeed executable is not built at {JitBinary} (./ws test builds it)");
        var (code, o, e, summary) = await Demo("fail", 26793);
        using (summary)
        {
            Assert.True(code == 1, $"exit {code}\n{o}\n{e}");
            Assert.Contains("warning: test hook WIRESPEED_TEST_INJECT is set: worker patterns.0 will throw after 2000 events", o);
            Assert.Contains("stopping (worker failure)", o + e);
            Assert.Contains("== demo summary", o);
            Assert.Contains("FAILED: worker patterns.0 (patterns) threw InvalidOperationException: injected fault (test hook)", o);
            Assert.Contains("instruments marked: 11: AAAA, AAAB", o);
            Assert.Contains("wirespeed alert kind=worker_faulted worker=patterns.0 role=patterns instruments=11:_AAAA,_AAAB", e);
            Assert.Contains("wirespeed: demo failed: worker patterns.0 (patterns) threw InvalidOperationException", e);
            var counters = summary.RootElement.GetProperty("counters");
            var workers = counters.GetProperty("workers");
            Assert.Equal(4, workers.GetProperty("patterns_0_state").GetInt64());   // Failed
            Assert.Equal(1, workers.GetProperty("patterns_0_faults").GetInt64());
            Assert.Equal(0, workers.GetProperty("patterns_0_restarts").GetInt64());
            Assert.Equal(1, workers.GetProperty("failed").GetInt64());
            Assert.True(workers.GetProperty("main_progress").GetInt64() > 0);
            Assert.True(summary.RootElement.GetProperty("alerts").GetInt64() >= 2);   // the fault and the failure
            Assert.True(counters.GetProperty("clock").GetProperty("samples").GetInt64() > 0);
        }
    }

    [Fact]
    public async Task Under_the_restart_policy_the_demo_replaces_the_pattern_worker_and_ends_normally()
    {
        Requires.That(File.Exists(JitBinary), $"the wirespeed executable is not built at {JitBinary} (./ws test builds it)");
        var (code, o, e, summary) = await Demo("restart", 26795);
        using (summary)
        {
            Assert.True(code == 0, $"exit {code}\n{o}\n{e}");
            Assert.Contains("worker patterns.0 (patterns) restarted (restart 1)", o);
            Assert.DoesNotContain("FAILED", o);
            var counters = summary.RootElement.GetProperty("counters");
            var workers = counters.GetProperty("workers");
            Assert.Equal((1L, 1L, 0L), (workers.GetProperty("patterns_0_faults").GetInt64(), workers.GetProperty("patterns_0_restarts").GetInt64(), workers.GetProperty("failed").GetInt64()));
            Assert.True(counters.GetProperty("patterns").GetProperty("worker0_restart_gap_slots").GetInt64() >= 0);
            Assert.Equal(0, counters.GetProperty("demo").GetProperty("messages_lost").GetInt64());   // the feed itself lost nothing
        }
    }
}
