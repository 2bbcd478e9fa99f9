using System;
using System.Buffers.Binary;
using System.IO;

namespace Wirespeed.Core.Recording;

/// <summary>Outcome of <see cref="SegmentReader.Next"/>.</summary>
public enum SegmentReadStatus : byte
{
    /// <summary>A valid record: read it with <see cref="SegmentReader.Record"/>.</summary>
    Ok = 0,
    /// <summary>No more records in this segment.</summary>
    End = 1,
    /// <summary>Bytes where a record was due that are not one (magic, length or CRC wrong): skipped up to the next valid record, counted.</summary>
    Corrupt = 2,
}

/// <summary>
/// Streams the records of one segment file in order, from its first record or from an offset (an index entry).
/// Cold path (replay, the journal command, the writer's repair): one buffer per reader, no allocation per record.
/// </summary>
/// <remarks>
/// A record is valid when its magic, a plausible length and its CRC-32C agree. Where one is due and the bytes are not
/// one, the reader steps forward one byte at a time until a valid record starts (one damaged stretch costs only
/// itself) and counts the stretch once. Bytes after the last valid record that hold no valid record are the torn tail
/// (<see cref="TornTailBytes"/>): a write cut short by a crash or a full disk; the writer cuts it off on its next open.
/// </remarks>
public sealed class SegmentReader : IDisposable
{
    private const int BufferSize = 1 << 20;   // at least two of the largest record (32 + 65,535 bytes)

    private readonly FileStream _file;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start, _end;                 // unread bytes: _buffer[_start.._end)
    private bool _eof;
    private int _recordLength;                // the current record: _buffer[_start - _recordLength .. _start)

    private SegmentReader(string path, FileStream file, SegmentHeader header)
    {
        Path = path;
        _file = file;
        Header = header;
        Offset = header.Size;
        ValidEnd = header.Size;
    }

    /// <summary>
    /// Opens a segment and reads its header; null with <paramref name="problem"/> set when the file cannot be read or
    /// its header is missing, cut off or damaged (<paramref name="length"/> = its size, -1 when unreadable).
    /// </summary>
    public static SegmentReader? TryOpen(string path, out string? problem, out long length)
    {
        length = -1;
        FileStream file;
        try { file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { problem = e.Message; return null; }
        try
        {
            length = file.Length;
            var head = new byte[(int)Math.Min(length, SegmentHeader.SizeFor(SegmentHeader.MaxLines))];
            file.ReadExactly(head);
            if (SegmentHeader.TryDecode(head, out problem) is not { } header)
            {
                file.Dispose();
                return null;
            }
            file.Seek(header.Size, SeekOrigin.Begin);
            return new SegmentReader(path, file, header);
        }
        catch (IOException e)
        {
            file.Dispose();
            problem = e.Message;
            return null;
        }
    }

    /// <summary>
    /// True when the segment at <paramref name="path"/> is only the beginning of a header (a crash right after it was
    /// created): the torn tail of a recording when it is its last segment, which the next recording deletes.
    /// </summary>
    public static bool IsCutOff(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Length < SegmentHeader.SizeFor(SegmentHeader.MaxLines) && SegmentHeader.IsCutOff(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    public string Path { get; }
    public SegmentHeader Header { get; }
    /// <summary>File offset of the next unread byte (after <see cref="Next"/> returned Ok: the end of that record).</summary>
    public long Offset { get; private set; }
    /// <summary>File offset of the current record (valid after Ok).</summary>
    public long RecordOffset => Offset - _recordLength;
    /// <summary>End of the last valid record read so far: where a repair cuts.</summary>
    public long ValidEnd { get; private set; }
    public long GoodRecords { get; private set; }
    public long CorruptRecords { get; private set; }
    public long SkippedBytes { get; private set; }
    public long TornTailBytes { get; private set; }
    /// <summary>Bytes read from the file after the header (what a seek saves shows here).</summary>
    public long BytesRead { get; private set; }

    /// <summary>Moves to <paramref name="offset"/> (an index entry's, which must be a record start); counters keep counting.</summary>
    public void SeekTo(long offset)
    {
        _file.Seek(offset, SeekOrigin.Begin);
        _start = _end = 0;
        _eof = false;
        _recordLength = 0;
        Offset = offset;
    }

    /// <summary>The current record (after <see cref="Next"/> returned Ok); valid until the next call.</summary>
    public JournalRecord Record => new(_buffer.AsSpan(_start - _recordLength, _recordLength));

    /// <summary>The current record's bytes as stored (header with CRC, then payload).</summary>
    public ReadOnlySpan<byte> RecordBytes => _buffer.AsSpan(_start - _recordLength, _recordLength);

    /// <summary>Reads the next record, or reports the damaged stretch before it (see remarks).</summary>
    public SegmentReadStatus Next()
    {
        _recordLength = 0;
        int left = Fill(JournalLayout.RecordHeaderSize);
        if (left == 0) return SegmentReadStatus.End;
        int length = TryRecordHere();
        if (length > 0)
        {
            Accept(length);
            return SegmentReadStatus.Ok;
        }
        // Damage or a torn tail: step forward until a valid record starts, or to the end.
        long stretchStart = Offset;
        while (true)
        {
            Consume(1);
            if (Fill(JournalLayout.RecordHeaderSize) == 0)
            {
                TornTailBytes += Offset - stretchStart;   // nothing valid after it: the tail
                return SegmentReadStatus.End;
            }
            length = TryRecordHere();
            if (length > 0)
            {
                CorruptRecords++;
                SkippedBytes += Offset - stretchStart;
                Accept(length);
                return SegmentReadStatus.Corrupt;        // the record after the stretch is current: read it with Record
            }
        }
    }

    private void Accept(int length)
    {
        Consume(length);
        _recordLength = length;
        GoodRecords++;
        ValidEnd = Offset;
    }

    /// <summary>The length of a valid record at the read position, or -1.</summary>
    private int TryRecordHere()
    {
        var head = _buffer.AsSpan(_start, _end - _start);
        if (head.Length < JournalLayout.RecordHeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(head) != JournalLayout.RecordMagic) return -1;
        uint payload = BinaryPrimitives.ReadUInt32LittleEndian(head.Slice(JournalLayout.LengthOffset));
        if (payload > JournalLayout.MaxPayload) return -1;
        int need = JournalLayout.RecordHeaderSize + (int)payload;
        if (Fill(need) < need) return -1;
        return JournalLayout.ValidRecordLength(_buffer.AsSpan(_start, need));
    }

    private void Consume(int n)
    {
        _start += n;
        Offset += n;
    }

    /// <summary>Unread bytes, topped up to at least <paramref name="want"/> where the file has them.</summary>
    private int Fill(int want)
    {
        if (_end - _start >= want || _eof) return _end - _start;
        // Keep the current record's bytes in place only while it is read; here it has been consumed.
        int unread = _end - _start;
        Buffer.BlockCopy(_buffer, _start, _buffer, 0, unread);
        _start = 0;
        _end = unread;
        while (!_eof && _end < _buffer.Length)
        {
            int n = _file.Read(_buffer, _end, _buffer.Length - _end);
            if (n <= 0) _eof = true;
            else
            {
                _end += n;
                BytesRead += n;
            }
        }
        return _end - _start;
    }

    public void Dispose() => _file.Dispose();
}
