using System;
using System.Linq;
using Wirespeed.Feeds.Fix;
using Wirespeed.Feeds.Fix.Session;
using Xunit;
using static Wirespeed.Tests.Feeds.Fix.Session.SessionMessages;

namespace Wirespeed.Tests.Feeds.Fix.Session;

/// <summary>The session state machine without sockets: every session-level message and failure, one test each.</summary>
public sealed class FixSessionStateMachineTests
{
    private readonly ManualClock _clock = new();
    private readonly CaptureLink _link = new();
    private readonly RecordingApp _app = new();

    private FixSession LoggedOnAcceptor(FixSessionOptions? options = null, FixMemoryStore? store = null)
    {
        var s = new FixSession(options ?? Acceptor(), store ?? new FixMemoryStore(), _app, _clock);
        s.Connected(_link);
        s.Received(Logon());
        Assert.Equal(FixSessionState.LoggedOn, s.State);
        _link.Take();
        return s;
    }

    [Fact]
    public void Acceptor_answers_a_logon_with_the_initiators_heartbeat_interval()
    {
        var s = new FixSession(Acceptor(), new FixMemoryStore(), _app, _clock);
        s.Connected(_link);
        Assert.Equal(FixSessionState.AwaitingLogon, s.State);
        s.Received(Logon(heartBtInt: 7));
        Assert.Equal(FixSessionState.LoggedOn, s.State);
        string reply = _link.Last;
        Assert.Equal("A", Field(reply, 35));
        Assert.Equal("7", Field(reply, 108));
        Assert.Equal("US", Field(reply, 49));
        Assert.Equal("THEM", Field(reply, 56));
        Assert.Equal("1", Field(reply, 34));
        Assert.Equal(7, s.HeartBtIntSeconds);
        Assert.Equal(2, s.NextTargetSeqNum);
        Assert.Equal(1, _app.Logons);
        Assert.Equal(1, s.Counters.LogonsReceived);
        Assert.Equal(1, s.Counters.LogonsSent);
    }

    [Fact]
    public void Initiator_sends_logon_with_credentials_and_logs_on_at_the_answer()
    {
        var s = new FixSession(Initiator() with { Username = "alice", Password = "s3cret" }, new FixMemoryStore(), _app, _clock);
        s.Connected(_link);
        Assert.Equal(FixSessionState.LogonSent, s.State);
        string logon = _link.Last;
        Assert.Equal("A", Field(logon, 35));
        Assert.Equal("10", Field(logon, 108));
        Assert.Equal("alice", Field(logon, 553));
        Assert.Equal("s3cret", Field(logon, 554));
        Assert.Null(Field(logon, 141));
        s.Received(Logon(heartBtInt: 10));
        Assert.Equal(FixSessionState.LoggedOn, s.State);
        Assert.Equal(1, _app.Logons);
    }

    [Fact]
    public void Fixt_sessions_log_on_with_default_appl_ver_id_and_talk()
    {
        var s = new FixSession(Initiator() with { BeginString = "FIXT.1.1", DefaultApplVerId = "8" }, new FixMemoryStore(), _app, _clock);
        s.Connected(_link);
        Assert.Equal(("FIXT.1.1", "8"), (Field(_link.Last, 8), Field(_link.Last, 1137)));
        s.Received(From("A", 1, "98=0|108=10|1137=9|", begin: "FIXT.1.1"));
        Assert.Equal(FixSessionState.LoggedOn, s.State);
        s.Received(From("1", 2, "112=t|", begin: "FIXT.1.1"));
        Assert.Equal("t", Field(_link.Last, 112));
    }

    [Fact]
    public void Fix44_logon_carries_no_default_appl_ver_id()
    {
        var s = new FixSession(Initiator(), new FixMemoryStore(), _app, _clock);
        s.Connected(_link);
        Assert.Null(Field(_link.Last, 1137));
    }

    [Theory]
    [InlineData("553=alice|554=wrong|")]
    [InlineData("553=bob|554=s3cret|")]
    [InlineData("")]
    public void Acceptor_with_credentials_logs_out_a_logon_without_them(string credentials)
    {
        var s = new FixSession(Acceptor() with { Username = "alice", Password = "s3cret" }, new FixMemoryStore(), _app, _clock);
        s.Connected(_link);
        s.Received(Logon(extra: credentials));
        Assert.Equal(FixSessionState.Disconnected, s.State);
        Assert.True(_link.Closed);
        Assert.Equal("5", Field(_link.Last, 35));
        Assert.Contains("username or password", Field(_link.Last, 58));
        Assert.Equal(1, s.Counters.LogonsRejected);
        Assert.Equal(0, _app.Logons);
    }

