using System;
using System.Collections.Generic;
using System.IO;
using Wirespeed.Core.Time;

namespace Wirespeed.Core.Recording;

/// <summary>
/// Appends records to a recording directory: one open segment at a time, rotated by size and age, each with its time
/// index beside it, synced to disk as <see cref="RecordingOptions.Fsync"/> says, old segments deleted as the retention
/// says. Owned by one thread (the recorder's); no allocation per record.
/// </summary>
/// <remarks>
/// Opening the directory repairs the last segment of the previous run (<see cref="Repair"/>): a record torn by a crash
/// is cut off and counted, and every run begins a segment of its own. Any I/O failure throws <see cref="IOException"/>
/// to the owner, which disables recording (<see cref="JournalRecorder"/>); the writer never retries.
/// </remarks>
public sealed partial class JournalWriter : IDisposable
{
    public const string SegmentExtension = ".wsj";

    private readonly RecordingOptions _options;
    private readonly Func<uint, long, long, SegmentHeader> _headerFor;
    private readonly byte[] _buffer;
    private readonly byte[] _indexBuffer = new byte[64 << 10];
    private readonly long _fsyncIntervalNs, _indexEveryNs, _segmentMaxNs;
    private FileStream? _segment, _index;
    private string _segmentPath = "";
    private int _used, _indexUsed;
    private long _segmentBytes;          // bytes of the open segment, buffered ones included
    private long _segmentRecords;
    private long _segmentOpenedNs, _lastSyncNs, _lastIndexedNs = NotIndexed, _lastIndexedOrdinal = NotIndexed;
    private const long NotIndexed = long.MinValue / 2;   // far enough from MinValue that the differences below cannot overflow
    private long _unsyncedRecords;
    private uint _nextSegment;

