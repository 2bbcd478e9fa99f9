using System;
using System.Collections.Generic;
using Wirespeed.Feeds.Mold.Arbitration;
using Wirespeed.Feeds.Sim;
using Xunit;
using static Wirespeed.Tests.Feeds.Mold.Arbitration.MoldTape;

namespace Wirespeed.Tests.Feeds.Mold.Arbitration;

/// <summary>A/B arbitration of one MoldUDP64 line, in-process (MoldUDP64 1.00 conformance where it applies).</summary>
public sealed class MoldArbiterTests
{
    private const string S = "SESSION01";
    private const long Wait = 1_000;

    private static MoldArbiter<RecordingHandler, LoggingRequester> Line(out Received got, out RequestLog requests, MoldArbiterOptions? options = null)
    {
        got = new Received();
        requests = new RequestLog();
        return new MoldArbiter<RecordingHandler, LoggingRequester>(new RecordingHandler(got), new LoggingRequester(requests),
            options ?? new MoldArbiterOptions { GapWaitNs = Wait, ReorderSlots = 4 });
    }

    [Fact]
    public void Single_message_packet_is_delivered_once_from_the_side_that_came_first()
    {
        var line = Line(out var got, out _);
        Assert.Equal(ArbiterVerdict.Delivered, line.OnPacket(Packet(S, 1, 1), MoldSource.B, 100));
        Assert.Equal(ArbiterVerdict.Duplicate, line.OnPacket(Packet(S, 1, 1), MoldSource.A, 350));
        Assert.Equal(new ulong[] { 1 }, got.Sequences);
        Assert.Equal(MoldSource.B, got.Sources[0]);
        Assert.False(got.Late[0]);
        Assert.Equal(1, line.Counters.B.Wins);
        Assert.Equal(1, line.Counters.A.Duplicates);
        Assert.Equal(1, line.Counters.A.TrailSamples);
        Assert.Equal(250, line.Counters.A.LastTrailNs);
        Assert.Equal(250, line.Counters.A.MeanTrailNs);
        Assert.Equal(0, line.Counters.B.TrailSamples);
        Assert.Equal(0, got.BadPayloads);
    }

    [Fact]
    public void Multiple_messages_in_a_packet_are_delivered_in_order()
    {
        var line = Line(out var got, out _);
        line.OnPacket(Packet(S, 1, 5), MoldSource.A, 0);
        line.OnPacket(Packet(S, 6, 3), MoldSource.A, 0);
        Assert.Equal(new ulong[] { 1, 2, 3, 4, 5, 6, 7, 8 }, got.Sequences);
        Assert.Equal(8, line.Counters.Delivered);
        Assert.Equal(8, line.Counters.A.MessagesWon);
        Assert.Equal(9UL, line.NextExpected);
    }

    [Fact]
    public void Partially_obsolete_packet_delivers_only_its_new_messages()
    {
        var line = Line(out var got, out _);
        line.OnPacket(Packet(S, 1, 3), MoldSource.A, 0);
        Assert.Equal(ArbiterVerdict.Delivered, line.OnPacket(Packet(S, 2, 4), MoldSource.B, 0)); // 2, 3 seen; 4, 5 new
        Assert.Equal(new ulong[] { 1, 2, 3, 4, 5 }, got.Sequences);
        Assert.Equal(1, line.Counters.B.PartialPackets);
        Assert.Equal(2, line.Counters.B.ObsoleteMessages);
        Assert.Equal(MoldSource.B, got.Sources[4]);
    }

    [Fact]
    public void Fully_obsolete_packet_is_dropped_without_reaching_the_handler()
    {
        var line = Line(out var got, out _);
        line.OnPacket(Packet(S, 1, 5), MoldSource.A, 0);
        Assert.Equal(ArbiterVerdict.Duplicate, line.OnPacket(Packet(S, 2, 3), MoldSource.B, 0));
        Assert.Equal(5, got.Sequences.Count);
        Assert.Equal(1, line.Counters.B.Duplicates);
    }