    [Fact]
    public void Acceptor_with_credentials_accepts_the_right_ones()
    {
        var s = new FixSession(Acceptor() with { Username = "alice", Password = "s3cret" }, new FixMemoryStore(), _app, _clock);
        s.Connected(_link);
        s.Received(Logon(extra: "553=alice|554=s3cret|"));
        Assert.Equal(FixSessionState.LoggedOn, s.State);
    }

    [Fact]
    public void A_first_message_that_is_not_a_logon_ends_the_connection_unanswered()
    {
        var s = new FixSession(Acceptor(), new FixMemoryStore(), _app, _clock);
        s.Connected(_link);
        s.Received(From("0", 1));
        Assert.True(_link.Closed);
        Assert.Empty(_link.Sent);
        Assert.Equal(1, s.Counters.FirstMessageNotLogon);
    }

    [Fact]
    public void Logon_with_a_bad_heartbeat_interval_is_logged_out()
    {
        var s = new FixSession(Acceptor(), new FixMemoryStore(), _app, _clock);
        s.Connected(_link);
        s.Received(Logon(heartBtInt: 0));
        Assert.True(_link.Closed);
        Assert.Equal("5", Field(_link.Last, 35));
        Assert.Equal(1, s.Counters.LogonsRejected);
    }

    [Fact]
    public void Logon_timeout_disconnects_an_initiator_that_gets_no_answer()
    {
        var s = new FixSession(Initiator() with { LogonTimeoutMs = 500 }, new FixMemoryStore(), _app, _clock);
        s.Connected(_link);
        _clock.Advance(0.4);
        s.Tick();
        Assert.False(_link.Closed);
        _clock.Advance(0.2);
        s.Tick();
        Assert.True(_link.Closed);
        Assert.Equal(1, s.Counters.LogonTimeouts);
    }

    [Fact]
    public void Heartbeat_goes_out_after_an_interval_of_our_silence()
    {
        var s = LoggedOnAcceptor();
        _clock.Advance(29);
        s.Received(From("0", 2));                                  // they talk, we stay silent
        s.Tick();
        Assert.Empty(_link.Sent);
        _clock.Advance(1.5);
        s.Tick();
        Assert.Equal("0", Field(_link.Last, 35));
        Assert.Null(Field(_link.Last, 112));
        Assert.Equal(1, s.Counters.HeartbeatsSent);
        Assert.Equal(1, s.Counters.HeartbeatsReceived);
    }

    [Fact]
    public void Silent_peer_gets_a_test_request_at_1_2_intervals_then_is_disconnected()
    {
        var s = LoggedOnAcceptor();
        _clock.Advance(35);                                         // 30 s interval × 1.2 = 36 s
        s.Tick();
        Assert.DoesNotContain(_link.Texts(), t => Field(t, 35) == "1");
        _clock.Advance(1.5);
        s.Tick();
        string tr = _link.Texts().Single(t => Field(t, 35) == "1");
        Assert.NotNull(Field(tr, 112));
        Assert.Equal(1, s.Counters.TestRequestsSent);
        _clock.Advance(30);
        s.Tick();
        Assert.False(_link.Closed);
        _clock.Advance(7);
        s.Tick();
        Assert.True(_link.Closed);
        Assert.Equal("5", Field(_link.Last, 35));
        Assert.Equal(1, s.Counters.PeerSilentDisconnects);
        Assert.Equal(1, _app.Logouts);
    }

    [Fact]
    public void Heartbeat_answering_the_test_request_keeps_the_session()
    {
        var s = LoggedOnAcceptor();
        _clock.Advance(37);
        s.Tick();
        string id = Field(_link.Texts().Single(t => Field(t, 35) == "1"), 112)!;
        s.Received(From("0", 2, $"112={id}|"));
        _clock.Advance(37);
        s.Tick();
        Assert.False(_link.Closed);
        Assert.Equal(2, s.Counters.TestRequestsSent);              // a second silence, a second request; never a disconnect
        Assert.Equal(0, s.Counters.PeerSilentDisconnects);
    }

