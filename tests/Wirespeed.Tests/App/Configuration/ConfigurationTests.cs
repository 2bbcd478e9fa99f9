using System.IO;
using Wirespeed.Configuration;
using Wirespeed.Feeds.Sim;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.App.Configuration;

public class ConfigurationTests
{
    [Fact]
    public void Sample_file_documents_exactly_the_defaults()
    {
        var sample = ConfigLoader.Load(Path.Combine(SharedData.RepoRoot, "deploy", "wirespeed.json"));
        Assert.Equal(ConfigLoader.ToJson(ConfigLoader.Default()), ConfigLoader.ToJson(sample));
    }

    [Fact]
    public void Empty_object_gives_the_defaults()
    {
        Assert.Equal(ConfigLoader.ToJson(ConfigLoader.Default()), ConfigLoader.ToJson(ConfigLoader.Parse("{ /* all defaults */ }")));
    }

    [Fact]
    public void Values_in_the_file_override_defaults()
    {
        var c = ConfigLoader.Parse("""{ "simulator": { "rate": 2000000, "scenario": "flash-crash" }, "books": { "depth": 10, }, }""");
        Assert.Equal(2_000_000, c.Simulator.Rate);
        Assert.Equal(SimScenario.FlashCrash, c.Simulator.Scenario);
        Assert.Equal(10, c.Books.Depth);
        Assert.Equal(64, c.Simulator.Instruments);
    }

