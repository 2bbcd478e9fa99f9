using System;
using System.IO;
using Wirespeed.Core.Recording;
using Xunit;

namespace Wirespeed.Tests.Core.Recording;

/// <summary>A segment that vanished before it was looked at, and a record's bytes as stored.</summary>
public sealed class SegmentReaderEdgeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-segment-edge").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void A_missing_segment_is_neither_openable_nor_a_cut_off_header()
    {
        string path = Path.Combine(_dir, "gone.wsj");
        Assert.Null(SegmentReader.TryOpen(path, out string? problem, out long length));
        Assert.Equal(-1, length);
        Assert.Contains("gone.wsj", problem);
        Assert.False(SegmentReader.IsCutOff(path));
    }

    [Fact]
    public void The_stored_bytes_of_a_record_are_its_header_then_its_payload()
    {
        RecordingFixture.Write(_dir, 0, 3);
        string first = JournalWriter.ListSegments(_dir)[0].Path;
        using var reader = SegmentReader.TryOpen(first, out string? problem, out _);
        Assert.True(reader is not null, problem);
        Assert.Equal(SegmentReadStatus.Ok, reader.Next());
        byte[] payload = RecordingFixture.Payload(0);
        Assert.Equal(JournalLayout.RecordHeaderSize + payload.Length, reader.RecordBytes.Length);
        Assert.True(reader.RecordBytes[JournalLayout.RecordHeaderSize..].SequenceEqual(payload));
    }
}