    /// <param name="options">Validated options.</param>
    /// <param name="headerFor">Makes the header of segment number n, started at (realtime ns, monotonic ns).</param>
    /// <exception cref="IOException">The directory cannot be created or read, or its last segment is damaged beyond a safe repair.</exception>
    public JournalWriter(RecordingOptions options, Func<uint, long, long, SegmentHeader> headerFor)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _headerFor = headerFor ?? throw new ArgumentNullException(nameof(headerFor));
        _buffer = new byte[options.WriteBufferBytes];
        _fsyncIntervalNs = options.FsyncIntervalMs * 1_000_000L;
        _indexEveryNs = options.IndexEveryMs * 1_000_000L;
        _segmentMaxNs = options.SegmentSeconds * 1_000_000_000L;
        Directory = options.Directory;
        try { System.IO.Directory.CreateDirectory(Directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"recording directory '{Directory}' cannot be created: {e.Message.TrimEnd('.')}; give a directory this user may write", e);
        }
        _nextSegment = Repair() + 1;
        ApplyRetention(RealtimeClock.NowNs());   // what the previous runs left: every segment is closed now
    }

    public string Directory { get; }
    /// <summary>Records appended (buffered ones included).</summary>
    public long Records { get; private set; }
    /// <summary>Bytes of records appended (headers included).</summary>
    public long Bytes { get; private set; }
    /// <summary>Records known to be on the disk (synced), all segments of this run.</summary>
    public long DurableRecords { get; private set; }
    /// <summary>Segments this run opened.</summary>
    public long Segments { get; private set; }
    /// <summary>fsync calls made.</summary>
    public long Fsyncs { get; private set; }
    /// <summary>write calls made to segment files.</summary>
    public long Writes { get; private set; }
    /// <summary>Segments deleted by the retention.</summary>
    public long DeletedSegments { get; private set; }
    /// <summary>Path of the open segment ("" before the first record).</summary>
    public string SegmentPath => _segmentPath;

    /// <summary>
    /// Owner thread: appends one record (header written by <see cref="JournalLayout.WriteHeader"/>; its CRC is computed
    /// and stored into <paramref name="record"/> here). The buffer is written out whenever it is full, so a record may
    /// straddle two writes: the file grows in whole buffers, and a crash between the two leaves a torn tail that the
    /// next open cuts off.
    /// </summary>
    public void Append(Span<byte> record, long nowNs)
    {
        int length = JournalLayout.RecordHeaderSize + JournalLayout.PayloadLength(record);
        if (_segment is null) OpenSegment(nowNs);
        else if (_segmentBytes + length > _options.SegmentBytes && _segmentRecords > 0) Rotate(nowNs);
        JournalLayout.Seal(record.Slice(0, length));
        long receiveNs = new JournalRecord(record).ReceiveNs;
        if (_segmentRecords - _lastIndexedOrdinal >= _options.IndexEveryRecords || receiveNs - _lastIndexedNs >= _indexEveryNs)
            AddIndexEntry(receiveNs);
        ReadOnlySpan<byte> rest = record.Slice(0, length);
        while (rest.Length > 0)
        {
            if (_used == _buffer.Length) WriteBuffer();
            int n = Math.Min(rest.Length, _buffer.Length - _used);
            rest.Slice(0, n).CopyTo(_buffer.AsSpan(_used));
            _used += n;
            rest = rest.Slice(n);
        }
        _segmentBytes += length;
        _segmentRecords++;
        _unsyncedRecords++;
        Records++;
        Bytes += length;
        if (_options.Fsync == FsyncPolicy.Record) Sync();
    }

    /// <summary>
    /// Owner thread, when the ring runs dry and at least every few ms: writes what is buffered to the file (so that a
    /// crash of the process loses nothing already taken from the ring), syncs when the interval is due, rotates a
    /// segment that is too old.
    /// </summary>
    public void Tick(long nowNs)
    {
        if (_segment is null) return;
        if (nowNs - _segmentOpenedNs >= _segmentMaxNs && _segmentRecords > 0)
        {
            Rotate(nowNs);
            return;
        }
        WriteBuffer();
        if (_options.Fsync == FsyncPolicy.Interval && _unsyncedRecords > 0 && nowNs - _lastSyncNs >= _fsyncIntervalNs) Sync();
    }

    /// <summary>Writes the buffer and the pending index entries, then fsyncs the segment: every record appended so far is durable.</summary>
    public void Sync()
    {
        if (_segment is null) return;
        WriteBuffer();
        _segment.Flush(flushToDisk: true);
        Fsyncs++;
        DurableRecords += _unsyncedRecords;
        _unsyncedRecords = 0;
        _lastSyncNs = MonoClock.NowNs();
    }

    private void WriteBuffer()
    {
        if (_used > 0)
        {
            _segment!.Write(_buffer, 0, _used);
            Writes++;
            _used = 0;
        }
        if (_indexUsed > 0)
        {
            // After the records they point to: an index entry never points past what the segment holds.
            _index!.Write(_indexBuffer, 0, _indexUsed);
            _indexUsed = 0;
        }
    }

    private void AddIndexEntry(long receiveNs)
    {
        if (receiveNs < _lastIndexedNs) return;   // lines' clocks may interleave a little: entries stay in time order
        if (_indexBuffer.Length - _indexUsed < SegmentIndex.EntrySize) WriteBuffer();
        SegmentIndex.EncodeEntry(_indexBuffer.AsSpan(_indexUsed, SegmentIndex.EntrySize), new IndexEntry(receiveNs, _segmentBytes, _segmentRecords));
        _indexUsed += SegmentIndex.EntrySize;
        _lastIndexedNs = receiveNs;
        _lastIndexedOrdinal = _segmentRecords;
    }

    private void OpenSegment(long nowNs)
    {
        uint number = _nextSegment++;
        _segmentPath = System.IO.Path.Combine(Directory, SegmentName(number));
        var header = _headerFor(number, RealtimeClock.NowNs(), nowNs).Encode();
        _segment = new FileStream(_segmentPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, 0);
        _index = new FileStream(SegmentIndex.PathOf(_segmentPath), FileMode.Create, FileAccess.Write, FileShare.Read | FileShare.Delete, 0);
        Span<byte> indexHeader = stackalloc byte[SegmentIndex.HeaderSize];
        SegmentIndex.EncodeHeader(indexHeader);
        _index.Write(indexHeader);
        header.CopyTo(_buffer, _used);
        _used += header.Length;
        _segmentBytes = header.Length;
        _segmentRecords = 0;
        _lastIndexedNs = NotIndexed;
        _lastIndexedOrdinal = NotIndexed;
        _segmentOpenedNs = nowNs;
        _lastSyncNs = nowNs;
        Segments++;
    }

    /// <summary>Closes the open segment (synced whatever the policy: a closed segment is durable) and applies the retention.</summary>
    private void Rotate(long nowNs)
    {
        CloseSegment();
        ApplyRetention(RealtimeClock.NowNs());
        OpenSegment(nowNs);
    }

    private void CloseSegment()
    {
        if (_segment is null) return;
        Sync();
        _index!.Flush(flushToDisk: true);
        _segment.Dispose();
        _index.Dispose();
        _segment = _index = null;
    }

    /// <summary>"00000001.wsj": numbered so that names sort in recording order.</summary>
    public static string SegmentName(uint number) => number.ToString("D8", System.Globalization.CultureInfo.InvariantCulture) + SegmentExtension;

    /// <summary>The segment files of <paramref name="directory"/> with their numbers, in order.</summary>
    public static List<(uint Number, string Path)> ListSegments(string directory)
    {
        var list = new List<(uint, string)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*" + SegmentExtension))
        {
            string name = System.IO.Path.GetFileNameWithoutExtension(path);
            if (name.Length == 8 && uint.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out uint n))
                list.Add((n, path));
        }
        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return list;
    }

    /// <summary>Closes the open segment (written and synced). Throws <see cref="IOException"/> when that fails.</summary>
    public void Dispose() => CloseSegment();

    /// <summary>After a failure: closes the files without writing (what is buffered is lost, and counted by the owner).</summary>
    public void Abandon()
    {
        _used = _indexUsed = 0;
        try { _segment?.Dispose(); } catch (IOException) { }
        try { _index?.Dispose(); } catch (IOException) { }
        _segment = _index = null;
    }
}
