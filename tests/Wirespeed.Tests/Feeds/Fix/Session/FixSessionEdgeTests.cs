using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Wirespeed.Core.Signals;
using Wirespeed.Feeds.Fix;
using Wirespeed.Feeds.Fix.Session;
using Xunit;
using static Wirespeed.Tests.Feeds.Fix.Session.SessionMessages;

namespace Wirespeed.Tests.Feeds.Fix.Session;

/// <summary>A body with one long Text field: more than the session's first output buffer holds.</summary>
internal readonly struct LongTextBody(int length) : IFixBody
{
    public void Write(ref FixWriter w)
    {
        w.Bytes(11, "long"u8);
        w.Char(54, (byte)'1');
        w.Char(40, (byte)'1');
        var text = new byte[length];
        Array.Fill(text, (byte)'x');
        w.Bytes(58, text);
    }
}

/// <summary>The less travelled paths of the session and its store.</summary>
public sealed class FixSessionEdgeTests
{
    private readonly ManualClock _clock = new();
    private readonly CaptureLink _link = new();

    private FixSession LoggedOn(FixSessionOptions? options = null)
    {
        var s = new FixSession(options ?? Acceptor(), new FixMemoryStore(), null, _clock);
        s.Connected(_link);
        s.Received(Logon());
        _link.Take();
        return s;
    }

    [Fact]
    public void Counter_snapshot_names_every_counter_once_with_its_value()
    {
        var s = LoggedOn();
        s.Received(From("1", 2, "112=a|"));
        var snapshot = s.Counters.Snapshot();
        Assert.Equal(snapshot.Count, snapshot.Select(kv => kv.Key).Distinct().Count());
        int fields = typeof(FixSessionCounters).GetFields().Count(f => f.FieldType == typeof(long));
        Assert.Equal(fields, snapshot.Count);
        var map = snapshot.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(2, map["messages_in"]);
        Assert.Equal(1, map["test_requests_received"]);
        Assert.Equal(1, map["heartbeats_sent"]);
        Assert.Equal("US->THEM", s.Name);
        Assert.Same(s.Store, s.Store);
    }

    [Fact]
    public void Sequence_reset_we_send_moves_our_number()
    {
        var s = LoggedOn();
        s.SendSequenceReset(40);
        Assert.Equal(("4", "N", "40", "2"), (Field(_link.Last, 35), Field(_link.Last, 123), Field(_link.Last, 36), Field(_link.Last, 34)));
        Assert.Equal(40, s.NextSenderSeqNum);
    }

    [Fact]
    public void Unknown_message_type_is_rejected_as_invalid_msgtype()
    {
        var s = LoggedOn();
        s.Received(From("B", 2, "148=headline|"));
        Assert.Equal(("3", "11"), (Field(_link.Last, 35), Field(_link.Last, 373)));
        Assert.Equal(3, s.NextTargetSeqNum);
    }

    [Fact]
    public void Second_logon_on_a_live_session_is_rejected_and_the_session_kept()
    {
        var s = LoggedOn();
        s.Received(Logon(seq: 2));
        Assert.Equal(("3", "99"), (Field(_link.Last, 35), Field(_link.Last, 373)));
        Assert.Equal(FixSessionState.LoggedOn, s.State);
        Assert.Equal(3, s.NextTargetSeqNum);
    }

    [Fact]
    public void Message_larger_than_the_output_buffer_is_sent_whole()
    {
        var s = LoggedOn();
        var body = new LongTextBody(20_000);
        Assert.Equal(FixStatus.Ok, s.Send("D"u8, ref body));
        Assert.Equal(FixStatus.Ok, new FixParser(FixDictionary.Default).Parse(_link.Sent[^1], out _));
        Assert.Equal(20_000, Field(_link.Last, 58)!.Length);
    }

