using System;
using Wirespeed.Core.Breakers;
using Xunit;

namespace Wirespeed.Tests.Core.Breakers;

/// <summary>Every start-up refusal of the breaker section names the field as written in the configuration, with the fix.</summary>
public class BreakerOptionsEdgeTests
{
    public static TheoryData<string, Func<BreakerOptions, BreakerOptions>, string> Refused() => new()
    {
        { "negative exit", o => o with { Spread = o.Spread with { Thresholds = new LevelThresholds(50, -1, 200, 120, 0, 0) } }, "breakers.spread.cautionExit=-1: must be a finite number ≥ 0" },
        { "NaN exit", o => o with { Spread = o.Spread with { Thresholds = new LevelThresholds(50, double.NaN, 200, 120, 0, 0) } }, "breakers.spread.cautionExit=NaN: must be a finite number ≥ 0" },
        { "negative MWCB hold", o => o with { Exchange = o.Exchange with { MwcbHoldNs = -1 } }, "breakers.exchange.mwcbHoldNs=-1: must be ≥ 0" },
        { "negative step-down window", o => o with { StepDownWindowNs = -1 }, "breakers.stepDownWindowNs=-1: must be ≥ 0" },
        { "no market members", o => o with { MinMarketMembers = 0 }, "breakers.minMarketMembers=0: must be ≥ 1" },
        { "no sector members", o => o with { MinSectorMembers = 0 }, "breakers.minSectorMembers=0: must be ≥ 1" },
        { "three multipliers", o => o with { ThresholdMultipliers = [1, 2, 3] }, "breakers.thresholdMultipliers=3: must list 4 numbers" },
        { "no multipliers", o => o with { ThresholdMultipliers = null! }, "breakers.thresholdMultipliers=0: must list 4 numbers" },
        { "missing level", o => o with { Exchange = o.Exchange with { PauseLevel = null! } }, "breakers.exchange.pauseLevel=null: must be one of normal, caution, restricted, halted" },
        { "missing response", o => o with { CautionResponses = ["alert", null!] }, "breakers.cautionResponses[1]=null: must be one of" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_bad_breaker_setting_is_refused_by_field(string name, Func<BreakerOptions, BreakerOptions> configure, string expected)
    {
        var e = Assert.Throws<BreakerConfigException>(() => configure(new BreakerOptions()).Validated());
        Assert.True(e.Message.StartsWith(expected, StringComparison.Ordinal), $"{name}: {e.Message}");
    }

    [Fact]
    public void No_responses_configured_means_none_and_levels_and_responses_are_read_case_blind()
    {
        Assert.Equal(BreakerResponse.None, BreakerOptions.ParseResponses("x", null));
        Assert.Equal(BreakerResponse.Alert | BreakerResponse.CancelAll, BreakerOptions.ParseResponses("x", [" Alert ", "CANCELALL"]));
        Assert.Equal(BreakerLevel.Restricted, BreakerOptions.ParseLevel("x", " Restricted"));
        Assert.Same(new BreakerOptions() is var o ? o : null, o.Validated());
    }
}
