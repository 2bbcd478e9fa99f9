using System.Linq;
using System.Threading;
using Wirespeed.Configuration;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Events;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Sim;
using Xunit;
using Wirespeed.Hosting.Detection;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Simulation;
using Wirespeed.Hosting.Reporting;

namespace Wirespeed.Tests.App.Hosting;

/// <summary>The feed chain with breakers and lanes: book → breakers → classify → publish → deliver, on one worker or split at the lanes.</summary>
public class FeedChainTests
{
    private static FeedHost Run(string topology, SimScenario scenario, long messages)
    {
        var config = ConfigLoader.Parse($$"""
            { "books": { "maxInstruments": 128, "maxOrders": 262144 },
              "priority": { "laneCapacity": 256 },
              "pipeline": { "topology": "{{topology}}", "workers": [ { "name": "feed", "idle": "yield" }, { "name": "deliver", "idle": "yield" } ] },
              "patterns": { "idle": "back-off" } }
            """);
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 11, Instruments = 32, Sectors = 4, Scenario = scenario }),
            "WIRESPEED1", 1400, SimTimestampMode.Virtual, messages);
        var blob = PacketBlob.Generate(feed, messages);
        var paced = new PacedBlobState(blob, 1e12, 0);   // every packet due at once: the first worker runs flat out
        var host = FeedHost.Create(ConfigValidator.Resolve(config, simulatedDay: true), new MemoryRegistry(0), new PacedBlobPackets(paced), 1464, measureOneWay: false, 0);
        host.Start();
        paced.Begin();
        long deadline = MonoClock.NowNs() + 60_000_000_000;
        while (host.Delivered < blob.Messages)
        {
            Assert.True(MonoClock.NowNs() < deadline, $"timed out: {host.Delivered} of {blob.Messages} delivered");
            Thread.Sleep(5);
        }
        host.Stop();
        Assert.Equal(blob.Messages, host.Delivered);
        return host;
    }

    [Theory]
    [InlineData("single")]
    [InlineData("split")]
    public void Every_event_is_classified_and_delivered_in_its_lane_with_none_dropped(string topology)
    {
        using var host = Run(topology, SimScenario.FlashCrash, 600_000);
        var p = host.Priority;
        long sum = 0;
        for (int l = 0; l < 4; l++)
        {
            Assert.Equal(p.ClassifyState.LaneCount((Lane)l), host.Deliver.ByLane[l]);
            sum += host.Deliver.ByLane[l];
            if (p.Lanes is { } lanes) Assert.Equal(0, lanes.Overflow((Lane)l));   // a full lane (256 slots here) waits, never drops
        }
        Assert.Equal(host.Delivered, sum);
        Assert.True(host.Deliver.ByLane[(int)Lane.Critical] > 0, "the crash's trading actions reach the critical lane");
        Assert.Equal(topology == "split", p.Scheduler is not null);
        if (p.Scheduler is { } s) Assert.Equal(host.Deliver.ByLane[(int)Lane.Critical], s.State.Served(Lane.Critical));
        Assert.Equal(topology == "split" ? 2 : 1, host.Pipeline.Workers.Count);
        Assert.Equal(["book", "breakers", "classify", "publish", "deliver"], host.Pipeline.Stages.Select(st => st.Name).ToArray());
    }

    [Fact]
    public void Flash_crash_trips_breakers_and_recovers_and_the_summary_reports_it()
    {
        using var host = Run("single", SimScenario.FlashCrash, 2_500_000);
        var b = host.Priority.Breakers;
        Assert.True(b.TripsUp > 0);
        Assert.True(b.TripsBy(BreakerDetector.Exchange) > 0, "LULD pauses declared by the exchange halt instruments");
        Assert.True(b.StepsDown > 0);
        Assert.True(host.Deliver.WouldSuppress > 0, "halted instruments' signals would be suppressed");
        Assert.Equal(BreakerLevel.Normal, b.MarketLevel);
        var transitions = b.Transitions.Snapshot();
        for (int i = 0; i < 64; i++)
            Assert.True(b.InstrumentLevel(i) == BreakerLevel.Normal, $"instrument {i} ends {b.InstrumentLevel(i)}: " +
                string.Join("; ", transitions.Where(t => t.Scope == BreakerScope.Instrument && t.Id == i).Select(t => FeedPriority.Describe(t))));

        var summary = new RunSummary { Command = "test" };
        RunReport.ForFeed(host).AddTo(summary);
        Assert.Equal(b.TripsUp, summary.Counters["breakers"]["trips"]);
        Assert.Equal(b.TripsBy(BreakerDetector.Exchange), summary.Counters["breakers"]["trips_exchange"]);
        Assert.Equal(0, summary.Counters["breakers"]["instruments_halted_at_end"]);
        Assert.Equal(host.Deliver.ByLane[0], summary.Counters["priority"]["delivered_critical"]);
        Assert.Contains(summary.Notes, n => n.StartsWith("breakers: last ", System.StringComparison.Ordinal));
        Assert.Contains(summary.Notes, n => n.Contains("-> Halted by", System.StringComparison.Ordinal) || n.Contains("-> Normal by Recovery", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Normal_simulated_flow_trips_no_breaker_with_the_compressed_day_profile()
    {
        using var host = Run("single", SimScenario.Normal, 1_500_000);
        Assert.Equal(0, host.Priority.Breakers.TripsUp);
        Assert.Equal(0, host.Deliver.WouldSuppress + host.Deliver.WouldThrottle);
    }
}
