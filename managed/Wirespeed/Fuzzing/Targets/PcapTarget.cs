using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Wirespeed.Core.Ingress;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Replay;

namespace Wirespeed.Fuzzing.Targets;

/// <summary>
/// pcap: what <c>wirespeed replay --format pcap</c> runs, in process: <see cref="PcapSource"/> over the bytes (frames,
/// VLAN tags, IPv4, UDP), MoldUDP64 sequencing ("auto": off for an anonymised capture), ITCH 5.0 decoding and books.
/// Rejection causes: a bad magic number, the source's frame counters, then the decoder's and the books' (see
/// <see cref="ReplayChain.FirstCause"/>). Seeds: the real NASDAQ captures of shared/data/itch.
/// </summary>
public sealed class PcapTarget : IFuzzTarget, IStructuredMutations
{
    private readonly ReplayChain _chain = new();

    public PcapTarget(IReadOnlyList<byte[]> seeds) => Seeds = seeds;

    public string Format => "pcap";
    public string Extension => ".pcap";
    public IReadOnlyList<byte[]> Seeds { get; }
    public IStructuredMutations Structured => this;
    public int MaxBytes => 256 * 1024;

    public string? Run(byte[] input)
    {
        var source = new PcapSource(input);
        if (source.Format == PcapFormat.Invalid) return "frames.bad_magic";
        var handler = _chain.Begin(checkSequence: !FirstPacketIsAnonymised(input));
        ReplayChain.Drain(source, ref handler);
        var c = source.Counters;
        if (c.TruncatedTailBytes > 0) return "frames.truncated_tail";
        if (c.OversizedRecords > 0) return "frames.oversized_records";
        if (c.UnsupportedLinkType > 0) return "frames.unsupported_link_type";
        if (c.ShortFrames > 0) return "frames.short_frames";
        if (c.NotIpv4 > 0) return "frames.not_ipv4";
        if (c.BadIhl > 0) return "frames.bad_ihl";
        if (c.TruncatedIp > 0) return "frames.truncated_ip";
        if (c.NotUdp > 0) return "frames.not_udp";
        if (c.Fragments > 0) return "frames.fragments";
        if (c.TruncatedUdp > 0) return "frames.truncated_udp";
        return _chain.FirstCause();
    }

    /// <summary>Replay's "auto" sequencing: off when the first UDP payload has a zeroed session and sequence.</summary>
    private static bool FirstPacketIsAnonymised(byte[] input)
    {
        var probe = new FirstPayload();
        new PcapSource(input).Poll(ref probe, 1);
        return probe.Anonymised;
    }

    private struct FirstPayload : IPacketHandler
    {
        public bool Anonymised;

        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
        {
            if (payload.Length < MoldPacketReader.HeaderSize) return;
            Anonymised = payload.Slice(0, MoldPacketReader.HeaderSize - 2).IndexOfAnyExcept((byte)0) < 0;
        }
    }

    /// <summary>
    /// Corrupts one field of the file's structure: the global header (magic, link type), a record's captured length,
    /// a frame's IPv4 IHL, total length or fragment bits, its UDP length, the MoldUDP64 message count or a message
    /// length prefix; or duplicates or drops a whole record (MoldUDP64 duplicates and gaps).
    /// </summary>
    public byte[] Mutate(byte[] input, ref FuzzRandom rng)
    {
        if (input.Length < PcapSource.GlobalHeaderSize) return input;
        var records = Records(input);
        var d = (byte[])input.Clone();
        if (records.Count == 0 || rng.OneIn(10))
        {
            if (rng.OneIn(2))
            {
                uint[] magics = { 0xA1B2C3D4, 0xD4C3B2A1, 0xA1B23C4D, 0x4D3CB2A1, 0 };
                BinaryPrimitives.WriteUInt32LittleEndian(d, magics[rng.Next(magics.Length)]);
            }
            else
            {
                uint[] links = { 0, 1, 101, 228, 113, 0xFFFF_FFFF };
                BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(20), links[rng.Next(links.Length)]);
            }
            return d;
        }
        var (at, length) = records[rng.Next(records.Count)];
        int frame = at + PcapSource.RecordHeaderSize;
        int ip = frame + 14;
        if (ip + 20 <= frame + length && BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(frame + 12)) == 0x8100) ip += 4;
        int ihl = ip < d.Length ? (d[ip] & 0x0F) * 4 : 20;
        int udp = ip + ihl, mold = udp + 8;
        long[] values = { 0, 1, 7, 8, 19, 20, 21, 0x7F, 0xFF, 0xFFFF, length, length + 1, length - 1, int.MaxValue, uint.MaxValue };
        long value = values[rng.Next(values.Length)] + (rng.OneIn(3) ? rng.Next(-4, 5) : 0);
        switch (rng.Next(9))
        {
            case 0: // captured length (and sometimes the original length) of the record
                BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(at + 8), (uint)value);
                if (rng.OneIn(2)) BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(at + 12), (uint)value);
                return d;
            case 1: // IPv4 version and IHL
                if (ip < d.Length) d[ip] = (byte)((rng.OneIn(4) ? rng.Next(16) : 4) << 4 | rng.Next(16));
                return d;
            case 2: // IPv4 total length
                return Word16(d, ip + 2, value);
            case 3: // fragment flags and offset
                return Word16(d, ip + 6, rng.OneIn(2) ? 0x2000 : rng.Next(0x10000));
            case 4: // UDP length
                return Word16(d, udp + 4, value);
            case 5: // MoldUDP64 message count
                return Word16(d, mold + 18, rng.OneIn(2) ? value : rng.Next(-3, 4) + (mold + 20 <= d.Length ? BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(mold + 18)) : 0));
            case 6: // first message's length prefix
                return Word16(d, mold + 20, value);
            case 7: // a whole record again (a duplicate), somewhere after the global header
            {
                int to = records[rng.Next(records.Count)].At;
                return Mutator.Insert(d, rng.OneIn(2) ? to : d.Length, input.AsSpan(at, Math.Min(PcapSource.RecordHeaderSize + length, input.Length - at)));
            }
            default: // a whole record removed (a gap)
                return Mutator.Replace(d, at, Math.Min(PcapSource.RecordHeaderSize + length, d.Length - at), ReadOnlySpan<byte>.Empty);
        }
    }

    private static byte[] Word16(byte[] d, int at, long value)
    {
        if (at >= 0 && at + 2 <= d.Length) BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(at), (ushort)value);
        return d;
    }

    /// <summary>Offsets and captured lengths of the whole records (little-endian files; others yield none).</summary>
    private static List<(int At, int Length)> Records(byte[] d)
    {
        var list = new List<(int, int)>();
        if (BinaryPrimitives.ReadUInt32LittleEndian(d) is not (0xA1B2C3D4 or 0xA1B23C4D)) return list;
        for (int at = PcapSource.GlobalHeaderSize; at + PcapSource.RecordHeaderSize <= d.Length && list.Count < 4096;)
        {
            uint included = BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(at + 8));
            if (included > d.Length - at - PcapSource.RecordHeaderSize) break;
            list.Add((at, (int)included));
            at += PcapSource.RecordHeaderSize + (int)included;
        }
        return list;
    }
}
