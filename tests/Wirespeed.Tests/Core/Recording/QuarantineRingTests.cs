using System;
using System.Collections.Generic;
using System.IO;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Recording;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Replay;
using Xunit;

namespace Wirespeed.Tests.Core.Recording;

public sealed class QuarantineRingTests
{
    private static byte[] Bytes(int n, byte fill) { var b = new byte[n]; Array.Fill(b, fill); return b; }

    [Fact]
    public void Full_ring_overwrites_the_oldest_and_counts_it()
    {
        var q = new QuarantineRing(capacity: 3, maxBytes: 8);
        for (byte i = 1; i <= 5; i++) q.Capture(Bytes(4, i), "S"u8, i, 1, 2, i * 10, 0);
        Assert.Equal(3, q.Count);
        Assert.Equal(5, q.Captured);
        Assert.Equal(2, q.Overwritten);
        for (int i = 0; i < 3; i++)
        {
            var r = q.Get(i, out ReadOnlySpan<byte> raw, out ReadOnlySpan<byte> session);
            Assert.Equal((ulong)(i + 3), r.Sequence);
            Assert.Equal((i + 3) * 10, r.ReceiveTimestampNs);
            Assert.Equal(Bytes(4, (byte)(i + 3)), raw.ToArray());
            Assert.Equal("S"u8.ToArray(), session.ToArray());
        }
        Assert.Throws<ArgumentException>(() => q.Get(3, out _, out _));
    }

    [Fact]
    public void Long_data_is_truncated_to_the_configured_maximum_and_keeps_its_original_length()
    {
        var q = new QuarantineRing(capacity: 2, maxBytes: 8);
        q.Capture(Bytes(20, 7), new byte[30], 1, 1, 2, 0, 4);
        var r = q.Get(0, out ReadOnlySpan<byte> raw, out ReadOnlySpan<byte> session);
        Assert.Equal(20, r.OriginalLength);
        Assert.Equal(8, r.CapturedLength);
        Assert.Equal(8, raw.Length);
        Assert.Equal(QuarantineRing.MaxSessionBytes, session.Length);
        Assert.Equal(4, r.LineId);
        Assert.Equal(1, q.Truncated);
    }

    [Fact]
    public void Repeated_causes_are_stored_once_with_a_count()
    {
        var q = new QuarantineRing(capacity: 2, maxBytes: 8, distinctErrors: 2);
        q.Capture("A"u8, default, 0, (byte)'M', 4, 100, 0);
        q.Capture("A"u8, default, 0, (byte)'M', 4, 200, 0);
        q.Capture("B"u8, default, 0, (byte)'I', 3, 300, 0);
        q.Capture("C"u8, default, 0, (byte)'I', 3, 400, 0); // third distinct key: table full
        q.Capture(ReadOnlySpan<byte>.Empty, default, 0, (byte)'M', 4, 500, 0); // first byte 0: another key, also unrecorded
        DistinctErrorLog e = q.Errors;
        Assert.Equal(2, e.Distinct);
        Assert.Equal(5, e.Total);
        Assert.Equal(2, e.Unrecorded);
        uint keyA = (byte)'M' | (4u << 8) | ((uint)'A' << 16);
        Assert.Equal(2, e.CountOf(keyA));
        Assert.Equal(0, e.CountOf(12345));
        var (key, count, first, last) = e.Entry(0);
        Assert.Equal((keyA, 2L, 100L, 200L), (key, count, first, last));
        var w = new StringWriter();
        e.WriteListing(w);
        Assert.Contains("count 2, first 100 ns, last 200 ns", w.ToString());
        Assert.Throws<ArgumentException>(() => e.Entry(2));
    }