    [Fact]
    public void Test_request_is_answered_with_a_heartbeat_carrying_its_id()
    {
        var s = LoggedOnAcceptor();
        s.Received(From("1", 2, "112=PING-7|"));
        Assert.Equal("0", Field(_link.Last, 35));
        Assert.Equal("PING-7", Field(_link.Last, 112));
        Assert.Equal(1, s.Counters.TestRequestsReceived);
        Assert.Equal(3, s.NextTargetSeqNum);
    }

    [Fact]
    public void Gap_asks_for_everything_from_the_expected_number()
    {
        var s = LoggedOnAcceptor();
        s.Received(From("0", 5));
        Assert.Equal("2", Field(_link.Last, 35));
        Assert.Equal("2", Field(_link.Last, 7));
        Assert.Equal("0", Field(_link.Last, 16));
        Assert.Equal(2, s.NextTargetSeqNum);                       // the message beyond the gap is not consumed
        s.Received(From("0", 6));                                   // a second one while the request is out: no second request
        Assert.Equal(1, s.Counters.ResendRequestsSent);
        Assert.Equal(2, s.Counters.GapsDetected);
        s.Received(From("4", 2, "43=Y|122=20261208-10:00:00.000|123=Y|36=5|"));
        s.Received(From("0", 5, "43=Y|122=20261208-10:00:00.000|"));
        s.Received(From("0", 6, "43=Y|122=20261208-10:00:00.000|"));
        Assert.Equal(7, s.NextTargetSeqNum);
        Assert.Equal(1, s.Counters.ResendRequestsSent);
    }

    [Fact]
    public void Gap_is_asked_for_in_chunks_of_the_configured_size()
    {
        var s = LoggedOnAcceptor(Acceptor() with { ResendChunkSize = 2 });
        s.Received(From("D", 7, "11=o7|54=1|40=1|"));
        var rr = _link.Take().Select(m => FixTestMessages.Text(m)).Single();
        Assert.Equal(("2", "3"), (Field(rr, 7), Field(rr, 16)));
        s.Received(From("0", 2, "43=Y|122=20261208-10:00:00.000|"));
        s.Received(From("0", 3, "43=Y|122=20261208-10:00:00.000|"));
        rr = _link.Take().Select(m => FixTestMessages.Text(m)).Single();
        Assert.Equal(("4", "5"), (Field(rr, 7), Field(rr, 16)));
        s.Received(From("4", 4, "43=Y|123=Y|36=6|"));
        rr = _link.Take().Select(m => FixTestMessages.Text(m)).Single();
        Assert.Equal(("6", "7"), (Field(rr, 7), Field(rr, 16)));
        s.Received(From("0", 6, "43=Y|122=20261208-10:00:00.000|"));
        s.Received(From("D", 7, "43=Y|122=20261208-10:00:00.000|11=o7|54=1|40=1|"));
        Assert.Empty(_link.Sent);
        Assert.Equal(8, s.NextTargetSeqNum);
        Assert.Equal(3, s.Counters.ResendRequestsSent);
        Assert.Single(_app.Messages);
    }

    [Fact]
    public void Resend_request_is_answered_from_the_store_with_possdup_and_gap_fills_for_admin_messages()
    {
        var s = LoggedOnAcceptor();                                 // our 1: Logon
        var order = new OrderBody("ord-1");
        Assert.Equal(FixStatus.Ok, s.Send("D"u8, ref order));       // 2
        s.SendTestRequest("x");                                     // 3 (admin)
        order = new OrderBody("ord-2");
        s.Send("D"u8, ref order);                                   // 4
        string original2 = FixTestMessages.Text(_link.Sent[0]);
        _link.Take();
        _clock.Advance(2);
        s.Received(From("2", 2, "7=1|16=0|"));
        var resent = _link.Texts();
        Assert.Equal(4, resent.Count);
        Assert.Equal(("4", "1", "Y", "2"), (Field(resent[0], 35), Field(resent[0], 34), Field(resent[0], 123), Field(resent[0], 36)));
        Assert.Equal("Y", Field(resent[0], 43));
        Assert.Equal(("D", "2", "Y", "ord-1"), (Field(resent[1], 35), Field(resent[1], 34), Field(resent[1], 43), Field(resent[1], 11)));
        Assert.Equal(Field(original2, 52), Field(resent[1], 122));
        Assert.NotEqual(Field(resent[1], 52), Field(resent[1], 122));
        Assert.Equal(("4", "3", "4"), (Field(resent[2], 35), Field(resent[2], 34), Field(resent[2], 36)));
        Assert.Equal(("D", "4", "ord-2"), (Field(resent[3], 35), Field(resent[3], 34), Field(resent[3], 11)));
        // Each resent message still parses: header before body, the body as it was.
        var parser = new FixParser(FixDictionary.Default);
        foreach (var m in _link.Sent) Assert.Equal(FixStatus.Ok, parser.Parse(m, out _));
        Assert.Equal(2, s.Counters.MessagesResent);
        Assert.Equal(2, s.Counters.GapFillsSent);
        Assert.Equal(5, s.NextSenderSeqNum);                        // resending does not advance our number
    }

