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
/// <see cref="Open"/> streams the file through a refilling buffer with 64-bit offsets (captures of a trading day are
/// tens of GB); the byte-array constructor works on memory. <see cref="Poll{THandler}"/> never allocates. A record
/// longer than the buffer is skipped and counted (<see cref="PcapCounters.OversizedRecords"/>). Dispose closes the file.
/// Each payload's <see cref="PacketInfo.ReceiveTimestampNs"/> is the record's capture time in Unix-epoch ns (the
/// virtual clock of a deterministic replay), with the configured line id and <see cref="PacketSourceKind.Pcap"/>.
/// </remarks>
public sealed class PcapSource : IPacketSource, IDisposable
{
    /// <summary>Buffer of <see cref="Open"/>: 8 MiB.</summary>
    public const int DefaultBufferSize = 8 << 20;
    /// <summary>Smallest buffer: a record header and a 64 KiB frame.</summary>
    public const int MinBufferSize = RecordHeaderSize + 65536;

    public const int GlobalHeaderSize = 24;
    public const int RecordHeaderSize = 16;
    public const uint LinkTypeEthernet = 1;
    public const uint LinkTypeRaw = 101;
    public const uint LinkTypeIpv4 = 228;

    private readonly FileWindow _data;
    private readonly bool _swapped;
    private readonly byte _lineId;
    private long _offset;

    public PcapSource(byte[] data, byte lineId = 0) : this(new FileWindow(data), lineId) { }

    private PcapSource(FileWindow data, byte lineId)
    {
        _data = data;
        _lineId = lineId;
        if (!data.TryGet(0, GlobalHeaderSize, out ReadOnlySpan<byte> header)) { Format = PcapFormat.Invalid; _offset = data.Length; return; }
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        switch (magic)
        {
            case 0xA1B2C3D4: Format = PcapFormat.Microseconds; break;
            case 0xD4C3B2A1: Format = PcapFormat.Microseconds; _swapped = true; break;
            case 0xA1B23C4D: Format = PcapFormat.Nanoseconds; break;
            case 0x4D3CB2A1: Format = PcapFormat.Nanoseconds; _swapped = true; break;
            default: Format = PcapFormat.Invalid; _offset = data.Length; return;
        }
        LinkType = U32(header, GlobalHeaderSize - 4);
        _offset = GlobalHeaderSize;
    }

    /// <summary>Cold path: opens the file for streaming through a buffer of <paramref name="bufferSize"/> bytes (any file size).</summary>
    public static PcapSource Open(string path, byte lineId = 0, int bufferSize = DefaultBufferSize)
    {
        if (bufferSize < MinBufferSize)
            throw new ArgumentOutOfRangeException(nameof(bufferSize), $"{nameof(bufferSize)}={bufferSize} must hold a record header and a 64 KiB frame, at least {MinBufferSize}.");
        return new PcapSource(new FileWindow(path, bufferSize), lineId);
    }

    /// <summary>Closes the file (nothing to do for the byte-array constructor).</summary>
    public void Dispose() => _data.Dispose();

    public PcapFormat Format { get; }
    /// <summary>True when the file was written big-endian (relative to this reader's little-endian view).</summary>
    public bool IsByteSwapped => _swapped;
    public uint LinkType { get; }
    public PcapCounters Counters { get; } = new();
    /// <summary>True when every record has been read.</summary>
    public bool IsAtEnd => _offset >= _data.Length;
    /// <summary>Byte offset of the next record header.</summary>
    public long Offset => _offset;
    /// <summary>File length in bytes.</summary>
    public long Length => _data.Length;

    /// <summary>
    /// After reading: what the file held that was not decoded, by cause. Frames of other traffic (not IPv4, not UDP)
    /// are a capture's normal content and do not count; a cut-off file, damaged records and frames this reader cannot
    /// parse do. Cold path.
    /// </summary>
    public ReadCompleteness Completeness()
    {
        var c = Counters;
        var verdict = new ReadCompleteness();
        if (_data.ReadError is { } error) verdict.Add(error + " (the file could not be read past it)");
        if (c.TruncatedTailBytes > 0)
            verdict.Add($"truncated tail: the last {c.TruncatedTailBytes:N0} bytes are not a whole record (the capture was cut short: a crash, a full disk, or a copy still in progress)");
        if (c.OversizedRecords > 0)
            verdict.Add($"oversized records: {c.OversizedRecords:N0} record(s) longer than the {_data.Capacity - RecordHeaderSize:N0}-byte read buffer skipped unread (no frame of a UDP feed is that long: a damaged record header)");
        if (c.UnsupportedLinkType > 0)
            verdict.Add($"unsupported link type {LinkType}: {c.UnsupportedLinkType:N0} record(s) not decoded (this reader parses Ethernet, link type 1, and raw IPv4, 101 and 228: capture on an Ethernet interface or convert with editcap -T ether)");
        if (c.TruncatedUdp > 0)
            verdict.Add($"truncated UDP: {c.TruncatedUdp:N0} datagram(s) whose UDP header or length runs past the IP payload (damaged frames)");
        if (c.TruncatedIp > 0)
            verdict.Add($"truncated IP: {c.TruncatedIp:N0} packet(s) whose IPv4 total length runs past the bytes captured (a snap length shorter than the packets: capture with -s 0)");
        if (c.BadIhl > 0)
            verdict.Add($"bad IPv4 header length: {c.BadIhl:N0} packet(s) with IHL below 5 words or past the frame (damaged frames)");
        if (c.ShortFrames > 0)
            verdict.Add($"short frames: {c.ShortFrames:N0} frame(s) too short for their Ethernet and VLAN headers (damaged, or cut by the snap length)");
        if (c.Fragments > 0)
            verdict.Add($"IP fragments: {c.Fragments:N0} fragment(s) not reassembled (this reader decodes whole datagrams; a market-data feed does not fragment)");
        return verdict;
    }

    /// <summary>Rewinds to the first record (counters are kept).</summary>
    public void Rewind() { if (Format != PcapFormat.Invalid) _offset = GlobalHeaderSize; }

    /// <summary>Delivers up to <paramref name="limit"/> UDP payloads; returns how many. Frames skipped for a fault do not count toward the limit.</summary>
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, Core.Ingress.IPacketHandler
    {
        int delivered = 0;
        while (delivered < limit && _offset < _data.Length)
        {
            long left = _data.Length - _offset;
            if (left < RecordHeaderSize || !_data.TryGet(_offset, RecordHeaderSize, out ReadOnlySpan<byte> header)) { Torn(left); break; }
            uint seconds = U32(header, 0);
            uint fraction = U32(header, 4);
            uint included = U32(header, 8);
            if (included > (ulong)(left - RecordHeaderSize)) { Torn(left); break; }
            if (included > (uint)(_data.Capacity - RecordHeaderSize))
            {
                Counters.Records++;
                Counters.OversizedRecords++; // no frame of a UDP feed is this long: skip it unread
                _offset += RecordHeaderSize + (long)included;
                continue;
            }
            if (!_data.TryGet(_offset, RecordHeaderSize + (int)included, out ReadOnlySpan<byte> record)) { Torn(left); break; }
            ReadOnlySpan<byte> frame = record.Slice(RecordHeaderSize);
            _offset += RecordHeaderSize + (long)included;
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

    private void Torn(long left)
    {
        Counters.TruncatedTailBytes += left;
        _offset = _data.Length;
    }

    private uint U32(ReadOnlySpan<byte> bytes, int offset)
    {
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(offset));
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
