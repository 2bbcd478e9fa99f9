using System;
using System.Linq;
using Wirespeed.Core.Priority;
using Xunit;

namespace Wirespeed.Tests.Core.Priority;

/// <summary>Invalid priority settings fail naming the field as in the configuration file.</summary>
public class PriorityOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_list_every_rule_in_order()
    {
        var set = CompiledRuleSet.Compile(new PriorityOptions(), 1);
        Assert.Equal([RuleKind.Halts, RuleKind.Imbalance, RuleKind.WatchInstruments, RuleKind.WatchSectors, RuleKind.PriceMove, RuleKind.Size, RuleKind.TopOfBook],
            set.Rules.ToArray().Select(r => r.Kind).ToArray());
    }

    public static TheoryData<Func<PriorityOptions, PriorityOptions>, string> Invalid() => new()
    {
        { o => o with { Rules = [RuleOptions.Of("halts", "urgent")] }, "priority.rules[0].lane" },
        { o => o with { Rules = [RuleOptions.Of("halts", "critical"), RuleOptions.Of("magic", "high")] }, "priority.rules[1].type" },
        { o => o with { Rules = [RuleOptions.Of("size", "high"), RuleOptions.Of("size", "bulk")] }, "priority.rules[1].type" },
        { o => o with { Rules = [new RuleOptions { Type = "priceMove", Bps = 0 }] }, "priority.rules[0].bps" },
        { o => o with { Rules = [new RuleOptions { Type = "size", Shares = 0 }] }, "priority.rules[0].shares" },
        { o => o with { Rules = [new RuleOptions { Type = "topOfBook", OtherLane = "deep" }] }, "priority.rules[0].otherLane" },
        { o => o with { DefaultLane = "" }, "priority.defaultLane" },
        { o => o with { WatchInstruments = [1, -3] }, "priority.watchInstruments[1]" },
        { o => o with { WatchSectors = [70_000] }, "priority.watchSectors[0]" },
        { o => o with { OpenTime = "9:30" }, "priority.openTime" },
        { o => o with { CloseTime = "09:00:00" }, "priority.closeTime" },
        { o => o with { Phases = [new PhaseOptions { Name = "open", Start = "09:35:00", End = "09:30:00" }] }, "priority.phases[0].end" },
        { o => o with { Phases = [new PhaseOptions { Name = "open", Shift = 0 }] }, "priority.phases[0].shift" },
        { o => o with { SurgeWindowNs = 0 }, "priority.surgeWindowNs" },
        { o => o with { BreakerPromoteLevel = "red" }, "priority.breakerPromoteLevel" },
        { o => o with { LaneCapacity = 1000 }, "priority.laneCapacity" },
        { o => o with { AgingBound = [0, 64, 256] }, "priority.agingBound" },
        { o => o with { AgingBound = [0, 64, -1, 1024] }, "priority.agingBound[2]" },
        { o => o with { LowerLaneBatchLimit = 0 }, "priority.lowerLaneBatchLimit" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_value_fails_naming_the_field(Func<PriorityOptions, PriorityOptions> spoil, string field)
    {
        var e = Assert.Throws<PriorityConfigException>(() => spoil(new PriorityOptions()).Validated());
        Assert.Equal(field, e.FieldPath);
        Assert.StartsWith(field + "=", e.Message);
    }
}
