using System.Threading;
using Wirespeed.Configuration;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Sim;
using Wirespeed.Tests.Infrastructure;
using Xunit;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Simulation;

namespace Wirespeed.Tests.App.Hosting;

/// <summary>The whole hot path as the demo assembles it: packets → MoldUDP64/ITCH decode → books → … → deliver, on a worker, and the pattern worker beside it.</summary>
public class HotPathAllocationTests
{
    [Theory]
    [InlineData("single")]
    [InlineData("split")]
    public void Decode_book_and_pipeline_allocate_nothing_on_the_hot_threads_across_a_million_events(string topology)
    {
        var config = ConfigLoader.Parse($$"""
            { "books": { "maxInstruments": 128, "maxOrders": 262144 },
              "pipeline": { "topology": "{{topology}}", "workers": [ { "name": "feed", "idle": "yield" }, { "name": "deliver", "idle": "yield" } ] },
              "patterns": { "idle": "back-off" } }
            """);
        const long WarmupMessages = 300_000, MeasuredMessages = 1_200_000;
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 7, Instruments = 32, Sectors = 4 }),
            "WIRESPEED1", 1400, SimTimestampMode.Virtual, WarmupMessages + MeasuredMessages);
        var blob = PacketBlob.Generate(feed, WarmupMessages + MeasuredMessages);
        Assert.True(blob.Messages >= WarmupMessages + MeasuredMessages);

        // A rate no worker can keep up with: every packet is due at once, so the worker runs flat out.
        var paced = new PacedBlobState(blob, 1e12, 0);
        using var host = FeedHost.Create(ConfigValidator.Resolve(config), new MemoryRegistry(0), new PacedBlobPackets(paced), 1464, measureOneWay: false, 0);
        host.Start();
        paced.Begin();
        HostRun.WaitFor(() => host.Delivered >= WarmupMessages, "warm-up");
        host.EndWarmup();
        HostRun.WaitFor(() => host.Delivered >= blob.Messages, "the measured events");
        host.Stop();

        Assert.Equal(blob.Messages, host.Delivered);
        Assert.Equal(0, host.Decoder.MoldCounters.GapMessages);
        long measured = host.Delivered - WarmupMessages;
        Assert.True(measured >= 1_000_000, $"only {measured} events after warm-up");
        Assert.Equal((topology == "split" ? 2 : 1) + 1, host.HotThreadProbes.Count);   // the pipeline's workers, then the pattern worker
        foreach (var probe in host.HotThreadProbes)
        {
            Assert.True(probe.IsMarked, probe.Name + " never marked the end of warm-up");
            Assert.True(probe.AllocatedSinceMark == 0, $"{probe.Name} allocated {probe.AllocatedSinceMark} B after warm-up");
        }
    }
}
