using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Recording;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Replay;
using Xunit;

namespace Wirespeed.Tests.Feeds.Replay;

/// <summary>
/// ISSUE 12, --from-seq on a recording: <see cref="JournalSource.SeekToSequence"/> finds a line's MoldUDP64 sequence
/// through the segments' time indexes (a binary search over probed entries) instead of reading every record up to it,
/// and the replay's start filter then lands on the packet that holds it. The recording: two lines (ids 3 and 9)
/// interleaved, each its own MoldUDP64 session of 3-message packets, over several segments.
/// </summary>
public sealed class JournalSourceSeekTests : IDisposable
{
    private const int Records = 24_000, IndexEvery = 64, PayloadBytes = 400;
    private static readonly JournalLine[] Lines = [new JournalLine(3, 0xEFC00001, 26477, "A"), new JournalLine(9, 0xEFC00002, 26478, "B")];
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-journal-seek").FullName;
    private readonly long _totalBytes;

    public JournalSourceSeekTests()
    {
        var options = new RecordingOptions { Directory = _dir, SegmentBytes = 2 << 20, Fsync = FsyncPolicy.Segment, IndexEveryRecords = IndexEvery, WriteBufferBytes = 128 << 10 };
        using (var w = new JournalWriter(options, (n, rt, mono) => new SegmentHeader
        {
            Segment = n, StartRealtimeNs = rt, StartMonotonicNs = mono, ConfigDigest = new byte[32], Lines = Lines,
        }))
        {
            for (int i = 0; i < Records; i++) w.Append(Record(i), 0);
        }
        foreach (var (_, path) in JournalWriter.ListSegments(_dir)) _totalBytes += new FileInfo(path).Length;
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>Record i: line 3 when i is even, 9 when odd; the line's packet number k = i / 2 holds messages 1 + 3k .. 3 + 3k (1 + 5k on line 9: it skips two each time).</summary>
    private static byte[] Record(int i)
    {
        byte line = Lines[i % 2].Id;
        var r = new byte[JournalLayout.RecordHeaderSize + PayloadBytes];
        JournalLayout.WriteHeader(r, PayloadBytes, line, RecordFlags.None, 0, 1, 1_000_000L + i * 1_000L, (ulong)(i / 2 + 1));
        var p = r.AsSpan(JournalLayout.RecordHeaderSize);
        "SESSION001"u8.CopyTo(p);
        BinaryPrimitives.WriteUInt64BigEndian(p.Slice(MoldPacketReader.SequenceOffset), FirstSequence(i));
        BinaryPrimitives.WriteUInt16BigEndian(p.Slice(MoldPacketReader.CountOffset), 3);
        BinaryPrimitives.WriteInt32LittleEndian(p.Slice(MoldPacketReader.HeaderSize), i);   // which record, for the test
        return r;
    }

    private static ulong FirstSequence(int i) => i % 2 == 0 ? 1 + 3UL * (ulong)(i / 2) : 1 + 5UL * (ulong)(i / 2);

    private struct First : IPacketHandler
    {
        public int Record, Count;
        public byte Line;

        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
        {
            if (Count++ == 0)
            {
                Record = BinaryPrimitives.ReadInt32LittleEndian(payload.Slice(MoldPacketReader.HeaderSize));
                Line = info.LineId;
            }
        }
    }

    /// <summary>The replay over the source from its position: the first packet the start filter passes, and what the filter skipped.</summary>
    private static (int Record, byte Line, long Skipped) Start(JournalSource source, ReplayControl control)
    {
        var packets = new ReplayPackets<JournalPackets>(new JournalPackets(source), control);
        var h = new First();
        while (h.Count == 0 && !control.Ended) packets.Poll(ref h, 16);
        Assert.True(h.Count > 0, "nothing was delivered");
        return (h.Record, h.Line, control.Skipped);
    }

    [Theory]
    [InlineData(9, 30_001UL, 2 * 6_000 + 1)]     // line 9's packet k holds 1 + 5k ..: 30,001 opens packet 6,000
    [InlineData(9, 50_000UL, 2 * 10_000 + 1)]    // in a hole of line 9 (49,999 and 50,000 were never sent): the next packet
    [InlineData(3, 30_001UL, 2 * 10_000)]        // line 3's packet 10,000 holds 30,001..30,003
    [InlineData(3, 30_002UL, 2 * 10_000)]        // inside a packet: the packet that holds it (a packet is never split)
    [InlineData(3, 2UL, 0)]
    [InlineData(3, 35_998UL, 2 * 11_999)]        // the last packet of line 3
    public void Seeking_a_lines_sequence_lands_on_the_packet_that_holds_it_and_reads_a_fraction_of_the_recording(int line, ulong sequence, int expected)
    {
        using var source = new JournalSource(_dir);
        Assert.True(source.SegmentCount >= 3, $"{source.SegmentCount} segments: the seek would not cross any");
        Assert.True(source.SeekToSequence(sequence, line));
        var control = new ReplayControl(fromSequence: sequence) { SequenceLineId = line };
        var (record, got, skipped) = Start(source, control);
        Assert.Equal(expected, record);
        Assert.Equal(line, got);
        // Read forward at most one index interval (of both lines' records) past the entry the seek chose.
        Assert.True(skipped <= 2 * IndexEvery, $"{skipped} packets skipped after the seek");
        // One reader buffer (1 MiB) and the probes, not the recording: a read-through would read all of it.
        Assert.True(source.BytesRead < _totalBytes / 4, $"{source.BytesRead:N0} of {_totalBytes:N0} bytes read");
    }

    [Fact]
    public void Without_the_seek_the_filter_reads_every_record_up_to_the_start()
    {
        using var source = new JournalSource(_dir);
        var control = new ReplayControl(fromSequence: 50_001) { SequenceLineId = 9 };
        var (record, _, skipped) = Start(source, control);
        Assert.Equal(2 * 10_000 + 1, record);
        Assert.Equal(2 * 10_000 + 1, skipped);
        Assert.True(source.BytesRead > _totalBytes / 2, $"{source.BytesRead:N0} of {_totalBytes:N0} bytes read");
    }

    [Fact]
    public void Missing_indexes_cost_a_read_through_never_a_later_start()
    {
        foreach (var (_, path) in JournalWriter.ListSegments(_dir)) File.Delete(SegmentIndex.PathOf(path));
        using var source = new JournalSource(_dir);
        Assert.True(source.SeekToSequence(30_001, 3));
        var (record, _, _) = Start(source, new ReplayControl(fromSequence: 30_001) { SequenceLineId = 3 });
        Assert.Equal(2 * 10_000, record);
    }

    [Fact]
    public void A_damaged_index_entry_makes_the_seek_look_earlier_and_still_land_right()
    {
        // Point every index entry of every segment but the first into the middle of a record: each probe fails.
        foreach (var (_, path) in JournalWriter.ListSegments(_dir))
        {
            string index = SegmentIndex.PathOf(path);
            var entries = SegmentIndex.Load(index, long.MaxValue);
            using var f = new FileStream(index, FileMode.Create);
            var b = new byte[SegmentIndex.EntrySize];
            SegmentIndex.EncodeHeader(b);
            f.Write(b, 0, SegmentIndex.HeaderSize);
            for (int k = 0; k < entries.Count; k++)
            {
                var e = entries[k];
                SegmentIndex.EncodeEntry(b, k == 0 ? e : e with { Offset = e.Offset + 7 });
                f.Write(b);
            }
        }
        using var source = new JournalSource(_dir);
        Assert.True(source.SeekToSequence(50_001, 9));
        var (record, _, _) = Start(source, new ReplayControl(fromSequence: 50_001) { SequenceLineId = 9 });
        Assert.Equal(2 * 10_000 + 1, record);
    }

    [Fact]
    public void Past_the_end_nothing_is_delivered()
    {
        using var past = new JournalSource(_dir);
        Assert.True(past.SeekToSequence(10_000_000, 3));
        var control = new ReplayControl(fromSequence: 10_000_000) { SequenceLineId = 3 };
        var packets = new ReplayPackets<JournalPackets>(new JournalPackets(past), control);
        var h = new First();
        while (!control.Ended) packets.Poll(ref h, 16);
        Assert.Equal(0, h.Count);
    }

    [Fact]
    public void A_recording_with_no_readable_segment_cannot_be_seeked()
    {
        string empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        using var source = new JournalSource(empty);
        Assert.False(source.SeekToSequence(5, 3));
    }

    /// <summary>A record of line <paramref name="line"/>: a MoldUDP64 packet (count 3, or <paramref name="count"/>), or a payload too short for a header.</summary>
    private static byte[] Packet(byte line, ulong sequence, int i, ushort count = 3, int payloadBytes = PayloadBytes)
    {
        var r = new byte[JournalLayout.RecordHeaderSize + payloadBytes];
        JournalLayout.WriteHeader(r, payloadBytes, line, RecordFlags.None, 0, 1, 1_000_000L + i * 1_000L, (ulong)i + 1);
        var p = r.AsSpan(JournalLayout.RecordHeaderSize);
        if (payloadBytes >= MoldPacketReader.HeaderSize + 4)
        {
            "SESSION001"u8.CopyTo(p);
            BinaryPrimitives.WriteUInt64BigEndian(p.Slice(MoldPacketReader.SequenceOffset), sequence);
            BinaryPrimitives.WriteUInt16BigEndian(p.Slice(MoldPacketReader.CountOffset), count);
            BinaryPrimitives.WriteInt32LittleEndian(p.Slice(MoldPacketReader.HeaderSize), i);
        }
        return r;
    }

    [Fact]
    public void Probes_step_over_other_lines_short_records_and_end_of_session_and_give_up_after_ProbeRecords()
    {
        // One segment: line 3 alone for more than ProbeRecords records (a probe for line 9 from an entry there finds
        // nothing and counts as "cannot tell"), then a short record, line 9's end-of-session packet, and line 9's data.
        string dir = Path.Combine(_dir, "lopsided");
        int first9 = JournalSource.ProbeRecords + 600;
        using (var w = new JournalWriter(new RecordingOptions { Directory = dir, SegmentBytes = 64 << 20, IndexEveryRecords = IndexEvery },
                   (n, rt, mono) => new SegmentHeader { Segment = n, StartRealtimeNs = rt, StartMonotonicNs = mono, ConfigDigest = new byte[32], Lines = Lines }))
        {
            int i = 0;
            for (; i < first9 - 2; i++) w.Append(Packet(3, 1 + 3UL * (ulong)i, i), 0);
            w.Append(Packet(9, 0, i, payloadBytes: 8), 0); i++;                                  // too short for a MoldUDP64 header
            w.Append(Packet(9, 1, i, count: MoldPacketReader.EndOfSessionCount), 0); i++;      // no data: stepped over
            for (ulong k = 0; k < 200; k++, i++) w.Append(Packet(9, 1 + 3 * k, i), 0);
        }
        using var source = new JournalSource(dir);
        Assert.True(source.SeekToSequence(301, 9));
        var (record, line, _) = Start(source, new ReplayControl(fromSequence: 301) { SequenceLineId = 9 });
        Assert.Equal(first9 + 100, record);                                                     // line 9's packet 100 holds 301
        Assert.Equal(9, line);

        // Line 3 beyond its last packet: probes from line 9's stretch walk to the end of the file (a clean end, then a
        // torn last record): each is "cannot tell", and the seek still succeeds, earlier.
        using (var clean = new JournalSource(dir)) Assert.True(clean.SeekToSequence(ulong.MaxValue / 2, 3));
        var (_, segment) = JournalWriter.ListSegments(dir)[^1];
        using (var f = new FileStream(segment, FileMode.Open, FileAccess.Write)) f.SetLength(f.Length - 5);
        using (var torn = new JournalSource(dir)) Assert.True(torn.SeekToSequence(ulong.MaxValue / 2, 3));
    }

    [Fact]
    public void A_segment_that_vanishes_before_the_seek_is_passed_over_without_an_exception()
    {
        using var source = new JournalSource(_dir);
        Assert.NotNull(source.FirstHeader());
        foreach (var (_, path) in JournalWriter.ListSegments(_dir)) File.Delete(path);   // the indexes stay: probes fail to open
        Assert.False(source.SeekToSequence(30_001, 3));
        Assert.True(source.IsAtEnd);
        Assert.True(source.BytesRead >= 0);                                              // no segment open: the closed ones and the probes
        Assert.Null(source.FirstHeader());
        using var empty = new JournalSource(Directory.CreateDirectory(Path.Combine(_dir, "none")).FullName);
        Assert.Null(empty.FirstHeader());
    }
}
