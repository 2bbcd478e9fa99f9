using System;
using System.Buffers.Binary;
using System.IO;
using Wirespeed.Core.Ingress;

namespace Wirespeed.Feeds.Replay;

/// <summary>What the pcap global header said.</summary>
public enum PcapFormat : byte
{
    /// <summary>Not a classic pcap file (bad magic or a header shorter than 24 bytes).</summary>
    Invalid = 0,
    Microseconds = 1,
    Nanoseconds = 2,
}

/// <summary>
/// Replays a classic libpcap file (both byte orders, micro- and nanosecond variants) as UDP payloads through the
/// polling contract. Frames: Ethernet II with any number of 802.1Q / 802.1ad tags (link type 1), or raw IPv4 (link
/// types 101 and 228); IPv4 with its IHL checked; UDP. Every frame that is not a deliverable UDP payload is counted
/// by cause in <see cref="Counters"/> and skipped; nothing in the file makes it throw.
/// </summary>
/// <remarks>
/// The file is read into memory once at construction (cold path); <see cref="Poll{THandler}"/> then never allocates.
/// Each payload's <see cref="PacketInfo.ReceiveTimestampNs"/> is the record's capture time in Unix-epoch ns (the
/// virtual clock of a deterministic replay), with the configured line id and <see cref="PacketSourceKind.Pcap"/>.
/// </remarks>
public sealed class PcapSource : IPacketSource
{
    public const int GlobalHeaderSize = 24;
    public const int RecordHeaderSize = 16;
    public const uint LinkTypeEthernet = 1;
    public const uint LinkTypeRaw = 101;
    public const uint LinkTypeIpv4 = 228;

    private readonly byte[] _data;
    private readonly bool _swapped;
    private readonly byte _lineId;
    private int _offset;

    public PcapSource(byte[] data, byte lineId = 0)
    {
        _data = data;
        _lineId = lineId;
        if (data.Length < GlobalHeaderSize) { Format = PcapFormat.Invalid; _offset = data.Length; return; }
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(data);
        switch (magic)
        {
            case 0xA1B2C3D4: Format = PcapFormat.Microseconds; break;
            case 0xD4C3B2A1: Format = PcapFormat.Microseconds; _swapped = true; break;
            case 0xA1B23C4D: Format = PcapFormat.Nanoseconds; break;
            case 0x4D3CB2A1: Format = PcapFormat.Nanoseconds; _swapped = true; break;
            default: Format = PcapFormat.Invalid; _offset = data.Length; return;
        }
        LinkType = U32(GlobalHeaderSize - 4);
        _offset = GlobalHeaderSize;
    }

    /// <summary>Cold path: reads the whole file.</summary>
    public static PcapSource Open(string path, byte lineId = 0) => new(File.ReadAllBytes(path), lineId);

    public PcapFormat Format { get; }
    /// <summary>True when the file was written big-endian (relative to this reader's little-endian view).</summary>
    public bool IsByteSwapped => _swapped;
    public uint LinkType { get; }
    public PcapCounters Counters { get; } = new();
    /// <summary>True when every record has been read.</summary>
    public bool IsAtEnd => _offset >= _data.Length;

    /// <summary>Rewinds to the first record (counters are kept).</summary>
    public void Rewind() { if (Format != PcapFormat.Invalid) _offset = GlobalHeaderSize; }

    /// <summary>Delivers up to <paramref name="limit"/> UDP payloads; returns how many. Frames skipped for a fault do not count toward the limit.</summary>
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, Core.Ingress.IPacketHandler
    {
        int delivered = 0;
        while (delivered < limit && _offset < _data.Length)
        {
            int left = _data.Length - _offset;
            if (left < RecordHeaderSize) { Torn(left); break; }
            uint seconds = U32(_offset);
            uint fraction = U32(_offset + 4);
            uint included = U32(_offset + 8);
            if (included > (uint)(left - RecordHeaderSize)) { Torn(left); break; }
            ReadOnlySpan<byte> frame = new ReadOnlySpan<byte>(_data, _offset + RecordHeaderSize, (int)included);
            _offset += RecordHeaderSize + (int)included;
            Counters.Records++;
            long ns = seconds * 1_000_000_000L + (Format == PcapFormat.Nanoseconds ? fraction : fraction * 1_000L);
            if (!TryExtractUdp(frame, LinkType, Counters, out ReadOnlySpan<byte> payload)) continue;
            Counters.UdpPayloads++;
            var info = new PacketInfo(ns, _lineId, PacketSourceKind.Pcap);
            handler.OnPacket(payload, in info);
            delivered++;
        }
        return delivered;
    }

    private void Torn(int left)
    {
        Counters.TruncatedTailBytes += left;
        _offset = _data.Length;
    }

    private uint U32(int offset)
    {
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(_data.AsSpan(offset));
        return _swapped ? BinaryPrimitives.ReverseEndianness(v) : v;
    }

    /// <summary>
    /// Finds the UDP payload of one captured frame, or counts why there is none. Public so that live capture paths
    /// (AF_XDP, raw sockets) can share it.
    /// </summary>
    public static bool TryExtractUdp(ReadOnlySpan<byte> frame, uint linkType, PcapCounters counters, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        ReadOnlySpan<byte> ip;
        if (linkType == LinkTypeEthernet)
        {
            // Ethernet II: dst(6) src(6) EtherType(2); 802.1Q (0x8100) and 802.1ad (0x88A8) insert 4 bytes each.
            if (frame.Length < 14) { counters.ShortFrames++; return false; }
            int offset = 12;
            ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset));
            while (etherType == 0x8100 || etherType == 0x88A8)
            {
                offset += 4;
                if (frame.Length < offset + 2) { counters.ShortFrames++; return false; }
                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset));
            }
            if (etherType != 0x0800) { counters.NotIpv4++; return false; }
            ip = frame.Slice(offset + 2);
        }
        else if (linkType == LinkTypeRaw || linkType == LinkTypeIpv4)
        {
            ip = frame;
        }
        else { counters.UnsupportedLinkType++; return false; }

        if (ip.IsEmpty || (ip[0] >> 4) != 4) { counters.NotIpv4++; return false; }
        int ihl = (ip[0] & 0x0F) * 4;
        if (ihl < 20 || ihl > ip.Length) { counters.BadIhl++; return false; }
        int total = BinaryPrimitives.ReadUInt16BigEndian(ip.Slice(2));
        if (total < ihl || total > ip.Length) { counters.TruncatedIp++; return false; } // frames may carry Ethernet padding past total
        if (ip[9] != 17) { counters.NotUdp++; return false; }
        ushort fragment = BinaryPrimitives.ReadUInt16BigEndian(ip.Slice(6));
        if ((fragment & 0x3FFF) != 0) { counters.Fragments++; return false; } // MF flag or offset
        ReadOnlySpan<byte> udp = ip.Slice(ihl, total - ihl);
        if (udp.Length < 8) { counters.TruncatedUdp++; return false; }
        int udpLength = BinaryPrimitives.ReadUInt16BigEndian(udp.Slice(4));
        if (udpLength < 8 || udpLength > udp.Length) { counters.TruncatedUdp++; return false; }
        payload = udp.Slice(8, udpLength - 8);
        return true;
    }
}
