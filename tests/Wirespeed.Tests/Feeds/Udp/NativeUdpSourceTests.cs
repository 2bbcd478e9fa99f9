using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Sim;
using Wirespeed.Feeds.Udp;
using Wirespeed.Interop;
using Wirespeed.Interop.Abi;
using Wirespeed.Tests.Infrastructure;
using Xunit;
using Wirespeed.Hosting.Lines;

namespace Wirespeed.Tests.Feeds.Udp;

/// <summary>
/// The io_uring and recvmmsg transports over loopback multicast (127.0.0.1, PLATFORM.md): every simulator packet
/// arrives, in order, byte for byte, with a kernel stamp; decoding what arrived gives exactly the events of decoding
/// the same packets in-process; the receive loop allocates nothing after warm-up.
/// </summary>
public sealed class NativeUdpSourceTests
{
    // Ports apart from UdpSocketSourceTests (30000 + pid-based) so the two classes never share a group and port.
    private static int Port(int offset) => 40_000 + Environment.ProcessId % 5_000 * 4 + offset;

    public enum Transport { Uring, UringCoop, UringPlain, Mmsg }

    private static void RequireShim()
    {
        bool ok = NativeLibraryResolver.IsAvailable(out string reason);
        Requires.That(ok, reason);
    }

    private static void RequireUring()
    {
        RequireShim();
        int rc = TransportProbe.ProbeUring(out string reason);
        Requires.That(rc == 0, reason);
    }

    private static Arena NewArena(long bytes) =>
        Arena.Create("arena.udp", new ArenaOptions { SizeBytes = (bytes + (1 << 20)) & ~4095L, HugePages = false, Lock = false },
                     new MemoryRegistry(1L << 32));

    private static IPacketSourceBox Open(Transport t, UdpOptions udp, Arena arena, int bufferCount = 1024) => t switch
    {
        Transport.Mmsg => new IPacketSourceBox(new MmsgUdpSource(udp, arena)),
        Transport.UringCoop => new IPacketSourceBox(new UringUdpSource(udp, new UringOptions { Setup = UringSetupFlags.CoopTaskRun, BufferCount = bufferCount }, arena)),
        Transport.UringPlain => new IPacketSourceBox(new UringUdpSource(udp, new UringOptions { Setup = UringSetupFlags.None, BufferCount = bufferCount }, arena)),
        _ => new IPacketSourceBox(new UringUdpSource(udp, new UringOptions { BufferCount = bufferCount }, arena)),
    };

    /// <summary>Test-only holder so one test body drives either source through its generic Poll.</summary>
    private sealed class IPacketSourceBox(IDisposable source) : IDisposable
    {
        public int Poll<T>(ref T h, int limit) where T : struct, IPacketHandler => source switch
        {
            UringUdpSource u => u.Poll(ref h, limit),
            MmsgUdpSource m => m.Poll(ref h, limit),
            _ => throw new InvalidOperationException(),
        };
        public long Truncated => (source is UringUdpSource u ? u.Counters : ((MmsgUdpSource)source).Counters).Truncated;
        public RxStats Stats => source is UringUdpSource u ? u.NativeStats : ((MmsgUdpSource)source).NativeStats;
        public int Granted => source is UringUdpSource u ? u.GrantedReceiveBufferBytes : ((MmsgUdpSource)source).GrantedReceiveBufferBytes;
        public void Dispose() => source.Dispose();
    }

    /// <summary>Copies each datagram into a pre-allocated store (to decode later) and checks stamps.</summary>
    private sealed class Store
    {
        public readonly byte[] Bytes = new byte[64 << 20];
        public readonly List<(int Offset, int Length)> Packets = new(100_000);
        public int Used;
    }

    private struct CopyHandler : IPacketHandler
    {
        public Store Store;
        public long Count;
        public long BadStamps;
        public long EarliestNs;
        public PacketSourceKind Kind;

        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
        {
            payload.CopyTo(Store.Bytes.AsSpan(Store.Used));
            Store.Packets.Add((Store.Used, payload.Length));
            Store.Used += payload.Length;
            long now = MonoClock.NowNs();
            if (info.ReceiveTimestampNs < EarliestNs || info.ReceiveTimestampNs > now) BadStamps++;
            Kind = info.Source;
            Count++;
        }
    }