    [Theory]
    [InlineData("""{ "lines": [ { "port": 0 } ] }""", "lines[0].port")]
    [InlineData("""{ "lines": [ { "port": 70000 } ] }""", "lines[0].port")]
    [InlineData("""{ "lines": [] }""", "lines")]
    [InlineData("""{ "lines": [ { "name": "A" }, { "name": "B", "id": 0, "port": 26478 } ] }""", "lines[1].id")]
    [InlineData("""{ "lines": [ { "name": "A" }, { "name": "A", "id": 1, "port": 26478 } ] }""", "lines[1].name")]
    [InlineData("""{ "lines": [ { "name": "A" }, { "name": "B", "id": 1 } ] }""", "lines[1].port")]
    [InlineData("""{ "lines": [ { "name": "A" }, { "name": "B", "id": 1, "port": 26478, "transport": "socket" } ] }""", "lines[1].transport")]
    [InlineData("""{ "lines": [ { "name": "A", "transport": "xdp", "device": "eth0" }, { "name": "B", "id": 1, "port": 26478, "transport": "xdp", "device": "eth0" } ] }""", "lines[1].transport")]
    [InlineData("""{ "lines": [ { "name": "A" }, { "name": "B", "id": 1, "port": 26478, "exchangeTimeZone": "UTC" } ] }""", "lines[1].exchangeTimeZone")]
    [InlineData("""{ "lines": [ {"name":"A"}, {"name":"B","id":1,"port":2}, {"name":"C","id":2,"port":3}, {"name":"D","id":3,"port":4}, {"name":"E","id":4,"port":5}, {"name":"F","id":5,"port":6}, {"name":"G","id":6,"port":7}, {"name":"H","id":7,"port":8}, {"name":"I","id":8,"port":9} ] }""", "lines")]
    [InlineData("""{ "lines": [ { "id": 300 } ] }""", "lines[0].id")]
    [InlineData("""{ "lines": [ { "group": "nowhere" } ] }""", "lines[0].group")]
    [InlineData("""{ "lines": [ { "group": "10.1.2.3" } ] }""", "lines[0].group")]
    [InlineData("""{ "lines": [ { "maxDatagramBytes": 70000 } ] }""", "lines[0].maxDatagramBytes")]
    [InlineData("""{ "lines": [ { "exchangeTimeZone": "Mars/Olympus_Mons" } ] }""", "lines[0].exchangeTimeZone")]
    [InlineData("""{ "simulator": { "maxPayloadBytes": 4000 } }""", "simulator.maxPayloadBytes")]
    [InlineData("""{ "pipeline": { "topology": "split", "workers": [ { "name": "w" }, { "name": "w" } ] } }""", "pipeline.workers[1].name")]
    [InlineData("""{ "lines": [ { "interface": "eth0" } ] }""", "lines[0].interface")]
    [InlineData("""{ "lines": [ { "transport": "carrier-pigeon" } ] }""", "lines[0].transport")]
    [InlineData("""{ "lines": [ { "transport": "xdp" } ] }""", "lines[0].device")]
    [InlineData("""{ "lines": [ { "device": "a-very-long-device-name" } ] }""", "lines[0].device")]
    [InlineData("""{ "lines": [ { "xdpMode": "hw" } ] }""", "lines[0].xdpMode")]
    [InlineData("""{ "lines": [ { "uringSetup": "iopoll" } ] }""", "lines[0].uringSetup")]
    [InlineData("""{ "lines": [ { "sqPollCpu": 4096 } ] }""", "lines[0].sqPollCpu")]
    [InlineData("""{ "lines": [ { "session": "SHORT" } ] }""", "lines[0].session")]
    [InlineData("""{ "lines": [ { "receiveBufferBytes": 100 } ] }""", "lines[0].receiveBufferBytes")]
    [InlineData("""{ "memory": { "ceilingBytes": 1000 } }""", "memory.ceilingBytes")]
    [InlineData("""{ "books": { "maxInstruments": 0 } }""", "books.maxInstruments")]
    [InlineData("""{ "books": { "maxOrders": 10 } }""", "books.maxOrders")]
    [InlineData("""{ "books": { "maxLevelsPerSide": 4 } }""", "books.maxLevelsPerSide")]
    [InlineData("""{ "books": { "depth": 0 } }""", "books.depth")]
    [InlineData("""{ "pipeline": { "topology": "star" } }""", "pipeline.topology")]
    [InlineData("""{ "pipeline": { "topology": "split" } }""", "pipeline.workers")]
    [InlineData("""{ "pipeline": { "batchSize": 0 } }""", "pipeline.batchSize")]
    [InlineData("""{ "pipeline": { "ringSlots": 1000 } }""", "pipeline.ringSlots")]
    [InlineData("""{ "pipeline": { "workers": [ { "cpu": 4096 } ] } }""", "pipeline.workers[0].cpu")]
    [InlineData("""{ "pipeline": { "workers": [ { "idle": "nap" } ] } }""", "pipeline.workers[0].idle")]
    [InlineData("""{ "pipeline": { "workers": [ { "name": "" } ] } }""", "pipeline.workers[0].name")]
    [InlineData("""{ "pipeline": { "workers": [] } }""", "pipeline.workers")]
    [InlineData("""{ "pipeline": { "budgetsNs": { "decode": 0 } } }""", "pipeline.budgetsNs.decode")]
    [InlineData("""{ "pipeline": { "budgetsNs": { "teleport": 10 } } }""", "pipeline.budgetsNs.teleport")]
    [InlineData("""{ "pipeline": { "endToEndBudgetNs": -1 } }""", "pipeline.endToEndBudgetNs")]
    [InlineData("""{ "monitor": { "intervalMs": 1 } }""", "monitor.intervalMs")]
    [InlineData("""{ "quarantine": { "capacity": 0 } }""", "quarantine.capacity")]
    [InlineData("""{ "quarantine": { "maxBytes": 1 } }""", "quarantine.maxBytes")]
    [InlineData("""{ "simulator": { "instruments": 0 } }""", "simulator.instruments")]
    [InlineData("""{ "simulator": { "instruments": 100, "sectors": 101 } }""", "simulator.sectors")]
    [InlineData("""{ "simulator": { "scenario": "meltdown" } }""", "simulator.scenario")]
    [InlineData("""{ "simulator": { "activitySkew": 4 } }""", "simulator.activitySkew")]
    [InlineData("""{ "simulator": { "depthLevels": 0 } }""", "simulator.depthLevels")]
    [InlineData("""{ "simulator": { "depthLevels": 10, "maxLiveOrders": 39 } }""", "simulator.maxLiveOrders")]
    [InlineData("""{ "simulator": { "rate": 0 } }""", "simulator.rate")]
    [InlineData("""{ "simulator": { "seconds": 0 } }""", "simulator.seconds")]
    [InlineData("""{ "simulator": { "maxPayloadBytes": 10 } }""", "simulator.maxPayloadBytes")]
    [InlineData("""{ "simulator": { "session": "X" } }""", "simulator.session")]
    [InlineData("""{ "books": { "maxInstruments": 10 }, "simulator": { "instruments": 20, "sectors": 2 } }""", "simulator.instruments")]
    [InlineData("""{ "pipline": { } }""", "pipline")]
    [InlineData("""{ "lines": [ { "port": "x" } ] }""", "lines[0].port")]
    [InlineData("""{ "memory": null }""", "memory")]
    [InlineData("null", "(document)")]
    public void Invalid_value_fails_naming_the_field(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json));
        Assert.Equal(field, e.Field);
        Assert.StartsWith(field + ":", e.Message);
    }

    [Fact]
    public void An_empty_group_means_unicast()
    {
        Assert.Equal("", ConfigLoader.Parse("""{ "lines": [ { "group": "" } ] }""").Lines[0].Group);
    }

    [Fact]
    public void Missing_file_names_the_option_and_the_fix()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load("/nonexistent/wirespeed.json"));
        Assert.Equal("--config", e.Field);
        Assert.Contains("omit --config", e.Message);
    }

    [Fact]
    public void Simulator_market_shape_keys_reach_the_simulator()
    {
        var c = ConfigLoader.Parse("""{ "books": { "maxInstruments": 8000 }, "simulator": { "instruments": 8000, "activitySkew": 1.1, "depthLevels": 20, "maxLiveOrders": 1024 } }""");
        var o = Wirespeed.Hosting.Simulation.SimulatorPlan.From(c.Simulator);
        Assert.Equal((8000, 1.1, 20, 1024), (o.Instruments, o.ActivitySkew, o.DepthLevels, o.MaxLiveOrdersPerInstrument));
        var d = Wirespeed.Hosting.Simulation.SimulatorPlan.From(ConfigLoader.Default().Simulator);
        Assert.Equal((0.0, 5, 64), (d.ActivitySkew, d.DepthLevels, d.MaxLiveOrdersPerInstrument));   // the defaults keep the old stream
    }
}
