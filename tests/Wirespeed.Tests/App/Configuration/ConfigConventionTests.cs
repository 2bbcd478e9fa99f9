using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Wirespeed.Commands;
using Wirespeed.Configuration;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Priority;
using Wirespeed.Feeds.Sim;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Simulation;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.App.Configuration;

/// <summary>
/// The configuration convention (CoreOptionsMapping.cs): priority and breakers bind to section classes that map onto the
/// library's options exactly as the library types bound before; validation resolves the file once and start-up and
/// SIGHUP take that result; enumerated settings are enums whose errors name the allowed values.
/// </summary>
public class ConfigConventionTests
{
    // How the library types were bound from the file before they had sections: straight, camelCase (reflection here).
    private static readonly JsonSerializerOptions s_library = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, s_library);

    [Fact]
    public void Section_defaults_are_the_library_defaults()
    {
        Assert.Equal(Json(new PriorityOptions()), Json(new PriorityConfig().ToOptions()));
        Assert.Equal(Json(new BreakerOptions()), Json(new BreakersConfig().ToOptions()));
        // …and so are those validation resolves from an empty file.
        var resolved = ConfigValidator.Resolve(new WirespeedConfig());
        Assert.Equal(Json(new PriorityOptions()), Json(resolved.Priority));
        Assert.Equal(Json(new BreakerOptions()), Json(resolved.Breakers));
    }

    // Every key of both sections, none at its default.
    private const string Priority = """
        { "rules": [ { "type": "size", "lane": "critical", "shares": 500, "enabled": false }, { "type": "priceMove", "bps": 12.5 },
                     { "type": "topOfBook", "lane": "high", "otherLane": "normal" } ],
          "defaultLane": "bulk", "watchInstruments": [3, 7], "watchSectors": [2], "openTime": "09:00:00", "closeTime": "15:30:00",
          "imbalanceWindowSeconds": 120, "midnightEpochNs": 5, "phases": [ { "name": "open", "start": "09:00:00", "end": "09:10:00", "shift": -2 } ],
          "surgeMessagesPerWindow": 1000, "surgeWindowNs": 2000000, "surgeShift": 2, "breakerPromoteLevel": "restricted", "breakerShift": -2,
          "maxInstruments": 4096, "laneCapacity": 1024, "agingBound": [0, 8, 16, 32], "lowerLaneBatchLimit": 4, "changeLogCapacity": 64 }
        """;

    private const string Breakers = """
        { "enabled": false, "maxInstruments": 4096, "maxSectors": 16,
          "priceBand": { "enabled": false, "referenceWindowNs": 7, "thresholds": { "cautionEntry": 0.2, "cautionExit": 0.1 } },
          "volatility": { "enabled": false, "sampleIntervalNs": 10, "windowNs": 100, "thresholds": { "cautionEntry": 0.01, "cautionExit": 0.005, "haltedEntry": 0.05, "haltedExit": 0.04 } },
          "messageRate": { "enabled": false, "windowNs": 10, "baselineWindowNs": 1000, "minBaselineMessages": 3, "thresholds": { "restrictedEntry": 9, "restrictedExit": 4 } },
          "spread": { "enabled": false, "sustainNs": 11, "thresholds": { "cautionEntry": 40, "cautionExit": 20 } },
          "oneSidedBook": { "enabled": false, "thresholds": { "haltedEntry": 100, "haltedExit": 50 } },
          "exchange": { "haltLevel": "restricted", "pauseLevel": "caution", "quoteOnlyLevel": "normal", "collarLevel": "halted",
                        "operationalHaltLevel": "caution", "mwcbLevel": "restricted", "mwcbHoldNs": 13 },
          "minHoldNs": 17, "stepDownWindowNs": 19, "sectorEntryShare": 0.6, "sectorExitShare": 0.3, "minSectorMembers": 3, "minMarketMembers": 5,
          "marketEntryShare": 0.7, "marketExitShare": 0.2, "cautionResponses": ["alert"], "restrictedResponses": [],
          "haltedResponses": ["cancelAll"], "thresholdMultipliers": [1, 2, 3, 4], "throttleIntervalNs": 23000, "transitionLogCapacity": 128 }
        """;

    [Fact]
    public void Priority_and_breaker_sections_map_to_the_options_the_library_types_bound_to_before()
    {
        var resolved = ConfigValidator.Resolve(ConfigLoader.Parse($$"""{ "priority": {{Priority}}, "breakers": {{Breakers}} }"""));
        var priority = JsonSerializer.Deserialize<PriorityOptions>(Priority, s_library)!;
        var breakers = JsonSerializer.Deserialize<BreakerOptions>(Breakers, s_library)!;
        Assert.NotEqual(Json(new PriorityOptions()), Json(priority));   // the text changes every key
        Assert.NotEqual(Json(new BreakerOptions()), Json(breakers));
        Assert.Equal(Json(priority), Json(resolved.Priority));
        Assert.Equal(Json(breakers), Json(resolved.Breakers));
        // The file written back (check-config --print) is the same file.
        var again = ConfigValidator.Resolve(ConfigLoader.Parse(ConfigLoader.ToJson(resolved.Config)));
        Assert.Equal(Json(resolved.Priority), Json(again.Priority));
        Assert.Equal(Json(resolved.Breakers), Json(again.Breakers));
    }

    [Fact]
    public void The_simulated_day_profile_applies_at_resolution_for_demo_and_bench_only()
    {
        var config = new WirespeedConfig();
        var configured = ConfigValidator.Resolve(config);
        var simulated = ConfigValidator.Resolve(config, simulatedDay: true);
        Assert.Equal(Json(new BreakerOptions()), Json(configured.Breakers));
        Assert.Equal(Json(SimulatedDayBreakers.For(new BreakerOptions())), Json(simulated.Breakers));
        // The pattern plan takes its throttle from the breakers it runs with.
        Assert.Equal(configured.Breakers.ThrottleIntervalNs / 1000, configured.Patterns.Options.ThrottleUs);
        Assert.Equal(simulated.Breakers.ThrottleIntervalNs / 1000, simulated.Patterns.Options.ThrottleUs);
        Assert.NotEqual(configured.Patterns.Options.ThrottleUs, simulated.Patterns.Options.ThrottleUs);

        config.Simulator.BreakerProfile = BreakerProfile.Configured;
        Assert.Equal(Json(new BreakerOptions()), Json(ConfigValidator.Resolve(config, simulatedDay: true).Breakers));
    }

    [Fact]
    public void Start_up_runs_what_validation_resolved()
    {
        var resolved = ConfigValidator.Resolve(ConfigLoader.Parse("""
            { "books": { "maxInstruments": 128, "maxOrders": 65536 }, "breakers": { "minHoldNs": 123 },
              "priority": { "rules": [ { "type": "halts", "lane": "critical" } ] }, "patterns": { "idle": "back-off" } }
            """));
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 1, Instruments = 32, Sectors = 4 }), "WIRESPEED1", 1400, SimTimestampMode.Virtual, 100);
        using var host = FeedHost.Create(resolved, new MemoryRegistry(0), new PacedBlobPackets(new PacedBlobState(PacketBlob.Generate(feed, 100), 1e12, 0)), 1464, measureOneWay: false, 0);
        Assert.Same(resolved.Config, host.Config);
        Assert.Same(resolved.Patterns, host.Patterns!.Plan);          // the plan is not built again at start-up
        Assert.Same(resolved.Breakers, host.Priority.Breakers.Settings.Options);
        Assert.Equal(123, host.Priority.Breakers.Settings.Options.MinHoldNs);
        Assert.Equal(1, host.Priority.RuleSets.Current.Rules.Length);
        Assert.Equal((resolved.Config.Lines[0].Port, resolved.Config.Lines[0].Group), (resolved.Sockets[0].Port, resolved.Sockets[0].Group));   // LineTransport opens these
        Assert.NotEmpty(resolved.PipelineNotes);                      // the pipeline was planned at validation; start-up says so
        foreach (string note in resolved.PipelineNotes) Assert.Contains(note, host.Notes);
    }

    [Fact]
    public void Sighup_reload_maps_the_sections_as_start_up_does()
    {
        string dir = Directory.CreateTempSubdirectory("ws-conf-reload").FullName;
        try
        {
            string path = Path.Combine(dir, "c.json");
            const string start = """{ "books": { "maxInstruments": 128, "maxOrders": 65536 }, "patterns": { "enabled": false } }""";
            var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 1, Instruments = 32, Sectors = 4 }), "WIRESPEED1", 1400, SimTimestampMode.Virtual, 1000);
            var blob = PacketBlob.Generate(feed, 1000);
            var paced = new PacedBlobState(blob, 1e12, 0);
            using var host = FeedHost.Create(ConfigValidator.Resolve(ConfigLoader.Parse(start)), new MemoryRegistry(0),
                new PacedBlobPackets(paced), 1464, measureOneWay: false, 0);
            Assert.Equal(new PriorityOptions().Rules.Count, host.Priority.RuleSets.Current.Rules.Length);
            host.Start();

            File.WriteAllText(path, $$"""
                { "books": { "maxInstruments": 128, "maxOrders": 65536 }, "patterns": { "enabled": false },
                  "priority": { "rules": [ { "type": "halts", "lane": "critical" }, { "type": "size", "shares": 77 } ] },
                  "breakers": { "stepDownWindowNs": 4242, "volatility": { "thresholds": { "cautionEntry": 0.5, "cautionExit": 0.25 } } } }
                """);
            var output = new StringWriter();
            var error = new StringWriter();
            Assert.True(RunCommand.Reload(path, host, output, error), error.ToString());
            HostRun.UntilDelivered(host, [paced], blob.Messages);   // the breaker stage takes its new settings at its next event
            var expected = ConfigLoader.Resolve(path);
            Assert.Equal(2, host.Priority.RuleSets.Current.Rules.Length);
            Assert.Equal(Json(expected.Breakers), Json(host.Priority.Breakers.Settings.Options));
            Assert.Equal(4242, host.Priority.Breakers.Settings.Options.StepDownWindowNs);
            Assert.Equal(0, host.Priority.Breakers.Settings.Options.Volatility.Thresholds.HaltedEntry);   // an object given replaces the default whole
            Assert.Contains("breakers.stepDownWindowNs 30000000000 -> 4242", output.ToString());
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("""{ "lines": [ { "xdpMode": "hw" } ] }""", "lines[0].xdpMode", "'hw' is not one of: drv, skb.")]
    [InlineData("""{ "lines": [ { "uringSetup": "iopoll" } ] }""", "lines[0].uringSetup", "'iopoll' is not one of: defer-taskrun, coop, sqpoll.")]
    [InlineData("""{ "pipeline": { "topology": "mesh" } }""", "pipeline.topology", "'mesh' is not one of: single, split.")]
    [InlineData("""{ "pipeline": { "workers": [ { "idle": "sleep" } ] } }""", "pipeline.workers[0].idle", "'sleep' is not one of: auto, busy-spin, yield, back-off.")]
    [InlineData("""{ "patterns": { "idle": "spin" } }""", "patterns.idle", "'spin' is not one of: auto, busy-spin, yield, back-off.")]
    [InlineData("""{ "patterns": { "placement": "elsewhere" } }""", "patterns.placement", "'elsewhere' is not one of: auto, workers, inline.")]
    [InlineData("""{ "patterns": { "partition": "random" } }""", "patterns.partition", "'random' is not one of: affinity, explicit.")]
    [InlineData("""{ "patterns": { "overflow": "block" } }""", "patterns.overflow", "'block' is not one of: drop-and-count, wait.")]
    [InlineData("""{ "patterns": { "clock": "wall" } }""", "patterns.clock", "'wall' is not one of: monotonic, virtual.")]
    [InlineData("""{ "simulator": { "scenario": "meltdown" } }""", "simulator.scenario", "'meltdown' is not one of: normal, flash-crash, news-spike, open-close, correlated-move.")]
    [InlineData("""{ "simulator": { "breakerProfile": "loose" } }""", "simulator.breakerProfile", "'loose' is not one of: compressed, configured.")]
    [InlineData("""{ "simulator": { "scenario": "Normal" } }""", "simulator.scenario", "'Normal' is not one of:")]   // names are exact
    [InlineData("""{ "pipeline": { "topology": 1 } }""", "pipeline.topology", "write one of: single, split (a string).")]
    [InlineData("""{ "lines": [ { "xdpMode": null } ] }""", "lines[0].xdpMode", "write one of: drv, skb (a string).")]
    public void An_unknown_name_of_an_enumerated_setting_is_refused_naming_the_allowed_ones(string json, string field, string reason)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json));
        Assert.Equal(field, e.Field);
        Assert.Contains(reason, e.Message);
        Assert.DoesNotContain("Wirespeed.", e.Message);
    }

    [Fact]
    public void Every_name_of_an_enumerated_setting_is_read_once_and_written_back_as_written()
    {
        var c = ConfigLoader.Parse("""
            { "lines": [ { "xdpMode": "skb", "uringSetup": "sqpoll" } ],
              "pipeline": { "topology": "split", "workers": [ { "name": "a", "idle": "busy-spin" }, { "name": "b", "idle": "back-off" } ] },
              "patterns": { "idle": "yield", "placement": "workers", "overflow": "wait", "clock": "virtual" },
              "simulator": { "scenario": "correlated-move", "breakerProfile": "configured" } }
            """);
        Assert.Equal(Wirespeed.Interop.Abi.XdpMode.Skb, c.Lines[0].XdpMode);
        Assert.Equal(Wirespeed.Interop.Abi.UringSetupFlags.SqPoll, c.Lines[0].UringSetup);
        Assert.Equal((PipelineTopology.Split, IdleSetting.BusySpin, IdleSetting.BackOff), (c.Pipeline.Topology, c.Pipeline.Workers[0].Idle, c.Pipeline.Workers[1].Idle));
        Assert.Equal((IdleSetting.Yield, PatternPlacement.Workers), (c.Patterns.Idle, c.Patterns.Placement));
        Assert.Equal((SimScenario.CorrelatedMove, BreakerProfile.Configured), (c.Simulator.Scenario, c.Simulator.BreakerProfile));
        string json = ConfigLoader.ToJson(c);
        foreach (string written in new[] { "\"skb\"", "\"sqpoll\"", "\"split\"", "\"busy-spin\"", "\"back-off\"", "\"yield\"", "\"workers\"", "\"wait\"", "\"virtual\"", "\"correlated-move\"", "\"configured\"" })
            Assert.Contains(written, json);
        Assert.Equal(json, ConfigLoader.ToJson(ConfigLoader.Parse(json)));
    }

    [Fact]
    public void A_value_set_from_code_without_a_name_is_refused_by_the_validator()
    {
        var c = new WirespeedConfig();
        c.Pipeline.Topology = (PipelineTopology)7;
        var e = Assert.Throws<ConfigException>(() => ConfigValidator.Resolve(c));
        Assert.Equal("pipeline.topology", e.Field);
        Assert.Contains("single, split", e.Message);
    }
}
