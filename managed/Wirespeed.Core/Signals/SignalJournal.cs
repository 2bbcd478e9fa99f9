using System;
using System.Buffers.Binary;

namespace Wirespeed.Core.Signals;

/*
 * Signal journal: an append-only file of fixed-size records, one per signal.
 *
 *   0                                  64        68        72
 *   +----------------------------------+---------+---------+
 *   | Signal (64 bytes, as in memory)  | magic   | CRC-32C |
 *   +----------------------------------+---------+---------+
 *
 * magic = "WSG1" little-endian; the CRC covers bytes 0..67 (signal and magic). A record is valid when both match, so a
 * reader that meets damage can resynchronise: it steps forward one byte at a time until magic and CRC match again
 * (SignalJournalReader). A crash or a full disk mid-write leaves a record cut short at the end, the torn tail; the
 * writer cuts it off before it appends (SignalJournalWriter), so that later records stay where a reader finds them.
 * Records are little-endian host layout (x64/arm64 Linux).
 */

/// <summary>Journal record constants and the one validity test that the reader, the writer's repair and the tools share.</summary>
public static class SignalJournal
{
    public const int RecordSize = 72;
    public const uint Magic = 0x31475357; // "WSG1" read as little-endian

    /// <summary>True when <paramref name="record"/> (at least <see cref="RecordSize"/> bytes) has the magic and a matching CRC.</summary>
    public static bool IsValidRecord(ReadOnlySpan<byte> record)
    {
        if (record.Length < RecordSize) return false;
        if (BinaryPrimitives.ReadUInt32LittleEndian(record.Slice(Signal.Size)) != Magic) return false;
        return BinaryPrimitives.ReadUInt32LittleEndian(record.Slice(Signal.Size + 4)) == Crc32C.Compute(record.Slice(0, Signal.Size + 4));
    }
}
