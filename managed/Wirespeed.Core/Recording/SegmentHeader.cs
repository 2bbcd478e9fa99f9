using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace Wirespeed.Core.Recording;

/// <summary>A recorded feed line as the segment header names it: id, the group or address and port it was received on, and its name.</summary>
/// <param name="Id">Line id stamped on its records (0-255).</param>
/// <param name="Group">IPv4 destination (multicast group or unicast address) in network byte order, or 0 when unknown.</param>
/// <param name="Port">UDP destination port, or 0 when unknown.</param>
/// <param name="Name">Configured name (at most 39 UTF-8 bytes are kept).</param>
public sealed record JournalLine(byte Id, uint Group, ushort Port, string Name);

/*
 * Segment header (little-endian), then records to the end of the file:
 *
 *   0   magic "WSJSEG01" (8)           8   format version u16      10  reserved u16     12  header length u32
 *   16  segment number u32             20  line count u32          24  start realtime ns i64 (Unix epoch)
 *   32  start monotonic ns i64 (the clock of the records' receive timestamps)
 *   40  configuration digest (32 bytes, SHA-256 of the configuration the run used; zeros when none)
 *   72  line table: line count x 48 bytes = id u8 | reserved u8 | port u16 | IPv4 group (4, network order) |
 *       name length u8 | name (39, UTF-8, zero padded)
 *   end CRC-32C of every header byte before it (u32)
 */

/// <summary>The header of one segment file: format version, line table, configuration digest, start time.</summary>
public sealed record SegmentHeader
{
    public const ulong Magic = 0x31304745534A5357;   // "WSJSEG01" read as little-endian
    /// <summary>
    /// Version written. 2: records may carry <see cref="RecordFlags.BatchStart"/> (where the receiving worker's batches
    /// began). 1: the same layout without that flag; still read (a replay of it cannot reproduce the live batches).
    /// </summary>
    public const ushort CurrentVersion = 2;
    /// <summary>Oldest version this build reads.</summary>
    public const ushort OldestVersion = 1;
    public const int FixedSize = 72, LineEntrySize = 48, MaxNameBytes = 39, DigestSize = 32;
    /// <summary>Most lines one header lists (line ids are one byte).</summary>
    public const int MaxLines = 256;

    public ushort Version { get; init; } = CurrentVersion;
    public uint Segment { get; init; }
    public long StartRealtimeNs { get; init; }
    public long StartMonotonicNs { get; init; }
    public byte[] ConfigDigest { get; init; } = new byte[DigestSize];
    public IReadOnlyList<JournalLine> Lines { get; init; } = [];

    /// <summary>Bytes this header takes at the start of its segment.</summary>
    public int Size => SizeFor(Lines.Count);

    public static int SizeFor(int lines) => FixedSize + lines * LineEntrySize + 4;

    /// <summary>Maps a receive timestamp (monotonic ns) of this segment's run to Unix-epoch ns.</summary>
    public long ToRealtimeNs(long receiveNs) => StartRealtimeNs + (receiveNs - StartMonotonicNs);

    /// <summary>The receive time (the records' monotonic clock) of wall time <paramref name="realtimeNs"/> (Unix-epoch ns): the inverse of <see cref="ToRealtimeNs"/>.</summary>
    public long ToReceiveNs(long realtimeNs) => StartMonotonicNs + (realtimeNs - StartRealtimeNs);

    /// <summary>The line named by <paramref name="id"/>, or null.</summary>
    public JournalLine? Line(byte id)
    {
        foreach (var l in Lines) if (l.Id == id) return l;
        return null;
    }

