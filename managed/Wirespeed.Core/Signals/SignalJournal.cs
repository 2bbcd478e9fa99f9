using System;
using System.Buffers.Binary;
using System.IO;
using System.Runtime.InteropServices;

namespace Wirespeed.Core.Signals;

/*
 * Signal journal: an append-only file of fixed-size records, one per signal.
 *
 *   0                                  64        68        72
 *   +----------------------------------+---------+---------+
 *   | Signal (64 bytes, as in memory)  | magic   | CRC-32C |
 *   +----------------------------------+---------+---------+
 *
 * magic = "WSG1" little-endian; the CRC covers bytes 0..67 (signal and magic). Fixed size means a reader can skip a
 * corrupt record and resynchronise on the next one, and a crash mid-write leaves at most one short record at the end:
 * the torn tail, which the reader ignores and counts. Records are little-endian host layout (x64/arm64 Linux).
 */

/// <summary>Journal record constants.</summary>
public static class SignalJournal
{
    public const int RecordSize = 72;
    public const uint Magic = 0x31475357; // "WSG1" read as little-endian
}

/// <summary>
/// Appends signals to a journal file. Owned by one thread (a worker's journal sink); buffers records in a pre-allocated
/// buffer and writes it when full and on <see cref="Flush"/>, so <see cref="Append"/> does not allocate.
/// </summary>
public sealed class SignalJournalWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly byte[] _buffer;
    private int _used;

    /// <param name="path">File to append to (created when missing).</param>
    /// <param name="bufferRecords">Records buffered before a write. Default: 512.</param>
    public SignalJournalWriter(string path, int bufferRecords = 512)
    {
        if (bufferRecords < 1) throw new ArgumentOutOfRangeException(nameof(bufferRecords), $"bufferRecords={bufferRecords} must be at least 1");
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _buffer = new byte[bufferRecords * SignalJournal.RecordSize];
    }

    /// <summary>Records appended since creation.</summary>
    public long Records { get; private set; }

    /// <summary>Owner thread: appends one record (written out when the buffer fills).</summary>
    public void Append(in Signal signal)
    {
        if (_used == _buffer.Length) WriteBuffer();
        Span<byte> record = _buffer.AsSpan(_used, SignalJournal.RecordSize);
        MemoryMarshal.Write(record, in signal);
        BinaryPrimitives.WriteUInt32LittleEndian(record.Slice(Signal.Size), SignalJournal.Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(record.Slice(Signal.Size + 4), Crc32C.Compute(record.Slice(0, Signal.Size + 4)));
        _used += SignalJournal.RecordSize;
        Records++;
    }

    /// <summary>Owner thread: writes buffered records to the file and flushes it to the OS.</summary>
    public void Flush()
    {
        WriteBuffer();
        _file.Flush();
    }

    private void WriteBuffer()
    {
        if (_used == 0) return;
        _file.Write(_buffer, 0, _used);
        _used = 0;
    }

    public void Dispose()
    {
        Flush();
        _file.Dispose();
    }
}

/// <summary>Outcome of <see cref="SignalJournalReader.TryRead"/>.</summary>
public enum JournalReadStatus : byte
{
    Ok = 0,
    /// <summary>No more whole records.</summary>
    End = 1,
    /// <summary>A whole record whose magic or CRC is wrong: skipped, counted, reading goes on with the next record.</summary>
    Corrupt = 2,
}

/// <summary>Reads a signal journal written by <see cref="SignalJournalWriter"/>. Cold path (tools, tests, replay checks).</summary>
public sealed class SignalJournalReader
{
    private readonly byte[] _data;
    private int _offset;

    public SignalJournalReader(byte[] data)
    {
        _data = data ?? throw new ArgumentNullException(nameof(data));
        int whole = data.Length / SignalJournal.RecordSize * SignalJournal.RecordSize;
        TornTailBytes = data.Length - whole;
    }

    public static SignalJournalReader Open(string path) => new(File.ReadAllBytes(path));

    /// <summary>Bytes after the last whole record (a write cut short): ignored.</summary>
    public int TornTailBytes { get; }

    /// <summary>1 when there is a torn tail, else 0.</summary>
    public int TornRecords => TornTailBytes > 0 ? 1 : 0;

    /// <summary>Whole records skipped because the magic or CRC did not match.</summary>
    public int CorruptRecords { get; private set; }

    /// <summary>Records read intact.</summary>
    public int GoodRecords { get; private set; }

    /// <summary>Reads the next whole record.</summary>
    public JournalReadStatus TryRead(out Signal signal)
    {
        signal = default;
        if (_data.Length - _offset < SignalJournal.RecordSize) return JournalReadStatus.End;
        ReadOnlySpan<byte> record = _data.AsSpan(_offset, SignalJournal.RecordSize);
        _offset += SignalJournal.RecordSize;
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(record.Slice(Signal.Size));
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(record.Slice(Signal.Size + 4));
        if (magic != SignalJournal.Magic || crc != Crc32C.Compute(record.Slice(0, Signal.Size + 4)))
        {
            CorruptRecords++;
            return JournalReadStatus.Corrupt;
        }
        signal = MemoryMarshal.Read<Signal>(record);
        GoodRecords++;
        return JournalReadStatus.Ok;
    }
}
