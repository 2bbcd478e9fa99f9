using Wirespeed.Configuration;
using Xunit;

namespace Wirespeed.Tests.App.Configuration;

/// <summary>The "priority" and "breakers" sections: parsed onto the library's options, errors named by field.</summary>
public class PriorityBreakerConfigTests
{
    [Theory]
    [InlineData("""{ "priority": { "rules": [ { "type": "halts", "lane": "critical" }, { "type": "size" }, { "type": "priceMove", "bps": 0 } ] } }""", "priority.rules[2].bps")]
    [InlineData("""{ "priority": { "rules": [ { "type": "telepathy" } ] } }""", "priority.rules[0].type")]
    [InlineData("""{ "priority": { "rules": [ { "type": "halts", "lane": "urgent" } ] } }""", "priority.rules[0].lane")]
    [InlineData("""{ "priority": { "rules": [ { "type": "size", "shares": 0 } ] } }""", "priority.rules[0].shares")]
    [InlineData("""{ "priority": { "rules": [ null ] } }""", "priority.rules[0]")]
    [InlineData("""{ "priority": { "defaultLane": "fast" } }""", "priority.defaultLane")]
    [InlineData("""{ "priority": { "openTime": "9.30" } }""", "priority.openTime")]
    [InlineData("""{ "priority": { "laneCapacity": 1000 } }""", "priority.laneCapacity")]
    [InlineData("""{ "priority": { "agingBound": [0, 64] } }""", "priority.agingBound")]
    [InlineData("""{ "priority": { "agingBound": [0, 64, -1, 1024] } }""", "priority.agingBound[2]")]
    [InlineData("""{ "priority": { "lowerLaneBatchLimit": 0 } }""", "priority.lowerLaneBatchLimit")]
    [InlineData("""{ "priority": { "breakerPromoteLevel": "panic" } }""", "priority.breakerPromoteLevel")]
    [InlineData("""{ "priority": { "phases": [ { "name": "open", "start": "10:00:00", "end": "09:00:00" } ] } }""", "priority.phases[0].end")]
    [InlineData("""{ "priority": null }""", "priority")]
    [InlineData("""{ "priority": { "lanes": 4 } }""", "priority.lanes")]
    [InlineData("""{ "breakers": { "maxSectors": 0 } }""", "breakers.maxSectors")]
    [InlineData("""{ "breakers": { "volatility": { "thresholds": { "restrictedEntry": 0.003, "restrictedExit": 0.004 } } } }""", "breakers.volatility.restrictedExit")]
    [InlineData("""{ "breakers": { "priceBand": { "thresholds": { "cautionEntry": 0.2, "cautionExit": 0.1, "restrictedEntry": 0.1, "restrictedExit": 0.05 } } } }""", "breakers.priceBand.restrictedEntry")]
    [InlineData("""{ "breakers": { "priceBand": { "referenceWindowNs": 0 } } }""", "breakers.priceBand.referenceWindowNs")]
    [InlineData("""{ "breakers": { "volatility": { "windowNs": 10, "sampleIntervalNs": 100 } } }""", "breakers.volatility.windowNs")]
    [InlineData("""{ "breakers": { "messageRate": { "minBaselineMessages": 0 } } }""", "breakers.messageRate.minBaselineMessages")]
    [InlineData("""{ "breakers": { "spread": { "sustainNs": -1 } } }""", "breakers.spread.sustainNs")]
    [InlineData("""{ "breakers": { "exchange": { "haltLevel": "stopped" } } }""", "breakers.exchange.haltLevel")]
    [InlineData("""{ "breakers": { "haltedResponses": ["suppressSignals", "panic"] } }""", "breakers.haltedResponses[1]")]
    [InlineData("""{ "breakers": { "thresholdMultipliers": [1, 0.5, 2, 3] } }""", "breakers.thresholdMultipliers[1]")]
    [InlineData("""{ "breakers": { "sectorEntryShare": 0.5, "sectorExitShare": 0.6 } }""", "breakers.sectorExitShare")]
    [InlineData("""{ "breakers": { "minHoldNs": -5 } }""", "breakers.minHoldNs")]
    [InlineData("""{ "breakers": { "spread": null } }""", "breakers.spread")]
    [InlineData("""{ "breakers": { "oneSidedBook": { "thresholds": null } } }""", "breakers.oneSidedBook.thresholds")]
    [InlineData("""{ "breakers": { "messageRate": { "windowNs": "fast" } } }""", "breakers.messageRate.windowNs")]
    public void Invalid_priority_or_breaker_value_fails_naming_the_field(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json));
        Assert.Equal(field, e.Field);
        Assert.StartsWith(field + ":", e.Message);
        Assert.DoesNotContain(field + ": " + field, e.Message);   // the path is named once
    }

    [Fact]
    public void Priority_and_breaker_values_in_the_file_reach_the_options()
    {
        var c = ConfigLoader.Parse("""
            { "priority": { "rules": [ { "type": "size", "lane": "critical", "shares": 500 }, { "type": "halts", "enabled": false } ],
                            "watchInstruments": [3, 7], "agingBound": [0, 8, 16, 32] },
              "breakers": { "enabled": false, "volatility": { "thresholds": { "cautionEntry": 0.01, "cautionExit": 0.005 } },
                            "haltedResponses": ["suppressSignals"], "minHoldNs": 7 } }
            """);
        Assert.Equal(2, c.Priority.Rules.Count);
        Assert.Equal("critical", c.Priority.Rules[0].Lane);
        Assert.Equal(500, c.Priority.Rules[0].Shares);
        Assert.False(c.Priority.Rules[1].Enabled);
        Assert.Equal([3, 7], c.Priority.WatchInstruments);
        Assert.Equal(8, c.Priority.AgingBound[1]);
        Assert.False(c.Breakers.Enabled);
        Assert.Equal(0.01, c.Breakers.Volatility.Thresholds.CautionEntry);
        Assert.Equal(0, c.Breakers.Volatility.Thresholds.HaltedEntry);   // an object given replaces the default whole
        Assert.Equal(["suppressSignals"], c.Breakers.HaltedResponses);
        Assert.Equal(7, c.Breakers.MinHoldNs);
        Assert.Equal(300_000_000_000, c.Breakers.PriceBand.ReferenceWindowNs);   // untouched sections keep their defaults
    }

    [Fact]
    public void Budgets_accept_the_breaker_and_classify_stages()
    {
        var c = ConfigLoader.Parse("""{ "pipeline": { "budgetsNs": { "breakers": 7000, "classify": 9000 } } }""");
        Assert.Equal(7000, c.Pipeline.BudgetsNs["breakers"]);
        Assert.Equal(9000, c.Pipeline.BudgetsNs["classify"]);
    }
}
