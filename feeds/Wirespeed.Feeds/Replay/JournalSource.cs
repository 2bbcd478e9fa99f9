using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using System.IO;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Recording;
using Wirespeed.Feeds.Itch;

namespace Wirespeed.Feeds.Replay;

/// <summary>
/// Replays a recording directory (the compliance journal, Core/Recording) as the datagrams it received: segments in
/// order, each record delivered with its recorded receive timestamp and line id (<see cref="PacketSourceKind.Journal"/>).
/// Streams: one segment open at a time, one read buffer, whatever the recording's size.
/// </summary>
/// <remarks>
/// <para>Damage is skipped and counted, never delivered: a record whose CRC-32C fails is stepped over (the reader
/// resynchronises on the next valid record), a torn tail ends its segment, and a segment whose header cannot be read
/// is skipped whole. <see cref="Completeness"/> says what was left out, once the source is at its end.</para>
/// <para>Batches: a record flagged <see cref="RecordFlags.BatchStart"/> began a batch of the live receiving worker (its
/// poll had come up dry). A poll stops before it, and the next poll returns 0 (<see cref="PausedAtBoundary"/>), which
/// ends the batch being filled as the dry poll ended it live; the poll after that delivers it. Batches that ended full
/// need no mark. So the pipeline sees the live run's batches, and what is read once per batch (the book by the publish
/// stage, breaker levels by the pattern gate) is what the live run read.</para>
/// <para><see cref="SeekToTime"/> uses the segments' time indexes: it opens the segment that holds the time, jumps to
/// the last index entry at or before it, and reads forward from there, so seeking costs one index and a few thousand
/// records, not the recording before it. <see cref="SeekToSequence"/> finds a line's MoldUDP64 sequence number the
/// same way: the segment by its first datagram of the line, then a binary search over the index entries, each probed by
/// reading forward from it to the line's next datagram; the replay's start filter reads forward from the entry found.</para>
/// </remarks>
public sealed class JournalSource : IPacketSource, IDisposable
{
    private readonly List<(uint Number, string Path)> _segments;
    private int _next;                 // index into _segments of the next segment to open
    private SegmentReader? _reader;
    private bool _hasCurrent;          // the reader's current record is yet to be delivered (after a seek, a corrupt stretch or a batch boundary)
    private bool _atBoundary;          // a poll returned 0 before the current record (it begins a recorded batch): deliver it next
    private ReadCompleteness? _completeness;
    private long _closedBytesRead;     // bytes read by readers already closed
    private long _probeBytes;          // bytes read by sequence probes (SeekToSequence)

    /// <summary>Opens the recording in <paramref name="directory"/>. Throws <see cref="System.IO.IOException"/> when it cannot be listed.</summary>
    public JournalSource(string directory)
    {
        Directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _segments = JournalWriter.ListSegments(directory);
    }

    public string Directory { get; }
    /// <summary>Segment files in the directory.</summary>
    public int SegmentCount => _segments.Count;
    /// <summary>Records delivered.</summary>
    public long Records { get; private set; }
    /// <summary>Damaged stretches skipped (records whose CRC or framing failed).</summary>
    public long CorruptRecords { get; private set; }
    public long SkippedBytes { get; private set; }
    /// <summary>Bytes of torn tails (a write cut short by a crash or a full disk) and the segments that had one.</summary>
    public long TornTailBytes { get; private set; }
    public int TornSegments { get; private set; }
    /// <summary>Segments skipped because their header could not be read, with why.</summary>
    public List<string> UnreadableSegments { get; } = new();
    /// <summary>The header of the segment being read (null before the first poll and at the end).</summary>
    public SegmentHeader? CurrentHeader => _reader?.Header;
    /// <summary>True once every segment has been read.</summary>
    public bool IsAtEnd => _reader is null && _next >= _segments.Count;
    /// <summary>True when the last poll returned 0 at a recorded batch boundary, not at the end: the input goes on.</summary>
    public bool PausedAtBoundary => _atBoundary;
    /// <summary>Bytes read from segment files after their headers, seeks' probes included (index files not counted).</summary>
    public long BytesRead => _closedBytesRead + _probeBytes + (_reader?.BytesRead ?? 0);

    /// <summary>Polls that returned 0 at a recorded batch boundary (batches the live worker ended with a dry poll).</summary>
    public long Boundaries { get; private set; }

