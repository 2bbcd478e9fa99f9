using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Recording;
using Wirespeed.Feeds.Replay;
using Xunit;

namespace Wirespeed.Tests.Feeds.Replay;

public sealed class PcapSourceTests
{
    private struct Collect : IPacketHandler
    {
        public List<(byte[] Payload, long Rx, byte Line, PacketSourceKind Kind)> Got;
        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info) => Got.Add((payload.ToArray(), info.ReceiveTimestampNs, info.LineId, info.Source));
    }

    private static List<(byte[] Payload, long Rx, byte Line, PacketSourceKind Kind)> ReadAll(PcapSource s)
    {
        var h = new Collect { Got = new() };
        while (s.Poll(ref h, 2) > 0) { }
        return h.Got;
    }

    /// <summary>One frame (already a whole Ethernet frame) per record, written in the chosen byte order and resolution.</summary>
    private static byte[] Pcap(bool bigEndian, bool nanos, uint linkType, params (long Ns, byte[] Frame)[] records)
    {
        var ms = new MemoryStream();
        void U32(uint v) { Span<byte> b = stackalloc byte[4]; if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v); else BinaryPrimitives.WriteUInt32LittleEndian(b, v); ms.Write(b); }
        void U16(ushort v) { Span<byte> b = stackalloc byte[2]; if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, v); else BinaryPrimitives.WriteUInt16LittleEndian(b, v); ms.Write(b); }
        U32(nanos ? 0xA1B23C4D : 0xA1B2C3D4); U16(2); U16(4); U32(0); U32(0); U32(65535); U32(linkType);
        foreach (var (ns, frame) in records)
        {
            U32((uint)(ns / 1_000_000_000)); U32((uint)(nanos ? ns % 1_000_000_000 : ns % 1_000_000_000 / 1000));
            U32((uint)frame.Length); U32((uint)frame.Length);
            ms.Write(frame);
        }
        return ms.ToArray();
    }

    private static byte[] UdpFrame(byte[] payload, bool vlan = false)
    {
        var ms = new MemoryStream();
        using (var w = new PcapWriter(ms, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 1234),
                   new System.Net.IPEndPoint(System.Net.IPAddress.Parse("239.0.0.1"), 1234), midnightEpochNs: 0)) w.Write(payload, 0);
        byte[] frame = ms.ToArray().AsSpan(24 + 16).ToArray();
        if (!vlan) return frame;
        var tagged = new byte[frame.Length + 4];
        frame.AsSpan(0, 12).CopyTo(tagged);
        tagged[12] = 0x81; tagged[13] = 0x00; tagged[14] = 0x00; tagged[15] = 0x8D;
        frame.AsSpan(12).CopyTo(tagged.AsSpan(16));
        return tagged;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Both_byte_orders_and_both_resolutions_deliver_payloads_with_their_timestamps(bool bigEndian, bool nanos)
    {
        byte[] payload = { 1, 2, 3, 4, 5 };
        long ns = 1_692_711_000_123_456_789;
        var s = new PcapSource(Pcap(bigEndian, nanos, 1, (ns, UdpFrame(payload)), (ns + 1000, UdpFrame(payload, vlan: true))), lineId: 9);
        Assert.Equal(nanos ? PcapFormat.Nanoseconds : PcapFormat.Microseconds, s.Format);
        Assert.Equal(bigEndian, s.IsByteSwapped);
        var got = ReadAll(s);
        Assert.Equal(2, got.Count);
        Assert.Equal(payload, got[0].Payload);
        Assert.Equal(payload, got[1].Payload);
        Assert.Equal(nanos ? ns : ns / 1000 * 1000, got[0].Rx);
        Assert.Equal(9, got[0].Line);
        Assert.Equal(PacketSourceKind.Pcap, got[0].Kind);
        s.Rewind();
        Assert.Equal(2, ReadAll(s).Count);
    }

    [Fact]
    public void Each_bad_frame_is_counted_under_its_own_cause()
    {
        byte[] good = UdpFrame(new byte[] { 9 });
        byte[] shortFrame = new byte[10];
        byte[] arp = (byte[])good.Clone(); arp[12] = 0x08; arp[13] = 0x06;
        byte[] ipv6 = (byte[])good.Clone(); ipv6[14] = 0x65;
        byte[] badIhl = (byte[])good.Clone(); badIhl[14] = 0x44;
        byte[] hugeIhl = (byte[])good.Clone(); hugeIhl[14] = 0x4F; // 60 bytes > what is there
        byte[] tcp = (byte[])good.Clone(); tcp[14 + 9] = 6;
        byte[] fragment = (byte[])good.Clone(); fragment[14 + 6] = 0x20; // more fragments
        byte[] ipTooLong = (byte[])good.Clone(); BinaryPrimitives.WriteUInt16BigEndian(ipTooLong.AsSpan(14 + 2), 500);
        byte[] udpTooLong = (byte[])good.Clone(); BinaryPrimitives.WriteUInt16BigEndian(udpTooLong.AsSpan(14 + 20 + 4), 50);
        byte[] udpCut = good.AsSpan(0, 14 + 20 + 4).ToArray(); BinaryPrimitives.WriteUInt16BigEndian(udpCut.AsSpan(14 + 2), 24);
        byte[] vlanCut = new byte[16]; vlanCut[12] = 0x81; vlanCut[13] = 0x00;
        var s = new PcapSource(Pcap(false, true, 1,
            (1, good), (2, shortFrame), (3, arp), (4, ipv6), (5, badIhl), (6, hugeIhl), (7, tcp), (8, fragment),
            (9, ipTooLong), (10, udpTooLong), (11, udpCut), (12, vlanCut)));
        Assert.Single(ReadAll(s));
        PcapCounters c = s.Counters;
        Assert.Equal(12, c.Records);
        Assert.Equal(1, c.UdpPayloads);
        Assert.Equal(2, c.ShortFrames);
        Assert.Equal(2, c.NotIpv4);
        Assert.Equal(2, c.BadIhl);
        Assert.Equal(1, c.NotUdp);
        Assert.Equal(1, c.Fragments);
        Assert.Equal(1, c.TruncatedIp);
        Assert.Equal(2, c.TruncatedUdp);
        Assert.Equal(c.Records, c.UdpPayloads + c.ShortFrames + c.NotIpv4 + c.BadIhl + c.TruncatedIp + c.NotUdp + c.Fragments + c.TruncatedUdp + c.UnsupportedLinkType);
    }

    [Fact]
    public void The_completeness_verdict_names_each_kind_of_damaged_frame_with_its_count_and_not_other_traffic()
    {
        byte[] good = UdpFrame(new byte[] { 9 });
        byte[] shortFrame = new byte[10];
        byte[] arp = (byte[])good.Clone(); arp[12] = 0x08; arp[13] = 0x06;
        byte[] badIhl = (byte[])good.Clone(); badIhl[14] = 0x44;
        byte[] fragment = (byte[])good.Clone(); fragment[14 + 6] = 0x20;
        byte[] fragment2 = (byte[])fragment.Clone();
        byte[] ipTooLong = (byte[])good.Clone(); BinaryPrimitives.WriteUInt16BigEndian(ipTooLong.AsSpan(14 + 2), 500);
        var s = new PcapSource(Pcap(false, true, 1, (1, good), (2, shortFrame), (3, arp), (4, badIhl), (5, fragment), (6, fragment2), (7, ipTooLong)));
        ReadAll(s);
        var verdict = s.Completeness();
        Assert.False(verdict.Complete);
        Assert.Collection(verdict.Reasons,
            r => Assert.StartsWith("truncated IP: 1 packet(s) whose IPv4 total length runs past the bytes captured", r),
            r => Assert.StartsWith("bad IPv4 header length: 1 packet(s) with IHL below 5 words", r),
            r => Assert.StartsWith("short frames: 1 frame(s) too short for their Ethernet and VLAN headers", r),
            r => Assert.StartsWith("IP fragments: 2 fragment(s) not reassembled", r));   // the ARP frame is other traffic: no reason

        var clean = new PcapSource(Pcap(false, true, 1, (1, good), (2, arp)));
        ReadAll(clean);
        Assert.True(clean.Completeness().Complete);
    }

    [Fact]
    public void Double_tagged_frames_are_read_and_an_empty_raw_frame_is_not_ipv4()
    {
        byte[] frame = UdpFrame(new byte[] { 4, 2 });
        var qinq = new byte[frame.Length + 8];
        frame.AsSpan(0, 12).CopyTo(qinq);
        qinq[12] = 0x88; qinq[13] = 0xA8; qinq[16] = 0x81; qinq[17] = 0x00; // 802.1ad outer, 802.1Q inner
        frame.AsSpan(12).CopyTo(qinq.AsSpan(20));
        var got = ReadAll(new PcapSource(Pcap(false, true, 1, (1, qinq))));
        Assert.Equal(new byte[] { 4, 2 }, got[0].Payload);

        var empty = new PcapSource(Pcap(false, true, PcapSource.LinkTypeIpv4, (1, Array.Empty<byte>())));
        Assert.Empty(ReadAll(empty));
        Assert.Equal(1, empty.Counters.NotIpv4);
    }

    [Fact]
    public void Raw_ipv4_link_type_is_read_and_unknown_link_types_are_counted()
    {
        byte[] ip = UdpFrame(new byte[] { 7, 7 }).AsSpan(14).ToArray();
        Assert.Single(ReadAll(new PcapSource(Pcap(false, false, PcapSource.LinkTypeRaw, (1, ip)))));
        var sll = new PcapSource(Pcap(false, false, 113, (1, ip)));
        Assert.Empty(ReadAll(sll));
        Assert.Equal(1, sll.Counters.UnsupportedLinkType);
    }

    [Fact]
    public void Torn_tail_and_bad_magic_never_throw()
    {
        byte[] file = Pcap(false, true, 1, (1, UdpFrame(new byte[] { 1 })), (2, UdpFrame(new byte[] { 2 })));
        var torn = new PcapSource(file.AsSpan(0, file.Length - 3).ToArray());
        Assert.Single(ReadAll(torn));
        Assert.Equal(16 + 42 + 1 - 3, torn.Counters.TruncatedTailBytes);
        var headerOnlyTail = new PcapSource(file.AsSpan(0, 24 + 16 + 43 + 10).ToArray());
        Assert.Single(ReadAll(headerOnlyTail));
        Assert.Equal(10, headerOnlyTail.Counters.TruncatedTailBytes);

        var bad = new PcapSource(new byte[40]);
        Assert.Equal(PcapFormat.Invalid, bad.Format);
        Assert.True(bad.IsAtEnd);
        Assert.Empty(ReadAll(bad));
        Assert.Equal(PcapFormat.Invalid, new PcapSource(new byte[3]).Format);
    }
}
