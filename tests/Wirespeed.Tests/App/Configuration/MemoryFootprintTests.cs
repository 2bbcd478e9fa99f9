using Wirespeed.Configuration;
using Wirespeed.Core.Memory;
using Wirespeed.Feeds.Sim;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Simulation;
using Xunit;

namespace Wirespeed.Tests.App.Configuration;

/// <summary>The footprint the validator checks against memory.ceilingBytes is what start-up registers, byte for byte.</summary>
public class MemoryFootprintTests
{
    [Theory]
    [InlineData("single", true)]
    [InlineData("split", true)]
    [InlineData("single", false)]
    public void The_footprint_equals_what_the_host_registers(string topology, bool patterns)
    {
        var config = ConfigLoader.Parse($$"""
            { "books": { "maxInstruments": 128, "maxOrders": 262144 }, "priority": { "laneCapacity": 1024 },
              "pipeline": { "topology": "{{topology}}", "workers": [ { "name": "feed", "idle": "yield" }, { "name": "deliver", "idle": "yield" } ] },
              "patterns": { "enabled": {{(patterns ? "true" : "false")}}, "ringCapacity": 8192, "idle": "back-off" } }
            """);
        var parts = MemoryFootprint.Of(config);
        long expected = 0;
        foreach (var (part, _, bytes) in parts)
            if (!part.StartsWith("receive buffers", System.StringComparison.Ordinal) && part != "quarantine") expected += bytes;   // the transport's arena is made by LineTransport; the quarantine is on the heap

        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 1, Instruments = 16, Sectors = 4 }), "WIRESPEED1", 1400, SimTimestampMode.Virtual, 100);
        var registry = new MemoryRegistry(0);
        using var host = FeedHost.Create(ConfigValidator.Resolve(config), registry, new PacedBlobPackets(new PacedBlobState(PacketBlob.Generate(feed, 100), 1e12, 0)), 1464, measureOneWay: false, 0);
        Assert.Equal(expected, registry.ReservedBytes);
    }

    [Fact]
    public void A_configuration_over_the_ceiling_names_the_largest_part_and_the_key_that_sizes_it()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "memory": { "ceilingBytes": 67108864 } }"""));
        Assert.Equal("memory.ceilingBytes", e.Field);
        Assert.Contains("the largest part is books A orders", e.Message);
        Assert.Contains("sized by books.maxOrders", e.Message);
    }
}
