using System;
using System.Linq;
using Wirespeed.Core.Events;
using Wirespeed.Feeds.Itch;
using Xunit;
using static Wirespeed.Tests.Feeds.Itch.ItchTestData;

namespace Wirespeed.Tests.Feeds.Itch;

public sealed class MoldReorderTests
{
    [Fact]
    public void Overtaken_packet_is_delivered_late_and_closes_its_gap_and_the_staleness()
    {
        var d = new ItchFeedDecoder();
        DecodeAll(d, Packet("S1", 1, Delete(1)));
        DecodeAll(d, Packet("S1", 3, Delete(3)));
        Assert.True(d.Session.IsStale);
        var late = DecodeAll(d, Packet("S1", 2, Delete(2)));
        Assert.Single(late);
        Assert.Equal(2UL, late[0].Sequence);
        Assert.True(late[0].Flags.HasFlag(EventFlags.Late));
        Assert.Equal(0, d.Session.PendingGaps);
        Assert.False(d.Session.IsStale);
        Assert.Equal(1, d.MoldCounters.LateFills);
        Assert.Equal(1, d.MoldCounters.LateMessages);
        Assert.Equal(0, d.MoldCounters.DuplicateMessages);
        Assert.Equal(4UL, d.Session.NextExpected);
        // Now it is a plain duplicate.
        Assert.Empty(DecodeAll(d, Packet("S1", 2, Delete(2))));
        Assert.Equal(1, d.MoldCounters.DuplicateMessages);
    }

    [Fact]
    public void Late_message_in_the_middle_of_a_gap_splits_the_record()
    {
        var d = new ItchFeedDecoder();
        DecodeAll(d, Packet("S1", 1, Delete(1)));
        DecodeAll(d, Packet("S1", 7, Delete(7)));           // gap [2, 6]
        Assert.Single(DecodeAll(d, Packet("S1", 4, Delete(4))));
        Assert.Equal(2, d.Session.PendingGaps);
        Assert.True(d.Session.IsStale);
        Assert.Equal(2, DecodeAll(d, Packet("S1", 2, Delete(2), Delete(3))).Count);
        Assert.Equal(2, DecodeAll(d, Packet("S1", 5, Delete(5), Delete(6))).Count);
        Assert.Equal(0, d.Session.PendingGaps);
        Assert.False(d.Session.IsStale);
        Assert.Equal(5, d.MoldCounters.LateMessages);
    }

    [Fact]
    public void Overtaken_packet_that_straddles_the_gap_delivers_late_duplicate_and_new_messages_correctly()
    {
        var d = new ItchFeedDecoder();
        DecodeAll(d, Packet("S1", 1, Delete(1)));
        DecodeAll(d, Packet("S1", 5, Delete(5)));           // gap [2, 4], next 6
        var events = DecodeAll(d, Packet("S1", 3, Delete(3), Delete(4), Delete(5), Delete(6), Delete(7)));
        Assert.Equal(new ulong[] { 3, 4, 6, 7 }, events.Select(e => e.Sequence).ToArray());
        Assert.Equal(new[] { true, true, false, false }, events.Select(e => e.Flags.HasFlag(EventFlags.Late)).ToArray());
        Assert.Equal(1, d.MoldCounters.DuplicateMessages);
        Assert.Equal(8UL, d.Session.NextExpected);
        Assert.True(d.Session.TryTakeGap(out MoldGap gap));
        Assert.Equal((2UL, 1UL), (gap.FirstMissing, gap.Count));
        Assert.True(d.Session.IsStale);
        var m = d.MoldCounters;
        Assert.Equal(m.AnnouncedMessages, m.DuplicateMessages + m.UnframedMessages + d.Counters.Messages);
    }

    [Fact]
    public void Split_without_a_free_slot_is_counted_and_the_message_still_delivered()
    {
        var s = new MoldSession(new MoldSessionOptions { GapQueueCapacity = 2 });
        byte[] id = Session("A");
        s.OnPacket(id, 1, 1, 0, out _);
        s.OnPacket(id, 10, 1, 0, out _);  // gap [2, 9]
        s.OnPacket(id, 20, 1, 0, out _);  // gap [11, 19]: queue full
        Assert.Equal(MoldVerdict.Deliver, s.OnPacket(id, 5, 1, 0, out _));
        Assert.Equal(6UL, s.LateUntil);
        Assert.True(s.TryFillLate(5));
        Assert.Equal(1, s.Counters.GapSplitsDropped);
        Assert.Equal(2, s.PendingGaps);
        Assert.True(s.TryTakeGap(out MoldGap whole));
        Assert.Equal((2UL, 8UL), (whole.FirstMissing, whole.Count));
    }