    /// <summary>What was left out and why (empty when complete); meaningful at the end.</summary>
    public ReadCompleteness Completeness
    {
        get
        {
            if (_completeness is not null) return _completeness;
            var c = new ReadCompleteness();
            if (CorruptRecords > 0) c.Add($"{CorruptRecords:N0} damaged record(s) skipped ({SkippedBytes:N0} bytes): CRC-32C or framing wrong (wirespeed journal verify {Directory} names them)");
            if (TornTailBytes > 0) c.Add($"torn tail in {TornSegments} segment(s), {TornTailBytes:N0} bytes: the recording process died mid-write (the next recording into the directory cuts it off)");
            foreach (var u in UnreadableSegments) c.Add(u);
            if (IsAtEnd) _completeness = c;
            return c;
        }
    }

    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
    {
        int delivered = 0;
        while (delivered < limit)
        {
            if (_reader is null && !OpenNext()) break;
            var reader = _reader!;
            if (!_hasCurrent)
            {
                var status = reader.Next();
                if (status == SegmentReadStatus.End)
                {
                    CloseCurrent();
                    continue;
                }
                if (status == SegmentReadStatus.Corrupt) CorruptRecords++;   // the stretch is skipped; the record after it is current
            }
            if ((reader.Record.Flags & RecordFlags.BatchStart) != 0 && !_atBoundary)
            {
                // The live batch ended before this record: stop here, and return 0 once (the batch source's dry poll).
                _hasCurrent = true;
                if (delivered == 0)
                {
                    _atBoundary = true;
                    Boundaries++;
                }
                return delivered;
            }
            _atBoundary = false;
            _hasCurrent = false;
            Deliver(ref handler, reader);
            delivered++;
        }
        return delivered;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Deliver<THandler>(ref THandler handler, SegmentReader reader) where THandler : struct, IPacketHandler
    {
        var r = reader.Record;
        var info = new PacketInfo(r.ReceiveNs, r.LineId, PacketSourceKind.Journal);
        Records++;
        handler.OnPacket(r.Payload, in info);
    }

    /// <summary>The receive time of the recording's first valid record, or null when it has none (cold: reads the first readable segment's head).</summary>
    public long? FirstReceiveNs()
    {
        foreach (var (_, path) in _segments)
        {
            using var reader = SegmentReader.TryOpen(path, out _, out _);
            if (reader is null) continue;
            // Corrupt means a damaged stretch was skipped and the record after it is current, as Poll reads it.
            if (reader.Next() != SegmentReadStatus.End) return reader.Record.ReceiveNs;
        }
        return null;
    }

    /// <summary>The header of the recording's first readable segment (its start time on both clocks), or null when none is readable (cold).</summary>
    public SegmentHeader? FirstHeader()
    {
        foreach (var (_, path) in _segments)
        {
            using var reader = SegmentReader.TryOpen(path, out _, out _);
            if (reader is not null) return reader.Header;
        }
        return null;
    }

    /// <summary>
    /// Positions the source at the first record received at or after <paramref name="receiveNs"/> (the recording's
    /// monotonic receive clock; <see cref="SegmentHeader.ToRealtimeNs"/> maps it to wall time). Returns false when
    /// every record is earlier (the source is then at its end).
    /// </summary>
    public bool SeekToTime(long receiveNs)
    {
        CloseCurrent(countTail: false);
        // The segment: the last one whose first indexed record is at or before the time (segments are in time order).
        int chosen = 0;
        for (int i = 0; i < _segments.Count; i++)
        {
            if (SegmentIndex.First(SegmentIndex.PathOf(_segments[i].Path)) is not { } first) continue;   // no index: decided by the next one
            if (first.ReceiveNs > receiveNs) break;
            chosen = i;
        }
        _next = chosen;
        while (OpenNext())
        {
            var reader = _reader!;
            var entries = SegmentIndex.Load(SegmentIndex.PathOf(reader.Path), long.MaxValue);
            int k = SegmentIndex.Floor(entries, receiveNs);
            if (k >= 0) reader.SeekTo(entries[k].Offset);
            while (true)
            {
                var status = reader.Next();
                if (status == SegmentReadStatus.End) break;
                if (reader.Record.ReceiveNs >= receiveNs)
                {
                    _hasCurrent = true;
                    return true;
                }
            }
            CloseCurrent(countTail: false);
        }
        return false;
    }

    /// <summary>Datagrams of one line a probe reads past, at most, looking for the line's next MoldUDP64 packet.</summary>
    public const int ProbeRecords = 4096;

    /// <summary>
    /// Positions the source at or shortly before the datagram of line <paramref name="lineId"/> that holds
    /// MoldUDP64 message sequence <paramref name="sequence"/> (-1: any line, for a one-line recording; several lines'
    /// sessions count apart, so a multi-line recording names its line): at the last index entry whose next datagram of the line
    /// starts at or before it, so that the replay's start filter (<see cref="ReplayControl"/>) reads forward at most one
    /// index interval to it. The segment is the last one whose first datagram of the line starts at or before it (the
    /// first run that reaches it when the directory holds several). Sequences are taken to grow through the recording
    /// (a MoldUDP64 session's do); where a probe cannot tell (no index, a damaged record, no datagram of the line nearby)
    /// the earlier position is taken: a longer read, never a later start. Returns false when the recording has no readable segment.
    /// </summary>
    public bool SeekToSequence(ulong sequence, int lineId = -1)
    {
        CloseCurrent(countTail: false);
        var probe = new byte[JournalLayout.RecordHeaderSize + JournalLayout.MaxPayload];
        int chosen = 0;
        for (int i = 0; i < _segments.Count; i++)
        {
            if (SegmentIndex.First(SegmentIndex.PathOf(_segments[i].Path)) is not { } first) continue;   // no index: decided by the next one
            if (ProbeSequence(_segments[i].Path, first.Offset, lineId, probe) is not { } s) continue;
            if (s > sequence) break;
            chosen = i;
        }
        _next = chosen;
        if (!OpenNext()) return false;
        var reader = _reader!;
        var entries = SegmentIndex.Load(SegmentIndex.PathOf(reader.Path), long.MaxValue);
        int lo = 0, hi = entries.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (ProbeSequence(reader.Path, entries[mid].Offset, lineId, probe) is { } s && s <= sequence)
            {
                found = mid;
                lo = mid + 1;
            }
            else hi = mid - 1;   // later, or cannot tell: look earlier
        }
        if (found >= 0) reader.SeekTo(entries[found].Offset);
        return true;
    }