    [Fact]
    public void Resend_request_with_an_end_answers_only_that_range()
    {
        var s = LoggedOnAcceptor();
        for (int i = 0; i < 4; i++) { var o = new OrderBody("o" + i); s.Send("D"u8, ref o); }  // 2..5
        _link.Take();
        s.Received(From("2", 2, "7=3|16=4|"));
        Assert.Equal(new[] { "3", "4" }, _link.Texts().Select(t => Field(t, 34)).ToArray());
    }

    [Fact]
    public void Resend_request_with_a_bad_range_is_rejected()
    {
        var s = LoggedOnAcceptor();
        s.Received(From("2", 2, "7=0|16=0|"));
        Assert.Equal("3", Field(_link.Last, 35));
        Assert.Equal("5", Field(_link.Last, 373));
        Assert.Equal("7", Field(_link.Last, 371));
    }

    [Fact]
    public void Sequence_reset_gap_fill_moves_the_expected_number()
    {
        var s = LoggedOnAcceptor();
        s.Received(From("4", 2, "123=Y|36=10|"));
        Assert.Equal(10, s.NextTargetSeqNum);
        Assert.Equal(1, s.Counters.GapFillsReceived);
    }

    [Fact]
    public void Sequence_reset_gap_fill_that_goes_back_is_rejected()
    {
        var s = LoggedOnAcceptor();
        s.Received(From("4", 2, "123=Y|36=2|"));
        Assert.Equal("3", Field(_link.Last, 35));
        Assert.Equal("5", Field(_link.Last, 373));
        Assert.Equal(3, s.NextTargetSeqNum);
        Assert.Equal(1, s.Counters.SequenceResetsRejected);
    }

    [Fact]
    public void Sequence_reset_reset_mode_ignores_msgseqnum_and_may_not_go_back()
    {
        var s = LoggedOnAcceptor();
        s.Received(From("4", 99, "123=N|36=20|"));                  // MsgSeqNum 99: no gap, no resend request
        Assert.Equal(20, s.NextTargetSeqNum);
        Assert.Empty(_link.Sent);
        s.Received(From("4", 1, "36=5|"));
        Assert.Equal("3", Field(_link.Last, 35));
        Assert.Equal("5", Field(_link.Last, 373));
        Assert.Equal(20, s.NextTargetSeqNum);
        Assert.Equal(2, s.Counters.SequenceResetsReceived);
        Assert.Equal(1, s.Counters.SequenceResetsRejected);
    }

    [Fact]
    public void Msgseqnum_too_low_without_possdup_is_logged_out()
    {
        var s = LoggedOnAcceptor();
        s.Received(From("0", 2));
        s.Received(From("0", 2));
        Assert.True(_link.Closed);
        Assert.Equal("5", Field(_link.Last, 35));
        Assert.Equal("MsgSeqNum too low, expecting 3 but received 2", Field(_link.Last, 58));
        Assert.Equal(1, s.Counters.SeqTooLow);
    }

    [Fact]
    public void Msgseqnum_too_low_with_possdup_is_ignored()
    {
        var s = LoggedOnAcceptor();
        s.Received(From("D", 2, "11=a|54=1|40=1|"));
        s.Received(From("D", 2, "43=Y|122=20261208-09:59:59.000|11=a|54=1|40=1|"));
        Assert.False(_link.Closed);
        Assert.Empty(_link.Sent);
        Assert.Single(_app.Messages);
        Assert.Equal(1, s.Counters.DuplicatesIgnored);
    }

    [Fact]
    public void Possdup_without_orig_sending_time_is_rejected()
    {
        var s = LoggedOnAcceptor();
        s.Received(From("D", 2, "43=Y|11=a|54=1|40=1|"));
        Assert.Equal("3", Field(_link.Last, 35));
        Assert.Equal("1", Field(_link.Last, 373));
        Assert.Equal("122", Field(_link.Last, 371));
        Assert.Equal(3, s.NextTargetSeqNum);
        Assert.Empty(_app.Messages);
    }