    public byte[] Encode()
    {
        if (Lines.Count > MaxLines) throw new ArgumentException($"{Lines.Count} lines: a segment header lists at most {MaxLines}");
        var b = new byte[Size];
        var s = b.AsSpan();
        BinaryPrimitives.WriteUInt64LittleEndian(s, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(s.Slice(8), Version);
        BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(12), (uint)b.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(16), Segment);
        BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(20), (uint)Lines.Count);
        BinaryPrimitives.WriteInt64LittleEndian(s.Slice(24), StartRealtimeNs);
        BinaryPrimitives.WriteInt64LittleEndian(s.Slice(32), StartMonotonicNs);
        ConfigDigest.AsSpan(0, Math.Min(DigestSize, ConfigDigest.Length)).CopyTo(s.Slice(40));
        for (int i = 0; i < Lines.Count; i++)
        {
            var e = s.Slice(FixedSize + i * LineEntrySize, LineEntrySize);
            var l = Lines[i];
            e[0] = l.Id;
            BinaryPrimitives.WriteUInt16LittleEndian(e.Slice(2), l.Port);
            BinaryPrimitives.WriteUInt32BigEndian(e.Slice(4), l.Group);
            byte[] name = Encoding.UTF8.GetBytes(l.Name);
            int n = Math.Min(name.Length, MaxNameBytes);
            e[8] = (byte)n;
            name.AsSpan(0, n).CopyTo(e.Slice(9));
        }
        BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(b.Length - 4), JournalLayout.Crc32C(s.Slice(0, b.Length - 4)));
        return b;
    }

    /// <summary>
    /// True when <paramref name="file"/> (a whole segment file) is the beginning of a header and nothing more: a segment
    /// cut off by a crash right after it was created (empty, or part of its header). It holds no record.
    /// </summary>
    public static bool IsCutOff(ReadOnlySpan<byte> file)
    {
        Span<byte> magic = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(magic, Magic);
        int n = Math.Min(file.Length, 8);
        if (!file.Slice(0, n).SequenceEqual(magic.Slice(0, n))) return false;
        if (file.Length < 16) return true;
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(12));
        return file.Length < size && size <= SizeFor(MaxLines);
    }

    /// <summary>
    /// Reads a header from the start of a segment. Returns null with <paramref name="problem"/> set when the bytes are
    /// too short (a segment cut off while its header was written), not a segment, of a newer version, or damaged.
    /// </summary>
    public static SegmentHeader? TryDecode(ReadOnlySpan<byte> s, out string? problem)
    {
        problem = null;
        if (s.Length < FixedSize + 4) { problem = $"{s.Length} bytes: shorter than a segment header"; return null; }
        if (BinaryPrimitives.ReadUInt64LittleEndian(s) != Magic) { problem = "not a journal segment (magic is not WSJSEG01)"; return null; }
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(s.Slice(8));
        if (version < OldestVersion || version > CurrentVersion) { problem = $"format version {version}; this build reads versions {OldestVersion} to {CurrentVersion}"; return null; }
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(s.Slice(12));
        uint lines = BinaryPrimitives.ReadUInt32LittleEndian(s.Slice(20));
        if (lines > MaxLines || size != SizeFor((int)lines)) { problem = $"header length {size} does not fit {lines} lines"; return null; }
        if (s.Length < size) { problem = $"{s.Length} bytes: the header ({size} bytes) was cut off"; return null; }
        if (BinaryPrimitives.ReadUInt32LittleEndian(s.Slice((int)size - 4)) != JournalLayout.Crc32C(s.Slice(0, (int)size - 4)))
        { problem = "header CRC-32C does not match"; return null; }
        var table = new JournalLine[lines];
        for (int i = 0; i < table.Length; i++)
        {
            var e = s.Slice(FixedSize + i * LineEntrySize, LineEntrySize);
            int n = Math.Min((int)e[8], MaxNameBytes);
            table[i] = new JournalLine(e[0], BinaryPrimitives.ReadUInt32BigEndian(e.Slice(4)), BinaryPrimitives.ReadUInt16LittleEndian(e.Slice(2)),
                Encoding.UTF8.GetString(e.Slice(9, n)));
        }
        return new SegmentHeader
        {
            Version = version,
            Segment = BinaryPrimitives.ReadUInt32LittleEndian(s.Slice(16)),
            StartRealtimeNs = BinaryPrimitives.ReadInt64LittleEndian(s.Slice(24)),
            StartMonotonicNs = BinaryPrimitives.ReadInt64LittleEndian(s.Slice(32)),
            ConfigDigest = s.Slice(40, DigestSize).ToArray(),
            Lines = table,
        };
    }
}
