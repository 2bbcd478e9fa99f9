using System;
using System.Buffers.Binary;
using System.IO;

namespace Wirespeed.Core.Recording;

/// <summary>
/// Cold path: writes a classic libpcap file (little-endian, nanosecond magic 0xA1B23C4D, link type 1 Ethernet) whose
/// records are UDP datagrams in IPv4 in Ethernet II. Used to dump the quarantine and to build test captures.
/// </summary>
public sealed class PcapWriter : IDisposable
{
    /// <summary>Ethernet(14) + IPv4 without options(20) + UDP(8).</summary>
    public const int UdpOverhead = 42;
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _frame = new byte[16 + UdpOverhead + 65535];

    public PcapWriter(Stream stream, bool leaveOpen = false)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        Span<byte> h = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0xA1B23C4D); // nanosecond-resolution magic
        BinaryPrimitives.WriteUInt16LittleEndian(h.Slice(4), 2);  // version 2.4
        BinaryPrimitives.WriteUInt16LittleEndian(h.Slice(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(h.Slice(8), 0);  // thiszone
        BinaryPrimitives.WriteUInt32LittleEndian(h.Slice(12), 0); // sigfigs
        BinaryPrimitives.WriteUInt32LittleEndian(h.Slice(16), 65535 + UdpOverhead); // snaplen
        BinaryPrimitives.WriteUInt32LittleEndian(h.Slice(20), 1);  // LINKTYPE_ETHERNET
        _stream.Write(h);
    }

    /// <summary>Appends one record: <paramref name="payload"/> as a UDP datagram to <paramref name="udpPort"/>.</summary>
    public void WriteUdp(ReadOnlySpan<byte> payload, long timestampNs, ushort udpPort)
    {
        if (payload.Length > 65535 - 28) ThrowHelper.Argument(nameof(payload), $"payload of {payload.Length} bytes does not fit one IPv4 datagram.");
        int frameLength = UdpOverhead + payload.Length;
        Span<byte> f = _frame.AsSpan(0, 16 + frameLength);
        f.Clear();
        long seconds = Math.DivRem(timestampNs, 1_000_000_000L, out long ns);
        if (ns < 0) { seconds--; ns += 1_000_000_000L; }
        BinaryPrimitives.WriteUInt32LittleEndian(f, (uint)seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(f.Slice(4), (uint)ns);
        BinaryPrimitives.WriteUInt32LittleEndian(f.Slice(8), (uint)frameLength);
        BinaryPrimitives.WriteUInt32LittleEndian(f.Slice(12), (uint)frameLength);
        Span<byte> eth = f.Slice(16);
        eth[0] = 0x01; eth[1] = 0x00; eth[2] = 0x5E;                 // multicast destination MAC prefix
        BinaryPrimitives.WriteUInt16BigEndian(eth.Slice(12), 0x0800); // IPv4
        Span<byte> ip = eth.Slice(14);
        ip[0] = 0x45;                                                 // version 4, IHL 5 words
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(2), (ushort)(20 + 8 + payload.Length));
        ip[8] = 64;                                                   // TTL
        ip[9] = 17;                                                   // UDP
        ip[12] = 127; ip[15] = 1; ip[16] = 239; ip[19] = 1;           // 127.0.0.1 -> 239.0.0.1
        Span<byte> udp = ip.Slice(20);
        BinaryPrimitives.WriteUInt16BigEndian(udp, udpPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(2), udpPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(4), (ushort)(8 + payload.Length));
        payload.CopyTo(udp.Slice(8));
        _stream.Write(f);
    }

    public void Dispose()
    {
        _stream.Flush();
        if (!_leaveOpen) _stream.Dispose();
    }
}