    [Fact]
    public void Orig_sending_time_after_sending_time_is_rejected_and_logged_out()
    {
        var s = LoggedOnAcceptor();
        s.Received(From("D", 2, "43=Y|122=20261208-10:00:01.000|11=a|54=1|40=1|"));
        var sent = _link.Texts();
        Assert.Equal("3", Field(sent[^2], 35));
        Assert.Equal("10", Field(sent[^2], 373));
        Assert.Equal("5", Field(sent[^1], 35));
        Assert.True(_link.Closed);
    }

    [Fact]
    public void Bad_checksum_is_ignored_and_counted_and_the_number_asked_for_again_later()
    {
        var s = LoggedOnAcceptor();
        s.Received(FixTestMessages.Msg("35=0|49=THEM|56=US|34=2|52=20261208-10:00:00.000|", checkSumDelta: 1));
        Assert.Empty(_link.Sent);
        Assert.Equal(1, s.Counters.Garbled);
        Assert.Equal(2, s.NextTargetSeqNum);
        s.Received(From("0", 2));
        Assert.Equal(3, s.NextTargetSeqNum);
        Assert.False(_link.Closed);
    }

    [Fact]
    public void Garbled_bytes_between_messages_are_skipped_and_counted()
    {
        var s = LoggedOnAcceptor();
        var junk = "garbage!"u8.ToArray();
        var bad = FixTestMessages.Msg("35=0|49=THEM|56=US|34=2|52=20261208-10:00:00.000|", lengthDelta: 3);
        var good = From("0", 2);
        s.Received(junk.Concat(bad).Concat(good).ToArray());
        Assert.Equal(3, s.NextTargetSeqNum);
        Assert.True(s.Counters.GarbageBytes >= junk.Length);
        Assert.Equal(1, s.Counters.Garbled);
        Assert.Empty(_link.Sent);
    }

    [Fact]
    public void Message_split_across_reads_is_reassembled()
    {
        var s = LoggedOnAcceptor();
        var m = From("1", 2, "112=split|");
        for (int i = 0; i < m.Length; i += 5) s.Received(m.AsSpan(i, Math.Min(5, m.Length - i)));
        Assert.Equal("split", Field(_link.Last, 112));
    }

    [Theory]
    [InlineData("112=|", 4, 112)]                                  // TestRequest with an empty TestReqID
    [InlineData("", 1, 112)]                                       // TestRequest without TestReqID
    public void Invalid_field_is_rejected_with_its_reason_and_the_number_consumed(string fields, int reason, int refTag)
    {
        var s = LoggedOnAcceptor();
        s.Received(From("1", 2, fields));
        Assert.Equal("3", Field(_link.Last, 35));
        Assert.Equal(reason.ToString(), Field(_link.Last, 373));
        Assert.Equal(refTag.ToString(), Field(_link.Last, 371));
        Assert.Equal("2", Field(_link.Last, 45));
        Assert.Equal("1", Field(_link.Last, 372));
        Assert.Equal(3, s.NextTargetSeqNum);
        Assert.Equal(1, s.Counters.Invalid);
        Assert.False(_link.Closed);
    }

    [Theory]
    [InlineData("OTHER", "US")]
    [InlineData("THEM", "NOTUS")]
    public void Wrong_compid_is_rejected_then_logged_out(string sender, string target)
    {
        var s = LoggedOnAcceptor();
        s.Received(From("0", 2, sender: sender, target: target));
        var sent = _link.Texts();
        Assert.Equal("3", Field(sent[0], 35));
        Assert.Equal("9", Field(sent[0], 373));
        Assert.Equal("5", Field(sent[1], 35));
        Assert.True(_link.Closed);
        Assert.Equal(1, s.Counters.CompIdMismatches);
        Assert.Equal(FixSessionState.Disconnected, s.State);
    }

    [Fact]
    public void Wrong_begin_string_is_logged_out()
    {
        var s = LoggedOnAcceptor();
        s.Received(From("0", 2, begin: "FIX.4.2"));
        Assert.Equal("5", Field(_link.Last, 35));
        Assert.True(_link.Closed);
        Assert.Equal(1, s.Counters.BeginStringMismatches);
    }

