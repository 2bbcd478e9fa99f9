using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Wirespeed.Feeds.Fix.Session;
using Wirespeed.Feeds.Fix.Session.Tcp;
using Xunit;
using static Wirespeed.Tests.Feeds.Fix.Session.SessionMessages;

namespace Wirespeed.Tests.Feeds.Fix.Session;

/// <summary>
/// Sessions over real TCP on loopback through DotNetty: Wirespeed against Wirespeed, and Wirespeed's acceptor against
/// a hand-driven socket for the failures a real engine never commits. Ports 26961..26975 belong to this file.
/// </summary>
public sealed class FixSessionTcpTests : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ws-fixtcp-" + Guid.NewGuid().ToString("N"));
    private readonly System.Collections.Generic.List<FixEngine> _engines = new();

    public async ValueTask DisposeAsync()
    {
        foreach (var e in _engines) await e.DisposeAsync();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private FixEngine Engine()
    {
        var e = new FixEngine(tickMs: 20);
        _engines.Add(e);
        return e;
    }

    private static FixSessionOptions Server(int port) => new()
    {
        SenderCompId = "WS-SERVER", TargetCompId = "WS-CLIENT", Role = FixSessionRole.Acceptor, Port = port,
    };

    private static FixSessionOptions Client(int port) => new()
    {
        SenderCompId = "WS-CLIENT", TargetCompId = "WS-SERVER", Role = FixSessionRole.Initiator, Port = port, HeartBtIntSeconds = 1,
        ReconnectMinMs = 50, ReconnectMaxMs = 400,
    };

    /// <summary>A raw counterparty logged on as THEM to the acceptor US on <paramref name="port"/>.</summary>
    private async Task<(FixSession session, RawFixClient raw)> RawLoggedOn(int port, int heartBtInt = 30, FixSessionOptions? options = null)
    {
        var engine = Engine();
        var session = engine.Add(options ?? Acceptor(port));
        await engine.StartAsync();
        var raw = new RawFixClient(port);
        raw.Send(Logon(heartBtInt: heartBtInt));
        var reply = raw.Read();
        Assert.Equal("A", Field(reply!, 35));
        return (session, raw);
    }

    [Fact]
    public async Task Initiator_and_acceptor_log_on_heartbeat_answer_test_requests_and_log_out()
    {
        var serverApp = new RecordingApp();
        var server = Engine();
        var s = server.Add(Server(26961), serverApp);
        await server.StartAsync();
        var client = Engine();
        var c = client.Add(Client(26961));
        await client.StartAsync();
        Assert.True(Wait.Until(() => c.IsLoggedOn && s.IsLoggedOn));
        Assert.Equal(1, s.HeartBtIntSeconds);                        // the acceptor took the initiator's interval
        Assert.True(Wait.Until(() => c.Counters.HeartbeatsReceived >= 2 && s.Counters.HeartbeatsReceived >= 2, 8000));
        long before = s.Counters.HeartbeatsReceived;
        s.SendTestRequest("tcp-probe");
        Assert.True(Wait.Until(() => c.Counters.TestRequestsReceived >= 1 && s.Counters.HeartbeatsReceived > before));
        var o = new OrderBody("tcp-1");
        Assert.Equal(Wirespeed.Feeds.Fix.FixStatus.Ok, c.Send("D"u8, ref o));
        Assert.True(Wait.Until(() => serverApp.Messages.Count == 1));
        Assert.Equal("tcp-1", Field(serverApp.Messages[0], 11));
        c.Logout("done");
        Assert.True(Wait.Until(() => c.State == FixSessionState.Disconnected && s.State == FixSessionState.Disconnected));
        Assert.Equal(1, s.Counters.LogoutsReceived);
        Assert.Equal(1, c.Counters.LogoutsReceived);
        Assert.Equal("logout confirmed", c.LastReason);
    }

    [Fact]
    public async Task Several_sessions_share_one_acceptor_port()
    {
        var server = Engine();
        var s1 = server.Add(Server(26962));
        var s2 = server.Add(Server(26962) with { TargetCompId = "WS-CLIENT-2" });
        await server.StartAsync();
        var client = Engine();
        var c1 = client.Add(Client(26962));
        var c2 = client.Add(Client(26962) with { SenderCompId = "WS-CLIENT-2" });
        await client.StartAsync();
        Assert.True(Wait.Until(() => c1.IsLoggedOn && c2.IsLoggedOn && s1.IsLoggedOn && s2.IsLoggedOn));
    }

    [Fact]
    public async Task Unknown_compids_are_refused_at_the_acceptor()
    {
        var server = Engine();
        server.Add(Server(26963));
        await server.StartAsync();
        using var raw = new RawFixClient(26963);
        raw.Send(From("A", 1, "98=0|108=30|", sender: "STRANGER", target: "WS-SERVER"));
        Assert.True(raw.ClosedWithin(5000));
        Assert.Equal(1, server.Counters.UnknownConnections);
    }

    [Fact]
    public async Task Wrong_compid_mid_session_gets_reject_then_logout()
    {
        var (session, raw) = await RawLoggedOn(26964);
        using (raw)
        {
            raw.Send(From("0", 2, sender: "THEM", target: "SOMEONE"));
            var reject = raw.Read();
            Assert.Equal(("3", "9"), (Field(reject!, 35), Field(reject!, 373)));
            Assert.Equal("5", Field(raw.Read()!, 35));
            Assert.True(raw.ClosedWithin(5000));
            Assert.Equal(1, session.Counters.CompIdMismatches);
        }
    }

    [Fact]
    public async Task Bad_checksum_and_garbage_are_ignored_and_counted()
    {
        var (session, raw) = await RawLoggedOn(26965);
        using (raw)
        {
            raw.Send("noise"u8.ToArray());
            raw.Send(FixTestMessages.Msg("35=1|49=THEM|56=US|34=2|52=20261208-10:00:00.000|112=lost|", checkSumDelta: 7));
            raw.Send(From("1", 2, "112=after|"));
            var hb = raw.Read();
            Assert.Equal(("0", "after"), (Field(hb!, 35), Field(hb!, 112)));
            Assert.Equal(1, session.Counters.Garbled);
            Assert.Equal(5, session.Counters.GarbageBytes);
            Assert.Equal(0, session.Counters.RejectsSent);
        }
    }

    [Fact]
    public async Task Garbled_field_is_rejected_with_the_reason()
    {
        var (session, raw) = await RawLoggedOn(26966);
        using (raw)
        {
            raw.Send(From("2", 2, "7=abc|16=0|"));
            var reject = raw.Read();
            Assert.Equal(("3", "6", "7"), (Field(reject!, 35), Field(reject!, 373), Field(reject!, 371)));
            Assert.Equal(3, session.NextTargetSeqNum);
        }
    }

    [Fact]
    public async Task Too_low_msgseqnum_is_logged_out_and_possdup_ignored()
    {
        var (session, raw) = await RawLoggedOn(26967);
        using (raw)
        {
            raw.Send(From("0", 2));
            raw.Send(From("0", 2, "43=Y|122=20261208-09:00:00.000|"));
            raw.Send(From("0", 1));
            var logout = raw.ReadUntil("5");
            Assert.Equal("MsgSeqNum too low, expecting 3 but received 1", Field(logout!, 58));
            Assert.True(raw.ClosedWithin(5000));
            Assert.Equal(1, session.Counters.DuplicatesIgnored);
            Assert.Equal(1, session.Counters.SeqTooLow);
        }
    }

    [Fact]
    public async Task Gap_gets_a_resend_request_and_sequence_reset_closes_it()
    {
        var (session, raw) = await RawLoggedOn(26968, options: Acceptor(26968) with { ResendChunkSize = 5 });
        using (raw)
        {
            raw.Send(From("0", 9));
            var rr = raw.Read();
            Assert.Equal(("2", "2", "6"), (Field(rr!, 35), Field(rr!, 7), Field(rr!, 16)));
            raw.Send(From("4", 2, "43=Y|123=Y|36=7|"));
            rr = raw.Read();
            Assert.Equal(("2", "7", "9"), (Field(rr!, 35), Field(rr!, 7), Field(rr!, 16)));
            raw.Send(From("4", 100, "123=N|36=10|"));
            raw.Send(From("1", 10, "112=synced|"));
            Assert.Equal("synced", Field(raw.ReadUntil("0")!, 112));
            Assert.Equal(11, session.NextTargetSeqNum);
            Assert.Equal(2, session.Counters.ResendRequestsSent);
        }
    }

    [Fact]
    public async Task Resend_request_is_answered_over_tcp()
    {
        var (session, raw) = await RawLoggedOn(26969);
        using (raw)
        {
            var o = new OrderBody("over-tcp");
            session.Send("D"u8, ref o);
            Assert.Equal("D", Field(raw.Read()!, 35));
            raw.Send(From("2", 2, "7=1|16=0|"));
            var fill = raw.Read();
            var resent = raw.Read();
            Assert.Equal(("4", "1", "2", "Y"), (Field(fill!, 35), Field(fill!, 34), Field(fill!, 36), Field(fill!, 123)));
            Assert.Equal(("D", "2", "Y", "over-tcp"), (Field(resent!, 35), Field(resent!, 34), Field(resent!, 43), Field(resent!, 11)));
            Assert.NotNull(Field(resent!, 122));
        }
    }

    [Fact]
    public async Task Silent_counterparty_gets_a_test_request_then_is_disconnected()
    {
        var (session, raw) = await RawLoggedOn(26970, heartBtInt: 1);
        using (raw)
        {
            var tr = raw.ReadUntil("1", 4000);
            Assert.NotNull(Field(tr!, 112));
            Assert.True(raw.ClosedWithin(5000));
            Assert.Equal(1, session.Counters.PeerSilentDisconnects);
            Assert.Equal(1, session.Counters.TestRequestsSent);
        }
    }

    [Fact]
    public async Task Logout_from_the_counterparty_is_answered()
    {
        var (session, raw) = await RawLoggedOn(26971);
        using (raw)
        {
            raw.Send(From("5", 2, "58=bye|"));
            Assert.Equal("5", Field(raw.Read()!, 35));
            Assert.True(raw.ClosedWithin(5000));
            Assert.True(Wait.Until(() => session.State == FixSessionState.Disconnected));
        }
    }

    [Fact]
    public async Task First_message_not_logon_is_dropped_and_bad_credentials_logged_out()
    {
        var engine = Engine();
        var session = engine.Add(Acceptor(26972) with { Username = "u", Password = "p" });
        await engine.StartAsync();
        using (var raw = new RawFixClient(26972))
        {
            raw.Send(From("0", 1));
            Assert.True(raw.ClosedWithin(5000));
        }
        using (var raw = new RawFixClient(26972))
        {
            raw.Send(Logon(extra: "553=u|554=wrong|"));
            Assert.Equal("5", Field(raw.Read()!, 35));
            Assert.True(raw.ClosedWithin(5000));
        }
        Assert.True(Wait.Until(() => session.Counters.LogonsRejected == 1 && session.Counters.FirstMessageNotLogon == 1));
    }

    [Fact]
    public async Task Second_connection_to_a_live_session_and_an_unframeable_one_are_refused()
    {
        var (session, raw) = await RawLoggedOn(26975);
        using (raw)
        {
            using (var second = new RawFixClient(26975))
            {
                second.Send(Logon());
                Assert.True(second.ClosedWithin(5000));
            }
            using (var junk = new RawFixClient(26975))
            {
                junk.Send(new byte[70_000]);
                Assert.True(junk.ClosedWithin(5000));
            }
            var engine = _engines[^1];
            Assert.Equal(1, engine.Counters.DuplicateConnections);
            Assert.Equal(1, engine.Counters.UnknownConnections);
            Assert.Single(engine.Sessions);
            Assert.Equal(FixSessionState.LoggedOn, session.State);
        }
    }

    [Fact]
    public async Task Initiator_reconnects_with_back_off_until_the_acceptor_is_up()
    {
        var client = Engine();
        var c = client.Add(Client(26973));
        await client.StartAsync();
        Assert.True(Wait.Until(() => client.Counters.ConnectFailures >= 3));
        var server = Engine();
        var s = server.Add(Server(26973));
        await server.StartAsync();
        Assert.True(Wait.Until(() => c.IsLoggedOn && s.IsLoggedOn));
    }

    [Fact]
    public async Task Restart_mid_session_resumes_persisted_numbers_and_answers_a_resend_from_the_store()
    {
        string serverStore = Path.Combine(_dir, "server"), clientStore = Path.Combine(_dir, "client");
        var client = Engine();
        var c = client.Add(Client(26974) with { StoreDirectory = clientStore, HeartBtIntSeconds = 5 });
        await client.StartAsync();
        var server = Engine();
        var s = server.Add(Server(26974) with { StoreDirectory = serverStore, StoreSync = FixStoreSync.EveryWrite });
        await server.StartAsync();
        Assert.True(Wait.Until(() => c.IsLoggedOn && s.IsLoggedOn));
        for (int i = 0; i < 3; i++) { var o = new OrderBody("before-" + i); s.Send("D"u8, ref o); }   // server 2..4
        Assert.True(Wait.Until(() => c.Counters.AppMessagesIn == 3));
        int serverNext = s.NextSenderSeqNum, serverExpects = s.NextTargetSeqNum;

        // The acceptor goes away mid-session as a crash would: connection cut, no Logout; the store is all that is left.
        foreach (var gone in server.Sessions) gone.Dispose();
        await server.StopAsync(logoutWaitMs: 0);
        _engines.Remove(server);
        Assert.Equal(0, c.Counters.LogoutsReceived);
        Assert.True(Wait.Until(() => c.State == FixSessionState.Disconnected));

        var restarted = Engine();
        var s2 = restarted.Add(Server(26974) with { StoreDirectory = serverStore });
        Assert.Equal(serverNext, s2.NextSenderSeqNum);
        Assert.True(s2.NextTargetSeqNum >= serverExpects);
        await restarted.StartAsync();
        Assert.True(Wait.Until(() => c.IsLoggedOn && s2.IsLoggedOn));
        Assert.Equal(0, c.Counters.SeqTooLow + s2.Counters.SeqTooLow);
        c.SendResendRequest(1, 0);
        Assert.True(Wait.Until(() => s2.Counters.MessagesResent == 3));
        Assert.True(Wait.Until(() => c.Counters.DuplicatesIgnored >= 3));
        Assert.Equal(3, c.Counters.AppMessagesIn);                  // duplicates are not delivered twice
        Assert.True(s2.Counters.GapFillsSent >= 1);
    }
}
