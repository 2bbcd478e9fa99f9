using System;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using Wirespeed.Tests.App.Commands;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.App.BenchGuard;

/// <summary>
/// <c>wirespeed bench --check</c> end to end, at --quick scale (a few seconds). The measuring runs are child processes
/// of the built executable: GC collection counts are per process, and this test process runs other tests beside it.
/// Tiered JIT off, as ./ws bench --check runs it.
/// </summary>
public sealed class BenchCheckCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wirespeed-guard-cmd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Executable
    {
        get
        {
            string config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            string exe = Path.Combine(SharedData.RepoRoot, "managed", "Wirespeed", "bin", config, "net10.0", "wirespeed");
            Requires.That(File.Exists(exe), $"the wirespeed executable is not built at {exe} (./ws test builds it)");
            return exe;
        }
    }

    private static (int Code, string Out, string Err) Child(params string[] args)
    {
        var psi = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["DOTNET_TieredCompilation"] = "0";
        psi.ArgumentList.Add("bench");
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("bench --check did not finish within 120 s");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void A_planted_slowdown_fails_the_check_on_that_benchmark_alone_and_no_guarded_loop_allocates()
    {
        string baseline = Path.Combine(_dir, "baseline.json");
        // Tolerance +100 %: the quick scale's rounds are short and this host is shared; the plant adds ~250 ns per event
        // to a stage of ~40 ns, several times the limit.
        var (code, output, err) = Child("--check", "--update", "--quick", "--reps", "3", "--tolerance", "1", "--baseline", baseline);
        Assert.True(code == 0, output + err);
        foreach (string name in Wirespeed.BenchGuard.GuardSuite.Names)
            Assert.Matches(new Regex($@"^  {name}: ratio [0-9.]+, [0-9.]+ ns/\w+; 0 bytes, 0 GC collections in the measured loop$", RegexOptions.Multiline), output);

        (code, output, err) = Child("--check", "--quick", "--reps", "3", "--baseline", baseline, "--plant", "classify_breakers");
        Assert.True(code == 1, output + err);
        Assert.Matches(new Regex(@"^  REGRESSED classify_breakers: ratio [0-9.]+ \(baseline [0-9.]+, tolerance \+100% → limit [0-9.]+\)", RegexOptions.Multiline), output);
        foreach (string name in new[] { "decode_book", "ring_handoff", "pattern_stage" })
            Assert.Matches(new Regex($@"^  ok {name}: ", RegexOptions.Multiline), output);
        Assert.Contains("bench --check: FAILED, 1 of 4 benchmarks regressed or allocated", output);
    }

    [Fact]
    public void Without_a_baseline_file_the_check_exits_2_and_says_how_to_record_one()
    {
        var (code, _, err) = CommandRunner.Run("bench", "--check", "--quick", "--baseline", Path.Combine(_dir, "none.json"));
        Assert.Equal(2, code);
        Assert.Contains("does not exist: record one with ./ws bench --check --update", err);
    }

    [Fact]
    public void A_baseline_of_the_other_scale_is_refused_before_measuring()
    {
        string path = Path.Combine(_dir, "full.json");
        new Wirespeed.BenchGuard.GuardBaseline(0.5, "full", 7, "r", "m", new System.Collections.Generic.Dictionary<string, Wirespeed.BenchGuard.GuardBaselineEntry>()).Write(path, []);
        var (code, output, err) = CommandRunner.Run("bench", "--check", "--quick", "--baseline", path);
        Assert.Equal(2, code);
        Assert.Contains("was recorded at full scale and this run is quick: run without --quick, or re-record with --update", err);
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData("--plant", "nothing", "--plant nothing: not a guarded benchmark; use one of decode_book, classify_breakers, ring_handoff, pattern_stage.")]
    [InlineData("--tolerance", "0.2", "--tolerance is recorded in the baseline; give it with --update.")]
    [InlineData("--reps", "0", "--reps must be 1..100.")]
    public void Bad_options_exit_2_naming_the_option(string option, string value, string expected)
    {
        var (code, _, err) = CommandRunner.Run("bench", "--check", option, value);
        Assert.Equal(2, code);
        Assert.Contains(expected, err);
    }
}
