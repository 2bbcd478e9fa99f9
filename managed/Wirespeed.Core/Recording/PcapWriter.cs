using System;
using System.Buffers.Binary;
using System.IO;
using System.Net;
using System.Net.Sockets;

namespace Wirespeed.Core.Recording;

/// <summary>
/// Writes UDP payloads as Ethernet II / IPv4 / UDP frames into a pcap file (nanosecond variant, magic 0xA1B23C4D,
/// link type 1 = Ethernet), so tshark's MoldUDP64 dissector and our pcap replayer read them: the simulator's pcap
/// output and the quarantine dump both use it. Cold path (file I/O); one pre-allocated frame buffer, no allocation
/// per packet.
/// </summary>
/// <remarks>
/// <code>
///  pcap record: ts_sec u32 | ts_nsec u32 | incl_len u32 | orig_len u32   (file byte order: little-endian here)
///  frame:       dst MAC 6 | src MAC 6 | type 0x0800 | IPv4 header 20 | UDP header 8 | payload
/// </code>
/// A multicast destination gets the 01:00:5E MAC mapped from the low 23 bits of the group (RFC 1112 §6.4).
/// </remarks>
public sealed class PcapWriter : IDisposable
{
    private const int EthernetLength = 14, Ipv4Length = 20, UdpLength = 8;
    private const int FrameHeaderLength = EthernetLength + Ipv4Length + UdpLength;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly byte[] _frame = new byte[16 + FrameHeaderLength + 65_535];
    private readonly long _midnightEpochNs;
    private ushort _ipId;

    /// <param name="stream">Destination; the 24-byte global header is written at once.</param>
    /// <param name="source">Source IPv4 address and port.</param>
    /// <param name="destination">Destination IPv4 address (unicast or multicast) and port.</param>
    /// <param name="midnightEpochNs">ns since the Unix epoch of the session's midnight; packet timestamps (ns since midnight) are added to it. Default: 2026-01-02T00:00Z.</param>
    /// <param name="ownsStream">Whether Dispose closes the stream.</param>
    public PcapWriter(Stream stream, IPEndPoint source, IPEndPoint destination, long midnightEpochNs = 1_767_312_000L * 1_000_000_000L, bool ownsStream = false)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.AddressFamily != AddressFamily.InterNetwork || destination.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException("pcap frames are IPv4: give IPv4 source and destination addresses.");
        _ownsStream = ownsStream;
        _midnightEpochNs = midnightEpochNs;

        Span<byte> g = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(g, 0xA1B23C4D);   // nanosecond-resolution pcap
        BinaryPrimitives.WriteUInt16LittleEndian(g.Slice(4), 2);    // version 2.4
        BinaryPrimitives.WriteUInt16LittleEndian(g.Slice(6), 4);
        BinaryPrimitives.WriteInt32LittleEndian(g.Slice(8), 0);     // thiszone
        BinaryPrimitives.WriteUInt32LittleEndian(g.Slice(12), 0);   // sigfigs
        BinaryPrimitives.WriteUInt32LittleEndian(g.Slice(16), 65_535);
        BinaryPrimitives.WriteUInt32LittleEndian(g.Slice(20), 1);   // LINKTYPE_ETHERNET
        _stream.Write(g);

