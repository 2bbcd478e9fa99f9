using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Sim;
using Wirespeed.Feeds.Udp;
using Wirespeed.Interop;
using Wirespeed.Interop.Abi;
using Wirespeed.Interop.Handles;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Integration;

/// <summary>
/// MoldUDP64 multicast from the simulator, sent inside a network namespace over a veth pair and received in this
/// namespace through AF_XDP (SKB and DRV) and io_uring: zero loss at a bounded rate, and the books built from what
/// arrived are byte-identical (checksum) to the books built in-process from the same packets.
/// </summary>
[Trait("Category", "Integration")]
public sealed class KernelBypassIntegrationTests
{
    private const string Group = "239.255.79.1";
    private const int Port = 26_479;

    public enum Path { XdpSkb, XdpDrv, Uring, Mmsg }

    private static void RequireAll(string what)
    {
        Requires.Root(what);
        Requires.That(VethNamespace.HasIp, "needs iproute2 ('ip') to create a network namespace and veth pair");
        Requires.That(NativeLibraryResolver.IsAvailable(out string why), why);
    }

    private static Arena NewArena(long bytes) =>
        Arena.Create("arena.integration", new ArenaOptions { SizeBytes = bytes, HugePages = false, Lock = false }, new MemoryRegistry(1L << 34));

    /// <summary>Decodes and applies to books; counts packets and Mold gaps.</summary>
    private sealed class BookSink
    {
        public readonly ItchFeedDecoder Decoder = new(new ItchFeedOptions { Session = new MoldSessionOptions { InitialSequence = 1 } });
        public readonly OrderBookSet Books = new(new BookOptions { MaxInstruments = 16_384, MaxLiveOrders = 1 << 20 });
        public readonly MarketEvent[] Events = new MarketEvent[256];
        public long Packets;
        public long EventCount;

        public void Packet(ReadOnlySpan<byte> payload)
        {
            var info = new PacketInfo(0, 0, PacketSourceKind.InProcess);
            int n = Decoder.Decode(payload, in info, Events);
            for (int i = 0; i < n; i++) Books.Apply(ref Events[i]);
            EventCount += n;
            Packets++;
        }
    }

