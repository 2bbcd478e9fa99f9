using System;
using System.Buffers.Binary;
using Wirespeed.Feeds.Itch;
using Xunit;
using static Wirespeed.Tests.Feeds.Itch.ItchTestData;

namespace Wirespeed.Tests.Feeds.Itch;

public sealed class MoldPacketReaderTests
{
    [Fact]
    public void Header_fields_are_read_big_endian_and_blocks_in_order()
    {
        byte[] p = Packet("SESSION001", 0x0102030405060708, Delete(1), Delete(2));
        var r = new MoldPacketReader(p);
        Assert.Equal(DecodeStatus.Ok, r.HeaderStatus);
        Assert.Equal("SESSION001"u8.ToArray(), r.Session.ToArray());
        Assert.Equal(0x0102030405060708UL, r.Sequence);
        Assert.Equal(2, r.Count);
        Assert.Equal(2, r.MessageCount);
        Assert.False(r.IsHeartbeat);
        Assert.False(r.IsEndOfSession);
        Assert.Equal(DecodeStatus.Ok, r.TryRead(out ReadOnlySpan<byte> a));
        Assert.Equal(1, r.BlocksRead);
        Assert.Equal(19, r.LastBlockLength);
        Assert.Equal(DecodeStatus.Ok, r.TryRead(out ReadOnlySpan<byte> b));
        Assert.Equal(1UL, BinaryPrimitives.ReadUInt64BigEndian(a.Slice(11)));
        Assert.Equal(2UL, BinaryPrimitives.ReadUInt64BigEndian(b.Slice(11)));
        Assert.Equal(DecodeStatus.End, r.TryRead(out ReadOnlySpan<byte> none));
        Assert.True(none.IsEmpty);
        Assert.Equal(0, r.Remaining);
    }

    [Fact]
    public void Heartbeat_and_end_of_session_carry_no_messages()
    {
        var hb = new MoldPacketReader(Packet(Session("S"), 5, MoldPacketReader.HeartbeatCount));
        Assert.True(hb.IsHeartbeat);
        Assert.Equal(0, hb.MessageCount);
        Assert.Equal(DecodeStatus.End, hb.TryRead(out _));
        var end = new MoldPacketReader(Packet(Session("S"), 5, MoldPacketReader.EndOfSessionCount));
        Assert.True(end.IsEndOfSession);
        Assert.Equal(0, end.MessageCount);
        Assert.Equal(DecodeStatus.End, end.TryRead(out _));
    }

    [Fact]
    public void Short_header_zero_length_overrun_and_missing_prefix_have_distinct_statuses()
    {
        Assert.Equal(DecodeStatus.Truncated, new MoldPacketReader(new byte[19]).HeaderStatus);
        byte[] p = Packet("S", 1, Delete(1));
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(20), 0);
        var zero = new MoldPacketReader(p);
        Assert.Equal(DecodeStatus.BadLength, zero.TryRead(out _));
        Assert.Equal(0, zero.LastBlockLength);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(20), 20);
        var overrun = new MoldPacketReader(p);
        Assert.Equal(DecodeStatus.BadLength, overrun.TryRead(out _));
        Assert.Equal(20, overrun.LastBlockLength);
        var missing = new MoldPacketReader(p.AsSpan(0, 21));
        Assert.Equal(DecodeStatus.Truncated, missing.TryRead(out _));
        Assert.Equal(-1, missing.LastBlockLength);
    }

    [Fact]
    public void Counters_reset_to_zero()
    {
        var d = new ItchFeedDecoder();
        DecodeAll(d, Packet("S", 1, Delete(1)));
        DecodeAll(d, new byte[2]);
        Assert.Equal(1, d.Counters.Of('D'));
        d.Counters.Reset();
        d.MoldCounters.Reset();
        Assert.Equal(0, d.Counters.Messages + d.Counters.Of('D'));
        Assert.Equal(0, d.MoldCounters.Packets + d.MoldCounters.TruncatedHeader + d.MoldCounters.AnnouncedMessages);
    }

    [Fact]
    public void Same_session_after_end_of_session_keeps_sequencing_and_a_zero_loss_report_is_ignored()
    {
        var d = new ItchFeedDecoder();
        DecodeAll(d, Packet("S", 1, Delete(1)));
        DecodeAll(d, Packet(Session("S"), 2, MoldPacketReader.EndOfSessionCount));
        Assert.Empty(DecodeAll(d, Packet("S", 1, Delete(1)))); // late retransmission of the ended session
        Assert.Equal(1, d.MoldCounters.DuplicatePackets);
        d.Session.ReportLoss(5, 0, 0);
        Assert.Equal(0, d.Session.PendingGaps);
        Assert.Equal(0, d.MoldCounters.SessionChanges);
    }

    [Fact]
    public void Decoder_midnight_epoch_can_roll_between_packets()
    {
        var d = new ItchFeedDecoder(new ItchFeedOptions { MidnightEpochNs = 1000 });
        Assert.Equal(1000 + 5, DecodeAll(d, Packet("S", 1, Delete(1, ts: 5)))[0].ExchangeTimestampNs);
        d.MidnightEpochNs = 2000;
        Assert.Equal(2000 + 5, DecodeAll(d, Packet("S", 2, Delete(2, ts: 5)))[0].ExchangeTimestampNs);
        Assert.Null(d.Quarantine);
    }
}
