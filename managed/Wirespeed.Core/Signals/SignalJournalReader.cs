using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Wirespeed.Core.Signals;

/// <summary>Outcome of <see cref="SignalJournalReader.TryRead"/>.</summary>
public enum JournalReadStatus : byte
{
    Ok = 0,
    /// <summary>No more records.</summary>
    End = 1,
    /// <summary>
    /// Bytes where a record was due that are not one (magic or CRC wrong): skipped up to the next valid record (or the
    /// end), counted; the next call returns that record.
    /// </summary>
    Corrupt = 2,
}

/// <summary>
/// Reads a signal journal (<see cref="SignalJournal"/>), from memory or streamed from a file of any size. Cold path
/// (the journal command, tests, checks).
/// </summary>
/// <remarks>
/// Resynchronisation: where a record is due but its magic or CRC does not match, the reader steps forward one byte at
/// a time until both match again, so one damaged stretch costs only itself, even where it shifted every later record
/// off the 72-byte grid (a journal appended to after a torn tail by a writer that did not repair it). Each stretch
/// counts once in <see cref="CorruptRecords"/> and its length in <see cref="SkippedBytes"/>. Fewer than 72 bytes left at
/// the end after a valid record are the torn tail (<see cref="TornTailBytes"/>), not damage. A false match needs a
/// 32-bit magic and a 32-bit CRC to agree by chance.
/// </remarks>
public sealed class SignalJournalReader : IDisposable
{
    private const int StreamBufferSize = 1 << 20;

    private readonly Stream? _stream;
    private readonly byte[] _buffer;
    private int _start, _end;     // unread bytes are _buffer[_start.._end)
    private bool _eof;

    /// <summary>Reads a journal held in memory.</summary>
    public SignalJournalReader(byte[] data)
    {
        _buffer = data ?? throw new ArgumentNullException(nameof(data));
        _end = data.Length;
        _eof = true;
    }

    /// <summary>Streams a journal from <paramref name="stream"/> (read forward once; disposed with the reader).</summary>
    public SignalJournalReader(Stream stream)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _buffer = new byte[StreamBufferSize];
    }

    /// <summary>Opens <paramref name="path"/> for streaming. Check it first with <see cref="Files.InputFile.Check"/> where it comes from a user.</summary>
    public static SignalJournalReader Open(string path) => new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 << 10, FileOptions.SequentialScan));

    /// <summary>Bytes after the last record at the end, fewer than a record (a write cut short): not read.</summary>
    public int TornTailBytes { get; private set; }

    /// <summary>1 when there is a torn tail, else 0.</summary>
    public int TornRecords => TornTailBytes > 0 ? 1 : 0;

    /// <summary>Damaged stretches skipped (each where a record was due, up to the next valid record or the end).</summary>
    public long CorruptRecords { get; private set; }

    /// <summary>Bytes in those stretches.</summary>
    public long SkippedBytes { get; private set; }

    /// <summary>Records read intact.</summary>
    public long GoodRecords { get; private set; }

    /// <summary>Bytes consumed so far: the file offset of the next record.</summary>
    public long Offset { get; private set; }

    /// <summary>Reads the next record, or reports the damaged stretch before it (see remarks).</summary>
    public JournalReadStatus TryRead(out Signal signal)
    {
        signal = default;
        int left = Fill();
        if (left == 0) return JournalReadStatus.End;
        if (left < SignalJournal.RecordSize)
        {
            TornTailBytes = left;
            Consume(left);
            return JournalReadStatus.End;
        }
        if (SignalJournal.IsValidRecord(_buffer.AsSpan(_start, SignalJournal.RecordSize)))
        {
            signal = MemoryMarshal.Read<Signal>(_buffer.AsSpan(_start, Signal.Size));
            Consume(SignalJournal.RecordSize);
            GoodRecords++;
            return JournalReadStatus.Ok;
        }
        // Damage: step forward until a valid record starts, or to the end (then all of it is skipped, tail included).
        CorruptRecords++;
        while (true)
        {
            Consume(1);
            SkippedBytes++;
            left = Fill();
            if (left < SignalJournal.RecordSize)
            {
                SkippedBytes += left;
                Consume(left);
                return JournalReadStatus.Corrupt;
            }
            if (SignalJournal.IsValidRecord(_buffer.AsSpan(_start, SignalJournal.RecordSize))) return JournalReadStatus.Corrupt;
        }
    }

    private void Consume(int n)
    {
        _start += n;
        Offset += n;
    }

    /// <summary>Unread bytes in the buffer, topped up to at least one record where the stream has them.</summary>
    private int Fill()
    {
        if (_end - _start >= SignalJournal.RecordSize || _eof) return _end - _start;
        int unread = _end - _start;
        Buffer.BlockCopy(_buffer, _start, _buffer, 0, unread);
        _start = 0;
        _end = unread;
        while (!_eof && _end < _buffer.Length)
        {
            int n = _stream!.Read(_buffer, _end, _buffer.Length - _end);
            if (n <= 0) _eof = true;
            else _end += n;
        }
        return _end - _start;
    }

    public void Dispose() => _stream?.Dispose();
}