    [Fact]
    public void Out_of_order_packet_within_the_window_is_held_and_applied_in_order_without_a_request()
    {
        var line = Line(out var got, out var requests);
        line.OnPacket(Packet(S, 1, 2), MoldSource.A, 0);
        Assert.Equal(ArbiterVerdict.Held, line.OnPacket(Packet(S, 5, 2), MoldSource.A, 10));  // 3, 4 lost on A
        Assert.Equal(ArbiterVerdict.Duplicate, line.OnPacket(Packet(S, 5, 2), MoldSource.A, 11)); // same copy again: already held
        Assert.Equal(1, line.HeldPackets);
        Assert.Equal(new ulong[] { 1, 2 }, got.Sequences);
        Assert.Equal(ArbiterVerdict.Delivered, line.OnPacket(Packet(S, 3, 2), MoldSource.B, 20));
        Assert.Equal(new ulong[] { 1, 2, 3, 4, 5, 6 }, got.Sequences);
        Assert.Equal(new[] { false, false, false, false, true, true }, got.Late);
        Assert.Equal(2, line.Counters.ReorderedMessages);
        Assert.Equal(0, line.HeldPackets);
        Assert.Equal(2, line.Counters.A.Misses);
        Assert.Equal(0, line.Poll(1_000_000));
        Assert.Empty(requests.Requests);
        // B's copy of 5..6 is now the late one.
        Assert.Equal(ArbiterVerdict.Duplicate, line.OnPacket(Packet(S, 5, 2), MoldSource.B, 30));
        Assert.Equal(20, line.Counters.B.LastTrailNs);
    }

    [Fact]
    public void Gap_fill_with_one_request_after_the_wait_and_a_late_fill_is_applied_once()
    {
        var line = Line(out var got, out var requests);
        line.OnPacket(Packet(S, 1, 2), MoldSource.A, 0);
        line.OnPacket(Packet(S, 6, 1), MoldSource.A, 100);   // 3..5 lost on both sides
        line.OnPacket(Packet(S, 6, 1), MoldSource.B, 200);
        Assert.Empty(requests.Requests);                      // still within the wait
        Assert.Equal(1, line.Poll(100 + Wait));
        Assert.Equal(new[] { (3UL, 3UL) }, requests.Requests);
        Assert.Equal(0, line.Poll(100 + 10 * Wait));          // requested once
        Assert.Equal(ArbiterVerdict.Delivered, line.OnPacket(Packet(S, 3, 3), MoldSource.Retransmission, 5_000));
        Assert.Equal(new ulong[] { 1, 2, 3, 4, 5, 6 }, got.Sequences);
        Assert.True(got.Late[2]);
        Assert.Equal(MoldSource.Retransmission, got.Sources[2]);
        Assert.Equal(ArbiterVerdict.Duplicate, line.OnPacket(Packet(S, 3, 3), MoldSource.Retransmission, 6_000));
        Assert.Equal(ArbiterVerdict.Duplicate, line.OnPacket(Packet(S, 3, 3), MoldSource.B, 7_000)); // the live copy, too late
        Assert.Equal(6, got.Sequences.Count);
        Assert.Equal(7UL, requests.Progress);
        Assert.Equal(1, line.Counters.Requests);
        Assert.Equal(3, line.Counters.MessagesRequested);
    }