    private static List<MarketEvent> DecodeAll(Store store)
    {
        var decoder = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { InitialSequence = 1 } });
        var events = new List<MarketEvent>();
        var output = new MarketEvent[256];
        var info = new PacketInfo(0, 0, PacketSourceKind.InProcess); // same info both ways: only wire content differs
        foreach (var (offset, length) in store.Packets)
        {
            int n = decoder.Decode(store.Bytes.AsSpan(offset, length), in info, output);
            for (int i = 0; i < n; i++) events.Add(output[i]);
        }
        return events;
    }

    [Theory]
    [InlineData(Transport.Uring)]
    [InlineData(Transport.UringCoop)]
    [InlineData(Transport.UringPlain)]
    [InlineData(Transport.Mmsg)]
    public void Loopback_multicast_arrives_whole_and_decodes_to_the_in_process_events(Transport transport)
    {
        if (transport == Transport.Mmsg) RequireShim(); else RequireUring();
        int port = Port((int)transport);
        var udp = new UdpOptions { Group = "239.255.78.1", Port = port, Interface = "127.0.0.1" };
        using var arena = NewArena(8 << 20);
        using var source = Open(transport, udp, arena);
        Assert.True(source.Granted > 0);
        using var sender = new UdpBatchSender(new IPEndPoint(IPAddress.Parse(udp.Group), port), IPAddress.Loopback);
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 41 }), endAfterMessages: 80_000);
        var sent = new Store();
        var got = new Store();
        var h = new CopyHandler { Store = got, EarliestNs = MonoClock.NowNs() };
        // Bursts of 64 packets (one sendmmsg), drained between bursts: bounded rate, bounded count, bounded time.
        long deadline = MonoClock.NowNs() + 20_000_000_000;
        while (!feed.Ended && MonoClock.NowNs() < deadline)
        {
            for (int k = 0; k < 64 && !feed.Ended; k++)
            {
                ReadOnlySpan<byte> p = feed.NextPacket();
                p.CopyTo(sent.Bytes.AsSpan(sent.Used));
                sent.Packets.Add((sent.Used, p.Length));
                sent.Used += p.Length;
                Assert.True(sender.Add(p));
            }
            sender.Flush();
            long until = MonoClock.NowNs() + 2_000_000_000;
            while (h.Count < sent.Packets.Count && MonoClock.NowNs() < until)
                if (source.Poll(ref h, 64) == 0) Thread.Sleep(0);
        }
        Assert.True(feed.Ended, "the feed did not end in time");
        Assert.Equal(0, sender.Dropped);
        Assert.Equal(sent.Packets.Count, (int)h.Count);
        Assert.Equal(0, h.BadStamps);
        Assert.Equal(transport == Transport.Mmsg ? PacketSourceKind.Socket : PacketSourceKind.Uring, h.Kind);
        Assert.Equal(0, source.Truncated);
        Assert.True(sent.Used == got.Used && sent.Bytes.AsSpan(0, sent.Used).SequenceEqual(got.Bytes.AsSpan(0, got.Used)),
                    "received bytes differ from sent bytes");
        List<MarketEvent> expected = DecodeAll(sent), actual = DecodeAll(got);
        Assert.True(expected.Count > 70_000, $"only {expected.Count} events");
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(expected[i].Equals(actual[i]), $"event {i} differs");
    }

    private struct CountHandler : IPacketHandler
    {
        public long Count;
        public ulong Next;
        public long Gaps;

        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
        {
            ulong seq = BinaryPrimitives.ReadUInt64BigEndian(payload.Slice(10));
            ushort count = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(18));
            if (Next != 0 && seq != Next) Gaps++;
            Next = seq + count;
            Count++;
        }
    }

    [Theory]
    [InlineData(Transport.Uring)]
    [InlineData(Transport.Mmsg)]
    public void Receive_loop_allocates_nothing_after_warm_up(Transport transport)
    {
        if (transport == Transport.Mmsg) RequireShim(); else RequireUring();
        int port = Port(8 + (int)transport);
        var udp = new UdpOptions { Group = "239.255.78.2", Port = port };
        using var arena = NewArena(8 << 20);
        using var source = Open(transport, udp, arena);
        using var sender = new UdpBatchSender(new IPEndPoint(IPAddress.Parse(udp.Group), port));
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 5 }));
        var h = new CountHandler();
        long allocated = 0;
        for (int round = 0; round < 40; round++)
        {
            for (int k = 0; k < 50; k++) sender.Add(feed.NextPacket());
            sender.Flush();
            long expected = h.Count + 50;
            long deadline = MonoClock.NowNs() + 2_000_000_000;
            while (h.Count < expected && MonoClock.NowNs() < deadline)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                int n = source.Poll(ref h, 64);
                long after = GC.GetAllocatedBytesForCurrentThread();
                if (round >= 10) allocated += after - before; // the first rounds warm up tiering and the would-block path
                if (n == 0) Thread.Sleep(0);
            }
        }
        Assert.Equal(40 * 50, h.Count);
        Assert.Equal(0, h.Gaps);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_buffer_ring_smaller_than_the_burst_loses_nothing()
    {
        RequireUring();
        int port = Port(12);
        var udp = new UdpOptions { Group = "239.255.78.3", Port = port };
        using var arena = NewArena(1 << 20);
        using var source = Open(Transport.Uring, udp, arena, bufferCount: 16);
        using var sender = new UdpBatchSender(new IPEndPoint(IPAddress.Parse(udp.Group), port));
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 9 }));
        var h = new CountHandler();
        for (int k = 0; k < 200; k++) sender.Add(feed.NextPacket()); // 200 queue in the socket; 16 buffers
        sender.Flush();
        long deadline = MonoClock.NowNs() + 3_000_000_000;
        while (h.Count < 200 && MonoClock.NowNs() < deadline)
            if (source.Poll(ref h, 64) == 0) Thread.Sleep(0);
        RxStats s = source.Stats;
        Assert.Equal(200, h.Count);
        Assert.Equal(0, h.Gaps);
        Assert.True(s.NoBuffers > 0 && s.Rearms > 0, $"expected the ring to run dry: ENOBUFS {s.NoBuffers}, re-arms {s.Rearms}");
    }

    [Fact]
    public void A_datagram_longer_than_the_buffer_is_counted_and_dropped()
    {
        RequireShim();
        int port = Port(13);
        var udp = new UdpOptions { Group = "", Port = port, Interface = "127.0.0.1", MaxDatagramBytes = 256 };
        using var arena = NewArena(1 << 20);
        using var source = new MmsgUdpSource(udp, arena);
        using var sender = new UdpBatchSender(new IPEndPoint(IPAddress.Loopback, port));
        var big = new byte[1000];
        var small = new byte[100];
        BinaryPrimitives.WriteUInt64BigEndian(small.AsSpan(10), 1);
        sender.Add(big);
        sender.Add(small);
        sender.Flush();
        var h = new CountHandler();
        long deadline = MonoClock.NowNs() + 2_000_000_000;
        while (h.Count + source.Counters.Truncated < 2 && MonoClock.NowNs() < deadline) source.Poll(ref h, 8);
        Assert.Equal(1, source.Counters.Truncated);
        Assert.Equal(1, h.Count);
    }

    [Fact]
    public void Source_specific_join_receives_from_the_named_source_only()
    {
        RequireShim();
        int port = Port(14);
        // 127.0.0.1 is the source of everything sent on loopback; 127.0.0.2 never sends.
        var wanted = new UdpOptions { Group = "239.255.78.4", Port = port, Source = "127.0.0.1" };
        var other = new UdpOptions { Group = "239.255.78.4", Port = port, Source = "127.0.0.2" };
        using var arena = NewArena(1 << 20);
        using var a = new MmsgUdpSource(wanted, arena);
        using var b = new MmsgUdpSource(other, arena);
        using var sender = new UdpBatchSender(new IPEndPoint(IPAddress.Parse(wanted.Group), port));
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 3 }));
        for (int k = 0; k < 20; k++) sender.Add(feed.NextPacket());
        sender.Flush();
        var ha = new CountHandler();
        var hb = new CountHandler();
        long deadline = MonoClock.NowNs() + 2_000_000_000;
        while (ha.Count < 20 && MonoClock.NowNs() < deadline) { a.Poll(ref ha, 64); b.Poll(ref hb, 64); }
        Thread.Sleep(20);
        b.Poll(ref hb, 64);
        Assert.Equal(20, ha.Count);
        Assert.Equal(0, hb.Count);
    }

    [Fact]
    public void Forced_receive_buffer_exceeds_rmem_max_and_the_granted_size_is_reported()
    {
        RequireShim();
        Requires.Root("SO_RCVBUFFORCE needs CAP_NET_ADMIN");
        long rmemMax = long.Parse(System.IO.File.ReadAllText("/proc/sys/net/core/rmem_max").Trim());
        int request = (int)Math.Min(1L << 30, Math.Max(64 << 20, rmemMax * 2));
        using var arena = NewArena(1 << 20);
        using var forced = new MmsgUdpSource(new UdpOptions { Group = "", Port = Port(15), ReceiveBufferBytes = request, ForceReceiveBuffer = true }, arena);
        using var capped = new MmsgUdpSource(new UdpOptions { Group = "", Port = Port(16), ReceiveBufferBytes = request, ForceReceiveBuffer = false }, arena);
        Assert.Equal(2L * request, forced.GrantedReceiveBufferBytes);                 // Linux reports twice the request
        Assert.Equal(2L * Math.Min(request, rmemMax), capped.GrantedReceiveBufferBytes); // SO_RCVBUF is capped by rmem_max
    }

    [Fact]
    public void Recvmmsg_reads_a_whole_batch_once_and_hands_it_out_one_poll_at_a_time()
    {
        RequireShim();
        int port = Port(17);
        var udp = new UdpOptions { Group = "239.255.78.4", Port = port, Interface = "127.0.0.1" };
        using var arena = NewArena(4 << 20);
        using var source = new MmsgUdpSource(udp, arena);
        using var sender = new UdpBatchSender(new IPEndPoint(IPAddress.Parse(udp.Group), port), IPAddress.Loopback);
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 5 }), maxPayload: 200);
        var expected = new List<byte[]>();
        for (int i = 0; i < 10; i++)
        {
            ReadOnlySpan<byte> p = feed.NextPacket();
            expected.Add(p.ToArray());
            sender.Add(p);
        }
        sender.Flush();   // loopback: queued on the receiver's socket when this returns
        var h = new CopyHandler { Store = new Store() };
        ulong before = source.NativeStats.Enters;
        // The pipeline's pattern when a batch has less room than the largest packet: one datagram per poll.
        for (int i = 0; i < 10; i++) Assert.Equal(1, source.Poll(ref h, 1));
        Assert.Equal(1UL, source.NativeStats.Enters - before);   // one recvmmsg brought all ten
        Assert.Equal(0, source.Poll(ref h, 1));
        Assert.Equal(10, h.Store.Packets.Count);
        for (int i = 0; i < 10; i++)
            Assert.True(expected[i].AsSpan().SequenceEqual(h.Store.Bytes.AsSpan(h.Store.Packets[i].Offset, h.Store.Packets[i].Length)), $"packet {i}");
        Assert.Equal(10, source.Counters.Packets);
    }

    [Fact]
    public void Xdp_arena_size_is_one_aligned_umem_per_queue_for_the_options_the_open_uses()
    {
        RequireShim();
        // LineTransport reserves this before the worker opens the source: the shim checks mode and interface here too.
        var x = new XdpOptions { InterfaceName = "lo", Queues = [0, 1], Mode = XdpMode.Skb, FrameCount = 1024, FrameSize = 2048 };
        Assert.Equal(2 * (1024L * 2048 + Arena.MaxAlignment), XdpUdpSource.ArenaBytes(x));
        Assert.Equal(1024L * 4096 + Arena.MaxAlignment, XdpUdpSource.ArenaBytes(x with { Queues = [3], Mode = XdpMode.Drv, FrameSize = 4096 }));
    }

    [Fact]
    public void Options_reject_a_source_without_a_group_naming_the_setting()
    {
        var e = Assert.Throws<ArgumentException>(() => new UdpOptions { Group = "", Source = "10.0.0.1" }.Validated());
        Assert.Contains("Source", e.Message);
        var u = Assert.Throws<ArgumentException>(() => new UringOptions { Setup = UringSetupFlags.DeferTaskRun | UringSetupFlags.SqPoll }.Validated());
        Assert.Contains("Setup", u.Message);
    }
}
