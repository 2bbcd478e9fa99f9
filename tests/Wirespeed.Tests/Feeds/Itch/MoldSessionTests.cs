using System;
using Wirespeed.Core.Events;
using Wirespeed.Feeds.Itch;
using Xunit;
using static Wirespeed.Tests.Feeds.Itch.ItchTestData;

namespace Wirespeed.Tests.Feeds.Itch;

public sealed class MoldSessionTests
{
    private static byte[] Heartbeat(string session, ulong next) => Packet(Session(session), next, MoldPacketReader.HeartbeatCount);
    private static byte[] EndOfSession(string session, ulong next) => Packet(Session(session), next, MoldPacketReader.EndOfSessionCount);

    [Fact]
    public void In_order_packets_are_delivered_with_their_message_sequences()
    {
        var d = new ItchFeedDecoder();
        var a = DecodeAll(d, Packet("S1", 1, Delete(1), Delete(2)));
        var b = DecodeAll(d, Packet("S1", 3, Delete(3)));
        Assert.Equal(new ulong[] { 1, 2 }, new[] { a[0].Sequence, a[1].Sequence });
        Assert.Equal(3UL, b[0].Sequence);
        Assert.Equal(EventFlags.None, a[0].Flags);
        Assert.Equal(EventFlags.EndOfPacket, a[1].Flags);
        Assert.Equal(4UL, d.Session.NextExpected);
        Assert.False(d.Session.IsStale);
        Assert.Equal(0, d.MoldCounters.GapPackets);
    }