    [Fact]
    public void Missing_msgseqnum_is_logged_out()
    {
        var s = LoggedOnAcceptor();
        s.Received(FixTestMessages.Msg("35=0|49=THEM|56=US|52=20261208-10:00:00.000|"));
        Assert.Equal("5", Field(_link.Last, 35));
        Assert.True(_link.Closed);
        Assert.Equal(1, s.Counters.SeqMissing);
    }

    [Fact]
    public void Logout_we_start_waits_for_the_answer()
    {
        var s = LoggedOnAcceptor();
        s.Logout("bye");
        Assert.Equal(FixSessionState.LogoutSent, s.State);
        Assert.Equal(("5", "bye"), (Field(_link.Last, 35), Field(_link.Last, 58)));
        Assert.False(_link.Closed);
        s.Received(From("5", 2));
        Assert.True(_link.Closed);
        Assert.Equal(FixSessionState.Disconnected, s.State);
        Assert.Equal(1, s.Counters.LogoutsReceived);
        Assert.Equal(3, s.NextTargetSeqNum);
        Assert.Equal(1, _app.Logouts);
    }

    [Fact]
    public void Logout_without_an_answer_times_out()
    {
        var s = LoggedOnAcceptor(Acceptor() with { LogoutTimeoutMs = 1000 });
        s.Logout();
        _clock.Advance(1.1);
        s.Tick();
        Assert.True(_link.Closed);
        Assert.Equal(1, s.Counters.LogoutTimeouts);
    }

    [Fact]
    public void Counterpartys_logout_is_answered_then_the_connection_closed()
    {
        var s = LoggedOnAcceptor();
        s.Received(From("5", 2, "58=done|"));
        Assert.Equal("5", Field(_link.Last, 35));
        Assert.True(_link.Closed);
        Assert.Equal("counterparty logged out", s.LastReason);
    }

    [Fact]
    public void Reject_received_is_counted_and_consumes_its_number()
    {
        var s = LoggedOnAcceptor();
        s.Received(From("3", 2, "45=1|373=5|"));
        Assert.Equal(1, s.Counters.RejectsReceived);
        Assert.Equal(3, s.NextTargetSeqNum);
    }

    [Fact]
    public void Application_messages_reach_the_application_in_sequence()
    {
        var s = LoggedOnAcceptor();
        s.Received(From("D", 2, "11=a|54=1|40=1|"));
        s.Received(From("8", 3, "37=x|17=e1|39=0|54=1|14=0|6=0|151=100|150=0|"));
        Assert.Equal(2, _app.Messages.Count);
        Assert.Equal("a", Field(_app.Messages[0], 11));
        Assert.Equal(2, s.Counters.AppMessagesIn);
    }

    [Fact]
    public void Send_before_logon_is_refused_and_stores_nothing()
    {
        var store = new FixMemoryStore();
        var s = new FixSession(Acceptor(), store, _app, _clock);
        var o = new OrderBody("x");
        Assert.Equal(FixStatus.NeedMoreBytes, s.Send("D"u8, ref o));
        Assert.Equal(0, store.SentCount);
    }

    [Fact]
    public void Reset_on_logon_starts_both_sides_at_one()
    {
        var store = new FixMemoryStore();
        store.SetNextSenderSeqNum(50);
        store.SetNextTargetSeqNum(40);
        var s = new FixSession(Acceptor(), store, _app, _clock);
        s.Connected(_link);
        s.Received(Logon(extra: "141=Y|"));
        Assert.Equal("Y", Field(_link.Last, 141));
        Assert.Equal("1", Field(_link.Last, 34));
        Assert.Equal(2, s.NextTargetSeqNum);
        Assert.Equal(2, s.NextSenderSeqNum);
    }

    [Fact]
    public void Logon_with_a_higher_number_logs_on_then_asks_for_the_gap()
    {
        var store = new FixMemoryStore();
        var s = new FixSession(Acceptor(), store, _app, _clock);
        s.Connected(_link);
        s.Received(Logon(seq: 4));
        var sent = _link.Texts();
        Assert.Equal("A", Field(sent[0], 35));
        Assert.Equal(("2", "1", "0"), (Field(sent[1], 35), Field(sent[1], 7), Field(sent[1], 16)));
        Assert.Equal(FixSessionState.LoggedOn, s.State);
    }

