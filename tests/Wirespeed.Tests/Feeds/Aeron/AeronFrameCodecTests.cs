using System;
using System.Text;
using Wirespeed.Feeds.Aeron;
using Xunit;

namespace Wirespeed.Tests.Feeds.Aeron;

/// <summary>Golden bytes for each frame type, laid out by hand from AERON.md §B.2–B.8 (little-endian, packed).</summary>
public class AeronFrameCodecTests
{
    private static byte[] Hex(string s) => Convert.FromHexString(s.Replace(" ", ""));

    [Fact]
    public void Data_frame_matches_the_spec_layout_and_reads_back()
    {
        // §B.3: frame_length 46 (14-byte payload), v0, flags C0, type 1, term_offset 0x40, session -2, stream 1001,
        // term_id 0x7FFFFFFF, reserved 0x0102030405060708.
        byte[] expected = Hex("2E000000 00 C0 0100 40000000 FEFFFFFF E9030000 FFFFFF7F 0807060504030201"
                              + Convert.ToHexString(Encoding.ASCII.GetBytes("fourteen bytes")));
        var b = new byte[46];
        DataFrame.WriteHeader(b, 46, AeronFlags.Unfragmented, AeronFrameType.Data, 0x40, -2, 1001, int.MaxValue, 0x0102030405060708);
        Encoding.ASCII.GetBytes("fourteen bytes").CopyTo(b, 32);
        Assert.Equal(expected, b);

        var scanner = new AeronFrameScanner(b);
        Assert.Equal(AeronFrameStatus.Ok, scanner.TryNext(out AeronFrame f));
        Assert.Equal(46, f.FrameLength);
        Assert.False(f.IsHeartbeat);
        var d = new DataFrame(f.Bytes);
        Assert.Equal((0x40, -2, 1001, int.MaxValue, 0x0102030405060708L), (d.TermOffset, d.SessionId, d.StreamId, d.TermId, d.ReservedValue));
        Assert.Equal("fourteen bytes", Encoding.ASCII.GetString(d.Payload));
        Assert.Equal(AeronFrameStatus.End, scanner.TryNext(out _));
    }

    [Fact]
    public void Heartbeat_and_eos_are_zero_length_data_headers()
    {
        var b = new byte[32];
        DataFrame.WriteHeartbeat(b, 96, 7, 8, 9, endOfStream: false);
        Assert.Equal(Hex("00000000 00 C0 0100 60000000 07000000 08000000 09000000 0000000000000000"), b);
        DataFrame.WriteHeartbeat(b, 96, 7, 8, 9, endOfStream: true);
        Assert.Equal(0xE0, b[5]);
        var scanner = new AeronFrameScanner(b);
        Assert.Equal(AeronFrameStatus.Ok, scanner.TryNext(out AeronFrame f));
        Assert.True(f.IsHeartbeat);
        Assert.Equal(32, f.Bytes.Length);
    }

    [Fact]
    public void Pad_is_header_only_and_ends_the_datagram()
    {
        // §B.3 capture: PAD at term_offset 65440, frame_length 96.
        var b = new byte[64];
        DataFrame.WriteHeader(b, 96, AeronFlags.Unfragmented, AeronFrameType.Pad, 65440, 1, 2, 3);
        Assert.Equal(Hex("60000000 00 C0 0000 A0FF0000 01000000 02000000 03000000 0000000000000000"), b.AsSpan(0, 32).ToArray());
        b[32] = 0xFF;                                                     // junk after the PAD is never read
        var scanner = new AeronFrameScanner(b);
        Assert.Equal(AeronFrameStatus.Ok, scanner.TryNext(out AeronFrame f));
        Assert.Equal((AeronFrameType.Pad, 96, 32), (f.Type, f.FrameLength, f.Bytes.Length));
        Assert.Equal(AeronFrameStatus.End, scanner.TryNext(out _));
    }

    [Fact]
    public void Several_data_frames_follow_at_aligned_offsets()
    {
        var b = new byte[64 + 46];
        DataFrame.WriteHeader(b, 46, AeronFlags.Begin, AeronFrameType.Data, 0, 1, 2, 3);
        DataFrame.WriteHeader(b.AsSpan(64), 46, AeronFlags.End, AeronFrameType.Data, 64, 1, 2, 3);
        var scanner = new AeronFrameScanner(b);
        Assert.Equal(AeronFrameStatus.Ok, scanner.TryNext(out AeronFrame f1));
        Assert.Equal(AeronFlags.Begin, f1.Flags);
        Assert.Equal(AeronFrameStatus.Ok, scanner.TryNext(out AeronFrame f2));
        Assert.Equal(64, new DataFrame(f2.Bytes).TermOffset);
        Assert.Equal(AeronFrameStatus.End, scanner.TryNext(out _));
    }