    [Fact]
    public void Gap_is_reported_when_sequence_skips_and_the_line_turns_stale_until_cleared()
    {
        var d = new ItchFeedDecoder();
        DecodeAll(d, Packet("S1", 1, Delete(1)));
        var events = DecodeAll(d, Packet("S1", 5, Delete(5), Delete(6)));
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.True(e.Flags.HasFlag(EventFlags.BookStale)));
        Assert.True(d.Session.IsStale);
        Assert.Equal(1, d.MoldCounters.GapPackets);
        Assert.Equal(3, d.MoldCounters.GapMessages);
        Assert.Equal(1, d.Session.PendingGaps);
        Assert.True(d.Session.TryTakeGap(out MoldGap gap));
        Assert.Equal(new MoldGap(2, 3, 77), gap);
        Assert.False(d.Session.TryTakeGap(out _));
        d.Session.ClearStale();
        Assert.Equal(EventFlags.EndOfPacket, DecodeAll(d, Packet("S1", 7, Delete(7)))[0].Flags);
    }

    [Fact]
    public void Duplicate_packet_is_dropped_and_counted()
    {
        var d = new ItchFeedDecoder();
        DecodeAll(d, Packet("S1", 10, Delete(1), Delete(2)));
        Assert.Empty(DecodeAll(d, Packet("S1", 10, Delete(1), Delete(2))));
        Assert.Empty(DecodeAll(d, Packet("S1", 3, Delete(1))));
        Assert.Equal(2, d.MoldCounters.DuplicatePackets);
        Assert.Equal(3, d.MoldCounters.DuplicateMessages);
        Assert.Equal(12UL, d.Session.NextExpected);
        Assert.False(d.Session.IsStale);
    }

    [Fact]
    public void Overlapping_packet_delivers_only_its_new_messages()
    {
        var d = new ItchFeedDecoder();
        DecodeAll(d, Packet("S1", 1, Delete(1), Delete(2)));
        var events = DecodeAll(d, Packet("S1", 2, Delete(2), Delete(3), Delete(4)));
        Assert.Equal(new ulong[] { 3, 4 }, new[] { events[0].Sequence, events[1].Sequence });
        Assert.Equal(new ulong[] { 3, 4 }, new[] { events[0].OrderId, events[1].OrderId });
        Assert.Equal(1, d.MoldCounters.DuplicateMessages);
        Assert.Equal(0, d.MoldCounters.DuplicatePackets);
        Assert.Equal(5UL, d.Session.NextExpected);
    }

    [Fact]
    public void Packet_from_another_session_is_counted_and_quarantined_once_a_session_is_established()
    {
        var q = new Wirespeed.Core.Recording.QuarantineRing(8, 256);
        var d = new ItchFeedDecoder(quarantine: q);
        DecodeAll(d, Packet("S1", 1, Delete(1)));
        byte[] intruder = Packet("S2", 2, Delete(2));
        Assert.Empty(DecodeAll(d, intruder));
        Assert.Equal(1, d.MoldCounters.WrongSession);
        Assert.Equal("S1        ", System.Text.Encoding.ASCII.GetString(d.Session.SessionId));
        Assert.Equal(2UL, d.Session.NextExpected);
        Assert.Equal(1, q.Count);
        var r = q.Get(0, out ReadOnlySpan<byte> raw, out ReadOnlySpan<byte> session);
        Assert.Equal(intruder, raw.ToArray());
        Assert.Equal(Session("S2"), session.ToArray());
        Assert.Equal((byte)DecodeStatus.WrongSession, r.Status);
        Assert.Equal(ItchFeedDecoder.QuarantineSourceMold, r.Source);
        Assert.Equal(2UL, r.Sequence);
        Assert.Single(DecodeAll(d, Packet("S1", 2, Delete(2))));
    }

    [Fact]
    public void Follow_policy_adopts_a_new_session_and_flags_the_line_stale()
    {
        var d = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { SessionChange = SessionChangePolicy.Follow } });
        DecodeAll(d, Packet("S1", 1, Delete(1)));
        Assert.Single(DecodeAll(d, Packet("S2", 1, Delete(1))));
        Assert.Equal(1, d.MoldCounters.SessionChanges);
        Assert.Equal(0, d.MoldCounters.WrongSession);
        Assert.True(d.Session.IsStale);
        Assert.Equal(2UL, d.Session.NextExpected);
    }

    [Fact]
    public void Heartbeat_delivers_nothing_and_reveals_a_gap_when_ahead()
    {
        var d = new ItchFeedDecoder();
        DecodeAll(d, Packet("S1", 1, Delete(1)));
        Assert.Empty(DecodeAll(d, Heartbeat("S1", 2)));
        Assert.False(d.Session.IsStale);
        Assert.Empty(DecodeAll(d, Heartbeat("S1", 4)));
        Assert.Equal(2, d.MoldCounters.Heartbeats);
        Assert.True(d.Session.IsStale);
        Assert.Equal(2, d.MoldCounters.GapMessages);
        Assert.Equal(4UL, d.Session.NextExpected);
        Assert.Empty(DecodeAll(d, Heartbeat("S1", 3))); // behind: nothing changes
        Assert.Equal(4UL, d.Session.NextExpected);
    }

    [Fact]
    public void End_of_session_is_counted_and_the_next_session_is_adopted()
    {
        var d = new ItchFeedDecoder();
        DecodeAll(d, Packet("DAY1", 1, Delete(1)));
        Assert.Empty(DecodeAll(d, EndOfSession("DAY1", 2)));
        Assert.True(d.Session.HasEnded);
        Assert.Equal(1, d.MoldCounters.EndOfSession);
        var next = DecodeAll(d, Packet("DAY2", 1, Delete(9)));
        Assert.Single(next);
        Assert.False(d.Session.HasEnded);
        Assert.False(d.Session.IsStale);
        Assert.Equal(1, d.MoldCounters.SessionChanges);
        Assert.Equal(0, d.MoldCounters.WrongSession);
    }

    [Fact]
    public void End_of_session_ahead_of_the_expected_sequence_reports_the_lost_tail()
    {
        var d = new ItchFeedDecoder();
        DecodeAll(d, Packet("S1", 1, Delete(1)));
        DecodeAll(d, EndOfSession("S1", 5));
        Assert.Equal(3, d.MoldCounters.GapMessages);
        Assert.True(d.Session.IsStale);
    }

    [Fact]
    public void Initial_sequence_makes_a_late_joiner_report_what_it_missed()
    {
        var d = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { InitialSequence = 1 } });
        DecodeAll(d, Packet("S1", 100, Delete(1)));
        Assert.Equal(99, d.MoldCounters.GapMessages);
        Assert.True(d.Session.TryTakeGap(out MoldGap g));
        Assert.Equal(1UL, g.FirstMissing);
    }

    [Fact]
    public void Sequence_checking_off_delivers_every_packet_whatever_its_sequence()
    {
        var d = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { CheckSequence = false } });
        DecodeAll(d, Packet("S1", 5, Delete(1)));
        DecodeAll(d, Packet("S1", 5, Delete(1)));
        DecodeAll(d, Packet("S1", 1, Delete(1)));
        DecodeAll(d, Heartbeat("S1", 100));
        Assert.Equal(3, d.Counters.Messages);
        Assert.Equal(0, d.MoldCounters.DuplicateMessages);
        Assert.Equal(0, d.MoldCounters.GapMessages);
    }

    [Fact]
    public void Full_gap_queue_keeps_the_newest_records_and_counts_the_dropped_ones()
    {
        var options = new MoldSessionOptions { GapQueueCapacity = 2 };
        var s = new MoldSession(options);
        Assert.Same(options, s.Options);
        byte[] id = Session("S");
        s.OnPacket(id, 1, 1, 0, out _);
        s.OnPacket(id, 3, 1, 0, out _);
        s.OnPacket(id, 5, 1, 0, out _);
        s.OnPacket(id, 7, 1, 0, out _);
        Assert.Equal(1, s.Counters.GapRecordsOverwritten);
        Assert.True(s.TryTakeGap(out MoldGap a));
        Assert.True(s.TryTakeGap(out MoldGap b));
        Assert.Equal((4UL, 6UL), (a.FirstMissing, b.FirstMissing));
        Assert.False(s.TryTakeGap(out _));
        Assert.Equal(3, s.Counters.GapMessages);
    }

    [Fact]
    public void Reset_forgets_the_session_and_the_next_packet_establishes_one()
    {
        var s = new MoldSession();
        s.OnPacket(Session("A"), 10, 1, 0, out _);
        s.Reset();
        Assert.False(s.IsEstablished);
        Assert.True(s.SessionId.IsEmpty);
        Assert.Equal(MoldVerdict.Deliver, s.OnPacket(Session("B"), 3, 1, 0, out _));
        Assert.Equal(4UL, s.NextExpected);
    }

    [Fact]
    public void Gap_queue_capacity_must_be_a_power_of_two()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MoldSession(new MoldSessionOptions { GapQueueCapacity = 3 }));
        Assert.Contains("GapQueueCapacity=3", ex.Message);
    }

    [Fact]
    public void Sequence_near_the_top_of_the_range_is_malformed_and_neither_establishes_nor_moves_the_line()
    {
        var s = new MoldSession();
        Assert.Equal(MoldVerdict.MalformedSequence, s.OnPacket(Session("A"), ulong.MaxValue - 1, 5, 0, out _));
        Assert.False(s.IsEstablished);
        Assert.Equal(MoldVerdict.Deliver, s.OnPacket(Session("A"), 1, 1, 0, out _));
        Assert.Equal(MoldVerdict.MalformedSequence, s.OnPacket(Session("A"), ulong.MaxValue, 1, 0, out _));
        Assert.Equal(2UL, s.NextExpected);
        Assert.Equal(2, s.Counters.MalformedSequence);
        Assert.Equal(MoldVerdict.Deliver, s.OnPacket(Session("A"), 2, 1, 0, out _));
    }
}
