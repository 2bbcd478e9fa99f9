using System;
using System.Linq;
using System.Text;
using Wirespeed.Fuzzing;
using Xunit;

namespace Wirespeed.Tests.App.Fuzzing;

/// <summary>
/// The CI sample of <c>wirespeed fuzz</c>: per format 2,000 cases of seed 1 through the production parsers. Every case
/// must end accepted or rejected with a cause: no crash, no hang. The recorded run (1,000,000 cases per format) is in
/// perf/RESULTS.md.
/// </summary>
public class FuzzSampleTests
{
    private const int Cases = 2_000;

    [Theory]
    [InlineData("config")]
    [InlineData("pcap")]
    [InlineData("itch50")]
    [InlineData("hlog")]
    [InlineData("journal")]
    [InlineData("fix")]
    public void Two_thousand_mutated_inputs_are_each_accepted_or_rejected_with_a_cause(string format)
    {
        string? root = FuzzCorpus.FindRepoRoot();
        string? shared = FuzzCorpus.FindSharedData(root);
        var options = new FuzzOptions { Cases = Cases, Seed = 1, Minimize = false };
        var result = new FuzzRunner(() => FuzzCorpus.Create(format, root, shared), options).Run();

        Assert.True(result.Hangs == 0, $"{format}: case {result.HangCase} ran past {options.CaseLimit.TotalSeconds} s (rerun: wirespeed fuzz --format {format} --cases {result.HangCase + 1} --seed 1 --out DIR)");
        Assert.True(result.CrashCases == 0, $"{format}: {result.CrashCases} case(s) crashed:\n" + string.Join("\n", result.Crashes.Values.Select(c =>
            $"{c.ExceptionType}: {c.Message} (x{c.Count}, first case {c.FirstCase})\n{c.StackTop}")));
        Assert.Equal(Cases, result.Cases);
        Assert.Equal(Cases, result.Accepted + result.Rejected);
        // The mutations must reach both sides: inputs the parser accepts and inputs it rejects, each with a cause.
        Assert.True(result.Rejected > Cases / 10, $"{format}: only {result.Rejected} rejected: the mutator is too gentle to test anything");
        Assert.True(result.Accepted > 0, $"{format}: nothing accepted: the mutator destroys every input");
        Assert.Equal(result.Rejected, result.RejectedByCause.Values.Sum());
        Assert.All(result.RejectedByCause.Keys, cause => Assert.False(string.IsNullOrWhiteSpace(cause)));
        Assert.True(result.RejectedByCause.Count >= 2, $"{format}: one cause only ({string.Join(", ", result.RejectedByCause.Keys)})");
    }

    [Fact]
    public void The_table_shows_each_format_with_its_rejection_causes()
    {
        var r = new FuzzResult("pcap") { Cases = 10, Accepted = 7, Rejected = 3, Seconds = 1 };
        r.RejectedByCause["frames.truncated_tail"] = 2;
        r.RejectedByCause["malformed.bad_length"] = 1;
        var o = new System.IO.StringWriter();
        FuzzResult.Print(new[] { r }, o);
        string text = o.ToString();
        Assert.Matches(@"pcap\s+10\s+7\s+3\s+0\s+0\s+10", text);
        Assert.Contains("2  frames.truncated_tail", text);
        Assert.Contains("1  malformed.bad_length", text);
    }

    /// <summary>A target that crashes on inputs holding 'X', or sleeps on inputs of odd length when told to.</summary>
    private sealed class TrapTarget : IFuzzTarget
    {
        private readonly bool _hangOnOdd;
        public TrapTarget(bool hangOnOdd) => _hangOnOdd = hangOnOdd;
        public string Format => "trap";
        public string Extension => ".bin";
        public System.Collections.Generic.IReadOnlyList<byte[]> Seeds { get; } = new[] { Encoding.ASCII.GetBytes("abcdefghijklmnopXqrstuvwxyz") };
        public IStructuredMutations? Structured => null;
        public int MaxBytes => 1024;

        public string? Run(byte[] input)
        {
            if (_hangOnOdd && input.Length % 2 == 1) System.Threading.Thread.Sleep(TimeSpan.FromSeconds(30));
            if (Array.IndexOf(input, (byte)'X') >= 0) throw new InvalidOperationException("found X");
            return input.Length > 20 ? null : "short";
        }
    }

    [Fact]
    public void Crashes_are_counted_kept_with_their_first_input_shrunk_and_saved()
    {
        string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ws-fuzz-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new FuzzOptions { Cases = 300, Seed = 7, OutDirectory = dir, Jobs = 2 };
            var result = new FuzzRunner(() => new TrapTarget(hangOnOdd: false), options).Run();

            Assert.Equal(300, result.Cases);
            Assert.Equal(300, result.Accepted + result.Rejected + result.CrashCases);
            Assert.True(result.CrashCases > 0);
            var crash = Assert.Single(result.Crashes.Values);
            Assert.Equal("System.InvalidOperationException", crash.ExceptionType);
            Assert.Equal("found X", crash.Message);
            Assert.Equal(result.CrashCases, crash.Count);
            Assert.Equal("X", Encoding.ASCII.GetString(crash.Input)); // shrunk to the one byte that matters
            Assert.True(System.IO.File.Exists(crash.SavedAs));
            Assert.Contains("found X", System.IO.File.ReadAllText(System.IO.Path.ChangeExtension(crash.SavedAs!, ".txt")));
            Assert.False(result.Clean);
        }
        finally
        {
            if (System.IO.Directory.Exists(dir)) System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_case_past_the_time_limit_is_a_hang_that_stops_the_run_with_its_input()
    {
        var options = new FuzzOptions { Cases = 300, Seed = 7, CaseLimit = TimeSpan.FromMilliseconds(200) };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = new FuzzRunner(() => new TrapTarget(hangOnOdd: true), options).Run();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the watchdog did not give up on the sleeping case");
        Assert.Equal(1, result.Hangs);
        Assert.NotNull(result.HangInput);
        Assert.Equal(1, result.HangInput!.Length % 2);
        Assert.True(result.Cases < 300);
        Assert.False(result.Clean);
    }
}