    [Fact]
    public void Capture_allocates_nothing()
    {
        var q = new QuarantineRing(capacity: 16, maxBytes: 64);
        byte[] data = Bytes(100, 1);
        byte[] session = Bytes(10, 2);
        for (int i = 0; i < 100; i++) q.Capture(data, session, (ulong)i, 1, (byte)(i % 3), i, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) q.Capture(data, session, (ulong)i, 1, (byte)(i % 3), i, 0);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private struct Collect : IPacketHandler
    {
        public List<(byte[] Payload, long Rx)> Got;
        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info) => Got.Add((payload.ToArray(), info.ReceiveTimestampNs));
    }

    [Fact]
    public void Pcap_dump_replays_the_rejected_packets_byte_for_byte()
    {
        var q = new QuarantineRing(capacity: 4, maxBytes: 1500);
        var decoder = new ItchFeedDecoder(quarantine: q);
        byte[] shortPacket = new byte[7] { 1, 2, 3, 4, 5, 6, 7 };
        byte[] odd = Wirespeed.Tests.Feeds.Itch.ItchTestData.Delete(1); odd[0] = (byte)'!';
        var info = new PacketInfo(1_700_000_000_000_000_123, 1, PacketSourceKind.Socket);
        var output = new Wirespeed.Core.Events.MarketEvent[4];
        decoder.Decode(shortPacket, in info, output);
        decoder.Decode(Wirespeed.Tests.Feeds.Itch.ItchTestData.Packet("S", 1, odd), in info, output);

        var ms = new MemoryStream();
        q.WritePcap(ms);
        var replay = new PcapSource(ms.ToArray());
        var h = new Collect { Got = new() };
        while (replay.Poll(ref h, 10) > 0) { }
        Assert.Equal(2, h.Got.Count);
        Assert.Equal(shortPacket, h.Got[0].Payload);
        // The ITCH reject was a bare message: the dump puts it back into a one-message MoldUDP64 packet.
        Assert.Equal(Wirespeed.Tests.Feeds.Itch.ItchTestData.Packet("S", 1, odd), h.Got[1].Payload);
        Assert.Equal(1_700_000_000_000_000_123, h.Got[0].Rx);

        // Fed back into a fresh decoder, each is rejected for the same cause again.
        var again = new ItchFeedDecoder();
        again.Decode(h.Got[0].Payload, in info, output);
        Assert.Equal(1, again.MoldCounters.TruncatedHeader);
        again.Decode(h.Got[1].Payload, in info, output);
        Assert.Equal(1, again.Counters.UnknownType);

        var listing = new StringWriter();
        q.WriteListing(listing);
        Assert.Contains("quarantine: 2 held of 4", listing.ToString());
        Assert.Contains("01020304050607", listing.ToString());
        q.Clear();
        Assert.Equal(0, q.Count);
    }

    [Fact]
    public void Pcap_writer_handles_timestamps_before_the_epoch_and_closes_its_stream()
    {
        var ms = new MemoryStream();
        using (var w = new PcapWriter(ms, Endpoint("127.0.0.1", 7), Endpoint("239.0.0.1", 7), midnightEpochNs: 0, ownsStream: true)) w.Write(new byte[] { 1 }, -1);
        Assert.False(ms.CanWrite); // disposed with the writer
        byte[] file = ms.ToArray();
        Assert.Equal(uint.MaxValue, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(24))); // -1 s
        Assert.Equal(999_999_999u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(28)));
    }

    [Fact]
    public void Bad_configuration_names_the_setting()
    {
        Assert.Contains("capacity=0", Assert.Throws<ArgumentException>(() => new QuarantineRing(0, 10)).Message);
        Assert.Contains("maxBytes=0", Assert.Throws<ArgumentException>(() => new QuarantineRing(1, 0)).Message);
        Assert.Contains("capacity=-1", Assert.Throws<ArgumentException>(() => new DistinctErrorLog(-1)).Message);
        Assert.Throws<ArgumentException>(() => new PcapWriter(new MemoryStream(), Endpoint("127.0.0.1", 1), Endpoint("239.0.0.1", 1)).Write(new byte[70000], 0));
    }

    private static System.Net.IPEndPoint Endpoint(string address, int port) => new(System.Net.IPAddress.Parse(address), port);
}