    [Fact]
    public void Gap_taken_by_recovery_is_no_longer_filled_by_the_live_line_and_stays_stale()
    {
        var d = new ItchFeedDecoder();
        DecodeAll(d, Packet("S1", 1, Delete(1)));
        DecodeAll(d, Packet("S1", 3, Delete(3)));
        Assert.True(d.Session.TryTakeGap(out _));
        Assert.Empty(DecodeAll(d, Packet("S1", 2, Delete(2))));
        Assert.Equal(1, d.MoldCounters.DuplicateMessages);
        Assert.True(d.Session.IsStale);
    }

    [Fact]
    public void Gaps_of_a_previous_session_are_not_filled_by_the_new_one()
    {
        var d = new ItchFeedDecoder();
        DecodeAll(d, Packet("DAY1", 1, Delete(1)));
        DecodeAll(d, Packet("DAY1", 5, Delete(5)));          // gap [2, 4] of DAY1
        DecodeAll(d, Packet(Session("DAY1"), 6, MoldPacketReader.EndOfSessionCount));
        DecodeAll(d, Packet("DAY2", 1, Delete(1), Delete(2), Delete(3), Delete(4)));
        Assert.Empty(DecodeAll(d, Packet("DAY2", 3, Delete(3))));
        Assert.Equal(0, d.MoldCounters.LateMessages);
        Assert.Equal(1, d.Session.PendingGaps);
    }
}

public sealed class MoldReorderAllocationTests
{
    [Fact]
    public void Reordered_suspect_and_overflowing_packets_decode_with_zero_allocation_after_warm_up()
    {
        var q = new Wirespeed.Core.Recording.QuarantineRing(64, 512);
        var d = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { ExpectedSession = "S1", GapQueueCapacity = 4 } }, q);
        var handler = new CountingHandler();
        // Per round of 10 sequences from base b: b, b+4 (gap), b+2 (split), b+1, b+3 (fills), a suspect, an overflow,
        // a wrong session, then b+5..b+9 in one packet.
        var rounds = new System.Collections.Generic.List<byte[]>();
        for (ulong r = 0; r < 50; r++)
        {
            ulong b = 1 + r * 10;
            rounds.Add(Packet("S1", b, Delete(b)));
            rounds.Add(Packet("S1", b + 4, Delete(b + 4)));
            rounds.Add(Packet("S1", b + 2, Delete(b + 2)));
            rounds.Add(Packet("S1", b + 1, Delete(b + 1)));
            rounds.Add(Packet("S1", b + 3, Delete(b + 3)));
            rounds.Add(Packet("S1", b + (1UL << 40), Delete(1)));
            rounds.Add(Packet("S1", ulong.MaxValue, Delete(1)));
            rounds.Add(Packet("S2", b + 5, Delete(1)));
            rounds.Add(Packet("S1", b + 5, Delete(b + 5), Delete(b + 6), Delete(b + 7), Delete(b + 8), Delete(b + 9)));
        }
        void RunAll()
        {
            d.Session.Reset();
            for (int i = 0; i < rounds.Count; i++)
            {
                var info = new Wirespeed.Core.Ingress.PacketInfo(i, 1, Wirespeed.Core.Ingress.PacketSourceKind.InProcess);
                d.Decode(rounds[i], in info, ref handler);
            }
        }
        RunAll();
        RunAll();
        long before = GC.GetAllocatedBytesForCurrentThread();
        RunAll();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(3 * 50 * 10, handler.Count);
        Assert.Equal(3 * 50 * 3, d.MoldCounters.LateMessages);
        Assert.Equal(3 * 50, d.MoldCounters.SuspectJumps);
        Assert.Equal(3 * 50, d.MoldCounters.MalformedSequence);
        Assert.False(d.Session.IsStale);
        Assert.Equal(0, d.Session.PendingGaps);
    }
}
