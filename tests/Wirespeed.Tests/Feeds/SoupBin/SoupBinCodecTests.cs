using System;
using System.Collections.Generic;
using System.Text;
using Wirespeed.Feeds.SoupBin;
using Xunit;

namespace Wirespeed.Tests.Feeds.SoupBin;

/// <summary>SoupBinTCP 3.00 packet codec: framing across any split, hostile lengths, the login fields.</summary>
public sealed class SoupBinCodecTests
{
    internal struct Collect : ISoupBinPacketHandler
    {
        public List<(char Type, byte[] Payload)> Packets;
        public void OnPacket(byte type, ReadOnlySpan<byte> payload) => Packets.Add(((char)type, payload.ToArray()));
    }

    private struct CountOnly : ISoupBinPacketHandler
    {
        public int Packets;
        public long PayloadBytes;
        public void OnPacket(byte type, ReadOnlySpan<byte> payload)
        {
            Packets++;
            PayloadBytes += payload.Length;
        }
    }

    private static byte[] Stream(params byte[][] packets)
    {
        var all = new List<byte>();
        foreach (var p in packets) all.AddRange(p);
        return all.ToArray();
    }

    private static byte[] Sequenced(string text)
    {
        var buf = new byte[3 + text.Length];
        Assert.Equal(buf.Length, SoupBinWriter.SequencedData(buf, Encoding.ASCII.GetBytes(text)));
        return buf;
    }

    private static byte[] Empty(byte type)
    {
        var buf = new byte[3];
        Assert.Equal(3, SoupBinWriter.Empty(buf, type));
        return buf;
    }

