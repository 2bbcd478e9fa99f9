using System;
using System.IO;
using Wirespeed.Configuration;
using Xunit;

namespace Wirespeed.Tests.App.Configuration;

/// <summary>DIR/config.json of a recording: the configuration, whether it was a simulated day, and the live run's midnight.</summary>
public sealed class RecordedConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-recorded-config").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void The_marker_keeps_the_simulated_day_and_the_midnight_the_live_run_added()
    {
        var config = ConfigLoader.Parse("""{ "books": { "maxOrders": 65536 } }""");
        RecordedConfig.Write(_dir, ConfigLoader.ToJson(config), simulatedDay: true, midnightEpochNs: 1_796_601_600_000_000_000);
        var back = RecordedConfig.TryLoad(_dir, out bool simulatedDay, out long? midnight);
        Assert.NotNull(back);
        Assert.Equal(65_536, back.Books.MaxOrders);
        Assert.True(simulatedDay);
        Assert.Equal(1_796_601_600_000_000_000, midnight);
    }

    [Fact]
    public void A_marker_written_before_the_midnight_was_kept_reads_as_no_midnight()
    {
        File.WriteAllText(Path.Combine(_dir, RecordedConfig.FileName), "// wirespeed recording: simulated-day=false\n{ }\n");
        Assert.NotNull(RecordedConfig.TryLoad(_dir, out bool simulatedDay, out long? midnight));
        Assert.False(simulatedDay);
        Assert.Null(midnight);
    }
}