    /// <summary>
    /// The MoldUDP64 sequence of the first datagram of line <paramref name="lineId"/> (-1: any) at or after
    /// <paramref name="offset"/> of the segment (a record start), read record by record with positioned reads; null when
    /// none is found within <see cref="ProbeRecords"/> records or a record there is not valid. End-of-session packets are stepped over.
    /// </summary>
    private ulong? ProbeSequence(string path, long offset, int lineId, byte[] buffer)
    {
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            for (int k = 0; k < ProbeRecords; k++)
            {
                int got = RandomAccess.Read(file, buffer.AsSpan(0, JournalLayout.RecordHeaderSize), offset);
                _probeBytes += got;
                if (got < JournalLayout.RecordHeaderSize) return null;
                int payload = JournalLayout.PayloadLength(buffer);
                if ((uint)payload > JournalLayout.MaxPayload) return null;
                int length = JournalLayout.RecordHeaderSize + payload;
                got = RandomAccess.Read(file, buffer.AsSpan(JournalLayout.RecordHeaderSize, payload), offset + JournalLayout.RecordHeaderSize);
                _probeBytes += got;
                if (got < payload || JournalLayout.ValidRecordLength(buffer.AsSpan(0, length)) != length) return null;
                var record = new JournalRecord(buffer.AsSpan(0, length));
                offset += length;
                if ((lineId >= 0 && record.LineId != lineId) || record.Payload.Length < MoldPacketReader.HeaderSize) continue;
                if (BinaryPrimitives.ReadUInt16BigEndian(record.Payload.Slice(MoldPacketReader.CountOffset)) == MoldPacketReader.EndOfSessionCount) continue;
                return BinaryPrimitives.ReadUInt64BigEndian(record.Payload.Slice(MoldPacketReader.SequenceOffset));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return null;
    }

    private bool OpenNext()
    {
        while (_next < _segments.Count)
        {
            var (_, path) = _segments[_next++];
            _reader = SegmentReader.TryOpen(path, out string? problem, out long length);
            if (_reader is not null) return true;
            if (_next == _segments.Count && SegmentReader.IsCutOff(path))
            {
                // The last segment, cut off inside its header by a crash: the recording's torn tail, no record lost.
                TornTailBytes += length;
                TornSegments++;
                continue;
            }
            UnreadableSegments.Add($"segment {System.IO.Path.GetFileName(path)} skipped ({(length < 0 ? "unreadable" : length + " bytes")}): {problem}");
        }
        return false;
    }

    private void CloseCurrent(bool countTail = true)
    {
        if (_reader is null) return;
        if (countTail)
        {
            SkippedBytes += _reader.SkippedBytes;
            if (_reader.TornTailBytes > 0)
            {
                TornTailBytes += _reader.TornTailBytes;
                TornSegments++;
            }
        }
        _closedBytesRead += _reader.BytesRead;
        _reader.Dispose();
        _reader = null;
        _hasCurrent = false;
        _atBoundary = false;
    }

    public void Dispose() => CloseCurrent(countTail: false);
}

/// <summary>A <see cref="JournalSource"/> as a struct packet source (one direct call), for pipelines generic over their source.</summary>
public readonly struct JournalPackets(JournalSource source) : IRecordedPackets
{
    public JournalSource Source => source;

    public bool PausedAtBoundary => source.PausedAtBoundary;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler => source.Poll(ref handler, limit);
}
