using System.Linq;
using Wirespeed.Core.Signals;
using Wirespeed.Configuration;
using Wirespeed.Core.Patterns;
using Xunit;
using Wirespeed.Core.Agents;

namespace Wirespeed.Tests.App.Configuration;

/// <summary>The "patterns" section: parsed, mapped onto the pattern library's options, every error named by its config path.</summary>
public class PatternConfigTests
{
    private const string Pair = """{ "name": "p", "kind": "pairSpread", "legs": [ { "symbol": "AAAA" }, { "symbol": "AAAB" } ] }""";
    private const string Mom = """{ "name": "m", "kind": "momentum", "legs": [ { "symbol": "CAAA" } ] }""";

    private static string Defs(params string[] definitions) => $$"""{ "patterns": { "definitions": [ {{string.Join(", ", definitions)}} ] } }""";

    [Theory]
    // The library's checks (PatternsOptions.Validate), mapped from patterns[i] to patterns.definitions[i].
    [InlineData("""{ "name": "p", "kind": "pairSpread", "legs": [ { "symbol": "AAAA" }, { "symbol": "NOPE" } ] }""", "patterns.definitions[0].legs[1].symbol")]
    [InlineData("""{ "name": "p", "kind": "pairSpread", "legs": [ { "symbol": "AAAA" }, { "symbol": "AAAB" } ], "window": 0 }""", "patterns.definitions[0].window")]
    [InlineData("""{ "name": "p", "kind": "pairSpread", "legs": [ { "symbol": "AAAA" }, { "symbol": "AAAB" } ], "thresholdZ": 0 }""", "patterns.definitions[0].thresholdZ")]
    [InlineData("""{ "name": "p", "kind": "pairSpread", "legs": [ { "symbol": "AAAA" }, { "symbol": "AAAB" } ], "hedgeRatio": 0 }""", "patterns.definitions[0].hedgeRatio")]
    [InlineData("""{ "name": "p", "kind": "pairSpread", "legs": [ { "symbol": "AAAA" } ] }""", "patterns.definitions[0].legs")]
    [InlineData("""{ "name": "p", "kind": "pairSpread", "legs": [ { "symbol": "AAAA" }, { "symbol": "AAAB" } ], "holdUs": -1 }""", "patterns.definitions[0].holdUs")]
    [InlineData("""{ "name": "l", "kind": "leadLag", "legs": [ { "symbol": "CAAA" }, { "symbol": "CAAB" } ], "withinUs": 0 }""", "patterns.definitions[0].withinUs")]
    [InlineData("""{ "name": "l", "kind": "leadLag", "legs": [ { "symbol": "CAAA" }, { "symbol": "CAAB" } ], "moveBps": -3 }""", "patterns.definitions[0].moveBps")]
    [InlineData("""{ "name": "l", "kind": "leadLag", "legs": [ { "symbol": "CAAA" }, { "symbol": "CAAB" } ], "history": 1 }""", "patterns.definitions[0].history")]
    [InlineData("""{ "name": "b", "kind": "basket", "legs": [ { "symbol": "DAAA" }, { "symbol": "DAAB", "weight": -1 } ] }""", "patterns.definitions[0].legs[1].weight")]
    [InlineData("""{ "name": "m", "kind": "momentum", "legs": [ { "symbol": "CAAA" } ], "count": 1 }""", "patterns.definitions[0].count")]
    [InlineData("""{ "name": "m", "kind": "momentum", "legs": [ { "symbol": "CAAA" } ], "withinUs": 0 }""", "patterns.definitions[0].withinUs")]
    [InlineData("""{ "name": "s", "kind": "sequence", "first": "ghost", "then": "ghost" }""", "patterns.definitions[0].first")]
    [InlineData("""{ "name": "", "kind": "momentum", "legs": [ { "symbol": "CAAA" } ] }""", "patterns.definitions[0].name")]
    // Checked by the configuration before the library sees the definitions.
    [InlineData("""{ "name": "x", "kind": "telepathy", "legs": [] }""", "patterns.definitions[0].kind")]
    [InlineData("""{ "name": "x", "kind": "PairSpread", "legs": [] }""", "patterns.definitions[0].kind")]
    [InlineData("""{ "name": "a", "kind": "arbitrage", "legs": [ { "symbol": "AAAA", "line": 0 }, { "symbol": "AAAA", "line": 1 } ] }""", "patterns.definitions[0].legs[1].line")]
    [InlineData("""{ "name": "a", "kind": "arbitrage", "legs": [ { "symbol": "AAAA" }, { "symbol": "AAAA" } ] }""", "patterns.definitions[0].kind")]
    [InlineData("""{ "name": "m", "kind": "momentum", "legs": [ { "symbol": "CAAA", "line": 3 } ] }""", "patterns.definitions[0].legs[0].line")]
    [InlineData("""{ "name": "m", "kind": "momentum", "legs": [ null ] }""", "patterns.definitions[0].legs[0]")]
    [InlineData("""{ "name": "m", "kind": "momentum", "legs": [ { "symbol": null } ] }""", "patterns.definitions[0].legs[0].symbol")]
    [InlineData("""{ "name": "m", "kind": "momentum", "legs": null }""", "patterns.definitions[0].legs")]
    [InlineData("""null""", "patterns.definitions[0]")]
    public void Invalid_definition_fails_naming_the_field(string definition, string field)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(Defs(definition)));
        Assert.Equal(field, e.Field);
        Assert.StartsWith(field + ":", e.Message);
    }

    [Fact]
    public void A_definition_after_good_ones_is_named_by_its_own_index()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(Defs(Pair, Mom,
            """{ "name": "w", "kind": "pairSpread", "legs": [ { "symbol": "BAAA" }, { "symbol": "ZZZZ" } ] }""")));
        Assert.Equal("patterns.definitions[2].legs[1].symbol", e.Field);
        Assert.Contains("unknown instrument 'ZZZZ'", e.Message);
    }

    [Fact]
    public void Cyclic_sequences_fail_naming_the_reference_and_the_loop()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(Defs(Mom,
            """{ "name": "a", "kind": "sequence", "first": "m", "then": "b" }""",
            """{ "name": "b", "kind": "sequence", "first": "m", "then": "a" }""")));
        Assert.Matches(@"^patterns\.definitions\[[12]\]\.then$", e.Field);
        Assert.Contains("cyclic reference", e.Message);
        Assert.Contains("a -> b -> a", e.Message.Replace("b -> a -> b", "a -> b -> a"));
    }

    [Fact]
    public void Duplicate_names_fail_naming_the_second()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(Defs(Mom, Mom)));
        Assert.Equal("patterns.definitions[1].name", e.Field);
    }

    [Theory]
    [InlineData("""{ "patterns": { "workers": 0 } }""", "patterns.workers")]
    [InlineData("""{ "patterns": { "workers": 2000 } }""", "patterns.workers")]
    [InlineData("""{ "patterns": { "workers": 65 } }""", "patterns.workers")]
    [InlineData("""{ "patterns": { "placement": "elsewhere" } }""", "patterns.placement")]
    [InlineData("""{ "patterns": { "placement": "inline", "workers": 2 } }""", "patterns.placement")]
    [InlineData("""{ "patterns": { "ringCapacity": 1000 } }""", "patterns.ringCapacity")]
    [InlineData("""{ "patterns": { "batchSize": 0 } }""", "patterns.batchSize")]
    [InlineData("""{ "patterns": { "workers": 2, "cpus": [ -1 ] } }""", "patterns.cpus")]
    [InlineData("""{ "patterns": { "cpus": [ 4096 ] } }""", "patterns.cpus[0]")]
    [InlineData("""{ "patterns": { "idle": "nap" } }""", "patterns.idle")]
    [InlineData("""{ "patterns": { "partition": "random" } }""", "patterns.partition")]
    [InlineData("""{ "patterns": { "overflow": "block" } }""", "patterns.overflow")]
    [InlineData("""{ "patterns": { "clock": "wall" } }""", "patterns.clock")]
    [InlineData("""{ "patterns": { "detectionBudgetNs": 0 } }""", "patterns.detectionBudgetNs")]
    [InlineData("""{ "patterns": { "sinks": { "journalBufferRecords": 0 } } }""", "patterns.sinks.journalBufferRecords")]
    [InlineData("""{ "patterns": { "sinks": null } }""", "patterns.sinks")]
    [InlineData("""{ "patterns": { "definitions": null } }""", "patterns.definitions")]
    [InlineData("""{ "patterns": null }""", "patterns")]
    [InlineData("""{ "patterns": { "instruments": { "TOO-LONG-SYM": 3 } } }""", "patterns.instruments.TOO-LONG-SYM")]
    [InlineData("""{ "patterns": { "instruments": { "AAPL": 0 } } }""", "patterns.instruments.AAPL")]
    [InlineData("""{ "books": { "maxInstruments": 100 }, "patterns": { "instruments": { "AAPL": 100 } } }""", "patterns.instruments.AAPL")]
    [InlineData("""{ "patterns": { "instruments": { "AAPL": 7 } } }""", "patterns.definitions[0].legs[0].symbol")]   // the default legs are not in the map
    [InlineData("""{ "patterns": { "partition": "explicit" } }""", "patterns.definitions[0].worker")]
    [InlineData("""{ "patterns": { "workers": 2, "definitions": [ { "name": "m", "kind": "momentum", "legs": [ { "symbol": "CAAA" } ], "worker": 2 } ] } }""", "patterns.definitions[0].worker")]
    [InlineData("""{ "patterns": { "definitions": [ { "name": "m", "kind": "momentum", "legs": [ { "symbol": "CAAA" } ] } ], "frequency": 3 } }""", "patterns.frequency")]
    [InlineData("""{ "patterns": { "definitions": [ { "name": "m", "kind": "momentum", "legs": [ { "symbol": "CAAA", "size": 3 } ] } ] } }""", "patterns.definitions[0].legs[0].size")]
    public void Invalid_section_value_fails_naming_the_field(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json));
        Assert.Equal(field, e.Field);
        Assert.StartsWith(field + ":", e.Message);
    }

    [Fact]
    public void Patterns_that_share_an_instrument_cannot_be_put_on_different_workers()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""
            { "patterns": { "workers": 2, "definitions": [
                { "name": "m", "kind": "momentum", "legs": [ { "symbol": "CAAA" } ], "worker": 0 },
                { "name": "l", "kind": "leadLag", "legs": [ { "symbol": "CAAA" }, { "symbol": "CAAB" } ], "worker": 1 } ] } }
            """));
        Assert.Equal("patterns.definitions[1].worker", e.Field);
        Assert.Contains("share", e.Message);
    }

    [Fact]
    public void The_default_runs_every_kind_the_one_line_simulator_can_show_and_resolves_its_symbols()
    {
        var c = ConfigLoader.Default();
        Assert.True(c.Patterns.Enabled);
        var kinds = c.Patterns.Definitions.Select(d => PatternConfigMapper.Kind(d.Kind)).ToHashSet();
        Assert.Equal(new[] { PatternKind.PairSpread, PatternKind.LeadLag, PatternKind.Basket, PatternKind.Momentum, PatternKind.Sequence }.ToHashSet(), kinds);
        var universe = PatternConfigMapper.Universe(c);
        Assert.True(universe.TryFind("AAAA", out int a) && a == 1);
        Assert.True(universe.TryFind("HAAA", out int h) && h == 8);
        Assert.True(universe.TryFind("AAAB", out int ab) && ab == 9);   // sector 0's second instrument: locate 1 + 8
        var plan = ConfigValidator.Resolve(c).Patterns;
        Assert.Equal(1, plan.Workers);
        Assert.Equal(c.Patterns.Definitions.Count, plan.Options.Patterns.Count);
    }

    [Fact]
    public void The_default_still_validates_with_sixteen_simulated_instruments()
    {
        var c = ConfigLoader.Parse("""{ "simulator": { "instruments": 16 } }""");
        Assert.Equal(7, ConfigValidator.Resolve(c).Patterns.Options.Patterns.Count);
    }

    [Fact]
    public void Values_reach_the_library_options_and_legs_take_this_processs_line()
    {
        var c = ConfigLoader.Parse("""
            { "lines": [ { "id": 3 } ],
              "breakers": { "throttleIntervalNs": 2000000 },
              "patterns": { "workers": 2, "ringCapacity": 1024, "batchSize": 32, "clock": "virtual", "partition": "explicit",
                "instruments": { "AAPL": 13, "MSFT": 7, "QQQ": 40 },
                "definitions": [
                  { "name": "p", "kind": "pairSpread", "legs": [ { "symbol": "AAPL" }, { "symbol": "MSFT", "line": 3 } ], "window": 100, "thresholdZ": 4.5, "hedgeRatio": 0.8, "holdUs": 20, "worker": 1 },
                  { "name": "b", "kind": "basket", "legs": [ { "symbol": "QQQ" }, { "symbol": "AAPL", "weight": 0.6 }, { "symbol": "MSFT", "weight": 0.4 } ], "worker": 1 },
                  { "name": "s", "kind": "sequence", "first": "p", "then": "b", "withinUs": 700, "worker": 1 } ] } }
            """);
        var resolved = ConfigValidator.Resolve(c);
        var options = resolved.Patterns.Options;
        Assert.Equal(2, options.Workers);
        Assert.Equal(1024, options.RingCapacity);
        Assert.Equal(32, options.BatchSize);
        Assert.Equal(PatternClock.Virtual, options.Clock);
        Assert.Equal(4, options.Lines);             // line ids 0..3: the key space reaches lines[0].id
        Assert.Equal(41, options.MaxInstruments);   // up to the highest leg's locate (QQQ = 40)
        Assert.Equal(2000, options.ThrottleUs);     // breakers.throttleIntervalNs, in µs
        var p = options.Patterns[0];
        Assert.Equal(PatternKind.PairSpread, p.Kind);
        Assert.Equal((100, 4.5, 0.8, 20L, 1), (p.Window, p.ThresholdZ, p.HedgeRatio, p.HoldUs, p.Worker));
        Assert.All(p.Legs, l => Assert.Equal(3, l.Line));
        Assert.Equal(0.6, options.Patterns[1].Legs[1].Weight);
        Assert.Equal(("p", "b", 700L), (options.Patterns[2].First, options.Patterns[2].Then, options.Patterns[2].WithinUs));
        var plan = resolved.Patterns;
        Assert.Equal(1, plan.WorkerOf(0));
        Assert.Equal(1, plan.WorkerOf(2));
    }

    [Fact]
    public void A_disabled_section_still_has_its_definitions_checked()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""
            { "patterns": { "enabled": false, "definitions": [ { "name": "m", "kind": "momentum", "legs": [ { "symbol": "NOPE" } ] } ] } }
            """));
        Assert.Equal("patterns.definitions[0].legs[0].symbol", e.Field);
    }
}
