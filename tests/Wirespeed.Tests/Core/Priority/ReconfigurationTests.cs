using System;
using System.Threading;
using Wirespeed.Core.Events;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Priority;
using Xunit;

namespace Wirespeed.Tests.Core.Priority;

/// <summary>Rule sets swap atomically at run time; a bad configuration is refused and the old one keeps running.</summary>
public class ReconfigurationTests
{
    private static readonly PriorityOptions HaltsCritical = new() { Rules = [RuleOptions.Of("halts", "critical")], DefaultLane = "bulk", MaxInstruments = 64, SurgeMessagesPerWindow = 0 };
    private static readonly PriorityOptions HaltsHigh = HaltsCritical with { Rules = [RuleOptions.Of("halts", "high")], DefaultLane = "normal" };

    [Fact]
    public void Bad_configuration_is_rejected_with_the_field_named_and_the_old_set_keeps_running()
    {
        var holder = new RuleSetHolder(HaltsCritical);
        var before = holder.Current;
        Assert.False(holder.TryReconfigure(HaltsCritical with { Rules = [new RuleOptions { Type = "size", Shares = -5 }] }, out string? error));
        Assert.StartsWith("priority.rules[0].shares=-5:", error);
        Assert.Same(before, holder.Current);
        Assert.Equal(1, holder.Rejected);
        Assert.False(holder.TryReconfigure(HaltsCritical with { LaneCapacity = 8192 }, out error));
        Assert.StartsWith("priority.laneCapacity=8192: cannot change at run time", error);
        Assert.Same(before, holder.Current);
    }

    [Fact]
    public void Stage_picks_up_a_new_set_at_the_end_of_the_batch_and_logs_it()
    {
        var holder = new RuleSetHolder(HaltsCritical);
        var stage = new ClassifyStage<TableRule>(holder, default);
        var ctx = new StageContext();
        var e = ClassifyRuleTests.Event(EventKind.TradingAction);
        stage.Process(ref e, in ctx);
        Assert.Equal(Lane.Critical, e.Lane);
        Assert.True(holder.TryReconfigure(HaltsHigh, out string? error), error);
        e = ClassifyRuleTests.Event(EventKind.TradingAction);
        stage.Process(ref e, in ctx);
        Assert.Equal(Lane.Critical, e.Lane); // same batch: still the old set
        stage.EndBatch(in ctx);
        e = ClassifyRuleTests.Event(EventKind.TradingAction);
        stage.Process(ref e, in ctx);
        Assert.Equal(Lane.High, e.Lane);
        Assert.Equal(2, stage.Rules.Version);
        var log = stage.Adjuster.Changes.Snapshot();
        Assert.Contains(log, c => c.Reason == PriorityChangeReason.Reconfigured && c.Id == 2);
    }

    [Fact]
    [Trait("Category", "Stress")]
    public void Every_batch_is_classified_by_exactly_one_rule_set_while_another_thread_swaps()
    {
        // Set A: halts critical, rest bulk. Set B: halts high, rest normal. A batch mixing A's and B's lanes would be torn.
        var holder = new RuleSetHolder(HaltsCritical);
        var stage = new ClassifyStage<TableRule>(holder, default);
        var batch = new MarketEvent[64];
        int torn = 0, batches = 0, sawA = 0, sawB = 0;
        using var stop = new CancellationTokenSource();
        var swapper = new Thread(() =>
        {
            bool flip = false;
            while (!stop.IsCancelled())
            {
                holder.TryReconfigure(flip ? HaltsCritical : HaltsHigh, out _);
                flip = !flip;
                Thread.Yield();
            }
        });
        swapper.Start();
        var ctx = new StageContext();
        var deadline = DateTime.UtcNow.AddMilliseconds(300);
        while (DateTime.UtcNow < deadline || sawA == 0 || sawB == 0)
        {
            for (int i = 0; i < batch.Length; i++)
            {
                batch[i] = ClassifyRuleTests.Event(i % 2 == 0 ? EventKind.TradingAction : EventKind.Reference);
                stage.Process(ref batch[i], in ctx);
            }
            stage.EndBatch(in ctx);
            bool a = batch[0].Lane == Lane.Critical;
            for (int i = 0; i < batch.Length; i++)
            {
                Lane want = i % 2 == 0 ? (a ? Lane.Critical : Lane.High) : (a ? Lane.Bulk : Lane.Normal);
                if (batch[i].Lane != want) torn++;
            }
            if (a) sawA++; else sawB++;
            batches++;
            if (batches > 5_000_000) break;
        }
        stop.Cancel();
        swapper.Join();
        Assert.Equal(0, torn);
        Assert.True(sawA > 0 && sawB > 0, $"A {sawA}, B {sawB}");
    }
}

internal static class CancellationExtensions
{
    public static bool IsCancelled(this CancellationTokenSource cts) => cts.IsCancellationRequested;
}
