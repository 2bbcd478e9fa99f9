using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Wirespeed.Feeds.Udp;

/// <summary>Why a raw frame (AF_XDP) did or did not yield a UDP payload for us.</summary>
public enum FrameStatus : byte
{
    Ok = 0,
    /// <summary>Shorter than an Ethernet header (or a VLAN tag cut off).</summary>
    Short,
    /// <summary>Not IPv4 after any 802.1Q/802.1ad tags (ARP, IPv6 …): libxdp's default program redirects them all.</summary>
    WrongEtherType,
    /// <summary>IP version not 4, or header length below 20 bytes or past the frame.</summary>
    BadIhl,
    /// <summary>IP total length below the header or past the frame.</summary>
    TruncatedIp,
    /// <summary>A fragment (MF set or offset ≠ 0): MoldUDP64 datagrams fit a frame; fragments are rejected.</summary>
    Fragment,
    /// <summary>IPv4 header checksum wrong.</summary>
    BadChecksum,
    /// <summary>Not UDP (IGMP, ICMP, TCP …).</summary>
    NotUdp,
    /// <summary>UDP header or its length field past the IP payload, or below 8.</summary>
    TruncatedUdp,
    /// <summary>Valid UDP to another address or port.</summary>
    NotOurDestination,
}

/// <summary>One counter per <see cref="FrameStatus"/> (written by the polling thread only; read by the monitor).</summary>
public sealed class FrameCounters
{
    private readonly long[] _counts = new long[(int)FrameStatus.NotOurDestination + 1];

    /// <summary>Counts one frame with status <paramref name="s"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Increment(FrameStatus s) => _counts[(int)s]++;

    /// <summary>Frames counted with status <paramref name="s"/>.</summary>
    public long this[FrameStatus s] => _counts[(int)s];

    /// <summary>Frames rejected for any reason.</summary>
    public long Rejected
    {
        get
        {
            long n = 0;
            for (int i = 1; i < _counts.Length; i++) n += _counts[i];
            return n;
        }
    }
}

/// <summary>
/// Ethernet II (with any number of 802.1Q / 802.1ad tags) → IPv4 → UDP, checked field by field: what a kernel-bypass
/// receiver must do itself. The IPv4 header checksum is verified (RFC 791 §3.1; a one's-complement sum over the header
/// is 0xFFFF when correct). The UDP checksum is not: over veth and NICs with transmit offload a frame seen at XDP may
/// carry only the pseudo-header sum (CHECKSUM_PARTIAL), so a check would reject good frames; MoldUDP64 sequence numbers
/// and the ITCH parser catch corruption instead.
/// </summary>
public static class UdpFrameParser
{
    private const int EthernetHeader = 14;
    private const ushort EtherTypeIpv4 = 0x0800;
    private const ushort EtherTypeVlan = 0x8100;   // 802.1Q
    private const ushort EtherTypeQinQ = 0x88A8;   // 802.1ad

    /// <summary>
    /// Finds the UDP payload of <paramref name="frame"/> when it is addressed to <paramref name="address"/> (IPv4, host
    /// byte order, e.g. 0xEFFF0001 for 239.255.0.1) and <paramref name="port"/>. Never throws.
    /// </summary>
    public static FrameStatus TryParse(ReadOnlySpan<byte> frame, uint address, ushort port, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        if (frame.Length < EthernetHeader) return FrameStatus.Short;
        int offset = 12;
        ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset));
        while (etherType == EtherTypeVlan || etherType == EtherTypeQinQ)
        {
            offset += 4;
            if (frame.Length < offset + 2) return FrameStatus.Short;
            etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset));
        }
        if (etherType != EtherTypeIpv4) return FrameStatus.WrongEtherType;
        ReadOnlySpan<byte> ip = frame.Slice(offset + 2);
        if (ip.IsEmpty || (ip[0] >> 4) != 4) return FrameStatus.BadIhl;
        int ihl = (ip[0] & 0x0F) * 4;
        if (ihl < 20 || ihl > ip.Length) return FrameStatus.BadIhl;
        int total = BinaryPrimitives.ReadUInt16BigEndian(ip.Slice(2));
        if (total < ihl || total > ip.Length) return FrameStatus.TruncatedIp; // frames may carry padding past total
        if ((BinaryPrimitives.ReadUInt16BigEndian(ip.Slice(6)) & 0x3FFF) != 0) return FrameStatus.Fragment; // MF or offset
        if (!HeaderChecksumOk(ip.Slice(0, ihl))) return FrameStatus.BadChecksum;
        if (ip[9] != 17) return FrameStatus.NotUdp;
        ReadOnlySpan<byte> udp = ip.Slice(ihl, total - ihl);
        if (udp.Length < 8) return FrameStatus.TruncatedUdp;
        int udpLength = BinaryPrimitives.ReadUInt16BigEndian(udp.Slice(4));
        if (udpLength < 8 || udpLength > udp.Length) return FrameStatus.TruncatedUdp;
        if (BinaryPrimitives.ReadUInt32BigEndian(ip.Slice(16)) != address || BinaryPrimitives.ReadUInt16BigEndian(udp.Slice(2)) != port)
            return FrameStatus.NotOurDestination;
        payload = udp.Slice(8, udpLength - 8);
        return FrameStatus.Ok;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HeaderChecksumOk(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < header.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(header.Slice(i));
        while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return sum == 0xFFFF;
    }
}