    [Fact]
    public void Gap_fill_with_several_requests_skips_what_the_window_holds()
    {
        var line = Line(out var got, out var requests);
        line.OnPacket(Packet(S, 1, 1), MoldSource.A, 0);
        line.OnPacket(Packet(S, 4, 2), MoldSource.A, 0);   // held; 2..3 missing
        line.OnPacket(Packet(S, 9, 1), MoldSource.B, 0);   // held; 6..8 missing
        line.Poll(Wait);
        Assert.Equal(new[] { (2UL, 2UL), (6UL, 3UL) }, requests.Requests);
        line.OnPacket(Packet(S, 6, 3), MoldSource.Retransmission, Wait + 1); // the second answer first: held
        Assert.Equal(1UL + 1, line.NextExpected);
        line.OnPacket(Packet(S, 2, 2), MoldSource.Retransmission, Wait + 2);
        Assert.Equal(new ulong[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, got.Sequences);
        Assert.Equal(0, got.BadPayloads);
    }

    [Fact]
    public void A_response_filling_part_of_a_gap_delivers_that_part_and_the_rest_is_requested_again_by_the_requester()
    {
        var line = Line(out var got, out var requests);
        line.OnPacket(Packet(S, 1, 1), MoldSource.A, 0);
        line.OnPacket(Packet(S, 10, 1), MoldSource.A, 0);
        line.Poll(Wait);
        Assert.Equal(new[] { (2UL, 8UL) }, requests.Requests);
        line.OnPacket(Packet(S, 2, 3), MoldSource.Retransmission, Wait + 1); // a server that fits only three
        Assert.Equal(5UL, line.NextExpected);
        Assert.Equal(5UL, requests.Progress); // the requester sees the progress and asks again for 5..9 on its timeout
        line.OnPacket(Packet(S, 5, 5), MoldSource.Retransmission, Wait + 2);
        Assert.Equal(11UL, line.NextExpected);
        Assert.Equal(10, got.Sequences.Count);
    }

    [Fact]
    public void A_refused_request_is_offered_again_after_another_wait()
    {
        var line = Line(out _, out var requests);
        line.OnPacket(Packet(S, 1, 1), MoldSource.A, 0);
        line.OnPacket(Packet(S, 3, 1), MoldSource.A, 0);
        requests.Refuse = true;
        line.Poll(Wait);
        Assert.Equal(1, line.Counters.RequestsRefused);
        requests.Refuse = false;
        Assert.Equal(0, line.Poll(Wait + 1));
        Assert.Equal(1, line.Poll(2 * Wait));
        Assert.Equal(new[] { (2UL, 1UL) }, requests.Requests);
    }

    [Fact]
    public void Heartbeat_reveals_lost_messages_and_they_are_requested()
    {
        var line = Line(out var got, out var requests);
        line.OnPacket(Packet(S, 1, 2), MoldSource.A, 0);
        Assert.Equal(ArbiterVerdict.Heartbeat, line.OnPacket(Heartbeat(S, 3), MoldSource.A, 0)); // nothing missing
        Assert.Equal(ArbiterVerdict.Heartbeat, line.OnPacket(Heartbeat(S, 5), MoldSource.B, 10)); // 3, 4 sent and lost
        Assert.Equal(2UL, line.Outstanding);
        line.Poll(10 + Wait);
        Assert.Equal(new[] { (3UL, 2UL) }, requests.Requests);
        Assert.Equal(1, line.Counters.A.Heartbeats);
        Assert.Equal(1, line.Counters.B.Heartbeats);
        Assert.Equal(2, got.Sequences.Count);
    }

    [Fact]
    public void End_of_session_then_the_next_session_starts_at_sequence_one()
    {
        var line = Line(out var got, out var requests);
        line.OnPacket(Packet(S, 1, 3), MoldSource.A, 0);
        Assert.Equal(ArbiterVerdict.EndOfSession, line.OnPacket(EndOfSession(S, 4), MoldSource.A, 0));
        Assert.True(line.HasEnded);
        line.OnPacket(EndOfSession(S, 4), MoldSource.B, 0);
        Assert.Equal(ArbiterVerdict.Held, line.OnPacket(Packet("NEXTDAY", 2, 1), MoldSource.B, 0)); // 1 of the new session lost on B
        Assert.Equal(1, line.Counters.SessionChanges);
        Assert.Equal(1, requests.SessionChanges - 1); // the first session, then the next
        line.OnPacket(Packet("NEXTDAY", 1, 2), MoldSource.A, 0);
        Assert.Equal(new ulong[] { 1, 2, 3, 1, 2 }, got.Sequences);
        Assert.False(line.HasEnded);
        // An answer about the old session now is stale.
        Assert.Equal(ArbiterVerdict.ForeignSession, line.OnPacket(Packet(S, 2, 1), MoldSource.Retransmission, 0));
        Assert.Equal(1, line.Counters.Retransmission.ForeignSession);
    }

    [Fact]
    public void Gap_fill_after_end_of_session_is_requested_on_the_ending_session()
    {
        var line = Line(out var got, out var requests);
        line.OnPacket(Packet(S, 1, 2), MoldSource.A, 0);
        line.OnPacket(EndOfSession(S, 6), MoldSource.A, 0);   // 3..5 lost before the end
        line.Poll(Wait);
        Assert.Equal(new[] { (3UL, 3UL) }, requests.Requests);
        line.OnPacket(Packet(S, 3, 3), MoldSource.Retransmission, Wait + 5);
        Assert.Equal(new ulong[] { 1, 2, 3, 4, 5 }, got.Sequences);
        Assert.Equal(0UL, line.Outstanding);
    }

    [Fact]
    public void Another_session_before_end_of_session_is_foreign_and_changes_nothing()
    {
        var line = Line(out var got, out _);
        line.OnPacket(Packet(S, 1, 1), MoldSource.A, 0);
        Assert.Equal(ArbiterVerdict.ForeignSession, line.OnPacket(Packet("OTHER", 50, 1), MoldSource.B, 0));
        Assert.Equal(ArbiterVerdict.ForeignSession, line.OnPacket(Packet("OTHER", 50, 1), MoldSource.Retransmission, 0));
        Assert.Equal(1, line.Counters.B.ForeignSession);
        Assert.Equal(2UL, line.NextExpected);
        Assert.Single(got.Sequences);
        Assert.Equal(0, line.Counters.SessionChanges);
    }

    [Fact]
    public void A_retransmission_cannot_start_a_session()
    {
        var line = Line(out var got, out _);
        Assert.Equal(ArbiterVerdict.ForeignSession, line.OnPacket(Packet(S, 1, 1), MoldSource.Retransmission, 0));
        Assert.False(line.IsEstablished);
        Assert.Empty(got.Sequences);
    }

    [Fact]
    public void Starting_from_the_first_message_received()
    {
        var line = Line(out var got, out var requests);
        line.OnPacket(Packet(S, 1000, 2), MoldSource.A, 0);
        line.Poll(10 * Wait);
        Assert.Equal(new ulong[] { 1000, 1001 }, got.Sequences);
        Assert.Empty(requests.Requests);
        Assert.Equal(S + " ", System.Text.Encoding.ASCII.GetString(line.SessionId));
    }

    [Fact]
    public void Starting_from_a_requested_sequence_number_requests_what_came_before_the_first_packet()
    {
        var line = Line(out var got, out var requests, new MoldArbiterOptions { InitialSequence = 1, GapWaitNs = Wait });
        Assert.Equal(ArbiterVerdict.Held, line.OnPacket(Packet(S, 1000, 2), MoldSource.A, 0));
        line.Poll(Wait);
        Assert.Equal(new[] { (1UL, 999UL) }, requests.Requests);
        foreach (byte[] p in Packets(S, 1, 999, 100)) line.OnPacket(p, MoldSource.Retransmission, Wait + 1);
        Assert.Equal(1001, got.Sequences.Count);
        Assert.Equal(1UL, got.Sequences[0]);
        Assert.Equal(1001UL, got.Sequences[^1]);
    }

    [Fact]
    public void Maximum_message_length_passes_intact_including_through_the_window()
    {
        var line = Line(out var got, out _, new MoldArbiterOptions { MaxPacketBytes = 1472, GapWaitNs = Wait });
        const int longest = 1472 - 20 - 2; // one block filling a 1472-byte UDP payload
        byte[] Big(ulong s)
        {
            var w = new MoldPacketWriter(S, s, maxPayload: 1472);
            Assert.True(w.TryAppend(Message(s, longest)));
            return w.Flush().ToArray();
        }
        line.OnPacket(Big(1), MoldSource.A, 0);
        Assert.Equal(ArbiterVerdict.Held, line.OnPacket(Big(3), MoldSource.A, 0));
        line.OnPacket(Big(2), MoldSource.B, 0);
        Assert.Equal(new ulong[] { 1, 2, 3 }, got.Sequences);
        Assert.Equal(0, got.BadPayloads);
    }

    [Fact]
    public void A_full_window_drops_the_packet_and_its_range_is_requested()
    {
        var line = Line(out var got, out var requests, new MoldArbiterOptions { ReorderSlots = 1, GapWaitNs = Wait });
        line.OnPacket(Packet(S, 1, 1), MoldSource.A, 0);
        Assert.Equal(ArbiterVerdict.Held, line.OnPacket(Packet(S, 3, 1), MoldSource.A, 0));
        Assert.Equal(ArbiterVerdict.WindowFull, line.OnPacket(Packet(S, 4, 1), MoldSource.A, 0));
        Assert.Equal(1, line.Counters.A.WindowFull);
        line.Poll(Wait);
        Assert.Equal(new[] { (2UL, 1UL), (4UL, 1UL) }, requests.Requests);
        line.OnPacket(Packet(S, 2, 1), MoldSource.Retransmission, Wait);
        line.OnPacket(Packet(S, 4, 1), MoldSource.Retransmission, Wait);
        Assert.Equal(new ulong[] { 1, 2, 3, 4 }, got.Sequences);
    }

    [Fact]
    public void Broken_framing_delivers_up_to_the_fault_and_the_other_side_supplies_the_rest()
    {
        var line = Line(out var got, out _);
        byte[] bad = Packet(S, 1, 3);
        bad[20 + 2 + 8] = 0xFF; // second block's length runs past the packet
        Assert.Equal(ArbiterVerdict.Delivered, line.OnPacket(bad, MoldSource.A, 0));
        Assert.Equal(1, line.Counters.A.Malformed);
        Assert.Equal(new ulong[] { 1 }, got.Sequences);
        line.OnPacket(Packet(S, 1, 3), MoldSource.B, 0);
        Assert.Equal(new ulong[] { 1, 2, 3 }, got.Sequences);
        Assert.Equal(1, line.Counters.B.PartialPackets);
    }

    [Fact]
    public void Short_and_overflowing_headers_are_counted_as_malformed()
    {
        var line = Line(out var got, out _);
        Assert.Equal(ArbiterVerdict.Malformed, line.OnPacket(new byte[19], MoldSource.A, 0));
        byte[] p = Packet(S, 1, 2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(p.AsSpan(10), ulong.MaxValue);
        Assert.Equal(ArbiterVerdict.Malformed, line.OnPacket(p, MoldSource.B, 0));
        Assert.Equal(1, line.Counters.A.Malformed);
        Assert.Equal(1, line.Counters.B.Malformed);
        Assert.False(line.IsEstablished);
        Assert.Empty(got.Sequences);
    }

    [Fact]
    public void Resume_at_gives_up_a_gap_and_releases_what_was_held()
    {
        var line = Line(out var got, out var requests);
        line.OnPacket(Packet(S, 1, 1), MoldSource.A, 0);
        line.OnPacket(Packet(S, 5, 1), MoldSource.A, 0);
        line.ResumeAt(5);
        Assert.Equal(new ulong[] { 1, 5 }, got.Sequences);
        Assert.Equal(3, line.Counters.MessagesAbandoned);
        line.ResumeAt(2); // behind: nothing
        Assert.Equal(6UL, requests.Progress);
    }

    [Fact]
    public void Options_name_the_field_and_the_fix()
    {
        Assert.Contains("ReorderSlots", Assert.Throws<ArgumentException>(() => new MoldArbiterOptions { ReorderSlots = 0 }.Validated()).Message);
        Assert.Contains("MaxPacketBytes", Assert.Throws<ArgumentException>(() => new MoldArbiterOptions { MaxPacketBytes = 10 }.Validated()).Message);
        Assert.Contains("GapWaitNs", Assert.Throws<ArgumentException>(() => new MoldArbiterOptions { GapWaitNs = -1 }.Validated()).Message);
        Assert.Contains("TrailSlots", Assert.Throws<ArgumentException>(() => new MoldArbiterOptions { TrailSlots = 3 }.Validated()).Message);
    }

    [Fact]
    public void Without_a_requester_a_gap_stays_open_and_counted()
    {
        var line = new MoldArbiter<CountingHandler, NoGapRequester>(default, default, new MoldArbiterOptions { GapWaitNs = 0 });
        line.OnPacket(Packet(S, 1, 1), MoldSource.A, 0);
        line.OnPacket(Packet(S, 3, 1), MoldSource.A, 0);
        Assert.Equal(1, line.Counters.RequestsRefused);
        Assert.Equal(2UL, line.Outstanding);
        Assert.Equal(1, line.Handler.Messages);
    }
}
