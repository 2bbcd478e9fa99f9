using System;
using System.Threading;
using Wirespeed.Core.Ingress;
using Wirespeed.Feeds.Mold.Arbitration;
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

    /// <summary>One copy of the blob that loses every packet whose index is <c>drop</c> modulo 7 (the other copy loses another).</summary>
    private struct LossyCopy : IPacketSource
    {
        private PacedBlobPackets _packets;
        private readonly PacedBlobState _state;
        private readonly int _drop;

        public LossyCopy(PacedBlobState state, int drop)
        {
            _state = state;
            _packets = new PacedBlobPackets(state);
            _drop = drop;
        }

        public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
        {
            var filter = new Filter<THandler> { Inner = handler, Index = _state.Next, Drop = _drop };
            int n = _packets.Poll(ref filter, limit);
            handler = filter.Inner;
            return n;
        }

        private struct Filter<THandler> : IPacketHandler where THandler : struct, IPacketHandler
        {
            public THandler Inner;
            public int Index;   // of the packet now delivered
            public int Drop;
            public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
            {
                if (Index++ % 7 != Drop) Inner.OnPacket(payload, in info);
            }
        }
    }

    [Fact]
    public void A_and_B_arbitration_before_decode_allocates_nothing_on_the_hot_thread_and_books_see_each_message_once()
    {
        var config = ConfigLoader.Parse("""
            { "books": { "maxInstruments": 128, "maxOrders": 262144 },
              "pipeline": { "workers": [ { "name": "feed", "idle": "yield" } ] },
              "patterns": { "enabled": false } }
            """);
        const long WarmupMessages = 300_000, MeasuredMessages = 1_200_000;
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 7, Instruments = 32, Sectors = 4 }),
            "WIRESPEED1", 1400, SimTimestampMode.Virtual, WarmupMessages + MeasuredMessages);
        var blob = PacketBlob.Generate(feed, WarmupMessages + MeasuredMessages);
        var a = new PacedBlobState(blob, 1e12, 0);
        var b = new PacedBlobState(blob, 1e12, 0);
        var line = new ArbitratedLine(new MoldArbiterOptions { InitialSequence = 1 }, hasB: true, rerequester: null, "WIRESPEED1", lineId: 0);
        var source = new ArbitratedPackets<LossyCopy>(new LossyCopy(a, 3), new LossyCopy(b, 5), line);
        using var host = FeedHost.Create(ConfigValidator.Resolve(config), new MemoryRegistry(0), source, 1464, measureOneWay: false, 0);
        host.Start();
        a.Begin();
        b.Begin();
        HostRun.WaitFor(() => host.Delivered >= WarmupMessages, "warm-up");
        host.EndWarmup();
        HostRun.WaitFor(() => host.Delivered >= blob.Messages, "the measured events");
        host.Stop();

        Assert.Equal(blob.Messages, host.Delivered);   // each message once: the late copies never reached the books
        Assert.Equal(0, host.Decoder.MoldCounters.GapMessages);
        Assert.Equal(blob.Messages, line.Counters.A.MessagesWon + line.Counters.B.MessagesWon);
        Assert.True(line.Counters.A.Misses > 0 && line.Counters.B.Misses > 0 && line.Counters.A.Duplicates + line.Counters.B.Duplicates > 0);
        var probe = Assert.Single(host.HotThreadProbes);
        Assert.True(probe.IsMarked, probe.Name + " never marked the end of warm-up");
        Assert.True(probe.AllocatedSinceMark == 0, $"{probe.Name} allocated {probe.AllocatedSinceMark} B after warm-up");
    }
}
