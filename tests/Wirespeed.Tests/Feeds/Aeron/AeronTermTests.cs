using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Wirespeed.Core.Memory;
using Wirespeed.Feeds.Aeron;
using Xunit;

namespace Wirespeed.Tests.Feeds.Aeron;

/// <summary>Term arithmetic (AERON.md §B.9), the publisher's appender (§B.3) and the subscriber's image (§B.9, §B.12).</summary>
public class AeronTermTests
{
    private const int Term = 64 * 1024;
    private const int Mtu = 1408;

    [Fact]
    public void Positions_round_trip_and_term_ids_wrap_around_int32()
    {
        int bits = AeronPosition.PositionBitsToShift(Term);
        Assert.Equal(16, bits);
        int initial = int.MaxValue - 1;
        // term ids: MaxValue-1, MaxValue, MinValue, MinValue+1 …
        Assert.Equal(2, AeronPosition.TermCount(int.MinValue, initial));
        Assert.Equal(2L * Term + 96, AeronPosition.Compute(int.MinValue, 96, bits, initial));
        Assert.Equal(int.MinValue, AeronPosition.TermId(2L * Term + 96, bits, initial));
        Assert.Equal(96, AeronPosition.TermOffset(2L * Term + 96, Term));
        Assert.Equal(-1, AeronPosition.TermCount(initial - 1, initial));                    // before the initial term
        for (long p = 0; p < 10L * Term; p += 4096 + 32)
            Assert.Equal(p, AeronPosition.Compute(AeronPosition.TermId(p, bits, initial), AeronPosition.TermOffset(p, Term), bits, initial));
        Assert.Equal((long)Term << 31, AeronPosition.MaxPosition(Term));
        Assert.Equal(Term / 8, AeronPosition.MaxMessageLength(Term));
        Assert.Equal(16 * 1024 * 1024, AeronPosition.MaxMessageLength(1 << 30));
        Assert.True(AeronPosition.IsValidTermLength(Term));
        Assert.False(AeronPosition.IsValidTermLength(Term + 1));
        Assert.False(AeronPosition.IsValidTermLength(32 * 1024));
        Assert.True(AeronPosition.IsValidMtu(1408));
        Assert.False(AeronPosition.IsValidMtu(1400));
        Assert.False(AeronPosition.IsValidMtu(65536));
    }

    private static (Arena, AeronTermLog) Log()
    {
        Arena arena = AeronTestLogs.NewArena(AeronTermLog.ArenaBytes(Term) + 4096);
        return (arena, new AeronTermLog(arena, Term));
    }

