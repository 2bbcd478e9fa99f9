using System;
using System.Collections.Generic;
using Wirespeed.Core.Books;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Priority;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Sim;
using Xunit;

namespace Wirespeed.Tests.Scenarios.Breakers;

public class PriorityAllocationTests
{
    [Fact]
    public void Classify_breakers_and_lane_scheduling_allocate_nothing_over_a_million_events_after_warm_up()
    {
        // A flash crash (so levels move, logs fill, lanes shift), decoded and applied to the books once up front (those allocate
        // nothing either, but are not what this test measures), then replayed through breakers → classify → lanes → scheduler.
        var sim = new ExchangeSimulator(new SimulatorOptions { Seed = 2, Scenario = SimScenario.FlashCrash, MessagesPerSecond = 200_000, VolatilityPerSqrtSecond = 0.005, SessionDurationNs = 1_600_000_000 });
        var feed = new SimFeed(sim);
        var decoder = new ItchFeedDecoder();
        var table = new InstrumentTable(65);
        for (int i = 1; i <= 64; i++) table.TrySetSector(i, sim.SectorOf(i));
        var books = new OrderBookSet(new BookOptions { MaxInstruments = 65, MaxLiveOrders = 1 << 14, MaxLevelsPerSide = 128 }, table);
        var events = new List<MarketEvent>(330_000);
        var buf = new MarketEvent[256];
        while (!feed.Ended)
        {
            var packet = feed.NextPacket();
            if (packet.IsEmpty) continue;
            int n = decoder.Decode(packet, new PacketInfo(0, 0, PacketSourceKind.InProcess), buf);
            for (int i = 0; i < n; i++) { books.Apply(ref buf[i]); events.Add(buf[i]); }
        }
        var recorded = events.ToArray();

        var breakers = new BreakerState(BreakerScenarioTests.Compressed with { MaxInstruments = 65, MaxSectors = 8, TransitionLogCapacity = 1024 }, table);
        var breakerStage = new BreakerStage<NoBreakerActions>(breakers, books, default);
        var options = new PriorityOptions { MaxInstruments = 65, Phases = [new PhaseOptions { Name = "open", Start = "09:30:00", End = "09:30:01", Shift = -1 }], ChangeLogCapacity = 64 };
        var holder = new RuleSetHolder(options);
        var classify = new ClassifyStage<TableRule>(holder, default, books, table, breakers);
        using var lanes = new LaneQueues(4096);
        var sink = new LaneSinkStage(lanes);
        var scheduler = new LaneScheduler(lanes, options);
        var batch = new MarketEvent[64];
        long drained = 0;

        long Pass(int pass)
        {
            var ctx = new StageContext();
            long offset = pass * 10_000_000_000L; // each replay 10 s later: the crash and recovery happen again
            long served = 0;
            for (int i = 0; i < recorded.Length; i++)
            {
                var e = recorded[i];
                e.ExchangeTimestampNs += offset;
                breakerStage.Process(ref e, in ctx);
                classify.Process(ref e, in ctx);
                sink.Process(ref e, in ctx);
                if ((i & 63) == 63)
                {
                    classify.EndBatch(in ctx);
                    sink.EndBatch(in ctx);
                    int got;
                    while ((got = scheduler.Fill(batch)) > 0) served += got;
                }
            }
            sink.EndBatch(in ctx);
            int rest;
            while ((rest = scheduler.Fill(batch)) > 0) served += rest;
            return served;
        }

        Pass(0);
        Pass(1);
        long tripsBefore = breakers.TripsUp;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int pass = 2; pass < 6; pass++) drained += Pass(pass);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(4L * recorded.Length >= 1_000_000, $"{4L * recorded.Length} events");
        Assert.Equal(4L * recorded.Length, drained);
        Assert.True(breakers.TripsUp > tripsBefore, "the replays moved breaker levels");
        for (int l = 0; l < 4; l++) Assert.Equal(0, lanes.Overflow((Lane)l));
        Assert.True(scheduler.State.Served(Lane.Critical) > 0 && scheduler.State.Served(Lane.Bulk) > 0);
    }
}
