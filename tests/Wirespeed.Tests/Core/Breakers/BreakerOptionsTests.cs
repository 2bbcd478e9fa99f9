using System;
using Wirespeed.Core.Breakers;
using Xunit;

namespace Wirespeed.Tests.Core.Breakers;

/// <summary>Invalid breaker settings fail at start-up naming the field as in the configuration file.</summary>
public class BreakerOptionsTests
{
    [Fact]
    public void Defaults_are_valid() => Assert.Same(new BreakerOptions().Validated().GetType(), typeof(BreakerOptions));

    public static TheoryData<Func<BreakerOptions, BreakerOptions>, string> Invalid() => new()
    {
        { o => o with { Volatility = o.Volatility with { Thresholds = new LevelThresholds(0.0015, 0.001, 0.003, 0.002, 0.006, 0.009) } }, "breakers.volatility.haltedExit" },
        { o => o with { PriceBand = o.PriceBand with { Thresholds = new LevelThresholds(0.05, 0.02, 0.04, 0.03, 0.1, 0.07) } }, "breakers.priceBand.restrictedEntry" },
        { o => o with { PriceBand = o.PriceBand with { ReferenceWindowNs = 0 } }, "breakers.priceBand.referenceWindowNs" },
        { o => o with { Volatility = o.Volatility with { WindowNs = 10, SampleIntervalNs = 100 } }, "breakers.volatility.windowNs" },
        { o => o with { MessageRate = o.MessageRate with { MinBaselineMessages = 0 } }, "breakers.messageRate.minBaselineMessages" },
        { o => o with { Spread = o.Spread with { Thresholds = new LevelThresholds(-1, 0, 0, 0, 0, 0) } }, "breakers.spread.cautionEntry" },
        { o => o with { OneSidedBook = o.OneSidedBook with { Thresholds = new LevelThresholds(double.NaN, 0, 0, 0, 0, 0) } }, "breakers.oneSidedBook.cautionEntry" },
        { o => o with { Exchange = o.Exchange with { PauseLevel = "stopped" } }, "breakers.exchange.pauseLevel" },
        { o => o with { MinHoldNs = -1 }, "breakers.minHoldNs" },
        { o => o with { SectorExitShare = 0.6 }, "breakers.sectorExitShare" },
        { o => o with { MarketEntryShare = 1.5 }, "breakers.marketEntryShare" },
        { o => o with { HaltedResponses = ["suppressSignals", "panic"] }, "breakers.haltedResponses[1]" },
        { o => o with { ThresholdMultipliers = [1, 2] }, "breakers.thresholdMultipliers" },
        { o => o with { ThresholdMultipliers = [1, 0.5, 2, 3] }, "breakers.thresholdMultipliers[1]" },
        { o => o with { MaxInstruments = 0 }, "breakers.maxInstruments" },
        { o => o with { TransitionLogCapacity = 1 }, "breakers.transitionLogCapacity" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_value_fails_naming_the_field(Func<BreakerOptions, BreakerOptions> spoil, string field)
    {
        var e = Assert.Throws<BreakerConfigException>(() => spoil(new BreakerOptions()).Validated());
        Assert.Equal(field, e.FieldPath);
        Assert.StartsWith(field + "=", e.Message);
    }

    [Fact]
    public void Exit_above_entry_message_names_both_and_the_fix()
    {
        var o = new BreakerOptions { Volatility = new VolatilityOptions { Thresholds = new LevelThresholds(0.8, 0.9, 0, 0, 0, 0) } };
        var e = Assert.Throws<BreakerConfigException>(() => o.Validated());
        Assert.Equal("breakers.volatility.cautionExit=0.9: must be below breakers.volatility.cautionEntry (0.8), e.g. 0.56.", e.Message);
    }
}