        // Fixed parts of the frame, filled once.
        Span<byte> f = _frame.AsSpan(16);
        byte[] dst = destination.Address.GetAddressBytes();
        byte[] src = source.Address.GetAddressBytes();
        if (dst[0] >= 224 && dst[0] <= 239)
        {
            f[0] = 0x01; f[1] = 0x00; f[2] = 0x5E;
            f[3] = (byte)(dst[1] & 0x7F); f[4] = dst[2]; f[5] = dst[3];
        }
        else
        {
            f[0] = 0x02; f[5] = 0x02; // locally administered unicast MAC
        }
        f[6] = 0x02; f[11] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(f.Slice(12), 0x0800);
        Span<byte> ip = f.Slice(EthernetLength);
        ip[0] = 0x45;                                                // version 4, IHL 5
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(6), 0x4000);  // don't fragment
        ip[8] = 1;                                                   // TTL
        ip[9] = 17;                                                  // UDP
        src.CopyTo(ip.Slice(12));
        dst.CopyTo(ip.Slice(16));
        Span<byte> udp = ip.Slice(Ipv4Length);
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(2), (ushort)destination.Port);
    }

    /// <summary>
    /// Sends the following frames to <paramref name="destination"/>:<paramref name="port"/> (an export of several
    /// lines, each to its own group): rewrites the destination MAC, IPv4 address and UDP port of the frame template.
    /// </summary>
    public void Retarget(IPAddress destination, int port)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.AddressFamily != AddressFamily.InterNetwork) throw new ArgumentException("pcap frames are IPv4: give an IPv4 destination.");
        Span<byte> f = _frame.AsSpan(16);
        Span<byte> dst = stackalloc byte[4];
        destination.TryWriteBytes(dst, out _);
        if (dst[0] >= 224 && dst[0] <= 239)
        {
            f[0] = 0x01; f[1] = 0x00; f[2] = 0x5E;
            f[3] = (byte)(dst[1] & 0x7F); f[4] = dst[2]; f[5] = dst[3];
        }
        else
        {
            f.Slice(0, 6).Clear();
            f[0] = 0x02; f[5] = 0x02;
        }
        dst.CopyTo(f.Slice(EthernetLength + 16));
        BinaryPrimitives.WriteUInt16BigEndian(f.Slice(EthernetLength + Ipv4Length + 2), (ushort)port);
    }

    /// <summary>Creates (or truncates) a pcap file at <paramref name="path"/>.</summary>
    public static PcapWriter Create(string path, IPEndPoint source, IPEndPoint destination) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16), source, destination, ownsStream: true);

    /// <summary>Frames written so far.</summary>
    public long Frames { get; private set; }

    /// <summary>Writes one UDP payload stamped <paramref name="timestampNs"/> ns after the session's midnight.</summary>
    public void Write(ReadOnlySpan<byte> udpPayload, long timestampNs)
    {
        if (udpPayload.Length > 65_507) throw new ArgumentException("A UDP payload over IPv4 is at most 65507 bytes.", nameof(udpPayload));
        long epochNs = _midnightEpochNs + timestampNs;
        long seconds = Math.DivRem(epochNs, 1_000_000_000L, out long nanos);
        if (nanos < 0) { seconds--; nanos += 1_000_000_000L; }     // a timestamp before the epoch stays a valid record
        int frameLength = FrameHeaderLength + udpPayload.Length;
        Span<byte> rec = _frame.AsSpan(0, 16);
        BinaryPrimitives.WriteUInt32LittleEndian(rec, (uint)seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(rec.Slice(4), (uint)nanos);
        BinaryPrimitives.WriteUInt32LittleEndian(rec.Slice(8), (uint)frameLength);
        BinaryPrimitives.WriteUInt32LittleEndian(rec.Slice(12), (uint)frameLength);

        Span<byte> ip = _frame.AsSpan(16 + EthernetLength, Ipv4Length);
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(2), (ushort)(Ipv4Length + UdpLength + udpPayload.Length));
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(4), _ipId++);
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(10), 0);
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(10), Ipv4Checksum(ip));
        Span<byte> udp = _frame.AsSpan(16 + EthernetLength + Ipv4Length, UdpLength);
        BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(4), (ushort)(UdpLength + udpPayload.Length));
        BinaryPrimitives.WriteUInt16BigEndian(udp.Slice(6), 0); // UDP checksum optional over IPv4 (RFC 768): 0 = none
        udpPayload.CopyTo(_frame.AsSpan(16 + FrameHeaderLength));
        _stream.Write(_frame, 0, 16 + frameLength);
        Frames++;
    }

    /// <summary>RFC 791 header checksum: ones' complement of the ones' complement sum of the 16-bit words.</summary>
    internal static ushort Ipv4Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < header.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(header.Slice(i));
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    public void Flush() => _stream.Flush();

    public void Dispose()
    {
        _stream.Flush();
        if (_ownsStream) _stream.Dispose();
    }
}
