using Wirespeed.Configuration;
using Wirespeed.Core.Recording;
using Xunit;

namespace Wirespeed.Tests.App.Configuration;

public sealed class RecordingConfigTests
{
    [Fact]
    public void Defaults_are_the_library_s_and_recording_is_off()
    {
        var c = ConfigLoader.Default().Recording;
        var library = new RecordingOptions();
        Assert.Equal("", c.Directory);
        Assert.Equal(library with { Directory = "" }, c.ToOptions());
    }

    [Fact]
    public void Names_parse_into_the_library_s_options()
    {
        var c = ConfigLoader.Parse("""{ "recording": { "directory": "/var/lib/wirespeed/rec", "fsync": "record", "overflow": "block", "ringSlots": 4096, "retentionBytes": 1073741824 } }""").Recording;
        var o = c.ToOptions();
        Assert.Equal(FsyncPolicy.Record, o.Fsync);
        Assert.Equal(RecordingOverflow.Block, o.Overflow);
        Assert.Equal(4096, o.RingSlots);
        Assert.Equal("/var/lib/wirespeed/rec", o.Directory);
    }

    [Theory]
    [InlineData("""{ "recording": { "fsync": "sometimes" } }""", "recording.fsync", "segment, interval, record")]
    [InlineData("""{ "recording": { "overflow": "ignore" } }""", "recording.overflow", "drop-and-count, block")]
    [InlineData("""{ "recording": { "ringSlots": 1000 } }""", "recording.ringSlots", "power of two")]
    [InlineData("""{ "recording": { "segmentBytes": 1000 } }""", "recording.segmentBytes", "64 KiB")]
    [InlineData("""{ "recording": { "retentionBytes": 1000 } }""", "recording.retentionBytes", "two segments")]
    [InlineData("""{ "recording": { "fsyncIntervalMs": 0 } }""", "recording.fsyncIntervalMs", "at least 1")]
    [InlineData("""{ "recording": { "cpu": 4096 } }""", "recording.cpu", "-1 for no pinning")]
    [InlineData("""{ "recording": { "cpu": -2 } }""", "recording.cpu", "-1 (not pinned)")]
    public void A_bad_value_names_its_field_and_the_fix_even_while_recording_is_off(string json, string field, string fix)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json));
        Assert.Equal(field, e.Field);
        Assert.Contains(fix, e.Message);
    }

    [Fact]
    public void The_memory_footprint_counts_the_recording_ring_only_when_recording()
    {
        Assert.DoesNotContain(MemoryFootprint.Of(ConfigLoader.Default()), p => p.Part == "recording ring");
        var c = ConfigLoader.Parse("""{ "recording": { "directory": "/tmp/x", "ringSlots": 4096 }, "lines": [ { "maxDatagramBytes": 9000 } ] }""");
        var part = Assert.Single(MemoryFootprint.Of(c), p => p.Part == "recording ring");
        Assert.True(part.Bytes >= 4096L * (9000 + 32), $"{part.Bytes} bytes for 4,096 slots of 9,000-byte datagrams");
        Assert.Equal("recording.ringSlots x lines[].maxDatagramBytes", part.Key);
    }
}
