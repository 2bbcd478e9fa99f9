using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using Wirespeed.Core.Events;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Replay;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Feeds.Replay;

public sealed class ItchFileSourceTests
{
    private static readonly (char Type, int Count)[] ArtificialCounts =
    {
        ('S', 6), ('R', 3), ('H', 3), ('A', 4997), ('F', 3), ('E', 198), ('X', 45), ('D', 1745), ('U', 12), ('P', 5000),
    };

    private struct KindCounter : IEventHandler
    {
        public long[] ByKind;
        public long LastSequence;
        public bool Ordered;
        public void OnEvent(ref MarketEvent evt)
        {
            ByKind[(int)evt.Kind]++;
            Ordered &= (long)evt.Sequence == LastSequence + 1;
            LastSequence = (long)evt.Sequence;
        }
    }

    [Fact]
    public void Artificial_three_stock_file_reads_every_message_with_the_documented_counts()
    {
        var source = ItchFileSource.Open(SharedData.Path("itch/artificial-3-stocks.itch50"));
        var byType = new long[256];
        var symbols = new HashSet<string>();
        while (source.TryRead(out ReadOnlySpan<byte> m) == DecodeStatus.Ok)
        {
            Assert.Equal(DecodeStatus.Ok, ItchDecoder.Validate(m));
            byType[m[0]]++;
            if (ItchStockDirectory.TryRead(m, out var dir) == DecodeStatus.Ok) symbols.Add(System.Text.Encoding.ASCII.GetString(dir.Stock));
        }
        Assert.Equal(DecodeStatus.End, source.TryRead(out _));
        foreach (var (type, count) in ArtificialCounts) Assert.Equal(count, byType[type]);
        Assert.Equal(12_012, source.Counters.Messages);
        Assert.Equal(new FileInfo(SharedData.Path("itch/artificial-3-stocks.itch50")).Length, source.Length);
        Assert.Equal(source.Length, source.Offset);
        Assert.Equal(0, source.Counters.TruncatedTail + source.Counters.ZeroLength + source.Counters.UnframedBytes);
        Assert.Equal(new HashSet<string> { "ALC", "BOB", "CHAR" }, symbols);
    }

    [Fact]
    public void Artificial_file_through_the_packet_path_decodes_every_message_in_sequence()
    {
        var source = ItchFileSource.Open(SharedData.Path("itch/artificial-3-stocks.itch50"), "ARTIFICIAL", lineId: 2);
        var decoder = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { InitialSequence = 1 } });
        var adapter = new ItchPacketHandler<KindCounter>(decoder, new KindCounter { ByKind = new long[32], Ordered = true });
        int polled;
        while ((polled = source.Poll(ref adapter, 1000)) > 0) Assert.True(polled <= 1000);
        Assert.Equal(12_012, adapter.Events);
        Assert.True(adapter.Handler.Ordered);
        Assert.Equal(12_012, adapter.Handler.LastSequence);
        foreach (var (type, count) in ArtificialCounts) Assert.Equal(count, decoder.Counters.Of(type));
        Assert.Equal(4997 + 3, adapter.Handler.ByKind[(int)EventKind.AddOrder]);
        Assert.Equal(5000, adapter.Handler.ByKind[(int)EventKind.Trade]);
        Assert.Equal(3, adapter.Handler.ByKind[(int)EventKind.Reference]);
        Assert.Equal(0, decoder.MoldCounters.GapMessages + decoder.MoldCounters.DuplicateMessages);
        Assert.False(decoder.Session.IsStale);
        Assert.Equal("ARTIFICIAL", System.Text.Encoding.ASCII.GetString(decoder.Session.SessionId));
        source.Rewind();
        Assert.False(source.IsAtEnd);
        Assert.Equal(0, source.Offset);
    }

    private static byte[] File(params byte[][] messages)
    {
        var ms = new MemoryStream();
        foreach (byte[] m in messages)
        {
            ms.WriteByte((byte)(m.Length >> 8));
            ms.WriteByte((byte)m.Length);
            ms.Write(m);
        }
        return ms.ToArray();
    }

    [Fact]
    public void Truncated_tail_is_counted_and_ends_the_file_without_throwing()
    {
        byte[] data = File(Itch.ItchTestData.Delete(1), Itch.ItchTestData.Delete(2));
        var source = new ItchFileSource(data.AsSpan(0, data.Length - 5).ToArray());
        Assert.Equal(DecodeStatus.Ok, source.TryRead(out _));
        Assert.Equal(DecodeStatus.Truncated, source.TryRead(out _));
        Assert.Equal(DecodeStatus.End, source.TryRead(out _));
        Assert.Equal(1, source.Counters.TruncatedTail);
        Assert.Equal(21 - 5, source.Counters.UnframedBytes);

        var oneByte = new ItchFileSource(new byte[] { 0 });
        Assert.Equal(DecodeStatus.Truncated, oneByte.TryRead(out _));
        Assert.Equal(1, oneByte.Counters.UnframedBytes);
    }

    [Fact]
    public void Zero_length_prefix_stops_framing_and_counts_the_rest()
    {
        byte[] data = File(Itch.ItchTestData.Delete(1), Array.Empty<byte>(), Itch.ItchTestData.Delete(2));
        var source = new ItchFileSource(data);
        Assert.Equal(DecodeStatus.Ok, source.TryRead(out _));
        Assert.Equal(DecodeStatus.BadLength, source.TryRead(out _));
        Assert.True(source.IsAtEnd);
        Assert.Equal(1, source.Counters.ZeroLength);
        Assert.Equal(2 + 2 + 19, source.Counters.UnframedBytes);
    }

    [Fact]
    public void Packet_path_wraps_each_message_in_a_one_message_mold_packet()
    {
        byte[] data = File(Itch.ItchTestData.Delete(7, ts: 123));
        var source = new ItchFileSource(data, "SESSIONNAMETOOLONG");
        var h = new Capture();
        Assert.Equal(1, source.Poll(ref h, 10));
        Assert.Equal(0, source.Poll(ref h, 10));
        var reader = new MoldPacketReader(h.Last!);
        Assert.Equal("SESSIONNAM", System.Text.Encoding.ASCII.GetString(reader.Session));
        Assert.Equal(1UL, reader.Sequence);
        Assert.Equal(1, reader.Count);
        Assert.Equal(DecodeStatus.Ok, reader.TryRead(out ReadOnlySpan<byte> m));
        Assert.Equal(7UL, BinaryPrimitives.ReadUInt64BigEndian(m.Slice(11)));
        Assert.Equal(123, h.Rx);

        // A message too short for a timestamp still travels (the decoder rejects it); its receive time is 0.
        var tiny = new ItchFileSource(File(new byte[] { (byte)'D', 1, 2 }));
        Assert.Equal(1, tiny.Poll(ref h, 10));
        Assert.Equal(0, h.Rx);
        Assert.Equal(3 + 22, h.Last!.Length);
    }

    private struct Capture : Wirespeed.Core.Ingress.IPacketHandler
    {
        public byte[]? Last;
        public long Rx;
        public void OnPacket(ReadOnlySpan<byte> payload, in Wirespeed.Core.Ingress.PacketInfo info) { Last = payload.ToArray(); Rx = info.ReceiveTimestampNs; }
    }
}
