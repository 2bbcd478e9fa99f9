using System;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace Wirespeed.Core.Recording;

/*
 * Compliance recording journal: a directory of append-only segment files (JOURNAL-FORMAT.md has the whole picture).
 *
 * Record (little-endian), 32-byte header then the datagram as received:
 *
 *   0        4        8        12   13   14   15   16               24               32
 *   +--------+--------+--------+----+----+----+----+----------------+----------------+---------------+
 *   | magic  | CRC-32C| length |line|flag|rsn |src | receive ns     | sequence       | bytes[length] |
 *   +--------+--------+--------+----+----+----+----+----------------+----------------+---------------+
 *
 * magic = "WSR1"; the CRC-32C covers bytes 8 .. 32+length (everything after the CRC), so a flipped bit anywhere in a
 * record, its length included, fails it. A reader that meets a bad record steps forward byte by byte until magic and
 * CRC match again (resynchronisation), as the signal journal's reader does.
 */

/// <summary>Byte layout of journal records and the validity test that the writer's repair, the reader and the tools share.</summary>
public static class JournalLayout
{
    public const uint RecordMagic = 0x31525357;   // "WSR1" read as little-endian
    public const int RecordHeaderSize = 32;
    public const int MagicOffset = 0, CrcOffset = 4, LengthOffset = 8, LineOffset = 12, FlagsOffset = 13, ReasonOffset = 14,
                     SourceOffset = 15, ReceiveNsOffset = 16, SequenceOffset = 24;
    /// <summary>Largest datagram a record holds (a UDP payload over IPv4 is at most 65,507 bytes).</summary>
    public const int MaxPayload = 65_535;

    /// <summary>CRC-32C (Castagnoli) of a record: bytes 8 .. 32+length. System.IO.Hashing uses the CPU's CRC32 instruction.</summary>
    public static uint RecordCrc(ReadOnlySpan<byte> record, int payloadLength)
        => Crc32C(record.Slice(LengthOffset, RecordHeaderSize - LengthOffset + payloadLength));

    /// <summary>CRC-32C (RFC 3720 B.4; check value of "123456789" is 0xE3069283).</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data) => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);

    /// <summary>
    /// Length of the valid record at the start of <paramref name="bytes"/>, or -1 when there is none there (wrong
    /// magic, a length beyond <see cref="MaxPayload"/> or beyond the bytes given, or a CRC that does not match).
    /// </summary>
    public static int ValidRecordLength(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < RecordHeaderSize) return -1;
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes) != RecordMagic) return -1;
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(LengthOffset));
        if (length > MaxPayload || RecordHeaderSize + (int)length > bytes.Length) return -1;
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(CrcOffset));
        return crc == RecordCrc(bytes, (int)length) ? RecordHeaderSize + (int)length : -1;
    }

    /// <summary>Payload length a record header claims (unchecked: use after <see cref="ValidRecordLength"/>).</summary>
    public static int PayloadLength(ReadOnlySpan<byte> record) => (int)BinaryPrimitives.ReadUInt32LittleEndian(record.Slice(LengthOffset));

    /// <summary>Writes a record header without its CRC (the recorder thread adds it): the hot thread's share of the work.</summary>
    public static void WriteHeader(Span<byte> record, int length, byte lineId, RecordFlags flags, byte reason, byte source, long receiveNs, ulong sequence)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(record, RecordMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(record.Slice(CrcOffset), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(record.Slice(LengthOffset), (uint)length);
        record[LineOffset] = lineId;
        record[FlagsOffset] = (byte)flags;
        record[ReasonOffset] = reason;
        record[SourceOffset] = source;
        BinaryPrimitives.WriteInt64LittleEndian(record.Slice(ReceiveNsOffset), receiveNs);
        BinaryPrimitives.WriteUInt64LittleEndian(record.Slice(SequenceOffset), sequence);
    }

    /// <summary>Computes and stores the CRC of a complete record.</summary>
    public static void Seal(Span<byte> record)
        => BinaryPrimitives.WriteUInt32LittleEndian(record.Slice(CrcOffset), RecordCrc(record, PayloadLength(record)));
}

/// <summary>Flags of a recorded datagram.</summary>
[Flags]
public enum RecordFlags : byte
{
    None = 0,
    /// <summary>The line's decoder rejected the datagram or part of it; <see cref="JournalRecord.Reason"/> says why (the feed's decode status code).</summary>
    Rejected = 1,
    /// <summary>The datagram was longer than a recorder slot: only its first bytes are recorded.</summary>
    Truncated = 2,
    /// <summary>
    /// The receiving worker's poll came up dry before this datagram, so the batch it was decoded into began with it (format
    /// version 2). Stages run per batch (the publish stage reads the book once the whole batch is applied), so a replay
    /// ends its poll before each such record and the pipeline sees the batches the live run saw.
    /// </summary>
    BatchStart = 4,
}

/// <summary>One record as read back: header fields and the datagram (a view into the reader's buffer, valid until its next read).</summary>
public readonly ref struct JournalRecord
{
    public readonly long ReceiveNs;
    public readonly ulong Sequence;
    public readonly byte LineId;
    public readonly RecordFlags Flags;
    public readonly byte Reason;
    public readonly byte Source;
    public readonly ReadOnlySpan<byte> Payload;

    public JournalRecord(ReadOnlySpan<byte> record)
    {
        ReceiveNs = BinaryPrimitives.ReadInt64LittleEndian(record.Slice(JournalLayout.ReceiveNsOffset));
        Sequence = BinaryPrimitives.ReadUInt64LittleEndian(record.Slice(JournalLayout.SequenceOffset));
        LineId = record[JournalLayout.LineOffset];
        Flags = (RecordFlags)record[JournalLayout.FlagsOffset];
        Reason = record[JournalLayout.ReasonOffset];
        Source = record[JournalLayout.SourceOffset];
        Payload = record.Slice(JournalLayout.RecordHeaderSize, JournalLayout.PayloadLength(record));
    }
}
