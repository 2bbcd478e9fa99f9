using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Recording;
using Wirespeed.Feeds.Replay;
using Wirespeed.Tests.Core.Recording;
using Xunit;

namespace Wirespeed.Tests.Feeds.Replay;

public sealed class JournalSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-journal-source").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private struct Collect : IPacketHandler
    {
        public List<(long I, PacketInfo Info, int Length)> Packets;

        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
        {
            long i = BinaryPrimitives.ReadInt64LittleEndian(payload);
            Assert.True(payload.SequenceEqual(RecordingFixture.Payload(i)), $"record {i}: bytes differ");
            Packets.Add((i, info, payload.Length));
        }
    }

    private static List<(long I, PacketInfo Info, int Length)> Drain(JournalSource source, int limit = 7)
    {
        var c = new Collect { Packets = new() };
        while (source.Poll(ref c, limit) > 0) { }
        return c.Packets;
    }

    /// <summary>
    /// Records 0..9, with the live worker's batches beginning at 0, 4 and 7 (the tap's BatchStart): each poll stops
    /// before a batch start and the poll after it returns 0 once, paused (not the end); the end is a 0 that is not paused.
    /// </summary>
    [Fact]
    public void A_poll_stops_before_each_recorded_batch_start_and_the_next_returns_0_once_without_ending()
    {
        var w = new JournalWriter(RecordingFixture.Options(_dir), RecordingFixture.Header);
        for (long i = 0; i < 10; i++)
        {
            byte[] r = RecordingFixture.Record(i);
            if (i is 0 or 4 or 7) r[JournalLayout.FlagsOffset] |= (byte)RecordFlags.BatchStart;
            w.Append(r, 0);
        }
        w.Dispose();
        using var source = new JournalSource(_dir);
        var packets = new JournalPackets(source);   // the struct view the pipeline polls reports what its source does
        var c = new Collect { Packets = new() };
        var polls = new List<(int Got, bool Paused)>();
        for (int k = 0; k < 9; k++)
        {
            int got = packets.Poll(ref c, 100);
            Assert.Equal(source.PausedAtBoundary, packets.PausedAtBoundary);
            polls.Add((got, packets.PausedAtBoundary));
        }
        Assert.Equal([(0, true), (4, false), (0, true), (3, false), (0, true), (3, false), (0, false), (0, false), (0, false)], polls);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), c.Packets.Select(p => p.I));
        Assert.Equal(3, source.Boundaries);
        Assert.True(source.IsAtEnd);
    }

    [Fact]
    public void Records_in_are_packets_out_with_the_recorded_receive_time_and_line()
    {
        RecordingFixture.Write(_dir, 0, 3_000);
        using var source = new JournalSource(_dir);
        Assert.True(source.SegmentCount > 5);
        var packets = Drain(source);
        Assert.Equal(Enumerable.Range(0, 3_000).Select(i => (long)i), packets.Select(p => p.I));
        Assert.All(packets, p =>
        {
            Assert.Equal(RecordingFixture.ReceiveNs(p.I), p.Info.ReceiveTimestampNs);
            Assert.Equal(RecordingFixture.Lines[p.I % 2].Id, p.Info.LineId);
            Assert.Equal(PacketSourceKind.Journal, p.Info.Source);
        });
        Assert.True(source.IsAtEnd);
        Assert.True(source.Completeness.Complete);
        Assert.Equal(3_000, source.Records);
    }

    [Fact]
    public void The_first_receive_time_is_the_first_records_and_an_empty_directory_has_none()
    {
        using (var empty = new JournalSource(_dir)) Assert.Null(empty.FirstReceiveNs());
        RecordingFixture.Write(_dir, 0, 3_000);
        using var source = new JournalSource(_dir);
        Assert.Equal(RecordingFixture.ReceiveNs(0), source.FirstReceiveNs());
        // Reading it leaves the source where it was: the replay still starts at the first record.
        var packets = Drain(source);
        Assert.Equal(3_000, packets.Count);
        Assert.Equal(0, packets[0].I);
    }

    [Fact]
    public void The_first_receive_time_passes_over_an_unreadable_segment_an_empty_one_and_a_damaged_first_record()
    {
        RecordingFixture.Write(_dir, 0, 3_000);
        var segments = JournalWriter.ListSegments(_dir);
        Assert.True(segments.Count > 3);
        // Segment 1 keeps only its header (no record), segment 2's first record has a flipped bit, and a segment
        // numbered before them all is not a segment at all.
        long headerSize, damagedFirst;
        using (var r = SegmentReader.TryOpen(segments[0].Path, out _, out _)!) headerSize = r.Header.Size;
        using (var f = new FileStream(segments[0].Path, FileMode.Open)) f.SetLength(headerSize);
        using (var r = SegmentReader.TryOpen(segments[1].Path, out _, out _)!)
        {
            Assert.Equal(SegmentReadStatus.Ok, r.Next());
            damagedFirst = r.Record.ReceiveNs;
            long offset = r.RecordOffset;
            r.Dispose();
            RecordingFixture.FlipBit(segments[1].Path, offset + 40);
        }
        File.WriteAllBytes(Path.Combine(_dir, JournalWriter.SegmentName(0)), new byte[200]);
        using var source = new JournalSource(_dir);
        long? first = source.FirstReceiveNs();
        // It is the time of the first packet the source then delivers (the damaged record is skipped by both alike).
        Assert.NotNull(first);
        Assert.True(first > damagedFirst);
        var packets = Drain(source);
        Assert.Equal(first, packets[0].Info.ReceiveTimestampNs);
        Assert.True(source.CorruptRecords >= 1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(777)]
    [InlineData(1_500)]
    [InlineData(2_999)]
    public void Seeking_by_time_starts_at_the_first_record_at_or_after_it(int target)
    {
        RecordingFixture.Write(_dir, 0, 3_000);
        using var source = new JournalSource(_dir);
        Assert.True(source.SeekToTime(RecordingFixture.ReceiveNs(target) - 500));   // between record target-1 and target
        var packets = Drain(source);
        Assert.Equal(Enumerable.Range(target, 3_000 - target).Select(i => (long)i), packets.Select(p => p.I));
    }

    [Fact]
    public void A_missing_or_damaged_index_costs_a_scan_never_a_wrong_answer()
    {
        RecordingFixture.Write(_dir, 0, 3_000);
        var segments = JournalWriter.ListSegments(_dir);
        File.Delete(SegmentIndex.PathOf(segments[2].Path));
        RecordingFixture.FlipBit(SegmentIndex.PathOf(segments[3].Path), SegmentIndex.HeaderSize + SegmentIndex.EntrySize + 3);
        foreach (int target in new[] { 0, 1_100, 1_400, 2_000 })
        {
            using var source = new JournalSource(_dir);
            Assert.True(source.SeekToTime(RecordingFixture.ReceiveNs(target)));
            var packets = Drain(source);
            Assert.Equal(Enumerable.Range(target, 3_000 - target).Select(i => (long)i), packets.Select(p => p.I));
        }
    }

    [Fact]
    public void Seeking_past_the_end_leaves_nothing_and_seeking_back_replays_again()
    {
        RecordingFixture.Write(_dir, 0, 500);
        using var source = new JournalSource(_dir);
        Assert.False(source.SeekToTime(RecordingFixture.ReceiveNs(500)));
        Assert.Empty(Drain(source));
        Assert.True(source.SeekToTime(RecordingFixture.ReceiveNs(490)));
        Assert.Equal(Enumerable.Range(490, 10).Select(i => (long)i), Drain(source).Select(p => p.I));
    }

    [Fact]
    public void A_flipped_bit_is_skipped_with_a_count_and_the_replay_says_it_is_incomplete()
    {
        RecordingFixture.Write(_dir, 0, 100);
        var (_, path) = JournalWriter.ListSegments(_dir)[0];
        long offset;
        using (var r = SegmentReader.TryOpen(path, out _, out _)!)
        {
            for (int k = 0; k <= 40; k++) r.Next();
            offset = r.RecordOffset;
        }
        RecordingFixture.FlipBit(path, offset + 40);
        using var source = new JournalSource(_dir);
        var packets = Drain(source);
        Assert.Equal(Enumerable.Range(0, 100).Where(i => i != 40).Select(i => (long)i), packets.Select(p => p.I));
        Assert.Equal(1, source.CorruptRecords);
        Assert.False(source.Completeness.Complete);
        Assert.Contains("1 damaged record(s) skipped", source.Completeness.Reasons[0]);
    }

    [Fact]
    public void A_torn_tail_is_reported_and_every_whole_record_before_it_is_replayed()
    {
        RecordingFixture.Write(_dir, 0, 100);
        var (_, path) = JournalWriter.ListSegments(_dir)[^1];
        using (var f = new FileStream(path, FileMode.Open)) f.SetLength(f.Length - 10);
        using var source = new JournalSource(_dir);
        var packets = Drain(source);
        Assert.Equal(Enumerable.Range(0, 99).Select(i => (long)i), packets.Select(p => p.I));
        Assert.Equal(1, source.TornSegments);
        Assert.Equal(JournalLayout.RecordHeaderSize + RecordingFixture.Payload(99).Length - 10, source.TornTailBytes);
        Assert.Contains("torn tail", Assert.Single(source.Completeness.Reasons));
    }
}
