using System;
using System.IO;
using System.Text;
using Wirespeed.Feeds.Fix.Session;
using Xunit;

namespace Wirespeed.Tests.Feeds.Fix.Session;

/// <summary>The persisted store: what was written comes back after a reopen, a torn tail is cut off, a reset starts over.</summary>
public sealed class FixFileStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ws-fixstore-" + Guid.NewGuid().ToString("N"));
    private string File1 => Path.Combine(_dir, "US-THEM.fixstore");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    [Theory]
    [InlineData(FixStoreSync.EveryWrite)]
    [InlineData(FixStoreSync.OsBuffered)]
    public void Reopen_resumes_numbers_and_messages(FixStoreSync sync)
    {
        DateTime created;
        using (var s = new FixFileStore(File1, sync))
        {
            created = s.CreatedUtc;
            s.StoreSent(1, "first"u8);
            s.SetNextSenderSeqNum(3);
            s.StoreSent(3, "third"u8);
            s.SetNextTargetSeqNum(7);
        }
        using var again = new FixFileStore(File1, sync);
        Assert.Equal(4, again.NextSenderSeqNum);
        Assert.Equal(7, again.NextTargetSeqNum);
        Assert.Equal(created, again.CreatedUtc);
        Assert.True(again.TryGetSent(3, out var m));
        Assert.Equal("third", Encoding.ASCII.GetString(m.Span));
        Assert.False(again.TryGetSent(2, out _));
        Assert.Equal(0, again.RepairedBytes);
        Assert.Equal(5, again.RecordsReplayed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(13)]
    [InlineData(16)]
    public void Torn_tail_is_cut_off_and_the_whole_records_kept(int cut)
    {
        using (var s = new FixFileStore(File1))
        {
            s.StoreSent(1, "kept"u8);
            s.SetNextTargetSeqNum(5);
            s.StoreSent(2, "torn-record"u8);
        }
        long full = new FileInfo(File1).Length;
        using (var f = new FileStream(File1, FileMode.Open)) f.SetLength(full - cut);
        using var again = new FixFileStore(File1);
        const int tornRecord = 13 + 11;                             // header + "torn-record"
        Assert.Equal(full - tornRecord, new FileInfo(File1).Length);
        Assert.Equal(tornRecord - cut, again.RepairedBytes);
        Assert.True(again.TryGetSent(1, out _));
        Assert.False(again.TryGetSent(2, out _));
        Assert.Equal(2, again.NextSenderSeqNum);
        Assert.Equal(5, again.NextTargetSeqNum);
        again.StoreSent(2, "rewritten"u8);                         // appends after the repaired end
        again.Dispose();
        using var third = new FixFileStore(File1);
        Assert.Equal(0, third.RepairedBytes);
        Assert.True(third.TryGetSent(2, out var m));
        Assert.Equal("rewritten", Encoding.ASCII.GetString(m.Span));
    }

    [Fact]
    public void Flipped_byte_in_the_last_record_is_repaired()
    {
        using (var s = new FixFileStore(File1))
        {
            s.SetNextTargetSeqNum(4);
            s.SetNextTargetSeqNum(9);
        }
        var bytes = File.ReadAllBytes(File1);
        bytes[^1] ^= 0x40;
        File.WriteAllBytes(File1, bytes);
        using var again = new FixFileStore(File1);
        Assert.Equal(4, again.NextTargetSeqNum);
        Assert.Equal(13, again.RepairedBytes);
    }

    [Fact]
    public void A_start_record_whose_time_is_out_of_range_is_cut_off_like_a_torn_one()
    {
        using (var s = new FixFileStore(File1)) s.SetNextTargetSeqNum(4);
        // A record whose CRC holds but whose start time DateTime refuses (ticks = long.MaxValue): written by a bug or
        // a foreign tool, it must not throw at open.
        var record = new byte[13 + 8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(record, 8);
        record[8] = 4;                                               // the start-of-session kind
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(13), long.MaxValue);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Wirespeed.Core.Signals.Crc32C.Compute(record.AsSpan(8)));
        using (var f = new FileStream(File1, FileMode.Append)) f.Write(record);
        using var again = new FixFileStore(File1);
        Assert.Equal(4, again.NextTargetSeqNum);
        Assert.Equal(record.Length, again.RepairedBytes);
    }

    [Fact]
    public void Reset_starts_over_and_survives_a_reopen()
    {
        var when = new DateTime(2026, 12, 9, 6, 0, 0, DateTimeKind.Utc);
        using (var s = new FixFileStore(File1))
        {
            s.StoreSent(1, "old"u8);
            s.SetNextTargetSeqNum(12);
            s.Reset(when);
            s.StoreSent(1, "new"u8);
        }
        using var again = new FixFileStore(File1);
        Assert.Equal(when, again.CreatedUtc);
        Assert.Equal(1, again.NextTargetSeqNum);
        Assert.Equal(2, again.NextSenderSeqNum);
        Assert.True(again.TryGetSent(1, out var m));
        Assert.Equal("new", Encoding.ASCII.GetString(m.Span));
    }

    [Fact]
    public void Session_restarted_on_the_same_file_answers_a_resend_from_it()
    {
        var clock = new ManualClock();
        var link = new CaptureLink();
        using (var first = new FixSession(SessionMessages.Acceptor(), new FixFileStore(File1), null, clock))
        {
            first.Connected(link);
            first.Received(SessionMessages.Logon());
            var o = new OrderBody("persisted-1");
            first.Send("D"u8, ref o);                               // our 2
            first.Received(SessionMessages.From("0", 2));
        }
        link.Take();
        var second = new FixSession(SessionMessages.Acceptor(), new FixFileStore(File1), null, clock);
        Assert.Equal(3, second.NextSenderSeqNum);
        Assert.Equal(3, second.NextTargetSeqNum);
        second.Connected(link);
        second.Received(SessionMessages.Logon(seq: 3));
        second.Received(SessionMessages.From("2", 4, "7=1|16=0|"));
        var sent = link.Texts();
        Assert.Equal(("A", "3"), (SessionMessages.Field(sent[0], 35), SessionMessages.Field(sent[0], 34)));
        Assert.Equal(("4", "1", "2"), (SessionMessages.Field(sent[1], 35), SessionMessages.Field(sent[1], 34), SessionMessages.Field(sent[1], 36)));
        Assert.Equal(("D", "2", "Y", "persisted-1"), (SessionMessages.Field(sent[2], 35), SessionMessages.Field(sent[2], 34), SessionMessages.Field(sent[2], 43), SessionMessages.Field(sent[2], 11)));
        Assert.Equal(("4", "3", "4"), (SessionMessages.Field(sent[3], 35), SessionMessages.Field(sent[3], 34), SessionMessages.Field(sent[3], 36)));
        second.Dispose();
    }
}