    private struct SinkHandler : IPacketHandler
    {
        public BookSink Sink;
        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info) => Sink.Packet(payload);
    }

    private static void RunPath(Path path, int tag)
    {
        RequireAll("creates a network namespace, a veth pair and (for AF_XDP) attaches XDP programs");
        using var veth = VethNamespace.Create(tag);
        using var arena = NewArena(256L << 20);
        var udp = new UdpOptions { Group = Group, Port = Port, Interface = veth.HostAddress };
        IDisposable source;
        Func<SinkHandler, (int, SinkHandler)> poll;
        XdpUdpSource? xdp = null;
        switch (path)
        {
            case Path.XdpSkb:
            case Path.XdpDrv:
                xdp = new XdpUdpSource(udp, new XdpOptions { InterfaceName = veth.HostInterface, Mode = path == Path.XdpSkb ? XdpMode.Skb : XdpMode.Drv, FrameCount = 4096 }, arena);
                source = xdp;
                Assert.Equal(2, xdp.Queues.Length); // every queue of the device
                Assert.True((xdp.OpenResult & XdpOpenResult.CopyFallback) != 0, "veth refuses zero-copy (PLATFORM.md): " + xdp.ModeReason);
                poll = h => (xdp.Poll(ref h, 64), h);
                break;
            case Path.Uring:
                var u = new UringUdpSource(udp, new UringOptions { BufferCount = 4096 }, arena);
                source = u;
                poll = h => (u.Poll(ref h, 64), h);
                break;
            default:
                var m = new MmsgUdpSource(udp, arena);
                source = m;
                poll = h => (m.Poll(ref h, 64), h);
                break;
        }
        using (source)
        {
            using UdpBatchSender sender = veth.InNamespace(() =>
                new UdpBatchSender(new IPEndPoint(IPAddress.Parse(Group), Port), IPAddress.Parse(veth.PeerAddress), ttl: 1));
            var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 77 }), endAfterMessages: 60_000);
            var received = new BookSink();
            var inProcess = new BookSink();
            var h = new SinkHandler { Sink = received };
            long sent = 0;
            long deadline = MonoClock.NowNs() + 30_000_000_000;
            while (!feed.Ended && MonoClock.NowNs() < deadline)
            {
                // Bursts of 32 packets, drained before the next: a bounded rate the receive rings always absorb.
                for (int k = 0; k < 32 && !feed.Ended; k++)
                {
                    ReadOnlySpan<byte> p = feed.NextPacket();
                    inProcess.Packet(p);
                    sender.Add(p);
                    sent++;
                }
                sender.Flush();
                long until = MonoClock.NowNs() + 2_000_000_000;
                while (received.Packets < sent && MonoClock.NowNs() < until)
                {
                    (int n, h) = poll(h);
                    if (n == 0) Thread.Sleep(0);
                }
            }
            Assert.True(feed.Ended, "feed did not finish within the time bound");
            Assert.Equal(0, sender.Dropped);
            Assert.Equal(sent, received.Packets);
            Assert.Equal(inProcess.EventCount, received.EventCount);
            Assert.True(inProcess.EventCount > 50_000);
            Assert.Equal(inProcess.Books.Checksum(), received.Books.Checksum());
            Assert.Equal(0, received.Decoder.MoldCounters.GapMessages);
            if (xdp is not null)
            {
                Assert.Equal(0, xdp.Frames[FrameStatus.BadChecksum]);
                Assert.Equal(0, xdp.Frames[FrameStatus.Short]);
            }
        }
    }

    [Fact]
    public void Xdp_skb_mode_over_veth_loses_nothing_and_builds_identical_books() => RunPath(Path.XdpSkb, 1);

    [Fact]
    public void Xdp_drv_mode_over_veth_loses_nothing_and_builds_identical_books() => RunPath(Path.XdpDrv, 2);

    [Fact]
    public void Uring_over_veth_loses_nothing_and_builds_identical_books() => RunPath(Path.Uring, 3);

    [Fact]
    public void Recvmmsg_over_veth_loses_nothing_and_builds_identical_books() => RunPath(Path.Mmsg, 4);

    [Fact]
    public void Malformed_frames_over_veth_are_counted_by_cause_and_never_crash()
    {
        RequireAll("injects raw frames with a packet socket on a veth pair and attaches XDP");
        using var veth = VethNamespace.Create(5, rxQueues: 1);
        using var arena = NewArena(64L << 20);
        var udp = new UdpOptions { Group = Group, Port = Port, Interface = veth.HostAddress };
        using var xdp = new XdpUdpSource(udp, new XdpOptions { InterfaceName = veth.HostInterface, Mode = XdpMode.Skb, FrameCount = 1024 }, arena);
        using RawFrameSender raw = veth.InNamespace(() => new RawFrameSender(veth.PeerInterface));
        byte[] good = RawFrameSender.UdpFrame(Group, Port, payload: 64);
        var frames = new List<(byte[] Frame, FrameStatus Expected)>
        {
            (RawFrameSender.With(good, 12, 0x81, 0x00)[..16], FrameStatus.Short),     // cut inside a VLAN tag (the kernel refuses < 14 bytes)
            (RawFrameSender.With(good, 12, 0x86, 0xDD), FrameStatus.WrongEtherType),  // IPv6 EtherType
            (RawFrameSender.WithIhl(good, 4), FrameStatus.BadIhl),                     // IHL 16 bytes
            (RawFrameSender.WithUdpLength(good, 500), FrameStatus.TruncatedUdp),       // UDP length past the datagram
            (RawFrameSender.With(good, 14 + 8, 0x99), FrameStatus.BadChecksum),        // TTL changed, checksum kept
        };
        foreach (var (f, _) in frames) for (int k = 0; k < 10; k++) raw.Send(f);
        for (int k = 0; k < 10; k++) raw.Send(good);
        var sink = new BookSink();
        var h = new SinkHandler { Sink = sink };
        long deadline = MonoClock.NowNs() + 3_000_000_000;
        while (MonoClock.NowNs() < deadline && (sink.Packets < 10 || xdp.Frames[FrameStatus.BadChecksum] < 10))
            if (xdp.Poll(ref h, 64) == 0) Thread.Sleep(1);
        foreach (var (_, expected) in frames)
            Assert.True(xdp.Frames[expected] >= 10, $"{expected}: {xdp.Frames[expected]}");
        Assert.Equal(10, sink.Packets); // the good frames carry a 64-byte payload the decoder rejects gracefully
    }
    private struct CountHandler : IPacketHandler
    {
        public long Packets;
        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info) => Packets++;
    }

    [Fact]
    public void Xdp_receive_loop_allocates_nothing_after_warm_up()
    {
        RequireAll("attaches XDP to a veth pair in a network namespace");
        using var veth = VethNamespace.Create(7);
        using var arena = NewArena(64L << 20);
        var udp = new UdpOptions { Group = Group, Port = Port, Interface = veth.HostAddress };
        using var xdp = new XdpUdpSource(udp, new XdpOptions { InterfaceName = veth.HostInterface, Mode = XdpMode.Skb, FrameCount = 1024 }, arena);
        using UdpBatchSender sender = veth.InNamespace(() =>
            new UdpBatchSender(new IPEndPoint(IPAddress.Parse(Group), Port), IPAddress.Parse(veth.PeerAddress), ttl: 1));
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 8 }));
        var h = new CountHandler();
        long allocated = 0;
        for (int round = 0; round < 40; round++)
        {
            for (int k = 0; k < 32; k++) sender.Add(feed.NextPacket());
            sender.Flush();
            long expected = h.Packets + 32;
            long deadline = MonoClock.NowNs() + 2_000_000_000;
            while (h.Packets < expected && MonoClock.NowNs() < deadline)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                int n = xdp.Poll(ref h, 64);
                long after = GC.GetAllocatedBytesForCurrentThread();
                if (round >= 10) allocated += after - before;
                if (n == 0) Thread.Sleep(0);
            }
        }
        Assert.Equal(40 * 32, h.Packets);
        Assert.Equal(0, allocated);
    }

    // A program left attached by a killed process: native/tests/test_xdp_leftover.c (it forks a child, kills it
    // with SIGKILL while its socket is bound, then opens in the other mode).
}
