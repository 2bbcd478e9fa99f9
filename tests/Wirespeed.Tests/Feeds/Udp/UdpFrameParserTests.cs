using System;
using System.Buffers.Binary;
using Wirespeed.Feeds.Udp;
using Xunit;

namespace Wirespeed.Tests.Feeds.Udp;

public sealed class UdpFrameParserTests
{
    private const uint Group = 0xEFFF4E01; // 239.255.78.1
    private const ushort Port = 26_400;

    /// <summary>A valid Ethernet/IPv4/UDP frame to Group:Port with <paramref name="vlanTags"/> 802.1Q tags.</summary>
    private static byte[] Frame(int payload = 40, int vlanTags = 0)
    {
        int eth = 14 + 4 * vlanTags;
        var f = new byte[eth + 20 + 8 + payload];
        int o = 12;
        for (int t = 0; t < vlanTags; t++, o += 4) { BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(o), 0x8100); BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(o + 2), 7); }
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(o), 0x0800);
        Span<byte> ip = f.AsSpan(eth);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(2), (ushort)(20 + 8 + payload));
        ip[8] = 1; // TTL
        ip[9] = 17;
        BinaryPrimitives.WriteUInt32BigEndian(ip.Slice(12), 0x0A000001);
        BinaryPrimitives.WriteUInt32BigEndian(ip.Slice(16), Group);
        FixChecksum(ip);
        Span<byte> udp = ip.Slice(20);
        BinaryPrimitives.WriteUInt16BigEndian(udp, 5000);
        BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(2), Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(4), (ushort)(8 + payload));
        for (int i = 0; i < payload; i++) udp[8 + i] = (byte)i;
        return f;
    }

    private static void FixChecksum(Span<byte> ip)
    {
        int ihl = (ip[0] & 0xF) * 4;
        ip[10] = ip[11] = 0;
        uint sum = 0;
        for (int i = 0; i < ihl; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(ip.Slice(i));
        while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(10), (ushort)~sum);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void A_valid_frame_yields_its_udp_payload_behind_any_number_of_vlan_tags(int tags)
    {
        byte[] f = Frame(40, tags);
        Assert.Equal(FrameStatus.Ok, UdpFrameParser.TryParse(f, Group, Port, out var payload));
        Assert.Equal(40, payload.Length);
        Assert.Equal(39, payload[39]);
    }

    [Fact]
    public void Each_malformation_is_reported_with_its_own_cause()
    {
        Assert.Equal(FrameStatus.Short, UdpFrameParser.TryParse(new byte[10], Group, Port, out _));
        byte[] f = Frame(); BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x86DD);
        Assert.Equal(FrameStatus.WrongEtherType, UdpFrameParser.TryParse(f, Group, Port, out _));
        f = Frame(); f[14] = 0x44; FixChecksum(f.AsSpan(14));
        Assert.Equal(FrameStatus.BadIhl, UdpFrameParser.TryParse(f, Group, Port, out _));
        f = Frame(); f[14 + 6] = 0x20; FixChecksum(f.AsSpan(14)); // More Fragments
        Assert.Equal(FrameStatus.Fragment, UdpFrameParser.TryParse(f, Group, Port, out _));
        f = Frame(); f[14 + 8] ^= 0xFF; // TTL changed, checksum not
        Assert.Equal(FrameStatus.BadChecksum, UdpFrameParser.TryParse(f, Group, Port, out _));
        f = Frame(); BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(14 + 20 + 4), 200);
        Assert.Equal(FrameStatus.TruncatedUdp, UdpFrameParser.TryParse(f, Group, Port, out _));
        f = Frame(); BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(14 + 2), 20 + 4); FixChecksum(f.AsSpan(14)); // IP payload shorter than a UDP header
        Assert.Equal(FrameStatus.TruncatedUdp, UdpFrameParser.TryParse(f, Group, Port, out _));
        f = Frame(); f[14 + 9] = 2; FixChecksum(f.AsSpan(14)); // IGMP
        Assert.Equal(FrameStatus.NotUdp, UdpFrameParser.TryParse(f, Group, Port, out _));
        Assert.Equal(FrameStatus.TruncatedIp, UdpFrameParser.TryParse(Frame().AsSpan(0, 14 + 30), Group, Port, out _));
        Assert.Equal(FrameStatus.NotOurDestination, UdpFrameParser.TryParse(Frame(), Group, Port + 1, out _));
        Assert.Equal(FrameStatus.NotOurDestination, UdpFrameParser.TryParse(Frame(), Group + 1, Port, out _));
    }

    [Fact]
    public void Random_frames_never_throw_and_are_each_counted_once()
    {
        var rng = new Random(7);
        var counters = new FrameCounters();
        long ok = 0;
        var buf = new byte[1600];
        for (int i = 0; i < 100_000; i++)
        {
            int len = rng.Next(0, buf.Length);
            byte[] good = Frame(rng.Next(0, 100));
            good.CopyTo(buf, 0);
            // Corrupt a few bytes of a valid frame so that parsing gets past the first checks.
            for (int k = rng.Next(0, 4); k > 0; k--) buf[rng.Next(0, Math.Max(1, good.Length))] = (byte)rng.Next();
            FrameStatus s = UdpFrameParser.TryParse(buf.AsSpan(0, Math.Min(len, good.Length + rng.Next(0, 8))), Group, Port, out var p);
            if (s == FrameStatus.Ok) ok++; else counters.Increment(s);
        }
        Assert.Equal(100_000, ok + counters.Rejected);
        Assert.True(counters[FrameStatus.BadChecksum] > 0);
        Assert.True(counters[FrameStatus.Short] + counters[FrameStatus.TruncatedIp] > 0);
    }
}
