using System.IO;
using System.Text.Json;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.App.Commands;

public class OfflineCommandTests
{
    [Fact]
    public void Check_config_accepts_the_sample_and_prints_it()
    {
        var (code, output, _) = CommandRunner.Run("check-config", Path.Combine(SharedData.RepoRoot, "deploy", "wirespeed.json"), "--print");
        Assert.Equal(0, code);
        Assert.Contains("configuration OK", output);
        Assert.Contains("\"maxLevelsPerSide\": 256", output);
    }

    [Fact]
    public void Check_config_without_a_file_checks_the_embedded_default()
    {
        var (code, output, _) = CommandRunner.Run("check-config");
        Assert.Equal(0, code);
        Assert.Contains("embedded default", output);
    }

    [Fact]
    public void Check_config_names_the_bad_field_and_exits_3()
    {
        string f = Path.GetTempFileName();
        try
        {
            File.WriteAllText(f, """{ "pipeline": { "workers": [ { "cpu": 999 } ] } }""");
            var (code, _, err) = CommandRunner.Run("check-config", f);
            Assert.Equal(3, code);
            Assert.Contains("pipeline.workers[0].cpu: 999", err);
            Assert.Equal(2, CommandRunner.Run("check-config", f, f).Code);
        }
        finally { File.Delete(f); }
    }

    [Fact]
    public void Bench_measures_decode_and_book_then_the_paced_pipeline()
    {
        string json = Path.Combine(Path.GetTempPath(), $"ws-bench-{System.Guid.NewGuid():N}.json");
        try
        {
            var (code, output, err) = CommandRunner.Run("bench", "--seconds", "1", "--rate", "100000", "--passes", "1", "--json", json,
                "--instruments", "16");
            Assert.True(code == 0, output + err);
            Assert.Contains("decode + book, one core: best", output);
            Assert.Contains("no coordinated omission", output);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var bench = doc.RootElement.GetProperty("counters").GetProperty("bench");
            Assert.Equal(bench.GetProperty("packets").GetInt64(), bench.GetProperty("packets_released").GetInt64());
            Assert.True(bench.GetProperty("decode_book_best_msgs_per_s").GetInt64() > 0);
            Assert.Equal(0, bench.GetProperty("decode_book_allocated_bytes").GetInt64());
            Assert.Equal(bench.GetProperty("messages").GetInt64(),
                doc.RootElement.GetProperty("counters").GetProperty("deliver").GetProperty("events").GetInt64());
        }
        finally { File.Delete(json); }
    }
}
