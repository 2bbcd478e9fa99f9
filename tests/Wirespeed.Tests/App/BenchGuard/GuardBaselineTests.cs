using System;
using System.Collections.Generic;
using System.IO;
using Wirespeed.BenchGuard;
using Xunit;

namespace Wirespeed.Tests.App.BenchGuard;

public sealed class GuardBaselineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wirespeed-guard-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string json)
    {
        string path = Path.Combine(_dir, "baseline.json");
        System.IO.File.WriteAllText(path, json);
        return path;
    }

    private const string Good = """
        {
          // comments are allowed
          "tolerance": 0.5, "scale": "full", "repetitions": 7, "recorded": "2026-12-07", "machine": "m",
          "benchmarks": { "decode_book": { "ratio": 1.25, "ns_per_op": 90.5, "unit": "message" } }
        }
        """;

    [Fact]
    public void A_written_baseline_reads_back_with_every_figure()
    {
        string path = Path.Combine(_dir, "sub", "b.json");
        var written = new GuardBaseline(0.4, "quick", 5, "2026-12-07 23:00 UTC", "AMD EPYC",
            new Dictionary<string, GuardBaselineEntry> { ["x"] = new(0.123456, 12.3456, "item"), ["y"] = new(2, 140, "event") });
        written.Write(path, ["y", "x"]);
        var read = GuardBaseline.Load(path);
        Assert.Equal((0.4, "quick", 5, "2026-12-07 23:00 UTC", "AMD EPYC"), (read.Tolerance, read.Scale, read.Repetitions, read.Recorded, read.Machine));
        Assert.Equal(new GuardBaselineEntry(0.1235, 12.35, "item"), read.Benchmarks["x"]);   // rounded to 4 and 2 decimals
        Assert.Equal(new GuardBaselineEntry(2, 140, "event"), read.Benchmarks["y"]);
    }

    [Fact]
    public void A_hand_written_baseline_with_comments_loads()
    {
        var b = GuardBaseline.Load(File(Good));
        Assert.Equal(1.25, b.Benchmarks["decode_book"].Ratio);
        Assert.Equal(0.5, b.Tolerance);
    }

    [Fact]
    public void A_missing_file_says_how_to_record_one()
    {
        var e = Assert.Throws<GuardBaselineException>(() => GuardBaseline.Load(Path.Combine(_dir, "none.json")));
        Assert.Contains("does not exist: record one with ./ws bench --check --update", e.Message);
    }

    [Theory]
    [InlineData("\"tolerance\": 0.5", "\"tolerance\": \"wide\"", "tolerance must be a number, found \"wide\"")]
    [InlineData("\"tolerance\": 0.5,", "", "tolerance is missing (a number)")]
    [InlineData("\"tolerance\": 0.5", "\"tolerance\": 0", "tolerance must be > 0 and ≤ 10")]
    [InlineData("\"scale\": \"full\"", "\"scale\": \"huge\"", "scale must be \"full\" or \"quick\", found \"huge\"")]
    [InlineData("\"repetitions\": 7", "\"repetitions\": 2.5", "repetitions must be a whole number 1..100")]
    [InlineData("\"ratio\": 1.25", "\"ratio\": \"1.25\"", "benchmarks.decode_book.ratio must be a number, found \"1.25\"")]
    [InlineData("\"ratio\": 1.25,", "", "benchmarks.decode_book.ratio is missing (a number)")]
    [InlineData("\"ratio\": 1.25", "\"ratio\": -1", "benchmarks.decode_book.ratio must be > 0")]
    [InlineData("\"unit\": \"message\"", "\"unit\": 3", "benchmarks.decode_book.unit must be a string, found 3")]
    [InlineData("{ \"ratio\": 1.25, \"ns_per_op\": 90.5, \"unit\": \"message\" }", "[]", "benchmarks.decode_book must be an object")]
    [InlineData("\"benchmarks\"", "\"other\"", "benchmarks is missing")]
    public void A_malformed_field_is_named_with_the_fix(string replace, string with, string expected)
    {
        string path = File(Good.Replace(replace, with, StringComparison.Ordinal));
        var e = Assert.Throws<GuardBaselineException>(() => GuardBaseline.Load(path));
        Assert.Contains($"baseline {path}: {expected}", e.Message);
        Assert.EndsWith("fix the file or re-record it with ./ws bench --check --update", e.Message);
    }

    [Fact]
    public void Text_that_is_not_json_is_refused_with_the_parser_s_position()
    {
        var e = Assert.Throws<GuardBaselineException>(() => GuardBaseline.Load(File("{ \"tolerance\": ")));
        Assert.Contains("is not valid JSON", e.Message);
    }
}
