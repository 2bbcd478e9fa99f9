using System;
using System.Collections.Generic;
using System.IO;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Recording;
using Wirespeed.Feeds.Replay;
using Wirespeed.Tests.Core.Recording;
using Xunit;

namespace Wirespeed.Tests.Feeds.Replay;

/// <summary>
/// Segments that cannot be read (a damaged header, a file gone between listing and reading, the last one cut off
/// inside its header), the header of the segment being read, the verdict asked for before the end, and the struct
/// wrapper the pipelines poll.
/// </summary>
public sealed class JournalSourceSegmentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-journal-segments").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private struct Count : IPacketHandler
    {
        public long Packets;
        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info) => Packets++;
    }

    private static long Drain(JournalSource source)
    {
        var c = new Count();
        while (source.Poll(ref c, 16) > 0) { }
        return c.Packets;
    }

    [Fact]
    public void A_null_directory_is_refused() => Assert.Throws<ArgumentNullException>(() => new JournalSource(null!));

    [Fact]
    public void The_current_header_is_the_open_segments_and_the_verdict_before_the_end_is_not_kept()
    {
        RecordingFixture.Write(_dir, 0, 3_000);
        using var source = new JournalSource(_dir);
        Assert.Null(source.CurrentHeader);
        Assert.False(source.IsAtEnd);
        var c = new Count();
        Assert.True(source.Poll(ref c, 1) == 1);
        Assert.NotNull(source.CurrentHeader);
        Assert.Equal(JournalWriter.ListSegments(_dir)[0].Number, source.CurrentHeader!.Segment);
        var early = source.Completeness;
        Assert.True(early.Complete);
        Assert.NotSame(early, source.Completeness);   // not at the end: computed afresh each time
        Assert.Equal(2_999, Drain(source));
        Assert.Null(source.CurrentHeader);
        Assert.True(source.IsAtEnd);
        Assert.Same(source.Completeness, source.Completeness);   // at the end: the verdict is kept
    }

    [Fact]
    public void A_segment_with_a_damaged_header_is_skipped_and_named_in_the_verdict()
    {
        RecordingFixture.Write(_dir, 0, 3_000);
        var segments = JournalWriter.ListSegments(_dir);
        string damaged = segments[1].Path;
        long length = new FileInfo(damaged).Length;
        using (var f = new FileStream(damaged, FileMode.Open, FileAccess.Write)) f.Write(new byte[8]);   // magic gone
        using var source = new JournalSource(_dir);
        long packets = Drain(source);
        Assert.True(packets is > 0 and < 3_000, $"{packets} packets");
        Assert.Equal(packets, source.Records);
        var problem = Assert.Single(source.UnreadableSegments);
        Assert.StartsWith($"segment {Path.GetFileName(damaged)} skipped ({length} bytes): ", problem);
        Assert.False(source.Completeness.Complete);
        Assert.Equal(0, source.TornSegments);
    }

    [Fact]
    public void A_segment_removed_after_the_listing_is_skipped_as_unreadable()
    {
        RecordingFixture.Write(_dir, 0, 3_000);
        using var source = new JournalSource(_dir);
        string gone = JournalWriter.ListSegments(_dir)[0].Path;
        File.Delete(gone);
        long packets = Drain(source);
        Assert.True(packets is > 0 and < 3_000, $"{packets} packets");
        var problem = Assert.Single(source.UnreadableSegments);
        Assert.StartsWith($"segment {Path.GetFileName(gone)} skipped (unreadable): ", problem);
        Assert.False(source.Completeness.Complete);
    }

    [Fact]
    public void A_last_segment_cut_off_inside_its_header_is_a_torn_tail_not_a_lost_segment()
    {
        RecordingFixture.Write(_dir, 0, 3_000);
        var segments = JournalWriter.ListSegments(_dir);
        string last = segments[^1].Path;
        long before;
        using (var s = new JournalSource(_dir)) { Drain(s); before = s.Records; }
        long lastRecords = RecordsOf(last);
        using (var f = new FileStream(last, FileMode.Open, FileAccess.Write)) f.SetLength(10);   // inside the header
        using var source = new JournalSource(_dir);
        Assert.Equal(before - lastRecords, Drain(source));
        Assert.Empty(source.UnreadableSegments);
        Assert.Equal(1, source.TornSegments);
        Assert.Equal(10, source.TornTailBytes);
        Assert.Contains(source.Completeness.Reasons, r => r.StartsWith("torn tail in 1 segment(s), 10 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public void The_struct_wrapper_polls_its_source()
    {
        RecordingFixture.Write(_dir, 0, 100);
        using var source = new JournalSource(_dir);
        var packets = new JournalPackets(source);
        Assert.Same(source, packets.Source);
        var c = new Count();
        while (packets.Poll(ref c, 8) > 0) { }
        Assert.Equal(100, c.Packets);
        Assert.Equal(100, source.Records);
    }

    /// <summary>Records of one segment file, read on its own from a copy.</summary>
    private static long RecordsOf(string path)
    {
        string dir = Directory.CreateTempSubdirectory("ws-journal-one").FullName;
        try
        {
            File.Copy(path, Path.Combine(dir, Path.GetFileName(path)));
            using var s = new JournalSource(dir);
            return Drain(s);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
