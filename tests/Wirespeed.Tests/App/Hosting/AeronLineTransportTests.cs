using System;
using System.Threading;
using Wirespeed.Configuration;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Aeron;
using Wirespeed.Feeds.Sim;
using Wirespeed.Feeds.Udp;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Simulation;
using Wirespeed.Tests.Feeds.Aeron;
using Xunit;

namespace Wirespeed.Tests.App.Hosting;

/// <summary>
/// A feed line with <c>transport: aeron</c> through the whole host (issue 13): an Aeron publication sends the simulator's
/// MoldUDP64 packets, one per message; the line's worker opens the subscription, and every ITCH message is decoded with
/// no gap. Port 26879 belongs to this file.
/// </summary>
public class AeronLineTransportTests
{
    private const string Channel = "aeron:udp?endpoint=127.0.0.1:26879|term-length=64k";

    [Fact]
    public void Mold_packets_over_aeron_are_decoded_by_the_line_and_counted_by_the_transport()
    {
        var config = ConfigLoader.Parse($$"""
            { "lines": [ { "name": "A", "transport": "aeron", "aeronChannel": "{{Channel}}", "aeronStreamId": 5 } ],
              "books": { "maxInstruments": 128, "maxOrders": 262144 }, "pipeline": { "workers": [ { "name": "feed", "idle": "yield" } ] },
              "patterns": { "enabled": false } }
            """);
        using var transport = LineTransport.Create(ConfigValidator.Resolve(config), new MemoryRegistry(0), measureOneWay: false, 0);
        Assert.Equal((TransportKind.Aeron, "aeron"), (transport.Kind, transport.Name));
        var host = transport.Host;
        transport.Start(TimeSpan.FromSeconds(10));
        using Arena arena = AeronTestLogs.NewArena(AeronTermLog.ArenaBytes(64 * 1024) + 4096);
        using var pub = new AeronPublication(AeronPublicationOptions.FromChannel(Channel, 5), arena);
        long deadline = MonoClock.NowNs() + 5_000_000_000;
        while (!pub.IsConnected && MonoClock.NowNs() < deadline) { pub.DoWork(); Thread.Sleep(1); }
        Assert.True(pub.IsConnected, "the line's subscription never answered the SETUP");

        var sim = config.Simulator;
        var feed = new SimFeed(new ExchangeSimulator(SimulatorPlan.From(sim)), "WIRESPEED1", sim.MaxPayloadBytes, SimTimestampMode.Virtual, 20_000);
        long packets = 0;
        while (!feed.Ended && MonoClock.NowNs() < deadline + 20_000_000_000)
        {
            ReadOnlySpan<byte> packet = feed.NextPacket();
            if (packet.IsEmpty) break;
            while (pub.Offer(packet) < 0)
            {
                Assert.True(MonoClock.NowNs() < deadline + 20_000_000_000, $"the publication refused packet {packets} for 20 s (connected: {pub.IsConnected})");
                pub.DoWork();
                Thread.Yield();
            }
            packets++;
            pub.DoWork();
        }
        long sent = feed.MessagesPacked;
        deadline = MonoClock.NowNs() + 10_000_000_000;
        while (host.DecodedMessages < sent && MonoClock.NowNs() < deadline) { pub.DoWork(); Thread.Sleep(1); }
        host.Stop();
        Assert.True(sent >= 20_000);
        Assert.Equal(sent, host.DecodedMessages);
        Assert.Equal(0, host.GapMessages);
        var counters = transport.Counters();
        Assert.Equal(packets, counters["packets"]);
        Assert.Equal(1, counters["aeron_images"]);
        Assert.Equal(0, counters["aeron_frames_rejected"]);
    }
}