    [Fact]
    public void Packet_is_a_big_endian_length_that_counts_the_type_then_the_type_then_the_payload()
    {
        var p = Sequenced("hello");
        Assert.Equal(new byte[] { 0, 6, (byte)'S', (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' }, p);
        Assert.Equal(new byte[] { 0, 1, (byte)'H' }, Empty(SoupBinLayout.ServerHeartbeat));
        var u = new byte[4];
        Assert.Equal(4, SoupBinWriter.UnsequencedData(u, [7]));
        Assert.Equal(new byte[] { 0, 2, (byte)'U', 7 }, u);
    }

    [Fact]
    public void A_stream_split_at_every_byte_frames_as_the_whole_stream_does()
    {
        var stream = Stream(Sequenced("abc"), Empty(SoupBinLayout.ServerHeartbeat), Sequenced(new string('x', 300)), Sequenced(""), Empty(SoupBinLayout.EndOfSession));
        var whole = new Collect { Packets = new() };
        var f = new SoupBinFramer();
        Assert.Equal(SoupBinFrameStatus.Ok, f.Feed(stream, ref whole));
        Assert.Equal(5, whole.Packets.Count);
        Assert.Equal(stream.Length, f.Bytes);

        for (int split = 1; split < stream.Length; split++)
        {
            var parts = new Collect { Packets = new() };
            var g = new SoupBinFramer();
            Assert.Equal(SoupBinFrameStatus.Ok, g.Feed(stream.AsSpan(0, split), ref parts));
            Assert.Equal(SoupBinFrameStatus.Ok, g.Feed(stream.AsSpan(split), ref parts));
            Assert.Equal(whole.Packets.Count, parts.Packets.Count);
            for (int i = 0; i < parts.Packets.Count; i++)
            {
                Assert.Equal(whole.Packets[i].Type, parts.Packets[i].Type);
                Assert.Equal(whole.Packets[i].Payload, parts.Packets[i].Payload);
            }
            Assert.Equal(0, g.PendingBytes);
        }
    }

    [Fact]
    public void One_byte_per_segment_still_frames_every_packet()
    {
        var stream = Stream(Sequenced("one"), Sequenced("two"), Empty(SoupBinLayout.ClientHeartbeat));
        var c = new Collect { Packets = new() };
        var f = new SoupBinFramer();
        for (int i = 0; i < stream.Length; i++)
        {
            Assert.Equal(SoupBinFrameStatus.Ok, f.Feed(stream.AsSpan(i, 1), ref c));
            Assert.Equal(i + 1, f.Bytes);
        }
        Assert.Equal(["one", "two", ""], c.Packets.ConvertAll(p => Encoding.ASCII.GetString(p.Payload)));
        Assert.Equal('R', c.Packets[2].Type);
        Assert.Equal(3, f.Packets);
    }

    [Fact]
    public void Maximum_payload_is_accepted_and_one_byte_more_is_oversized()
    {
        var max = new byte[SoupBinLayout.HeaderBytes + SoupBinLayout.MaxPayloadLength];
        Assert.Equal(max.Length, SoupBinWriter.SequencedData(max, new byte[SoupBinLayout.MaxPayloadLength]));
        Assert.Equal(0xFF, max[0]);
        Assert.Equal(0xFF, max[1]);
        var h = new CountOnly();
        var f = new SoupBinFramer();
        Assert.Equal(SoupBinFrameStatus.Ok, f.Feed(max, ref h));
        Assert.Equal(SoupBinLayout.MaxPayloadLength, h.PayloadBytes);

        var small = new SoupBinFramer(maxPayload: 10);
        var ok = Sequenced("0123456789");
        Assert.Equal(SoupBinFrameStatus.Ok, small.Feed(ok, ref h));
        var over = Sequenced("0123456789A");
        Assert.Equal(SoupBinFrameStatus.Oversized, small.Feed(over, ref h));
        Assert.Equal(1, small.Oversized);
        Assert.Equal(over.Length, small.DiscardedBytes);
        Assert.True(small.IsBroken);
        Assert.Equal(ok.Length, small.Bytes);
    }

    [Fact]
    public void A_zero_length_prefix_breaks_framing_and_everything_after_it_is_discarded_and_counted()
    {
        var h = new Collect { Packets = new() };
        var f = new SoupBinFramer();
        var stream = Stream(Sequenced("ok"), new byte[] { 0, 0 }, Sequenced("lost"));
        Assert.Equal(SoupBinFrameStatus.ZeroLength, f.Feed(stream, ref h));
        Assert.Single(h.Packets);
        Assert.Equal(1, f.ZeroLength);
        Assert.Equal(stream.Length - 5, f.DiscardedBytes);
        Assert.Equal(SoupBinFrameStatus.Broken, f.Feed(Sequenced("more"), ref h));
        Assert.Equal(stream.Length - 5 + 7, f.DiscardedBytes);
        Assert.Equal(5 + f.DiscardedBytes, stream.Length + 7);   // every byte accounted: framed or discarded

        f.Reset();
        Assert.False(f.IsBroken);
        Assert.Equal(SoupBinFrameStatus.Ok, f.Feed(Sequenced("again"), ref h));
        Assert.Equal(2, h.Packets.Count);
    }

    [Fact]
    public void A_hostile_prefix_split_across_segments_is_caught_when_its_second_byte_arrives()
    {
        var h = new CountOnly();
        var f = new SoupBinFramer(maxPayload: 100);
        Assert.Equal(SoupBinFrameStatus.Ok, f.Feed(new byte[] { 0xEA }, ref h));
        Assert.Equal(1, f.PendingBytes);
        Assert.Equal(SoupBinFrameStatus.Oversized, f.Feed(new byte[] { 0x60, (byte)'S', 1, 2, 3 }, ref h));
        Assert.Equal(0, f.Bytes);
        Assert.Equal(6, f.DiscardedBytes);
        Assert.Equal(0, f.PendingBytes);

        var z = new SoupBinFramer();
        Assert.Equal(SoupBinFrameStatus.Ok, z.Feed(new byte[] { 0 }, ref h));
        Assert.Equal(SoupBinFrameStatus.ZeroLength, z.Feed(new byte[] { 0 }, ref h));
        Assert.Equal(1, z.ZeroLength);
        Assert.Equal(0, h.Packets);
    }

    [Fact]
    public void Random_bytes_never_throw_and_every_byte_is_framed_or_discarded()
    {
        var rng = new Random(11);
        for (int round = 0; round < 200; round++)
        {
            var bytes = new byte[rng.Next(1, 400)];
            rng.NextBytes(bytes);
            var h = new CountOnly();
            var f = new SoupBinFramer(maxPayload: rng.Next(0, 300));
            int at = 0;
            while (at < bytes.Length)
            {
                int n = Math.Min(rng.Next(1, 50), bytes.Length - at);
                f.Feed(bytes.AsSpan(at, n), ref h);
                at += n;
            }
            Assert.Equal(bytes.Length, f.Bytes + f.DiscardedBytes);
            Assert.Equal(f.Packets, h.Packets);
        }
    }

    [Fact]
    public void Framing_allocates_nothing()
    {
        var stream = Stream(Sequenced("abc"), Sequenced("defgh"), Empty(SoupBinLayout.ServerHeartbeat));
        var f = new SoupBinFramer();
        var h = new CountOnly();
        f.Feed(stream, ref h);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            f.Feed(stream.AsSpan(0, 4), ref h);
            f.Feed(stream.AsSpan(4), ref h);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Equal(3 * 1001, h.Packets);
    }

    [Fact]
    public void Framer_refuses_a_maximum_beyond_the_16_bit_length()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SoupBinFramer(SoupBinLayout.MaxPayloadLength + 1));
        Assert.Contains("maxPayload", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoupBinFramer(-1));
        Assert.Equal(0, new SoupBinFramer(0).MaxPayload);
    }

    [Fact]
    public void Login_request_pads_username_and_password_right_and_session_and_sequence_left()
    {
        var buf = new byte[49];
        Assert.Equal(49, SoupBinWriter.LoginRequest(buf, "bob", "secret", "S1", 42));
        Assert.Equal("\0/L" + "bob   " + "secret    " + "        S1" + "                  42", Encoding.ASCII.GetString(buf));
        Assert.Equal(47, buf[1]);
        Assert.True(SoupBinLogin.TryReadRequest(buf.AsSpan(3), out var user, out var password, out var session, out ulong seq));
        Assert.True(SoupBinFields.AlphaEquals(user, "BOB", ignoreCase: true));
        Assert.False(SoupBinFields.AlphaEquals(user, "BOB", ignoreCase: false));
        Assert.True(SoupBinFields.AlphaEquals(password, "secret", ignoreCase: false));
        Assert.Equal("S1", Encoding.ASCII.GetString(SoupBinFields.Trim(session)));
        Assert.Equal(42UL, seq);

        // Blank session (the current one) and sequence 0 (start with the most recent message).
        Assert.Equal(49, SoupBinWriter.LoginRequest(buf, "u", "p", "", 0));
        Assert.True(SoupBinLogin.TryReadRequest(buf.AsSpan(3), out _, out _, out session, out seq));
        Assert.True(SoupBinFields.Trim(session).IsEmpty);
        Assert.Equal(0UL, seq);
    }

    [Fact]
    public void Login_request_with_a_field_too_long_or_not_ascii_is_refused()
    {
        var buf = new byte[49];
        Assert.Equal(0, SoupBinWriter.LoginRequest(buf, "toolong", "p", "", 1));
        Assert.Equal(0, SoupBinWriter.LoginRequest(buf, "u", "p\u00e9", "", 1));
        Assert.Equal(0, SoupBinWriter.LoginRequest(buf, "u", "p", "ELEVENCHARS", 1));
        Assert.Throws<ArgumentException>(() => SoupBinWriter.LoginRequest(new byte[48], "u", "p", "", 1));
        Assert.False(SoupBinLogin.TryReadRequest(new byte[45], out _, out _, out _, out _));
        Assert.False(SoupBinFields.Fits("abcdefg", 6));
        Assert.False(SoupBinFields.Fits("ab\n", 6));
        Assert.True(SoupBinFields.Fits("abc", 6));
    }

    [Fact]
    public void Login_accepted_carries_the_session_left_padded_and_the_next_sequence()
    {
        var buf = new byte[33];
        Assert.Equal(33, SoupBinWriter.LoginAccepted(buf, "SESS1", 1234567));
        Assert.Equal("     SESS1             1234567", Encoding.ASCII.GetString(buf, 3, 30));
        Assert.True(SoupBinLogin.TryReadAccepted(buf.AsSpan(3), out var session, out ulong next));
        Assert.Equal("SESS1", Encoding.ASCII.GetString(SoupBinFields.Trim(session)));
        Assert.Equal(1234567UL, next);
        Assert.Equal(0, SoupBinWriter.LoginAccepted(buf, "ELEVENCHARS", 1));
        Assert.Throws<ArgumentException>(() => SoupBinWriter.LoginAccepted(new byte[32], "S", 1));
        Assert.False(SoupBinLogin.TryReadAccepted(buf.AsSpan(3, 29), out _, out _));
        SoupBinWriter.LoginAccepted(buf, "S", 0);
        Assert.False(SoupBinLogin.TryReadAccepted(buf.AsSpan(3), out _, out _));   // sequences start at 1
    }

    [Fact]
    public void Login_rejected_carries_its_reason_code()
    {
        var buf = new byte[4];
        Assert.Equal(4, SoupBinWriter.LoginRejected(buf, SoupBinLayout.RejectSessionNotAvailable));
        Assert.Equal(new byte[] { 0, 2, (byte)'J', (byte)'S' }, buf);
    }

    [Theory]
    [InlineData("                   1", true, 1UL)]
    [InlineData("18446744073709551615", true, ulong.MaxValue)]
    [InlineData("18446744073709551616", false, 0UL)]
    [InlineData("99999999999999999999", false, 0UL)]
    [InlineData("                    ", false, 0UL)]
    [InlineData("              12a456", false, 0UL)]
    [InlineData("7                   ", true, 7UL)]
    public void Numeric_fields_are_read_strictly(string field, bool ok, ulong value)
    {
        Assert.Equal(ok, SoupBinFields.TryReadNumeric(Encoding.ASCII.GetBytes(field), out ulong v));
        Assert.Equal(value, ok ? v : 0UL);
    }

    [Fact]
    public void Numeric_fields_are_written_right_justified()
    {
        var f = new byte[20];
        SoupBinFields.WriteNumeric(f, 0);
        Assert.Equal("                   0", Encoding.ASCII.GetString(f));
        SoupBinFields.WriteNumeric(f, ulong.MaxValue);
        Assert.Equal("18446744073709551615", Encoding.ASCII.GetString(f));
    }

    [Fact]
    public void Alpha_comparison_ignores_case_only_for_letters()
    {
        Assert.True(SoupBinFields.AlphaEquals("AbC   "u8, "abc", ignoreCase: true));
        Assert.False(SoupBinFields.AlphaEquals("ab@"u8, "ab`", ignoreCase: true));   // '@' | 0x20 == '`' but neither is a letter
        Assert.False(SoupBinFields.AlphaEquals("abc"u8, "abcd", ignoreCase: true));
        Assert.True(SoupBinFields.WriteAlphaLeftPadded(new byte[3], "abc"));
    }

    [Fact]
    public void Writer_refuses_a_payload_beyond_the_16_bit_length_and_a_short_destination()
    {
        Assert.Throws<ArgumentException>(() => SoupBinWriter.SequencedData(new byte[70000], new byte[SoupBinLayout.MaxPayloadLength + 1]));
        Assert.Throws<ArgumentException>(() => SoupBinWriter.Empty(new byte[2], SoupBinLayout.LogoutRequest));
    }
}
