using System;
using System.Buffers.Binary;
using Wirespeed.Core.Recording;
using Wirespeed.Feeds.Itch;
using Xunit;
using static Wirespeed.Tests.Feeds.Itch.ItchTestData;

namespace Wirespeed.Tests.Feeds.Itch;

/// <summary>Each malformed shape is counted under its own cause, quarantined, and never throws.</summary>
public sealed class MalformedPacketTests
{
    private readonly QuarantineRing _q = new(16, 2048);
    private ItchFeedDecoder NewDecoder() => new(quarantine: _q);

    [Fact]
    public void Packet_shorter_than_the_header_is_counted_as_truncated_header()
    {
        var d = NewDecoder();
        Assert.Empty(DecodeAll(d, new byte[19]));
        Assert.Empty(DecodeAll(d, Array.Empty<byte>()));
        Assert.Equal(2, d.MoldCounters.TruncatedHeader);
        Assert.False(d.Session.IsEstablished);
        Assert.Equal(2, _q.Count);
        Assert.Equal((byte)DecodeStatus.Truncated, _q.Get(0, out var raw, out _).Status);
        Assert.Equal(19, raw.Length);
    }

    [Fact]
    public void Zero_length_block_loses_framing_and_reports_the_rest_as_a_gap()
    {
        var d = NewDecoder();
        byte[] p = Packet("S", 1, Delete(1), Delete(2), Delete(3));
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(20 + 21), 0); // second block's prefix
        var events = DecodeAll(d, p);
        Assert.Single(events);
        Assert.Equal(1, d.MoldCounters.ZeroLengthBlocks);
        Assert.Equal(2, d.MoldCounters.UnframedMessages);
        Assert.Equal(2, d.MoldCounters.GapMessages);
        Assert.Equal(0, d.MoldCounters.GapPackets);
        Assert.True(d.Session.IsStale);
        Assert.True(d.Session.TryTakeGap(out MoldGap g));
        Assert.Equal((2UL, 2UL), (g.FirstMissing, g.Count));
        Assert.Equal(4UL, d.Session.NextExpected); // the header's count is authoritative
        Assert.Equal((byte)DecodeStatus.BadLength, _q.Get(0, out _, out _).Status);
    }

    [Fact]
    public void Block_longer_than_the_rest_of_the_packet_is_an_overrun()
    {
        var d = NewDecoder();
        byte[] p = Packet("S", 1, Delete(1), Delete(2));
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(20 + 21), 200);
        Assert.Single(DecodeAll(d, p));
        Assert.Equal(1, d.MoldCounters.OverrunBlocks);
        Assert.Equal(1, d.MoldCounters.UnframedMessages);
    }

    [Fact]
    public void Packet_ending_before_its_counted_blocks_is_truncated()
    {
        var d = NewDecoder();
        byte[] p = Packet(Session("S"), 1, 3, Delete(1)); // header says 3, carries 1
        Assert.Single(DecodeAll(d, p));
        Assert.Equal(1, d.MoldCounters.TruncatedPackets);
        Assert.Equal(2, d.MoldCounters.UnframedMessages);

        byte[] torn = Packet("S", 4, Delete(4), Delete(5));
        Array.Resize(ref torn, torn.Length - 20); // cut inside the second length prefix
        Assert.Single(DecodeAll(d, torn));
        Assert.Equal(2, d.MoldCounters.TruncatedPackets);
    }

    [Fact]
    public void Unknown_type_is_dropped_and_quarantined_and_the_next_message_still_decodes()
    {
        var d = NewDecoder();
        byte[] odd = Delete(2);
        odd[0] = (byte)'Z';
        var events = DecodeAll(d, Packet("S", 1, Delete(1), odd, Delete(3)));
        Assert.Equal(new ulong[] { 1, 3 }, new[] { events[0].Sequence, events[1].Sequence });
        Assert.Equal(1, d.Counters.UnknownType);
        Assert.False(d.Session.IsStale); // the message arrived; it is not a gap
        var r = _q.Get(0, out ReadOnlySpan<byte> raw, out _);
        Assert.Equal(ItchFeedDecoder.QuarantineSourceItch, r.Source);
        Assert.Equal((byte)DecodeStatus.UnknownType, r.Status);
        Assert.Equal(2UL, r.Sequence);
        Assert.Equal(odd, raw.ToArray());
    }

    [Fact]
    public void Wrong_length_for_the_type_is_bad_length_shorter_or_longer()
    {
        var d = NewDecoder();
        byte[] longer = new byte[20];
        Delete(2).CopyTo(longer, 0);
        byte[] shorter = Delete(3).AsSpan(0, 18).ToArray();
        var events = DecodeAll(d, Packet("S", 1, Delete(1), longer, shorter, Delete(4)));
        Assert.Equal(2, events.Count);
        Assert.Equal(2, d.Counters.BadLength);
        Assert.Equal(2, _q.Count);
    }

    [Fact]
    public void Bytes_after_the_counted_blocks_are_counted_and_the_messages_still_delivered()
    {
        var d = NewDecoder();
        byte[] p = Packet(Session("S"), 1, 1, Delete(1), Delete(2));
        Assert.Single(DecodeAll(d, p));
        Assert.Equal(1, d.MoldCounters.TrailingBytesPackets);
        Assert.Equal((byte)DecodeStatus.TrailingBytes, _q.Get(0, out _, out _).Status);
    }

    [Fact]
    public void Output_span_too_small_counts_the_overflow_and_reports_it_as_loss()
    {
        var d = NewDecoder();
        var output = new Wirespeed.Core.Events.MarketEvent[2];
        var info = Info();
        int n = d.Decode(Packet("S", 1, Delete(1), Delete(2), Delete(3)), in info, output);
        Assert.Equal(2, n);
        Assert.Equal(1, d.Counters.OutputFull);
        Assert.True(d.Session.TryTakeGap(out MoldGap g));
        Assert.Equal((3UL, 1UL), (g.FirstMissing, g.Count));
        Assert.Equal(2, d.Counters.Messages);
    }

    [Fact]
    public void Quarantine_listing_names_each_cause()
    {
        var d = NewDecoder();
        DecodeAll(d, new byte[3]);
        byte[] odd = Delete(1); odd[0] = (byte)'z';
        DecodeAll(d, Packet("S", 1, odd));
        var text = new System.IO.StringWriter();
        _q.WriteListing(text, ItchFeedDecoder.Describe);
        string s = text.ToString();
        Assert.Contains("MoldUDP64 Truncated", s);
        Assert.Contains("ITCH UnknownType", s);
        Assert.Contains("distinct errors: 2", s);
        Assert.Equal("source 1 status 200", ItchFeedDecoder.Describe(1, 200));
    }
}
