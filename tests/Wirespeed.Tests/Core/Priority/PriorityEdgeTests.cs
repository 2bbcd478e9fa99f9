using System;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Events;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Priority;
using Xunit;
using static Wirespeed.Tests.Core.Priority.ClassifyRuleTests;

namespace Wirespeed.Tests.Core.Priority;

/// <summary>
/// Edges of classification and the lanes: the struct rules on their own, the last trade they measure from, the phase
/// in force, a refused imbalance window, and a lane sink that meets a full lane whose consumer is gone.
/// </summary>
public class PriorityEdgeTests
{
    private const long Dollar = 10_000;
    private const long NineThirty = 34_200L * 1_000_000_000;

    private static RuleSetHolder Holder() => new(new PriorityOptions { MaxInstruments = 64, SurgeMessagesPerWindow = 0 });

    [Fact]
    public void Halts_rule_sends_exchange_state_to_its_lane_and_leaves_the_rest_to_the_next_rule()
    {
        var stage = new ClassifyStage<RulePair<HaltsRule, NoRule>>(Holder(), new(new HaltsRule(Lane.High), default));
        Assert.Equal(Lane.High, Classify(ref stage, Event(EventKind.TradingAction, aux: 'H')));
        Assert.Equal(Lane.High, Classify(ref stage, Event(EventKind.MwcbStatus, 0, aux: '1')));
        // Neither rule decides an add: NoRule says nothing, so the default lane (Normal) applies.
        Assert.Equal(Lane.Normal, Classify(ref stage, Event(EventKind.AddOrder)));
    }

    [Fact]
    public void Price_move_rule_measures_from_the_last_trade_and_ignores_kinds_without_a_price()
    {
        var stage = new ClassifyStage<RulePair<PriceMoveRule, NoRule>>(Holder(), new(new PriceMoveRule(100, Lane.Critical), default));
        Classify(ref stage, Event(EventKind.Trade, price: 100 * Dollar));
        Assert.Equal(100 * Dollar, stage.State.LastTradePrice(1));
        Assert.Equal(0, stage.State.LastTradePrice(2));            // no trade yet
        Assert.Equal(0, stage.State.LastTradePrice(-1));           // out of range
        Assert.Equal(0, stage.State.LastTradePrice(1_000_000));
        Assert.Equal(Lane.Critical, Classify(ref stage, Event(EventKind.AddOrder, price: 102 * Dollar)));   // 200 bps > 100
        Assert.Equal(Lane.Normal, Classify(ref stage, Event(EventKind.AddOrder, price: 100 * Dollar + 50)));   // 5 bps
        Assert.Equal(Lane.Normal, Classify(ref stage, Event(EventKind.OrderDelete, price: 200 * Dollar)));   // a delete carries no price to test
    }

    [Fact]
    public void The_adjuster_names_the_phase_in_force()
    {
        var o = new PriorityOptions { MaxInstruments = 16, SurgeMessagesPerWindow = 0, Phases = [new PhaseOptions { Name = "open", Start = "09:30:00", End = "09:35:00", Shift = -1 }] };
        var stage = new ClassifyStage<TableRule>(new RuleSetHolder(o), default);
        Assert.Equal(-1, stage.Adjuster.Phase);
        Classify(ref stage, Event(EventKind.AddOrder, ts: NineThirty + 1));
        Assert.Equal(0, stage.Adjuster.Phase);
        Classify(ref stage, Event(EventKind.AddOrder, ts: NineThirty + 301L * 1_000_000_000));
        Assert.Equal(-1, stage.Adjuster.Phase);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(86_401.0)]
    [InlineData(double.NaN)]
    public void An_imbalance_window_outside_a_day_is_refused_by_field(double seconds)
    {
        var e = Assert.Throws<PriorityConfigException>(() => new RuleSetHolder(new PriorityOptions { ImbalanceWindowSeconds = seconds }));
        Assert.Contains("priority.imbalanceWindowSeconds", e.Message);
        Assert.Contains("must be 0..86400", e.Message);
    }

    [Fact]
    public void A_waiting_lane_sink_that_meets_a_full_lane_whose_consumer_is_gone_drops_and_counts_instead_of_waiting()
    {
        using var q = new LaneQueues(16);
        Assert.Same(q.Link(Lane.Bulk).Ring, q.Ring(Lane.Bulk));
        var sink = new LaneSinkStage(q, new IdleStrategyOptions { Kind = IdleStrategyKind.BackOff, MaxSpins = 1, MaxYields = 1 });
        var ctx = new StageContext();
        for (int i = 0; i < 16; i++)
        {
            var e = Event(EventKind.AddOrder);
            e.Lane = Lane.Bulk;
            Assert.Equal(Verdict.Continue, sink.Process(ref e, in ctx));
        }
        q.CloseAll();   // the scheduler's worker stopped: nothing will make room
        Assert.True(q.Link(Lane.Critical).IsClosed);
        var last = Event(EventKind.AddOrder);
        last.Lane = Lane.Bulk;
        Assert.Equal(Verdict.Drop, sink.Process(ref last, in ctx));   // returns at once; without the close it would wait forever
        Assert.Equal(1, q.Link(Lane.Bulk).Abandoned);
        Assert.Equal(1, q.Overflow(Lane.Bulk));
        Assert.Equal(0, q.Overflow(Lane.Normal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(1000)]
    public void Lanes_need_a_power_of_two_capacity(int capacity)
    {
        Assert.Equal("capacity", Assert.Throws<ArgumentException>(() => new LaneQueues(capacity)).ParamName);
    }

    [Fact]
    public void A_reload_without_a_section_or_with_another_table_size_is_refused_and_the_rules_in_force_stay()
    {
        var holder = Holder();
        var before = holder.Current;
        Assert.False(holder.TryReconfigure(null!, out string? error));
        Assert.Equal("priority: configuration section missing.", error);
        Assert.False(holder.TryReconfigure(new PriorityOptions { MaxInstruments = 128, SurgeMessagesPerWindow = 0 }, out error));
        Assert.StartsWith("priority.maxInstruments=128: cannot change at run time (running with 64)", error);
        Assert.Same(before, holder.Current);
    }
}
