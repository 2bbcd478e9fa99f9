using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Wirespeed.Feeds.Sim;
using Xunit;

namespace Wirespeed.Tests.Feeds.Sim;

public class MoldPacketWriterTests
{
    private static ulong Seq(ReadOnlySpan<byte> p) => BinaryPrimitives.ReadUInt64BigEndian(p.Slice(10));
    private static ushort Count(ReadOnlySpan<byte> p) => BinaryPrimitives.ReadUInt16BigEndian(p.Slice(18));

    /// <summary>Walks the message blocks; returns their lengths and checks they fill the packet exactly.</summary>
    private static List<int> Blocks(ReadOnlySpan<byte> p)
    {
        var lengths = new List<int>();
        int o = MoldPacketWriter.HeaderLength;
        while (o < p.Length)
        {
            int len = BinaryPrimitives.ReadUInt16BigEndian(p.Slice(o));
            lengths.Add(len);
            o += 2 + len;
        }
        Assert.Equal(p.Length, o);
        return lengths;
    }

    [Fact]
    public void Header_holds_session_first_sequence_and_count()
    {
        var w = new MoldPacketWriter("ABC", firstSequence: 41);
        var msg = new byte[19];
        ItchMessageWriter.OrderDelete(msg, 1, 0, 5, 99);
        Assert.True(w.TryAppend(msg));
        Assert.True(w.TryAppend(msg));
        ReadOnlySpan<byte> p = w.Flush();
        Assert.Equal("ABC       ", System.Text.Encoding.ASCII.GetString(p.Slice(0, 10)));
        Assert.Equal(41UL, Seq(p));
        Assert.Equal(2, Count(p));
        Assert.Equal(20 + 2 * (2 + 19), p.Length);
        Assert.Equal(19, BinaryPrimitives.ReadUInt16BigEndian(p.Slice(20)));
        Assert.Equal(msg, p.Slice(22, 19).ToArray());
        Assert.Equal(43UL, w.NextSequence);
    }

    [Theory]
    [InlineData(1400)]
    [InlineData(576)]
    [InlineData(100)]
    public void Sequences_are_contiguous_across_packets_and_the_payload_ceiling_holds(int maxPayload)
    {
        var sim = new ExchangeSimulator(new SimulatorOptions { Seed = 7, Instruments = 8, Sectors = 2 });
        var feed = new SimFeed(sim, maxPayload: maxPayload, endAfterMessages: 20_000);
        ulong expected = 1;
        long messages = 0;
        int packets = 0;
        bool sawEnd = false;
        for (int guard = 0; guard < 100_000 && !sawEnd; guard++)
        {
            ReadOnlySpan<byte> p = feed.NextPacket();
            Assert.False(p.IsEmpty);
            Assert.True(p.Length <= maxPayload, $"packet of {p.Length} bytes exceeds {maxPayload}");
            Assert.Equal(expected, Seq(p));
            ushort count = Count(p);
            if (count == MoldPacketWriter.EndOfSessionCount)
            {
                Assert.Equal(MoldPacketWriter.HeaderLength, p.Length);
                sawEnd = true;
                break;
            }
            var blocks = Blocks(p);
            Assert.Equal(count, blocks.Count);
            // Packed: the next message would not have fitted (or the simulator ran dry at the end of the session).
            expected += count;
            messages += count;
            packets++;
        }
        Assert.True(sawEnd);
        Assert.Equal(sim.MessagesEmitted, messages);
        Assert.True(messages > 20_000);
        Assert.True(packets > messages / 60, "packets carry several messages but never beyond the ceiling");
    }

    [Fact]
    public void Packets_are_filled_until_the_next_message_does_not_fit()
    {
        var w = new MoldPacketWriter("S", maxPayload: 100);
        var msg = new byte[36];
        Assert.True(w.TryAppend(msg));   // 20 + 38 = 58
        Assert.True(w.TryAppend(msg));   // 96
        Assert.False(w.TryAppend(msg));  // 134 > 100
        Assert.True(w.Reserve(36).IsEmpty);
        Assert.Equal(2, w.PendingCount);
        Assert.Equal(96, w.Flush().Length);
        Assert.True(w.TryAppend(msg));
    }

    [Fact]
    public void Message_limit_per_packet_is_respected()
    {
        var w = new MoldPacketWriter("S", maxMessagesPerPacket: 3);
        var msg = new byte[12];
        for (int i = 0; i < 3; i++) Assert.True(w.TryAppend(msg));
        Assert.False(w.TryAppend(msg));
        Assert.Equal(3, Count(w.Flush()));
    }

    [Fact]
    public void Heartbeat_and_end_of_session_carry_the_next_sequence_and_no_messages()
    {
        var w = new MoldPacketWriter("HB", firstSequence: 10);
        w.TryAppend(new byte[12]);
        w.Flush();
        ReadOnlySpan<byte> hb = w.Heartbeat();
        Assert.Equal(20, hb.Length);
        Assert.Equal(11UL, Seq(hb));
        Assert.Equal(0, Count(hb));
        ReadOnlySpan<byte> end = w.EndOfSession();
        Assert.Equal(20, end.Length);
        Assert.Equal(11UL, Seq(end));
        Assert.Equal(0xFFFF, Count(end));
        Assert.Equal(11UL, w.NextSequence);
    }

    [Fact]
    public void Heartbeat_with_messages_pending_is_refused()
    {
        var w = new MoldPacketWriter("HB");
        w.TryAppend(new byte[12]);
        Assert.Throws<InvalidOperationException>(() => w.Heartbeat().Length);
    }

    [Fact]
    public void Bad_settings_are_refused_with_the_setting_named()
    {
        Assert.Contains("longer than the 10", Assert.Throws<ArgumentException>(() => new MoldPacketWriter("ELEVENCHARS")).Message);
        Assert.Equal("maxPayload", Assert.Throws<ArgumentOutOfRangeException>(() => new MoldPacketWriter("S", maxPayload: 10)).ParamName);
        Assert.Equal("maxMessagesPerPacket", Assert.Throws<ArgumentOutOfRangeException>(() => new MoldPacketWriter("S", maxMessagesPerPacket: 0xFFFF)).ParamName);
    }

    [Fact]
    public void Timestamps_of_every_block_can_be_patched_before_sending()
    {
        var w = new MoldPacketWriter("T");
        var m = new byte[36];
        ItchMessageWriter.AddOrder(m, 1, 0, 1, 1, (byte)'B', 100, 0, 100);
        w.TryAppend(m);
        ItchMessageWriter.OrderDelete(m, 1, 0, 1, 1);
        w.TryAppend(m.AsSpan(0, 19));
        MoldPacketWriter.PatchTimestamps(w.PendingBlocks, 0x0000_ABCD_0000_0001);
        ReadOnlySpan<byte> p = w.Flush();
        Assert.Equal(0xABCD_0000_0001UL, (ulong)BinaryPrimitives.ReadUInt16BigEndian(p.Slice(22 + 5)) << 32 | BinaryPrimitives.ReadUInt32BigEndian(p.Slice(22 + 7)));
        int second = 22 + 36 + 2;
        Assert.Equal(0xABCDu, BinaryPrimitives.ReadUInt16BigEndian(p.Slice(second + 5)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32BigEndian(p.Slice(second + 7)));
    }
}