    [Fact]
    public void Setup_matches_the_spec_layout()
    {
        var b = new byte[40];
        Assert.Equal(40, SetupFrame.Write(b, AeronFlags.SetupGroup, 0x20, -5, 10, -100, -99, 65536, 1408, 4));
        Assert.Equal(Hex("28000000 00 40 0500 20000000 FBFFFFFF 0A000000 9CFFFFFF 9DFFFFFF 00000100 80050000 04000000"), b);
        var scanner = new AeronFrameScanner(b);
        Assert.Equal(AeronFrameStatus.Ok, scanner.TryNext(out AeronFrame f));
        var s = new SetupFrame(f.Bytes);
        Assert.Equal((0x20, -5, 10, -100, -99, 65536, 1408, 4, AeronFlags.SetupGroup),
                     (s.TermOffset, s.SessionId, s.StreamId, s.InitialTermId, s.ActiveTermId, s.TermLength, s.Mtu, s.Ttl, s.Flags));
    }

    [Fact]
    public void Status_message_matches_the_spec_layout()
    {
        var b = new byte[36];
        Assert.Equal(36, StatusMessageFrame.Write(b, AeronFlags.StatusEndOfStream, 1, 2, 3, 0x100, 32768, -2));
        Assert.Equal(Hex("24000000 00 40 0300 01000000 02000000 03000000 00010000 00800000 FEFFFFFFFFFFFFFF"), b);
        var scanner = new AeronFrameScanner(b);
        Assert.Equal(AeronFrameStatus.Ok, scanner.TryNext(out AeronFrame f));
        var sm = new StatusMessageFrame(f.Bytes);
        Assert.Equal((1, 2, 3, 0x100, 32768, -2L, false, 0L),
                     (sm.SessionId, sm.StreamId, sm.ConsumptionTermId, sm.ConsumptionTermOffset, sm.ReceiverWindow, sm.ReceiverId, sm.HasGroupTag, sm.GroupTag));

        // §B.5 optional group tag: frame_length 44.
        var tagged = new byte[44];
        b.CopyTo(tagged, 0);
        tagged[0] = 44;
        tagged[36] = 0x2A;
        var t = new StatusMessageFrame(tagged);
        Assert.True(t.HasGroupTag);
        Assert.Equal(42L, t.GroupTag);
    }

    [Fact]
    public void Nak_matches_the_spec_layout()
    {
        var b = new byte[28];
        Assert.Equal(28, NakFrame.Write(b, 1, 2, -1, 0x40, 0x60));
        Assert.Equal(Hex("1C000000 00 00 0200 01000000 02000000 FFFFFFFF 40000000 60000000"), b);
        var scanner = new AeronFrameScanner(b);
        Assert.Equal(AeronFrameStatus.Ok, scanner.TryNext(out AeronFrame f));
        var n = new NakFrame(f.Bytes);
        Assert.Equal((1, 2, -1, 0x40, 0x60), (n.SessionId, n.StreamId, n.TermId, n.TermOffset, n.GapLength));
    }

    [Fact]
    public void Rttm_matches_the_spec_layout_and_replies_as_aeron_does()
    {
        var b = new byte[40];
        Assert.Equal(40, RttmFrame.Write(b, AeronFlags.RttmReply, 1, 2, 0x1122334455667788, 5, 9));
        Assert.Equal(Hex("28000000 00 80 0600 01000000 02000000 8877665544332211 0500000000000000 0900000000000000"), b);
        var request = new RttmFrame(b);
        Assert.True(request.IsRequest);
        var reply = new byte[40];
        RttmFrame.WriteReply(reply, request);
        var r = new RttmFrame(reply);
        Assert.Equal((false, 0x1122334455667788L, 0L, 9L), (r.IsRequest, r.EchoTimestamp, r.ReceptionDelta, r.ReceiverId));
    }

    [Fact]
    public void Error_matches_the_spec_layout()
    {
        var b = new byte[64];
        int n = ErrorFrame.Write(b, 1, 2, 3, 4, 5, "no"u8);
        Assert.Equal(42, n);
        Assert.Equal(Hex("2A000000 00 08 0400 01000000 02000000 0300000000000000 0400000000000000 05000000 02000000 6E6F"), b.AsSpan(0, n).ToArray());
        var scanner = new AeronFrameScanner(b.AsSpan(0, n));
        Assert.Equal(AeronFrameStatus.Ok, scanner.TryNext(out AeronFrame f));
        var e = new ErrorFrame(f.Bytes);
        Assert.Equal((1, 2, 3L, 4L, 5, "no"), (e.SessionId, e.StreamId, e.ReceiverId, e.GroupTag, e.ErrorCode, Encoding.UTF8.GetString(e.Text)));
        Assert.Equal(AeronFlags.ErrorGroupTag, e.Flags);

        var longText = new byte[2000];
        var big = new byte[2100];
        Assert.Equal(40 + 1023, ErrorFrame.Write(big, 1, 2, 3, null, 5, longText));
        Assert.Equal(0, big[5]);
    }

    [Fact]
    public void Align_rounds_up_to_32()
    {
        Assert.Equal((0, 32, 32, 64, 160), (AeronLayout.Align(0), AeronLayout.Align(1), AeronLayout.Align(32), AeronLayout.Align(46), AeronLayout.Align(132)));
    }
}
