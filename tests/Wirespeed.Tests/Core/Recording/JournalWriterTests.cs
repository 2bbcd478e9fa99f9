using System;
using System.IO;
using System.Linq;
using System.Text;
using Wirespeed.Core.Recording;
using Xunit;

namespace Wirespeed.Tests.Core.Recording;

public sealed class JournalWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-rec").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void Crc32C_is_castagnoli()
    {
        Assert.Equal(0xE3069283u, JournalLayout.Crc32C(Encoding.ASCII.GetBytes("123456789")));   // RFC 3720 B.4 check value
    }

    [Fact]
    public void Crc32C_agrees_with_the_signal_journal_s_table_driven_one()
    {
        var rng = new Random(3);
        for (int n = 0; n < 200; n++)
        {
            var data = new byte[rng.Next(0, 3000)];
            rng.NextBytes(data);
            Assert.Equal(Wirespeed.Core.Signals.Crc32C.Compute(data), JournalLayout.Crc32C(data));
        }
    }

    [Fact]
    public void Records_in_are_records_out_across_segments_rotated_by_size()
    {
        var w = RecordingFixture.Write(_dir, 0, 2_000);
        Assert.Equal(2_000, w.Records);
        var segments = JournalWriter.ListSegments(_dir);
        Assert.True(segments.Count > 3, $"{segments.Count} segments of 64 KiB for ~660 KB");
        Assert.Equal(segments.Count, w.Segments);
        foreach (var (n, path) in segments)
        {
            Assert.True(new FileInfo(path).Length <= 64 << 10, $"{path} over the segment size");
            using var r = SegmentReader.TryOpen(path, out _, out _)!;
            Assert.Equal(n, r.Header.Segment);
            Assert.Equal(RecordingFixture.Lines, r.Header.Lines);
        }
        var all = RecordingFixture.ReadAll(_dir, out long corrupt, out long torn);
        Assert.Equal(Enumerable.Range(0, 2_000).Select(i => (long)i), all.Select(a => a.I));
        Assert.Equal(0, corrupt);
        Assert.Equal(0, torn);
        Assert.All(all, a => Assert.Equal(RecordingFixture.ReceiveNs(a.I), a.ReceiveNs));
    }

    [Fact]
    public void Each_segment_has_a_time_index_whose_entries_point_at_their_records()
    {
        RecordingFixture.Write(_dir, 0, 500);
        foreach (var (_, path) in JournalWriter.ListSegments(_dir))
        {
            var entries = SegmentIndex.Load(SegmentIndex.PathOf(path), new FileInfo(path).Length);
            Assert.NotEmpty(entries);
            Assert.Equal(0, entries[0].Ordinal);
            using var r = SegmentReader.TryOpen(path, out _, out _)!;
            foreach (var e in entries)
            {
                r.SeekTo(e.Offset);
                Assert.Equal(SegmentReadStatus.Ok, r.Next());
                Assert.Equal(e.ReceiveNs, r.Record.ReceiveNs);
            }
            for (int k = 1; k < entries.Count; k++) Assert.True(entries[k].Ordinal - entries[k - 1].Ordinal <= 8);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(200)]
    public void A_torn_tail_is_cut_on_the_next_open_counted_and_the_next_run_begins_a_segment(int keepOfLast)
    {
        RecordingFixture.Write(_dir, 0, 100);
        var (n, path) = JournalWriter.ListSegments(_dir)[^1];
        long full = new FileInfo(path).Length;
        // Cut the last record short: keep the first bytes of it only.
        var all = RecordingFixture.ReadAll(_dir, out _, out _);
        int lastLength = JournalLayout.RecordHeaderSize + RecordingFixture.Payload(99).Length;
        int keep = Math.Min(keepOfLast, lastLength - 1);
        using (var f = new FileStream(path, FileMode.Open)) f.SetLength(full - lastLength + keep);
        RecordingFixture.ReadAll(_dir, out long corrupt, out long torn);
        Assert.Equal(0, corrupt);
        Assert.Equal(keep, torn);

        var w = RecordingFixture.Write(_dir, 100, 10);
        Assert.Equal(keep, w.RepairedBytes);
        Assert.Contains("torn tail", w.RepairNote);
        Assert.Equal(n + 1, JournalWriter.ListSegments(_dir)[^1].Number - (w.Segments - 1));
        var after = RecordingFixture.ReadAll(_dir, out corrupt, out torn);
        Assert.Equal(0, corrupt);
        Assert.Equal(0, torn);
        Assert.Equal(Enumerable.Range(0, 99).Concat(Enumerable.Range(100, 10)).Select(i => (long)i), after.Select(a => a.I));
        Assert.All(SegmentIndex.Load(SegmentIndex.PathOf(path), long.MaxValue), e => Assert.True(e.Offset < full - lastLength + 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(40)]
    public void A_segment_cut_off_inside_its_header_is_deleted_on_the_next_open(int bytes)
    {
        RecordingFixture.Write(_dir, 0, 10);
        string cut = Path.Combine(_dir, JournalWriter.SegmentName(JournalWriter.ListSegments(_dir)[^1].Number + 1));
        File.WriteAllBytes(cut, RecordingFixture.Header(2, 0, 0).Encode().AsSpan(0, bytes).ToArray());
        Assert.True(SegmentReader.IsCutOff(cut));
        var w = RecordingFixture.Write(_dir, 10, 5);
        Assert.Equal(bytes, w.RepairedBytes);
        Assert.Contains("inside its header", w.RepairNote);
        Assert.Equal(Enumerable.Range(0, 15).Select(i => (long)i), RecordingFixture.ReadAll(_dir, out _, out _).Select(a => a.I));
    }

    [Fact]
    public void A_last_segment_with_a_damaged_header_stops_the_open_and_is_left_alone()
    {
        RecordingFixture.Write(_dir, 0, 10);
        var (_, path) = JournalWriter.ListSegments(_dir)[^1];
        RecordingFixture.FlipBit(path, 30);
        long length = new FileInfo(path).Length;
        var e = Assert.Throws<IOException>(() => new JournalWriter(RecordingFixture.Options(_dir), RecordingFixture.Header));
        Assert.Contains("damaged", e.Message);
        Assert.Contains("journal verify", e.Message);
        Assert.Equal(length, new FileInfo(path).Length);
    }

    [Fact]
    public void A_flipped_bit_is_one_corrupt_record_and_every_other_record_is_read()
    {
        RecordingFixture.Write(_dir, 0, 50);
        var (_, path) = JournalWriter.ListSegments(_dir)[0];
        long offset;
        using (var r = SegmentReader.TryOpen(path, out _, out _)!)
        {
            for (int k = 0; k <= 20; k++) r.Next();
            offset = r.RecordOffset;   // record 20
        }
        RecordingFixture.FlipBit(path, offset + JournalLayout.RecordHeaderSize + 5);
        var all = RecordingFixture.ReadAll(_dir, out long corrupt, out long torn);
        Assert.Equal(1, corrupt);
        Assert.Equal(0, torn);
        Assert.Equal(Enumerable.Range(0, 50).Where(i => i != 20).Select(i => (long)i), all.Select(a => a.I));
    }

    [Fact]
    public void A_flipped_length_bit_is_resynchronised_past()
    {
        RecordingFixture.Write(_dir, 0, 50);
        var (_, path) = JournalWriter.ListSegments(_dir)[0];
        long offset;
        using (var r = SegmentReader.TryOpen(path, out _, out _)!)
        {
            for (int k = 0; k <= 10; k++) r.Next();
            offset = r.RecordOffset;
        }
        RecordingFixture.FlipBit(path, offset + JournalLayout.LengthOffset + 1, 6);   // length + 16,384: framing is lost
        var all = RecordingFixture.ReadAll(_dir, out long corrupt, out _);
        Assert.Equal(1, corrupt);
        Assert.Equal(Enumerable.Range(0, 50).Where(i => i != 10).Select(i => (long)i), all.Select(a => a.I));
    }

    [Theory]
    [InlineData(FsyncPolicy.Record)]
    [InlineData(FsyncPolicy.Interval)]
    [InlineData(FsyncPolicy.Segment)]
    public void What_is_durable_follows_the_fsync_policy(FsyncPolicy policy)
    {
        var w = new JournalWriter(RecordingFixture.Options(_dir) with { Fsync = policy, FsyncIntervalMs = 1, SegmentBytes = 1 << 20 }, RecordingFixture.Header);
        for (int i = 0; i < 10; i++) w.Append(RecordingFixture.Record(i), Wirespeed.Core.Time.MonoClock.NowNs());
        if (policy == FsyncPolicy.Record) Assert.Equal(10, w.DurableRecords);
        else Assert.Equal(0, w.DurableRecords);
        System.Threading.Thread.Sleep(2);
        w.Tick(Wirespeed.Core.Time.MonoClock.NowNs());
        Assert.Equal(policy == FsyncPolicy.Segment ? 0 : 10, w.DurableRecords);
        w.Dispose();
        Assert.Equal(10, w.DurableRecords);   // a closed segment is durable under every policy
        Assert.True(w.Fsyncs >= 1);
    }

    [Fact]
    public void A_segment_open_too_long_is_rotated()
    {
        var w = new JournalWriter(RecordingFixture.Options(_dir) with { SegmentSeconds = 1 }, RecordingFixture.Header);
        w.Append(RecordingFixture.Record(0), 0);
        w.Tick(500_000_000);
        w.Append(RecordingFixture.Record(1), 500_000_000);
        Assert.Equal(1, w.Segments);
        w.Tick(1_000_000_001);
        w.Append(RecordingFixture.Record(2), 1_000_000_001);
        Assert.Equal(2, w.Segments);
        w.Dispose();
        Assert.Equal(2, JournalWriter.ListSegments(_dir).Count);
    }

    [Fact]
    public void Retention_by_size_deletes_the_oldest_closed_segments_with_their_index()
    {
        var options = RecordingFixture.Options(_dir) with { RetentionBytes = 3 * (64L << 10) };
        var w = RecordingFixture.Write(_dir, 0, 3_000, options);
        var left = JournalWriter.ListSegments(_dir);
        Assert.True(w.DeletedSegments > 0);
        Assert.True(left.Sum(s => new FileInfo(s.Path).Length) <= options.RetentionBytes + (64 << 10), "over the retention by more than the open segment");
        Assert.Equal(w.Segments - w.DeletedSegments, left.Count);
        Assert.Equal(left.Count, Directory.GetFiles(_dir, "*.wsx").Length);
        var all = RecordingFixture.ReadAll(_dir, out _, out _);
        Assert.Equal(2_999, all[^1].I);   // the newest kept, contiguous to the end
        Assert.Equal(Enumerable.Range((int)all[0].I, all.Count).Select(i => (long)i), all.Select(a => a.I));
    }

    [Fact]
    public void Retention_by_age_deletes_segments_last_written_too_long_ago()
    {
        RecordingFixture.Write(_dir, 0, 1_000);
        var old = JournalWriter.ListSegments(_dir);
        foreach (var (_, path) in old.Take(old.Count - 1)) File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-3));
        // Applied at start-up and whenever a segment closes.
        var w = RecordingFixture.Write(_dir, 1_000, 10, RecordingFixture.Options(_dir) with { RetentionSeconds = 3600 });
        Assert.Equal(old.Count - 1, w.DeletedSegments);
        Assert.Equal(old[^1].Number, JournalWriter.ListSegments(_dir)[0].Number);
    }

    [Fact]
    public void A_directory_that_cannot_be_created_is_said_with_its_path()
    {
        string file = Path.Combine(_dir, "file");
        File.WriteAllText(file, "x");
        var e = Assert.Throws<IOException>(() => new JournalWriter(RecordingFixture.Options(Path.Combine(file, "sub")), RecordingFixture.Header));
        Assert.Contains(Path.Combine(file, "sub"), e.Message);
    }
}
