using System;
using System.Linq;
using Wirespeed.Core.Events;
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
        { o => o with { Rules = null! }, "priority.rules" },
        { o => o with { Rules = [null!] }, "priority.rules[0]" },
        { o => o with { Rules = [RuleOptions.Of("halts", null!)] }, "priority.rules[0].lane" },
        { o => o with { Rules = [new RuleOptions { Type = null!, Lane = "high" }] }, "priority.rules[0].type" },
        { o => o with { Phases = [null!] }, "priority.phases[0]" },
        { o => o with { OpenTime = null! }, "priority.openTime" },
        { o => o with { SurgeMessagesPerWindow = -1 }, "priority.surgeMessagesPerWindow" },
        { o => o with { BreakerShift = 3 }, "priority.breakerShift" },
        { o => o with { BreakerShift = -3 }, "priority.breakerShift" },
        { o => o with { AgingBound = null! }, "priority.agingBound" },
        { o => o with { ChangeLogCapacity = 8 }, "priority.changeLogCapacity" },
        { o => o with { ChangeLogCapacity = (1 << 20) + 1 }, "priority.changeLogCapacity" },
        { o => o with { MaxInstruments = 0 }, "priority.maxInstruments" },
        { o => o with { MaxInstruments = (1 << 22) + 1 }, "priority.maxInstruments" },
    };

    [Fact]
    public void Missing_watch_lists_and_phases_are_taken_as_empty()
    {
        var o = new PriorityOptions { WatchInstruments = null!, WatchSectors = null!, Phases = null!, Rules = [RuleOptions.Of("watchInstruments", "high"), RuleOptions.Of("watchSectors", "high")] };
        Assert.Same(o, o.Validated());
        var stage = new ClassifyStage<TableRule>(new RuleSetHolder(o with { SurgeMessagesPerWindow = 0 }), default);
        var e = ClassifyRuleTests.Event(EventKind.AddOrder, 3);
        Assert.Equal(Lane.Normal, ClassifyRuleTests.Classify(ref stage, e));   // nothing watched: the default lane
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_value_fails_naming_the_field(Func<PriorityOptions, PriorityOptions> spoil, string field)
    {
        var e = Assert.Throws<PriorityConfigException>(() => spoil(new PriorityOptions()).Validated());
        Assert.Equal(field, e.FieldPath);
        Assert.StartsWith(field + "=", e.Message);
    }
}