    [Fact]
    public void A_message_longer_than_the_mtu_is_fragmented_with_begin_and_end()
    {
        var (arena, log) = Log();
        using var _ = arena;
        var appender = new TermAppender(log, 5, 6, 7, Mtu);
        var msg = new byte[5000];
        new Random(1).NextBytes(msg);
        long tail = appender.Append(msg);
        // 1376 × 3 + 872: frames of 1408, 1408, 1408, align(904) = 928.
        Assert.Equal(3 * 1408 + 928, tail);
        Assert.Equal(tail, appender.FramedLength(5000));
        Span<byte> term = log.Term(0);
        int[] offsets = { 0, 1408, 2816, 4224 };
        byte[] flags = { AeronFlags.Begin, 0, 0, AeronFlags.End };
        for (int i = 0; i < 4; i++)
        {
            var d = new DataFrame(term.Slice(offsets[i]));
            Assert.Equal((flags[i], offsets[i], 5, i < 3 ? 1408 : 904), (d.Flags, d.TermOffset, d.TermId, d.FrameLength));
        }
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(term.Slice((int)tail)));
    }

    [Fact]
    public void A_message_that_does_not_fit_pads_the_term_and_starts_the_next_and_an_exact_fit_leaves_no_pad()
    {
        var (arena, log) = Log();
        using var _ = arena;
        var appender = new TermAppender(log, int.MaxValue, 1, 2, Mtu, startPosition: Term - 96);
        Assert.Equal(96 + 160, appender.RequiredLength(100));
        long tail = appender.Append(new byte[100]);                   // 160 bytes do not fit in 96
        Assert.Equal(Term + 160, tail);
        var pad = new DataFrame(log.Term(0).Slice(Term - 96));
        Assert.Equal((AeronFrameType.Pad, 96, Term - 96, int.MaxValue), (pad.Type, pad.FrameLength, pad.TermOffset, pad.TermId));
        var data = new DataFrame(log.Term(1));
        Assert.Equal((AeronFrameType.Data, 0, int.MinValue), (data.Type, data.TermOffset, data.TermId));   // the term id wrapped

        var exact = new TermAppender(log, 0, 1, 2, Mtu, startPosition: 2L * Term - 160);
        Assert.Equal(160, exact.RequiredLength(100));
        Assert.Equal(2L * Term, exact.Append(new byte[100]));
        Assert.Equal(AeronFrameType.Data, new DataFrame(log.Term(1).Slice(Term - 160)).Type);
    }

    private struct Collect : IAeronMessageHandler
    {
        public List<byte[]> Messages;
        public List<long> Positions;
        public void OnMessage(ReadOnlySpan<byte> message, in AeronHeader header)
        {
            Messages.Add(message.ToArray());
            Positions.Add(header.Position);
        }
    }

    /// <summary>Cuts the publisher's log into datagrams exactly as a sender would: whole frames ≤ mtu, PAD header-only.</summary>
    private static List<byte[]> Datagrams(AeronTermLog log, long from, long to)
    {
        var list = new List<byte[]>();
        int bits = AeronPosition.PositionBitsToShift(Term);
        long p = from;
        while (p < to)
        {
            ReadOnlySpan<byte> term = log.TermFor(p >> bits);
            int off = AeronPosition.TermOffset(p, Term);
            int fl = BinaryPrimitives.ReadInt32LittleEndian(term.Slice(off));
            bool isPad = BinaryPrimitives.ReadInt16LittleEndian(term.Slice(off + 6)) == AeronFrameType.Pad;
            list.Add(term.Slice(off, isPad ? 32 : fl).ToArray());
            p += AeronLayout.Align(fl);
        }
        return list;
    }

    private static void InsertAll(AeronImage image, List<byte[]> datagrams)
    {
        foreach (byte[] d in datagrams)
        {
            var scanner = new AeronFrameScanner(d);
            Assert.Equal(AeronFrameStatus.Ok, scanner.TryNext(out AeronFrame f));
            Assert.Equal(AeronInsertResult.Inserted, image.Insert(f.Bytes, f.IsHeartbeat));
        }
    }

    [Fact]
    public void The_image_rebuilds_messages_across_terms_with_wrapping_term_ids_and_fills_a_gap_from_a_retransmit()
    {
        var (pubArena, pubLog) = Log();
        var (subArena, subLog) = Log();
        using var a = pubArena;
        using var b = subArena;
        int initial = int.MaxValue - 1;
        var appender = new TermAppender(pubLog, initial, 9, 10, Mtu);
        var image = new AeronImage(subLog);
        image.Reset(9, 10, initial, initial, 0, Term, Mtu);
        var rng = new Random(3);
        var sent = new List<byte[]>();
        var h = new Collect { Messages = new(), Positions = new() };
        long consumed = 0;
        for (int round = 0; round < 40; round++)                      // 40 × ~10 KiB: six terms, term ids wrap
        {
            long from = appender.Tail;
            for (int i = 0; i < 5; i++)
            {
                var m = new byte[rng.Next(1, 4000)];
                rng.NextBytes(m);
                sent.Add(m);
                appender.Append(m);
            }
            List<byte[]> datagrams = Datagrams(pubLog, from, appender.Tail);
            // Lose the second datagram of each round: the image sees the gap, a retransmit fills it.
            byte[] lost = datagrams[1];
            datagrams.RemoveAt(1);
            InsertAll(image, datagrams);
            Assert.True(image.TryFindGap(out int gapTerm, out int gapOffset, out int gapLength));
            var lostFrame = new DataFrame(lost);
            Assert.Equal((lostFrame.TermId, lostFrame.TermOffset), (gapTerm, gapOffset));
            Assert.Equal(lostFrame.Type == AeronFrameType.Pad ? AeronLayout.Data.HeaderLength : AeronLayout.Align(lostFrame.FrameLength),
                         Math.Min(gapLength, AeronLayout.Align(lostFrame.FrameLength)));
            image.Poll(ref h, 1000);
            InsertAll(image, new List<byte[]> { lost });              // the retransmit
            Assert.False(image.TryFindGap(out _, out _, out _));
            Assert.Equal(appender.Tail, image.RebuildPosition);
            image.Poll(ref h, 1000);
            Assert.Equal(appender.Tail, image.SubscriberPosition);
            image.LastStatusPosition = image.SubscriberPosition;      // as the subscription does when it sends an SM
            consumed = image.SubscriberPosition;
        }
        Assert.True(consumed > 5L * Term);
        Assert.Equal(sent.Count, h.Messages.Count);
        for (int i = 0; i < sent.Count; i++) Assert.Equal(sent[i], h.Messages[i]);
        for (int i = 1; i < h.Positions.Count; i++) Assert.True(h.Positions[i] > h.Positions[i - 1]);
    }

    [Fact]
    public void The_image_refuses_duplicates_over_runs_and_bad_positions_and_tracks_heartbeats_and_eos()
    {
        var (pubArena, pubLog) = Log();
        var (subArena, subLog) = Log();
        using var a = pubArena;
        using var b = subArena;
        var appender = new TermAppender(pubLog, 100, 9, 10, Mtu);
        var image = new AeronImage(subLog);
        image.Reset(9, 10, 100, 100, 0, Term, Mtu);
        appender.Append(new byte[100]);
        List<byte[]> d = Datagrams(pubLog, 0, appender.Tail);
        Assert.Equal(AeronInsertResult.Inserted, image.Insert(d[0], false));
        Assert.Equal(AeronInsertResult.Duplicate, image.Insert(d[0], false));

        var far = new byte[64];
        DataFrame.WriteHeader(far, 40, AeronFlags.Unfragmented, AeronFrameType.Data, Term / 2 + 64, 9, 10, 100);
        Assert.Equal(AeronInsertResult.OverRun, image.Insert(far.AsSpan(0, 40), false));
        DataFrame.WriteHeader(far, 40, AeronFlags.Unfragmented, AeronFrameType.Data, 64, 9, 10, 99);
        Assert.Equal(AeronInsertResult.BadPosition, image.Insert(far.AsSpan(0, 40), false));  // before the initial term
        DataFrame.WriteHeader(far, 40, AeronFlags.Unfragmented, AeronFrameType.Data, 65, 9, 10, 100);
        Assert.Equal(AeronInsertResult.BadPosition, image.Insert(far.AsSpan(0, 40), false));  // misaligned
        DataFrame.WriteHeader(far, 60, AeronFlags.Unfragmented, AeronFrameType.Data, Term - 32, 9, 10, 100);
        Assert.Equal(AeronInsertResult.BadPosition, image.Insert(far.AsSpan(0, 60), false));  // crosses the term end

        // A heartbeat beyond the data reveals tail loss; an EOS heartbeat ends the stream once consumed.
        var hb = new byte[32];
        DataFrame.WriteHeartbeat(hb, 320, 9, 10, 100, endOfStream: false);
        Assert.Equal(AeronInsertResult.Heartbeat, image.Insert(hb, true));
        Assert.Equal(320, image.HighWaterMark);
        Assert.True(image.TryFindGap(out _, out int off, out int len));
        Assert.Equal((160, 160), (off, len));
        var h = new Collect { Messages = new(), Positions = new() };
        image.Poll(ref h, 10);
        Assert.Single(h.Messages);
        DataFrame.WriteHeartbeat(hb, 160, 9, 10, 100, endOfStream: true);
        image.Insert(hb, true);
        Assert.True(image.IsEndOfStream);
    }

    [Fact]
    public void A_join_mid_message_drops_fragments_until_the_next_begin()
    {
        var (pubArena, pubLog) = Log();
        var (subArena, subLog) = Log();
        using var a = pubArena;
        using var b = subArena;
        var appender = new TermAppender(pubLog, 1, 9, 10, Mtu);
        appender.Append(new byte[3000]);                              // 3 frames: 1408, 1408, 288
        appender.Append(new byte[] { 42 });
        var image = new AeronImage(subLog);
        image.Reset(9, 10, 1, 1, 1408, Term, Mtu);                    // SETUP at the second fragment
        List<byte[]> d = Datagrams(pubLog, 1408, appender.Tail);
        InsertAll(image, d);
        var h = new Collect { Messages = new(), Positions = new() };
        Assert.Equal(3, image.Poll(ref h, 10));
        Assert.Single(h.Messages);
        Assert.Equal(new byte[] { 42 }, h.Messages[0]);
        Assert.Equal(2, image.DroppedFragments);
    }

    private struct CountBytes : IAeronMessageHandler
    {
        public long Messages;
        public long Bytes;
        public void OnMessage(ReadOnlySpan<byte> message, in AeronHeader header)
        {
            Messages++;
            Bytes += message.Length;
        }
    }

    [Fact]
    public void Append_insert_and_poll_allocate_nothing_after_warm_up()
    {
        var (pubArena, pubLog) = Log();
        var (subArena, subLog) = Log();
        using var a = pubArena;
        using var b = subArena;
        var appender = new TermAppender(pubLog, 0, 9, 10, Mtu);
        var image = new AeronImage(subLog);
        image.Reset(9, 10, 0, 0, 0, Term, Mtu);
        var h = new CountBytes();
        byte[] msg = new byte[3000];
        int bits = AeronPosition.PositionBitsToShift(Term);
        void Run(int count)
        {
            for (int i = 0; i < count; i++)
            {
                long from = appender.Tail;
                appender.Append(msg.AsSpan(0, 1 + i % 3000));
                for (long p = from; p < appender.Tail;)
                {
                    Span<byte> term = pubLog.TermFor(p >> bits);
                    int off = AeronPosition.TermOffset(p, Term);
                    int fl = BinaryPrimitives.ReadInt32LittleEndian(term.Slice(off));
                    bool pad = BinaryPrimitives.ReadInt16LittleEndian(term.Slice(off + 6)) == AeronFrameType.Pad;
                    image.Insert(term.Slice(off, pad ? 32 : fl), false);
                    p += AeronLayout.Align(fl);
                }
                image.Poll(ref h, 100);
                image.LastStatusPosition = image.SubscriberPosition;
            }
        }
        Run(1000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(10_000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(11_000, h.Messages);
    }
}
