using System;
using System.Text;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Mold.Rerequest;
using Xunit;

namespace Wirespeed.Tests.Feeds.Mold.Rerequest;

/// <summary>MoldUDP64 1.00 "Request Packets": session (10), sequence (u64 BE), count (u16 BE).</summary>
public sealed class MoldRequestPacketTests
{
    private static readonly byte[] Session = Encoding.ASCII.GetBytes("000123456A");

    [Fact]
    public void Request_round_trips_big_endian_at_the_spec_offsets()
    {
        var p = new byte[MoldRequestPacket.Length];
        Assert.Equal(20, MoldRequestPacket.Write(p, Session, 0x0102030405060708, 0x0A0B));
        Assert.Equal("000123456A", Encoding.ASCII.GetString(p, 0, 10));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 0x0A, 0x0B }, p[10..]);
        Assert.Equal(DecodeStatus.Ok, MoldRequestPacket.TryRead(p, out var s, out ulong seq, out ushort count));
        Assert.True(s.SequenceEqual(Session));
        Assert.Equal(0x0102030405060708UL, seq);
        Assert.Equal((ushort)0x0A0B, count);
    }

    [Theory]
    [InlineData(19, 1UL, (ushort)1, DecodeStatus.Truncated)]
    [InlineData(21, 1UL, (ushort)1, DecodeStatus.BadLength)]
    [InlineData(20, 1UL, (ushort)0, DecodeStatus.BadLength)]
    [InlineData(20, 1UL, (ushort)0xFFFF, DecodeStatus.BadLength)]
    [InlineData(20, 0UL, (ushort)1, DecodeStatus.BadLength)]
    [InlineData(20, ulong.MaxValue, (ushort)2, DecodeStatus.BadLength)]
    public void Bad_requests_are_refused_with_a_status(int length, ulong sequence, ushort count, DecodeStatus expected)
    {
        var p = new byte[Math.Max(length, 20)];
        MoldRequestPacket.Write(p, Session, sequence, count);
        Assert.Equal(expected, MoldRequestPacket.TryRead(p.AsSpan(0, length), out _, out _, out _));
    }

    [Fact]
    public void Writing_checks_the_buffer_and_the_session()
    {
        Assert.Throws<ArgumentException>(() => MoldRequestPacket.Write(new byte[19], Session, 1, 1));
        Assert.Throws<ArgumentException>(() => MoldRequestPacket.Write(new byte[20], Session.AsSpan(0, 9), 1, 1));
    }
}
