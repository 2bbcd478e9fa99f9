using System;
using System.IO;
using System.Runtime.InteropServices;
using Wirespeed.Core.Signals;
using Xunit;

namespace Wirespeed.Tests.Core.Signals;

/// <summary>The writer's tail repair on open and the reader's resynchronisation on magic + CRC-32C.</summary>
public sealed class SignalJournalRepairTests : IDisposable
{
    private const int R = SignalJournal.RecordSize;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"wirespeed-repair-{Guid.NewGuid():N}.wsj");

    public void Dispose()
    {
        if (File.Exists(_path)) File.Delete(_path);
    }

    /// <summary>The bytes the writer gives records <paramref name="from"/>..from+count-1.</summary>
    private static byte[] Records(int from, int count)
    {
        var data = new byte[count * R];
        for (int i = 0; i < count; i++)
        {
            Span<byte> record = data.AsSpan(i * R, R);
            var s = SignalJournalTests.Make(from + i);
            MemoryMarshal.Write(record, in s);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(record.Slice(Signal.Size), SignalJournal.Magic);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(record.Slice(Signal.Size + 4), Crc32C.Compute(record.Slice(0, Signal.Size + 4)));
        }
        return data;
    }

    private static byte[] Concat(params byte[][] parts)
    {
        var ms = new MemoryStream();
        foreach (var p in parts) ms.Write(p);
        return ms.ToArray();
    }

    private static (long Good, long Corrupt, long Skipped, int Torn, Signal[] Read) ReadAll(SignalJournalReader r)
    {
        var read = new System.Collections.Generic.List<Signal>();
        for (JournalReadStatus s; (s = r.TryRead(out var sig)) != JournalReadStatus.End; )
            if (s == JournalReadStatus.Ok) read.Add(sig);
        return (r.GoodRecords, r.CorruptRecords, r.SkippedBytes, r.TornTailBytes, read.ToArray());
    }

    private void Append(int from, int count, out long repaired, out string? reason)
    {
        using var w = new SignalJournalWriter(_path, bufferRecords: 3);
        for (int i = 0; i < count; i++) w.Append(SignalJournalTests.Make(from + i));
        repaired = w.RepairedBytes;
        reason = w.RepairReason;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(40)]
    [InlineData(71)]
    public void Appending_after_a_torn_tail_cuts_it_and_every_later_record_reads(int tornBytes)
    {
        // The regression: 9 whole records and a torn 10th, then an append. Before the repair every appended record
        // sat off the 72-byte grid and none of them could be read (694 of 694 in the adversarial run).
        File.WriteAllBytes(_path, Records(0, 10).AsSpan(0, 9 * R + tornBytes).ToArray());
        Append(9, 5, out long repaired, out string? reason);
        Assert.Equal(tornBytes, repaired);
        Assert.Contains("a record cut short at the end", reason);
        Assert.Equal(14 * R, new FileInfo(_path).Length);
        using var r = SignalJournalReader.Open(_path);
        var (good, corrupt, skipped, torn, read) = ReadAll(r);
        Assert.Equal((14L, 0L, 0L, 0), (good, corrupt, skipped, torn));
        for (int i = 0; i < 14; i++) Assert.Equal(SignalJournalTests.Make(i), read[i]);
    }

    [Fact]
    public void A_clean_journal_is_not_touched_on_open()
    {
        File.WriteAllBytes(_path, Records(0, 4));
        Append(4, 2, out long repaired, out string? reason);
        Assert.Equal(0, repaired);
        Assert.Null(reason);
        Assert.Equal(Records(0, 6), File.ReadAllBytes(_path));
    }

    [Fact]
    public void A_damaged_tail_longer_than_a_record_is_cut_back_to_the_last_valid_record()
    {
        var garbage = new byte[200];
        Array.Fill(garbage, (byte)0xAB);
        File.WriteAllBytes(_path, Concat(Records(0, 5), garbage));
        Append(5, 1, out long repaired, out string? reason);
        Assert.Equal(200, repaired);
        Assert.Contains("not records (a damaged tail)", reason);
        Assert.Equal(Records(0, 6), File.ReadAllBytes(_path));
    }

    [Fact]
    public void A_file_shorter_than_a_record_is_a_first_write_cut_short_and_is_cut()
    {
        File.WriteAllBytes(_path, Records(0, 1).AsSpan(0, 50).ToArray());
        Append(0, 2, out long repaired, out _);
        Assert.Equal(50, repaired);
        Assert.Equal(Records(0, 2), File.ReadAllBytes(_path));
    }

    [Fact]
    public void A_file_that_is_not_a_journal_is_refused_and_left_untouched()
    {
        var foreign = new byte[100_000];
        new Random(7).NextBytes(foreign);
        File.WriteAllBytes(_path, foreign);
        var e = Assert.Throws<IOException>(() => new SignalJournalWriter(_path));
        Assert.Contains($"signal journal '{_path}': no valid record in its last 65,536 bytes", e.Message);
        Assert.Contains("nothing was changed", e.Message);
        Assert.Contains("wirespeed journal verify", e.Message);
        Assert.Equal(foreign, File.ReadAllBytes(_path));
    }

    [Fact]
    public void A_journal_appended_after_a_torn_tail_by_an_old_writer_is_read_by_resynchronising()
    {
        // 3 records, 30 bytes of a 4th, then 5 records appended off the grid (what the writer did before the repair).
        byte[] data = Concat(Records(0, 3), Records(3, 1).AsSpan(0, 30).ToArray(), Records(4, 5));
        var (good, corrupt, skipped, torn, read) = ReadAll(new SignalJournalReader(data));
        Assert.Equal((8L, 1L, 30L, 0), (good, corrupt, skipped, torn));
        Assert.Equal(SignalJournalTests.Make(4), read[3]);
        Assert.Equal(SignalJournalTests.Make(8), read[7]);
    }

    [Fact]
    public void Damaged_stretches_between_records_are_skipped_and_counted_once_each()
    {
        var junk13 = new byte[13];
        var junk200 = new byte[200];
        Array.Fill(junk200, (byte)0x57);   // 'W': the magic's first byte, so the scan meets near misses
        byte[] data = Concat(Records(0, 2), junk13, Records(2, 2), junk200, Records(4, 1));
        var r = new SignalJournalReader(data);
        var statuses = new System.Collections.Generic.List<JournalReadStatus>();
        for (JournalReadStatus s; (s = r.TryRead(out _)) != JournalReadStatus.End; ) statuses.Add(s);
        Assert.Equal([JournalReadStatus.Ok, JournalReadStatus.Ok, JournalReadStatus.Corrupt, JournalReadStatus.Ok, JournalReadStatus.Ok,
                      JournalReadStatus.Corrupt, JournalReadStatus.Ok], statuses);
        Assert.Equal((5L, 2L, 213L, 0), (r.GoodRecords, r.CorruptRecords, r.SkippedBytes, r.TornTailBytes));
        Assert.Equal(data.Length, r.Offset);
    }

    [Fact]
    public void Damage_that_runs_to_the_end_is_skipped_not_a_torn_tail()
    {
        var junk = new byte[100];
        byte[] data = Concat(Records(0, 2), junk);
        var (good, corrupt, skipped, torn, _) = ReadAll(new SignalJournalReader(data));
        Assert.Equal((2L, 1L, 100L, 0), (good, corrupt, skipped, torn));
    }

    [Fact]
    public void The_streaming_reader_resynchronises_across_its_buffer_boundary()
    {
        // 20,000 records (1.44 MB) with 7 stray bytes just before the 1 MiB mark, where the reader refills its buffer.
        int before = (1 << 20) / R - 1;
        File.WriteAllBytes(_path, Concat(Records(0, before), new byte[7], Records(before, 20_000 - before)));
        using var r = SignalJournalReader.Open(_path);
        var (good, corrupt, skipped, torn, read) = ReadAll(r);
        Assert.Equal((20_000L, 1L, 7L, 0), (good, corrupt, skipped, torn));
        Assert.Equal(SignalJournalTests.Make(19_999), read[^1]);
        Assert.Equal(SignalJournalTests.Make(before), read[before]);
    }
}