    [Fact]
    public void Invalid_logon_is_rejected_and_logged_out()
    {
        var s = new FixSession(Acceptor(), new FixMemoryStore(), null, _clock);
        s.Connected(_link);
        s.Received(From("A", 1, "98=0|"));                          // HeartBtInt (108) missing
        var sent = _link.Texts();
        Assert.Equal(("3", "1"), (Field(sent[0], 35), Field(sent[0], 373)));
        Assert.Equal("5", Field(sent[1], 35));
        Assert.True(_link.Closed);
    }

    [Fact]
    public void Invalid_message_beyond_a_gap_asks_for_the_gap()
    {
        var s = LoggedOn();
        s.Received(From("1", 5));                                   // TestReqID missing, and a gap before it
        Assert.Equal(("2", "2"), (Field(_link.Last, 35), Field(_link.Last, 7)));
        Assert.Equal(0, s.Counters.Invalid);
    }

    [Fact]
    public void Resend_request_and_logout_beyond_a_gap_are_still_honoured()
    {
        var s = LoggedOn();
        s.Received(From("2", 4, "7=1|16=1|"));
        var sent = _link.Texts();
        Assert.Equal(("4", "1"), (Field(sent[0], 35), Field(sent[0], 34)));  // their request answered first
        Assert.Equal(("2", "2"), (Field(sent[1], 35), Field(sent[1], 7)));   // then ours for the gap
        s.Received(From("5", 9));
        Assert.True(_link.Closed);
        Assert.Equal(1, s.Counters.LogoutsReceived);
    }

    [Fact]
    public void Connecting_again_replaces_the_old_link()
    {
        var s = LoggedOn();
        var second = new CaptureLink();
        s.Connected(second);
        Assert.True(_link.Closed);
        Assert.Equal(FixSessionState.AwaitingLogon, s.State);
    }

    [Fact]
    public void Logout_before_logon_just_disconnects_and_data_after_disconnect_is_ignored()
    {
        var s = new FixSession(Initiator(), new FixMemoryStore(), null, _clock);
        s.Logout();                                                   // not connected: nothing to do
        s.Connected(_link);
        s.Logout("changed my mind");
        Assert.True(_link.Closed);
        s.Received(Logon());
        Assert.Equal(FixSessionState.Disconnected, s.State);
        s.Tick();
        s.Dispose();
    }

    [Fact]
    public void Unframeable_flood_is_dropped_as_garbage()
    {
        var s = LoggedOn();
        var head = "8=FIX.4.4\u00019=999999\u0001"u8.ToArray();
        s.Received(head);
        s.Received(new byte[FixFramer.MaxBodyLength / 2]);          // inside the declared body: wait for more
        Assert.Equal(0, s.Counters.GarbageBytes);
        s.Received(new byte[FixFramer.MaxBodyLength / 2 + 100]);    // past it: the length was a lie, all of it garbage
        Assert.True(s.Counters.GarbageBytes > FixFramer.MaxBodyLength / 2);
        Assert.Equal(FixSessionState.LoggedOn, s.State);
        s.Received(From("0", 2));
        Assert.Equal(3, s.NextTargetSeqNum);
    }

    [Fact]
    public void File_store_record_of_an_unknown_kind_ends_the_replay()
    {
        string path = Path.Combine(Path.GetTempPath(), "ws-fixkind-" + Guid.NewGuid().ToString("N") + ".fixstore");
        try
        {
            using (var s = new FixFileStore(path)) s.SetNextTargetSeqNum(6);
            var record = new byte[13];
            record[8] = 9;                                           // no such kind
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32C.Compute(record.AsSpan(8)));
            using (var f = new FileStream(path, FileMode.Append)) f.Write(record);
            using var again = new FixFileStore(path);
            Assert.Equal(6, again.NextTargetSeqNum);
            Assert.Equal(13, again.RepairedBytes);
            Assert.Equal(path, again.Path);
        }
        finally { File.Delete(path); }
    }
}
