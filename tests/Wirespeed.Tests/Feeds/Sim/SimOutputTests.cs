using Wirespeed.Core.Recording;
using System;
using System.Buffers.Binary;
using System.IO;
using System.Net;
using Wirespeed.Core.Ingress;
using Wirespeed.Feeds.Sim;
using Xunit;

namespace Wirespeed.Tests.Feeds.Sim;

public class SimOutputTests
{
    private struct CheckingHandler : IPacketHandler
    {
        public long Packets;
        public long Bytes;
        public ulong NextSequence;
        public long BadSequences;
        public long LastRx;

        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
        {
            ulong seq = BinaryPrimitives.ReadUInt64BigEndian(payload.Slice(10));
            ushort count = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(18));
            if (NextSequence != 0 && seq != NextSequence) BadSequences++;
            if (count != 0xFFFF) NextSequence = seq + count;
            Packets++;
            Bytes += payload.Length;
            LastRx = info.ReceiveTimestampNs;
        }
    }

    [Fact]
    public void In_process_source_delivers_contiguous_packets_with_zero_allocation_after_warm_up()
    {
        var source = new SimPacketSource(new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 4, Scenario = SimScenario.FlashCrash })), lineId: 3);
        var handler = new CheckingHandler();
        for (int k = 0; k < 2_000; k++) source.Poll(ref handler, 16);   // warm-up: JIT tiers, start of day
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 20_000; k++) source.Poll(ref handler, 16);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(22_000L * 16, handler.Packets);
        Assert.Equal(0, handler.BadSequences);
        Assert.True(handler.LastRx > 0);
        Assert.True(source.Feed.MessagesPacked > handler.Packets * 10, "packets carry many messages");
    }

    [Fact]
    public void In_process_source_ends_with_the_end_of_session_packet_and_then_delivers_nothing()
    {
        var source = new SimPacketSource(new SimFeed(new ExchangeSimulator(new SimulatorOptions { Instruments = 4, Sectors = 2 }), endAfterMessages: 5_000));
        var handler = new CheckingHandler();
        for (int k = 0; k < 10_000 && !source.IsExhausted; k++) source.Poll(ref handler, 8);
        Assert.True(source.IsExhausted);
        Assert.Equal(0, source.Poll(ref handler, 8));
        Assert.Equal(0, handler.BadSequences);
        Assert.Equal((ulong)source.Feed.MessagesPacked + 1, handler.NextSequence);
    }

    [Fact]
    public void Feed_heartbeat_carries_the_next_sequence_between_data_packets()
    {
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Instruments = 4, Sectors = 2 }));
        ReadOnlySpan<byte> first = feed.NextPacket();
        ulong next = BinaryPrimitives.ReadUInt64BigEndian(first.Slice(10)) + BinaryPrimitives.ReadUInt16BigEndian(first.Slice(18));
        ReadOnlySpan<byte> hb = feed.Heartbeat();
        Assert.Equal(20, hb.Length);
        Assert.Equal(next, BinaryPrimitives.ReadUInt64BigEndian(hb.Slice(10)));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(hb.Slice(18)));
        Assert.Equal(next, BinaryPrimitives.ReadUInt64BigEndian(feed.NextPacket().Slice(10)));
    }

    [Fact]
    public void Realtime_mode_stamps_ns_since_utc_midnight_at_send()
    {
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions()), timestampMode: SimTimestampMode.Realtime);
        long now = Wirespeed.Core.Time.RealtimeClock.NowNs();
        long sinceMidnight = now - Wirespeed.Core.Time.RealtimeClock.MidnightUtcNs(now);
        ReadOnlySpan<byte> p = feed.NextPacket();
        long ts = (long)BinaryPrimitives.ReadUInt16BigEndian(p.Slice(22 + 5)) << 32 | BinaryPrimitives.ReadUInt32BigEndian(p.Slice(22 + 7));
        Assert.InRange(ts - sinceMidnight, -1_000_000, 1_000_000_000); // within a second (midnight rollover aside)
    }

    [Fact]
    public void Itch_file_holds_every_message_with_its_length_prefix()
    {
        var o = new SimulatorOptions { Seed = 8, Instruments = 6, Sectors = 2 };
        using var ms = new MemoryStream();
        var writer = new ItchFileWriter(ms);
        var sink = new ItchFileSink(writer);
        var feed = new SimFeed(new ExchangeSimulator(o), endAfterMessages: 3_000);
        for (int k = 0; k < 10_000 && !feed.Ended; k++)
        {
            ReadOnlySpan<byte> p = feed.NextPacket();
            sink.OnPacket(p, feed.LastTimestampNs);
        }
        writer.Flush();

        // The same seed, message by message, must match the file's records.
        var sim = new ExchangeSimulator(o);
        var buf = new byte[64];
        byte[] file = ms.ToArray();
        int off = 0;
        long records = 0;
        while (off < file.Length)
        {
            int len = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(off));
            if (sim.MessagesEmitted >= 3_000) sim.EndSession();
            int n = sim.NextMessage(buf);
            Assert.Equal(n, len);
            Assert.Equal(buf.AsSpan(0, n).ToArray(), file.AsSpan(off + 2, len).ToArray());
            off += 2 + len;
            records++;
        }
        Assert.Equal(0, sim.NextMessage(buf));
        Assert.Equal(writer.Messages, records);
    }

    [Fact]
    public void Pcap_frames_carry_valid_ipv4_udp_headers_around_the_mold_packets()
    {
        using var ms = new MemoryStream();
        var dst = new IPEndPoint(IPAddress.Parse("239.1.2.3"), 26400);
        var writer = new PcapWriter(ms, new IPEndPoint(IPAddress.Loopback, 40000), dst);
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Instruments = 4, Sectors = 2 }));
        var packets = new System.Collections.Generic.List<byte[]>();
        for (int k = 0; k < 5; k++)
        {
            ReadOnlySpan<byte> p = feed.NextPacket();
            packets.Add(p.ToArray());
            writer.Write(p, feed.LastTimestampNs);
        }
        byte[] f = ms.ToArray();
        Assert.Equal(0xA1B23C4Du, BinaryPrimitives.ReadUInt32LittleEndian(f));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(20)));
        int off = 24;
        foreach (byte[] p in packets)
        {
            int incl = (int)BinaryPrimitives.ReadUInt32LittleEndian(f.AsSpan(off + 8));
            Assert.Equal(14 + 20 + 8 + p.Length, incl);
            ReadOnlySpan<byte> frame = f.AsSpan(off + 16, incl);
            Assert.Equal(new byte[] { 0x01, 0x00, 0x5E, 0x01, 0x02, 0x03 }, frame.Slice(0, 6).ToArray());
            Assert.Equal(0x0800, BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(12)));
            ReadOnlySpan<byte> ip = frame.Slice(14, 20);
            Assert.Equal(0x45, ip[0]);
            Assert.Equal(20 + 8 + p.Length, BinaryPrimitives.ReadUInt16BigEndian(ip.Slice(2)));
            Assert.Equal(17, ip[9]);
            Assert.Equal(0, PcapWriter.Ipv4Checksum(ip)); // a correct header sums to 0xFFFF, complemented 0
            Assert.Equal(new byte[] { 239, 1, 2, 3 }, ip.Slice(16, 4).ToArray());
            ReadOnlySpan<byte> udp = frame.Slice(34, 8);
            Assert.Equal(40000, BinaryPrimitives.ReadUInt16BigEndian(udp));
            Assert.Equal(26400, BinaryPrimitives.ReadUInt16BigEndian(udp.Slice(2)));
            Assert.Equal(8 + p.Length, BinaryPrimitives.ReadUInt16BigEndian(udp.Slice(4)));
            Assert.Equal(p, frame.Slice(42).ToArray());
            off += 16 + incl;
        }
        Assert.Equal(f.Length, off);
    }

    [Theory]
    [InlineData(50_000)]
    [InlineData(300_000)]
    public void Paced_emitter_never_runs_ahead_of_the_target_rate_and_reports_when_it_falls_behind(double rate)
    {
        // Pacing, not speed (speed is for benchmarks): it may never send faster than the target; if this machine cannot
        // generate that fast (a coverage run, a loaded host) it must say so through its backlog instead of hiding it.
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 12 }));
        var sink = new CountingSink();
        long messages = (long)(rate * 0.4); // 0.4 s at the target rate
        var r = PacedEmitter.Run(feed, ref sink, rate, messages, TimeSpan.FromSeconds(3), stop: TestContext.Current.CancellationToken);
        Assert.Equal(PacedRunEnd.MessageLimit, r.EndedBy);
        Assert.True(r.Messages >= messages);
        Assert.Equal(r.Packets, sink.Packets);
        Assert.True(r.AchievedMessagesPerSecond / rate <= 1.15, $"ran ahead: {r.AchievedMessagesPerSecond:F0}/s against {rate:F0}/s");
        if (r.AchievedMessagesPerSecond / rate < 0.85)
            Assert.True(r.MaxBacklogMessages > rate * 0.001, $"{r.AchievedMessagesPerSecond:F0}/s against {rate:F0}/s with a backlog of only {r.MaxBacklogMessages}");
        Assert.True(r.Sleeps > 0, "it waits by sleeping, not spinning");
        Assert.True(r.Packets < r.Messages, "several messages per packet");
    }

    [Fact]
    public void Paced_emitter_stops_at_its_time_limit()
    {
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions()));
        var sink = new CountingSink();
        var r = PacedEmitter.Run(feed, ref sink, 10_000, long.MaxValue, TimeSpan.FromMilliseconds(200), stop: TestContext.Current.CancellationToken);
        Assert.Equal(PacedRunEnd.TimeLimit, r.EndedBy);
        Assert.InRange(r.ElapsedSeconds, 0.19, 1.5);
        Assert.InRange(r.Messages, 1_000, 4_000);
    }
}
