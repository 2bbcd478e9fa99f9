using System;
using System.Collections.Generic;
using System.IO;

namespace Wirespeed.Core.Recording;

public sealed partial class JournalWriter
{
    /// <summary>Bytes cut off the previous run's last segment on open (its torn tail; a segment cut off inside its header counts whole).</summary>
    public long RepairedBytes { get; private set; }
    /// <summary>What the repair did, one line; null when nothing needed repair.</summary>
    public string? RepairNote { get; private set; }

    /// <summary>
    /// Repairs the previous run's last segment and returns the highest segment number in the directory (0 when none).
    /// Only the last segment can be torn: every earlier one was closed, and so synced, before the next was begun.
    /// </summary>
    /// <remarks>
    /// A segment shorter than its header (a crash right after it was created) holds no record: it is deleted, with its
    /// index. Otherwise the bytes after its last valid record are cut off, and index entries pointing past the cut are
    /// dropped. A segment whose header is there but damaged is not touched: start-up fails with a message that says so,
    /// because cutting it would destroy records that may still be read.
    /// </remarks>
    private uint Repair()
    {
        List<(uint Number, string Path)> segments;
        try { segments = ListSegments(Directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"recording directory '{Directory}' cannot be read: {e.Message}", e);
        }
        if (segments.Count == 0) return 0;
        var (number, path) = segments[^1];
        using (var reader = SegmentReader.TryOpen(path, out string? problem, out long length))
        {
            if (reader is null)
            {
                if (length >= 0 && length < SegmentHeader.SizeFor(SegmentHeader.MaxLines) && SegmentHeader.IsCutOff(File.ReadAllBytes(path)))
                {
                    File.Delete(path);
                    File.Delete(SegmentIndex.PathOf(path));
                    RepairedBytes = length;
                    RepairNote = $"segment {System.IO.Path.GetFileName(path)} was cut off inside its header ({length} bytes, no record): deleted";
                    return number;
                }
                throw new IOException($"recording '{Directory}': last segment {System.IO.Path.GetFileName(path)} is damaged ({problem}); nothing was changed. " +
                                      $"Check it with 'wirespeed journal verify {Directory}', then move it away or record into another directory");
            }
            while (reader.Next() != SegmentReadStatus.End) { }
            long cut = length - reader.ValidEnd;
            if (cut == 0) return number;
            using (var f = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read))
            {
                f.SetLength(reader.ValidEnd);
                f.Flush(flushToDisk: true);
            }
            TrimIndex(path, reader.ValidEnd);
            RepairedBytes = cut;
            RepairNote = $"segment {System.IO.Path.GetFileName(path)}: torn tail of {cut:N0} bytes after record {reader.GoodRecords:N0} cut off " +
                         (reader.CorruptRecords > 0 ? $"({reader.CorruptRecords} damaged stretch(es) before it kept for verify to report)" : "(a write cut short by a crash or a full disk)");
        }
        return number;
    }

    /// <summary>Rewrites the index of a repaired segment with only the entries that point inside its valid records.</summary>
    private static void TrimIndex(string segmentPath, long validEnd)
    {
        string indexPath = SegmentIndex.PathOf(segmentPath);
        var entries = SegmentIndex.Load(indexPath, validEnd);
        var bytes = new byte[SegmentIndex.HeaderSize + entries.Count * SegmentIndex.EntrySize];
        SegmentIndex.EncodeHeader(bytes);
        for (int i = 0; i < entries.Count; i++)
            SegmentIndex.EncodeEntry(bytes.AsSpan(SegmentIndex.HeaderSize + i * SegmentIndex.EntrySize), entries[i]);
        using var f = new FileStream(indexPath, FileMode.Create, FileAccess.Write, FileShare.Read);
        f.Write(bytes);
        f.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Deletes closed segments (and their indexes), oldest first, while the directory holds more than
    /// <see cref="RecordingOptions.RetentionBytes"/> or while the oldest was last written more than
    /// <see cref="RecordingOptions.RetentionSeconds"/> ago. The open segment is never deleted.
    /// </summary>
    private void ApplyRetention(long nowRealtimeNs)
    {
        if (_options.RetentionBytes == 0 && _options.RetentionSeconds == 0) return;
        var segments = ListSegments(Directory);
        long total = 0;
        var sizes = new long[segments.Count];
        for (int i = 0; i < segments.Count; i++)
        {
            sizes[i] = new FileInfo(segments[i].Path).Length;
            total += sizes[i];
        }
        var now = DateTime.UnixEpoch.AddTicks(nowRealtimeNs / 100);
        for (int i = 0; i < segments.Count; i++)
        {
            string path = segments[i].Path;
            if (path == _segmentPath) break;
            bool tooBig = _options.RetentionBytes > 0 && total > _options.RetentionBytes;
            bool tooOld = _options.RetentionSeconds > 0 && (now - File.GetLastWriteTimeUtc(path)).TotalSeconds > _options.RetentionSeconds;
            if (!tooBig && !tooOld) break;
            File.Delete(path);
            File.Delete(SegmentIndex.PathOf(path));
            total -= sizes[i];
            DeletedSegments++;
        }
    }
}