    [Fact]
    public void Logon_with_a_lower_number_is_logged_out()
    {
        var store = new FixMemoryStore();
        store.SetNextTargetSeqNum(10);
        var s = new FixSession(Acceptor(), store, _app, _clock);
        s.Connected(_link);
        s.Received(Logon(seq: 3));
        Assert.True(_link.Closed);
        Assert.Equal("5", Field(_link.Last, 35));
        Assert.Equal(1, s.Counters.SeqTooLow);
    }

    [Fact]
    public void Daily_reset_starts_a_new_session_in_a_new_window()
    {
        var store = new FixMemoryStore(createdUtc: _clock.UtcNow.AddDays(-1));
        store.SetNextSenderSeqNum(33);
        var options = Acceptor() with { Schedule = new FixSessionSchedule { StartTime = new TimeOnly(6, 0), EndTime = new TimeOnly(22, 0), DailyReset = true } };
        var s = new FixSession(options, store, _app, _clock);
        s.Connected(_link);
        Assert.Equal(1, s.NextSenderSeqNum);
        Assert.Equal(1, s.Counters.SequenceResets);
    }

    [Fact]
    public void End_of_the_schedule_logs_out()
    {
        var options = Acceptor() with { Schedule = new FixSessionSchedule { StartTime = new TimeOnly(6, 0), EndTime = new TimeOnly(10, 0, 5) } };
        var s = LoggedOnAcceptor(options);
        s.Tick();
        Assert.Empty(_link.Sent);
        _clock.Advance(6);
        s.Tick();
        Assert.Equal("5", Field(_link.Last, 35));
        Assert.Equal(FixSessionState.LogoutSent, s.State);
        Assert.Equal(1, s.Counters.OutsideSchedule);
    }

    [Fact]
    public void Always_up_session_with_daily_reset_logs_out_at_midnight_and_starts_again_at_one()
    {
        _clock.Start = new DateTime(2026, 12, 8, 23, 59, 50, DateTimeKind.Utc);
        var store = new FixMemoryStore(createdUtc: _clock.UtcNow);
        var s = LoggedOnAcceptor(Acceptor() with { Schedule = new FixSessionSchedule { DailyReset = true } }, store);
        var o = new OrderBody("late");
        s.Send("D"u8, ref o);
        s.Tick();
        Assert.Equal(FixSessionState.LoggedOn, s.State);
        _clock.Advance(15);                                         // past midnight
        s.Tick();
        Assert.Equal(("5", FixSessionState.LogoutSent), (Field(_link.Last, 35), s.State));
        s.Received(From("5", 2));
        Assert.Equal(FixSessionState.Disconnected, s.State);
        s.Connected(_link);
        Assert.Equal((1, 1), (s.NextSenderSeqNum, s.NextTargetSeqNum));
        s.Received(Logon());
        Assert.Equal(FixSessionState.LoggedOn, s.State);
    }

    [Fact]
    public void Disconnect_of_an_old_link_is_ignored()
    {
        var s = LoggedOnAcceptor();
        var other = new CaptureLink();
        s.Disconnected(other);
        Assert.Equal(FixSessionState.LoggedOn, s.State);
        s.Disconnected(_link);
        Assert.Equal(FixSessionState.Disconnected, s.State);
        Assert.Equal(1, _app.Logouts);
    }

    [Fact]
    public void Two_sessions_back_to_back_exchange_orders()
    {
        var clientLink = new CaptureLink();
        var serverLink = new CaptureLink();
        var serverApp = new RecordingApp();
        var client = new FixSession(Initiator() with { SenderCompId = "THEM", TargetCompId = "US" }, new FixMemoryStore(), _app, _clock);
        var server = new FixSession(Acceptor(), new FixMemoryStore(), serverApp, _clock);
        server.Connected(serverLink);
        client.Connected(clientLink);
        void Pump()
        {
            for (bool moved = true; moved;)
            {
                moved = false;
                foreach (var m in clientLink.Take()) { server.Received(m); moved = true; }
                foreach (var m in serverLink.Take()) { client.Received(m); moved = true; }
            }
        }
        Pump();
        Assert.True(client.IsLoggedOn && server.IsLoggedOn);
        var o = new OrderBody("bb-1");
        client.Send("D"u8, ref o);
        Pump();
        Assert.Equal("bb-1", Field(serverApp.Messages.Single(), 11));
        client.Logout();
        Pump();
        Assert.Equal(FixSessionState.Disconnected, client.State);
        Assert.Equal(FixSessionState.Disconnected, server.State);
    }
}
