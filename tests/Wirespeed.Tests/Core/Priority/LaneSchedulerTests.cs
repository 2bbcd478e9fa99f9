using System;
using System.Collections.Generic;
using Wirespeed.Core.Events;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Priority;
using Xunit;

namespace Wirespeed.Tests.Core.Priority;

/// <summary>The lane scheduler: Critical first, aging bounds that hold under floods, FIFO within a lane, counted overflow.</summary>
public class LaneSchedulerTests
{
    private static MarketEvent Ev(Lane lane, ulong seq, int instrument = 1)
    {
        var e = new MarketEvent { Kind = EventKind.AddOrder, Sequence = seq, Instrument = instrument };
        e.Lane = lane;
        return e;
    }

    private static void Push(ref LaneSinkStage sink, params MarketEvent[] events)
    {
        var ctx = new StageContext();
        foreach (var e in events)
        {
            var copy = e;
            Assert.Equal(Verdict.Continue, sink.Process(ref copy, in ctx));
        }
        sink.EndBatch(in ctx);
    }

    [Fact]
    public void Critical_is_served_first_and_between_lower_lane_events()
    {
        using var q = new LaneQueues(1024);
        var sink = new LaneSinkStage(q);
        var sched = new LaneScheduler(q, new PriorityOptions { LowerLaneBatchLimit = 4 });
        Push(ref sink, Ev(Lane.Bulk, 1), Ev(Lane.Normal, 2), Ev(Lane.High, 3), Ev(Lane.Critical, 4), Ev(Lane.Bulk, 5), Ev(Lane.Critical, 6));
        var batch = new MarketEvent[16];
        int n = sched.Fill(batch);
        Assert.Equal([4UL, 6, 3, 2, 1, 5], Seqs(batch, n));
        // A Critical event that arrives after a batch is served ahead of the waiting lower lanes.
        for (int i = 0; i < 8; i++) Push(ref sink, Ev(Lane.Bulk, (ulong)(10 + i)));
        n = sched.Fill(batch);
        Assert.Equal(4, n); // the lower-lane limit ends the batch
        Push(ref sink, Ev(Lane.Critical, 99));
        n = sched.Fill(batch);
        Assert.Equal(99UL, batch[0].Sequence);
    }

    private static ulong[] Seqs(MarketEvent[] batch, int n)
    {
        var s = new ulong[n];
        for (int i = 0; i < n; i++) s[i] = batch[i].Sequence;
        return s;
    }

    [Theory]
    [InlineData(0, 64, 256, 1024)]
    [InlineData(0, 8, 16, 32)]
    public void Aging_bound_holds_under_a_flood_of_critical_and_high_and_order_within_each_lane_is_kept(int c, int h, int n, int b)
    {
        using var q = new LaneQueues(16_384);
        var sink = new LaneSinkStage(q);
        var options = new PriorityOptions { AgingBound = [c, h, n, b], LowerLaneBatchLimit = 80 };
        var sched = new LaneScheduler(q, options);
        var batch = new MarketEvent[80];
        var next = new ulong[4];
        var lastSeen = new ulong[4];
        var served = new long[4];
        var rng = new Random(42);
        var ctx = new StageContext();
        for (int round = 0; round < 600; round++)
        {
            // A flood: every round 45 Critical and 45 High, and a few Normal and Bulk waiting behind them.
            for (int i = 0; i < 100; i++)
            {
                int r = rng.Next(100);
                var lane = r < 45 ? Lane.Critical : r < 90 ? Lane.High : r < 95 ? Lane.Normal : Lane.Bulk;
                var e = Ev(lane, ++next[(int)lane], instrument: (int)lane);
                sink.Process(ref e, in ctx);
            }
            sink.EndBatch(in ctx);
            // The consumer serves 80 of every 100 (one batch): High always has events ready; only aging serves Normal and Bulk.
            int got = sched.Fill(batch);
            for (int i = 0; i < got; i++)
            {
                int l = (int)batch[i].Lane;
                Assert.True(batch[i].Sequence == lastSeen[l] + 1, $"lane {(Lane)l}: {batch[i].Sequence} after {lastSeen[l]}");
                lastSeen[l] = batch[i].Sequence;
                served[l]++;
            }
        }
        for (int l = 0; l < 4; l++) Assert.Equal(0, q.Overflow((Lane)l));
        var s = sched.State;
        for (int l = 1; l < 4; l++)
        {
            Assert.True(served[l] > 0, $"lane {(Lane)l} starved");
            Assert.True(s.MaxWait((Lane)l) <= s.AgingBound((Lane)l) + 2, $"lane {(Lane)l} waited {s.MaxWait((Lane)l)} > bound {s.AgingBound((Lane)l)}");
        }
        Assert.True(s.AgedServes(Lane.Bulk) > 0); // the flood really did hold Bulk back until aging served it
    }

    [Fact]
    public void Without_aging_a_flood_starves_the_bulk_lane()
    {
        using var q = new LaneQueues(4096);
        var sink = new LaneSinkStage(q);
        var sched = new LaneScheduler(q, new PriorityOptions { AgingBound = [0, 0, 0, 0], LowerLaneBatchLimit = 32 });
        var batch = new MarketEvent[16]; // slower than the 32 a round the producer writes
        var ctx = new StageContext();
        long bulk = 0;
        for (int round = 0; round < 200; round++)
        {
            for (int i = 0; i < 32; i++) { var e = Ev(i == 0 ? Lane.Bulk : Lane.High, (ulong)i); sink.Process(ref e, in ctx); }
            sink.EndBatch(in ctx);
            int got = sched.Fill(batch);
            for (int i = 0; i < got; i++) if (batch[i].Lane == Lane.Bulk) bulk++;
        }
        Assert.Equal(0, bulk);
        Assert.True(sched.State.MaxWait(Lane.Bulk) > 1000);
    }

    [Fact]
    public void Full_lane_drops_and_counts_without_touching_other_lanes()
    {
        using var q = new LaneQueues(4);
        var sink = new LaneSinkStage(q);
        var ctx = new StageContext();
        int dropped = 0;
        for (int i = 0; i < 6; i++)
        {
            var e = Ev(Lane.Bulk, (ulong)i);
            if (sink.Process(ref e, in ctx) == Verdict.Drop) dropped++;
        }
        var c = Ev(Lane.Critical, 100);
        Assert.Equal(Verdict.Continue, sink.Process(ref c, in ctx));
        sink.EndBatch(in ctx);
        Assert.Equal(2, dropped);
        Assert.Equal(2, q.Overflow(Lane.Bulk));
        Assert.Equal(0, q.Overflow(Lane.Critical));
    }
}
