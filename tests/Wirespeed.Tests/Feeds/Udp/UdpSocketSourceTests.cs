using System;
using System.Buffers.Binary;
using System.Net;
using System.Threading;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Sim;
using Wirespeed.Feeds.Udp;
using Xunit;

namespace Wirespeed.Tests.Feeds.Udp;

public class UdpSocketSourceTests
{
    // A port per process, so parallel test runs of other worktrees on this host do not share a group and port.
    private static int Port(int offset) => 30_000 + Environment.ProcessId % 10_000 * 2 + offset;

    private struct SequenceHandler : IPacketHandler
    {
        public long Packets;
        public long Bytes;
        public ulong Next;
        public long Gaps;
        public long LastRx;
        public bool Ended;

        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
        {
            ulong seq = BinaryPrimitives.ReadUInt64BigEndian(payload.Slice(10));
            ushort count = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(18));
            if (Next != 0 && seq != Next) Gaps++;
            if (count == 0xFFFF) Ended = true;
            else Next = seq + count;
            Packets++;
            Bytes += payload.Length;
            LastRx = info.ReceiveTimestampNs;
        }
    }

    /// <summary>Polls until <paramref name="expected"/> packets arrived or 2 s passed (sleeping between empty polls).</summary>
    private static void Drain(UdpSocketSource source, ref SequenceHandler h, long expected)
    {
        long deadline = MonoClock.NowNs() + 2_000_000_000;
        while (h.Packets < expected && MonoClock.NowNs() < deadline)
            if (source.Poll(ref h, 64) == 0) Thread.Sleep(1);
    }

    [Fact]
    public void Loopback_multicast_packets_all_arrive_in_order()
    {
        var options = new UdpOptions { Group = "239.255.77.1", Port = Port(0), Interface = "127.0.0.1" };
        using var source = new UdpSocketSource(options);
        Assert.True(source.GrantedReceiveBufferBytes > 0);
        using var sender = new UdpPacketSender(new IPEndPoint(IPAddress.Parse(options.Group), options.Port), IPAddress.Loopback, multicastTtl: 0);
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 31 }), endAfterMessages: 60_000);
        var h = new SequenceHandler();
        long sent = 0;
        // Bursts of 50 packets, drained between bursts: a modest rate that a 4 MiB buffer absorbs with no loss.
        for (int burst = 0; burst < 1_000 && !feed.Ended; burst++)
        {
            for (int k = 0; k < 50 && !feed.Ended; k++)
            {
                Assert.True(sender.Send(feed.NextPacket()));
                sent++;
            }
            Drain(source, ref h, sent);
        }
        Assert.True(feed.Ended);
        Assert.True(sent > 1_000);
        Assert.Equal(sent, h.Packets);
        Assert.Equal(0, h.Gaps);
        Assert.True(h.Ended);
        Assert.Equal(sender.BytesSent, h.Bytes);
        Assert.Equal(source.Packets, h.Packets);
        Assert.Equal(0, source.Truncated);
        Assert.True(h.LastRx > 0);
    }

    private struct LatencyHandler : IPacketHandler
    {
        public long Packets;
        public long MinNs;
        public long MaxNs;

        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(18)) == 0) return;
            long now = RealtimeClock.NowNs();
            long sinceMidnight = now - RealtimeClock.MidnightUtcNs(now);
            long stamped = (long)BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(22 + 5)) << 32 | BinaryPrimitives.ReadUInt32BigEndian(payload.Slice(22 + 7));
            long oneWay = sinceMidnight - stamped;
            if (Packets == 0 || oneWay < MinNs) MinNs = oneWay;
            if (Packets == 0 || oneWay > MaxNs) MaxNs = oneWay;
            Packets++;
        }
    }

    [Fact]
    public void Realtime_stamps_let_the_receiver_measure_one_way_latency()
    {
        var options = new UdpOptions { Group = "239.255.77.3", Port = Port(4) };
        using var source = new UdpSocketSource(options);
        using var sender = new UdpPacketSender(new IPEndPoint(IPAddress.Parse(options.Group), options.Port));
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions()), timestampMode: SimTimestampMode.Realtime);
        var h = new LatencyHandler();
        for (int k = 0; k < 100; k++)
        {
            sender.Send(feed.NextPacket());
            long deadline = MonoClock.NowNs() + 1_000_000_000;
            while (h.Packets <= k && MonoClock.NowNs() < deadline)
                if (source.Poll(ref h, 4) == 0) Thread.Sleep(0);
        }
        Assert.Equal(100, h.Packets);
        // Same host, same clock: stamped before the send, read after the receive. The midnight rollover is the only
        // way to get a negative figure, and a test does not run across it twice.
        Assert.True(h.MinNs >= 0 || h.MinNs < -80_000_000_000_000, $"one-way min {h.MinNs} ns");
        Assert.True(h.MaxNs < 1_000_000_000, $"one-way max {h.MaxNs} ns");
    }

    [Fact]
    public void Receive_allocates_nothing_per_packet_after_warm_up()
    {
        var options = new UdpOptions { Group = "", Port = Port(1), Interface = "127.0.0.1" };
        using var source = new UdpSocketSource(options);
        using var sender = new UdpPacketSender(new IPEndPoint(IPAddress.Loopback, options.Port));
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 2 }));
        var h = new SequenceHandler();
        for (int k = 0; k < 200; k++) sender.Send(feed.NextPacket());
        Drain(source, ref h, 200);
        for (int k = 0; k < 100; k++) source.Poll(ref h, 64); // warm the would-block path too

        long allocated = 0;
        for (int round = 0; round < 20; round++)
        {
            for (int k = 0; k < 50; k++) sender.Send(feed.NextPacket());
            long expected = h.Packets + 50;
            long deadline = MonoClock.NowNs() + 2_000_000_000;
            while (h.Packets < expected && MonoClock.NowNs() < deadline)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                int got = source.Poll(ref h, 64);
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                if (got == 0) Thread.Sleep(1);
            }
        }
        Assert.Equal(200 + 20 * 50, h.Packets);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Datagram_larger_than_the_buffer_is_counted_as_truncated_and_not_delivered()
    {
        var options = new UdpOptions { Group = "", Port = Port(2), Interface = "127.0.0.1", MaxDatagramBytes = 100 };
        using var source = new UdpSocketSource(options);
        using var sender = new UdpPacketSender(new IPEndPoint(IPAddress.Loopback, options.Port));
        var big = new byte[101];
        var fits = new byte[100];
        BinaryPrimitives.WriteUInt16BigEndian(fits.AsSpan(18), 1);
        sender.Send(big);
        sender.Send(fits);
        var h = new SequenceHandler();
        long deadline = MonoClock.NowNs() + 2_000_000_000;
        while ((h.Packets < 1 || source.Truncated < 1) && MonoClock.NowNs() < deadline)
            if (source.Poll(ref h, 8) == 0) Thread.Sleep(1);
        Assert.Equal(1, source.Truncated);
        Assert.Equal(1, h.Packets);
        Assert.Equal(100, h.Bytes);
    }

    [Fact]
    public void Poll_on_an_empty_socket_returns_zero_without_blocking()
    {
        using var source = new UdpSocketSource(new UdpOptions { Group = "239.255.77.2", Port = Port(3) });
        var h = new SequenceHandler();
        long start = MonoClock.NowNs();
        Assert.Equal(0, source.Poll(ref h, 64));
        Assert.True(MonoClock.NowNs() - start < 100_000_000);
        Assert.Equal(0, source.ReceiveErrors);
    }

    [Theory]
    [InlineData("10.0.0.1", 1, "127.0.0.1", "Group")]
    [InlineData("239.1.1.1", 0, "127.0.0.1", "Port")]
    [InlineData("239.1.1.1", 26400, "eth0", "Interface")]
    [InlineData("not-an-ip", 26400, "127.0.0.1", "Group")]
    public void Invalid_options_name_the_field_and_the_fix(string group, int port, string iface, string field)
    {
        var e = Assert.Throws<ArgumentException>(() => new UdpOptions { Group = group, Port = port, Interface = iface }.Validated());
        Assert.Equal(field, e.ParamName);
        Assert.StartsWith(field + "=", e.Message);
    }

    [Fact]
    public void Receive_buffer_size_outside_the_range_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new UdpOptions { ReceiveBufferBytes = 1024 }.Validated());
        Assert.Equal("ReceiveBufferBytes", e.ParamName);
        Assert.Equal("MaxDatagramBytes", Assert.Throws<ArgumentException>(() => new UdpOptions { MaxDatagramBytes = 10 }.Validated()).ParamName);
    }
}
