using System;
using Wirespeed.Feeds.Aeron;
using Xunit;

namespace Wirespeed.Tests.Feeds.Aeron;

/// <summary>Every malformed case AERON.md §B.1 names yields its own status and its own counter; nothing throws.</summary>
public class AeronMalformedFrameTests
{
    private static AeronFrameStatus Scan(byte[] datagram, AeronRejectCounters counters)
    {
        var scanner = new AeronFrameScanner(datagram);
        AeronFrameStatus s;
        while ((s = scanner.TryNext(out _)) == AeronFrameStatus.Ok) { }
        counters.Count(s);
        return s;
    }

    private static byte[] Data(int frameLength, int datagramLength)
    {
        var b = new byte[Math.Max(datagramLength, 32)];
        DataFrame.WriteHeader(b, frameLength, AeronFlags.Unfragmented, AeronFrameType.Data, 0, 1, 2, 3);
        return b.AsSpan(0, datagramLength).ToArray();
    }

    [Fact]
    public void Each_malformed_case_is_counted_by_its_cause()
    {
        var c = new AeronRejectCounters();
        Assert.Equal(AeronFrameStatus.TooShort, Scan(new byte[7], c));                    // under the common header
        Assert.Equal(AeronFrameStatus.TooShort, Scan(Data(40, 31), c));                    // DATA under 32 bytes
        var badVersion = Data(32, 32);
        badVersion[4] = 1;
        Assert.Equal(AeronFrameStatus.BadVersion, Scan(badVersion, c));
        Assert.Equal(AeronFrameStatus.LengthPastDatagram, Scan(Data(100, 64), c));
        Assert.Equal(AeronFrameStatus.BadFrameLength, Scan(Data(20, 32), c));              // 1..31 is not a frame
        Assert.Equal(AeronFrameStatus.BadFrameLength, Scan(Data(-1, 32), c));
        var unknown = Data(32, 32);
        unknown[6] = 0x42;
        Assert.Equal(AeronFrameStatus.UnknownType, Scan(unknown, c));
        var res = Data(32, 32);
        res[6] = (byte)AeronFrameType.Resolution;
        Assert.Equal(AeronFrameStatus.Unsupported, Scan(res, c));

        var pad = Data(16, 32);
        pad[6] = 0;
        Assert.Equal(AeronFrameStatus.BadFrameLength, Scan(pad, c));                       // a PAD under its header

        var sm = new byte[36];
        StatusMessageFrame.Write(sm, 0, 1, 2, 3, 4, 5, 6);
        Assert.Equal(AeronFrameStatus.TooShort, Scan(sm.AsSpan(0, 35).ToArray(), c));       // SM ≥ 36
        sm[0] = 30;
        Assert.Equal(AeronFrameStatus.BadFrameLength, Scan(sm, c));
        sm[0] = 44;
        Assert.Equal(AeronFrameStatus.LengthPastDatagram, Scan(sm, c));                    // SM ≥ frame_length

        var nak = new byte[28];
        NakFrame.Write(nak, 1, 2, 3, 4, 5);
        Assert.Equal(AeronFrameStatus.TooShort, Scan(nak.AsSpan(0, 27).ToArray(), c));
        var setup = new byte[40];
        SetupFrame.Write(setup, 0, 0, 1, 2, 3, 3, 65536, 1408, 0);
        Assert.Equal(AeronFrameStatus.TooShort, Scan(setup.AsSpan(0, 39).ToArray(), c));
        var rttm = new byte[40];
        RttmFrame.Write(rttm, 0, 1, 2, 3, 4, 5);
        Assert.Equal(AeronFrameStatus.TooShort, Scan(rttm.AsSpan(0, 39).ToArray(), c));
        var err = new byte[48];
        ErrorFrame.Write(err, 1, 2, 3, null, 4, "12345678"u8);
        err[36] = 9;                                                                        // text runs past the frame
        Assert.Equal(AeronFrameStatus.LengthPastDatagram, Scan(err, c));

        Assert.Equal((6L, 1L, 3L, 4L, 1L, 1L), (c.TooShort, c.BadVersion, c.LengthPastDatagram, c.BadFrameLength, c.UnknownType, c.Unsupported));
        Assert.Equal(16, c.Total);
    }

    [Fact]
    public void A_bad_frame_after_a_good_one_keeps_the_good_one_and_drops_the_rest()
    {
        var b = new byte[64 + 32];
        DataFrame.WriteHeader(b, 40, AeronFlags.Unfragmented, AeronFrameType.Data, 0, 1, 2, 3);
        DataFrame.WriteHeader(b.AsSpan(64), 80, AeronFlags.Unfragmented, AeronFrameType.Data, 64, 1, 2, 3);
        var scanner = new AeronFrameScanner(b);
        Assert.Equal(AeronFrameStatus.Ok, scanner.TryNext(out _));
        Assert.Equal(AeronFrameStatus.LengthPastDatagram, scanner.TryNext(out _));
        Assert.Equal(AeronFrameStatus.End, scanner.TryNext(out _));
    }

    [Fact]
    public void Random_bytes_never_throw_and_every_datagram_ends_or_is_counted()
    {
        var rng = new Random(13);
        var c = new AeronRejectCounters();
        int ok = 0;
        for (int i = 0; i < 20_000; i++)
        {
            var b = new byte[rng.Next(0, 200)];
            rng.NextBytes(b);
            if (b.Length > 4 && rng.Next(2) == 0) b[4] = 0;                    // half with version 0, to reach deeper
            if (b.Length > 7 && rng.Next(2) == 0) { b[6] = (byte)rng.Next(0, 8); b[7] = 0; }
            if (Scan(b, c) == AeronFrameStatus.End) ok++;
        }
        Assert.Equal(20_000, ok + c.Total);
    }
}
