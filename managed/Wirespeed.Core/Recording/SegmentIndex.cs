using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;

namespace Wirespeed.Core.Recording;

/// <summary>One time-index entry: the record at <see cref="Offset"/> of its segment was received at <see cref="ReceiveNs"/> and is record number <see cref="Ordinal"/> (from 0) of the segment.</summary>
public readonly record struct IndexEntry(long ReceiveNs, long Offset, long Ordinal);

/*
 * Time index of a segment, beside it (NNNNNNNN.wsx): a sparse list of (receive ns, file offset, record ordinal), one
 * entry every IndexEveryRecords records or IndexEveryMs of receive time, whichever comes first; the first record of a
 * segment always has one. Little-endian:
 *
 *   header 16 bytes: magic "WSJIDX01" (8) | version u32 | reserved u32
 *   entry  32 bytes: receive ns i64 | offset i64 | ordinal i64 | reserved u32 | CRC-32C of the 28 bytes before it u32
 *
 * The index is a hint, never the truth: a reader uses an entry only when it is intact and points inside the segment's
 * valid records, and scans forward from there. A missing or torn index costs a scan, never a wrong answer.
 */

/// <summary>Reads and encodes segment time indexes (layout above).</summary>
public static class SegmentIndex
{
    public const ulong Magic = 0x31305844494A5357;   // "WSJIDX01" read as little-endian
    public const int HeaderSize = 16, EntrySize = 32;

    /// <summary>The index file of a segment file.</summary>
    public static string PathOf(string segmentPath) => Path.ChangeExtension(segmentPath, ".wsx");

    public static void EncodeHeader(Span<byte> s)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(s, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(8), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(12), 0);
    }

    public static void EncodeEntry(Span<byte> s, in IndexEntry e)
    {
        BinaryPrimitives.WriteInt64LittleEndian(s, e.ReceiveNs);
        BinaryPrimitives.WriteInt64LittleEndian(s.Slice(8), e.Offset);
        BinaryPrimitives.WriteInt64LittleEndian(s.Slice(16), e.Ordinal);
        BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(24), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(28), JournalLayout.Crc32C(s.Slice(0, 28)));
    }

    /// <summary>
    /// The intact entries of <paramref name="indexPath"/> in order, up to the first damaged one or one at or past
    /// <paramref name="validEnd"/> (the end of the segment's valid records). Empty when the file is missing or not an index.
    /// </summary>
    public static List<IndexEntry> Load(string indexPath, long validEnd)
    {
        var list = new List<IndexEntry>();
        byte[] bytes;
        try { bytes = File.ReadAllBytes(indexPath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return list; }
        if (bytes.Length < HeaderSize || BinaryPrimitives.ReadUInt64LittleEndian(bytes) != Magic) return list;
        long lastNs = long.MinValue, lastOffset = -1;
        for (int p = HeaderSize; p + EntrySize <= bytes.Length; p += EntrySize)
        {
            var s = bytes.AsSpan(p, EntrySize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(s.Slice(28)) != JournalLayout.Crc32C(s.Slice(0, 28))) break;
            var e = new IndexEntry(BinaryPrimitives.ReadInt64LittleEndian(s), BinaryPrimitives.ReadInt64LittleEndian(s.Slice(8)), BinaryPrimitives.ReadInt64LittleEndian(s.Slice(16)));
            if (e.Offset >= validEnd || e.Offset <= lastOffset || e.ReceiveNs < lastNs) break;
            list.Add(e);
            lastNs = e.ReceiveNs;
            lastOffset = e.Offset;
        }
        return list;
    }

    /// <summary>The first entry of <paramref name="indexPath"/> (the segment's first record), or null when it is missing or damaged. Reads 48 bytes.</summary>
    public static IndexEntry? First(string indexPath)
    {
        Span<byte> b = stackalloc byte[HeaderSize + EntrySize];
        try
        {
            using var f = new FileStream(indexPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            if (f.ReadAtLeast(b, b.Length, throwOnEndOfStream: false) < b.Length) return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        if (BinaryPrimitives.ReadUInt64LittleEndian(b) != Magic) return null;
        var s = b.Slice(HeaderSize);
        if (BinaryPrimitives.ReadUInt32LittleEndian(s.Slice(28)) != JournalLayout.Crc32C(s.Slice(0, 28))) return null;
        return new IndexEntry(BinaryPrimitives.ReadInt64LittleEndian(s), BinaryPrimitives.ReadInt64LittleEndian(s.Slice(8)), BinaryPrimitives.ReadInt64LittleEndian(s.Slice(16)));
    }

    /// <summary>The last entry received at or before <paramref name="receiveNs"/>, or -1 when every entry is later.</summary>
    public static int Floor(List<IndexEntry> entries, long receiveNs)
    {
        int lo = 0, hi = entries.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (entries[mid].ReceiveNs <= receiveNs) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }
}
