using System;
using System.IO;
using System.Text.Json;
using Wirespeed.Core.Monitoring;
using Xunit;

namespace Wirespeed.Tests.Core.Monitoring;

/// <summary>The summary written to a file reads back the same; a JSON null is not a summary.</summary>
public sealed class RunSummaryFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-summary-file").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void A_summary_written_to_a_file_reads_back_as_the_same_summary()
    {
        var s = new RunSummary { Command = "replay", StartedUnixMs = 1_765_000_000_000, DurationSeconds = 3.5, Alerts = 2 };
        s.Notes.Add("written to a file");
        string path = Path.Combine(_dir, "summary.json");
        File.WriteAllText(path, "stale content that is longer than nothing, to be truncated");
        RunSummaryJson.WriteFile(s, path);
        string json = File.ReadAllText(path);
        Assert.Equal(RunSummaryJson.Serialize(s), json);
        var back = RunSummaryJson.Deserialize(json);
        Assert.Equal("replay", back.Command);
        Assert.Equal(2, back.Alerts);
        Assert.Equal(["written to a file"], back.Notes);
    }

    [Fact]
    public void A_json_null_is_refused_as_a_summary()
    {
        var e = Assert.Throws<JsonException>(() => RunSummaryJson.Deserialize("null"));
        Assert.Equal("summary JSON is null", e.Message);
    }
}
