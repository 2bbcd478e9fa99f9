using System;
using System.Text;
using System.Threading;
using Wirespeed.Feeds.Sim;
using Wirespeed.Feeds.SoupBin;
using Xunit;
using static Wirespeed.Tests.Feeds.SoupBin.SoupBinTestKit;

namespace Wirespeed.Tests.Feeds.SoupBin;

/// <summary>
/// SoupBinTCP 3.00 conformance of the client against the simulator's server, over real TCP on loopback (ports
/// 26560..26579, this file's only): login accepted and rejected, sequence numbers, replay and live, heartbeats in both
/// directions, end of session, logout, lengths.
/// </summary>
public sealed class SoupBinConformanceTests
{
    private static SoupBinServerOptions Server(int port) => new() { Port = port, Username = "user", Password = "pass", Session = "SESSION1" };

    private static SoupBinClientOptions Client(int port, ulong from = 1) =>
        new() { Port = port, Username = "user", Password = "pass", FirstSequence = from, MaxReconnects = 0 };

    [Fact]
    public void Login_accepted_and_sequenced_data_numbered_from_one_then_end_of_session()
    {
        using var server = new SoupBinSimServer(Server(26560), Store(25, ended: true));
        var h = new CollectingHandler();
        using var client = new SoupBinClient(Client(26560), h);
        client.Start();
        Assert.Equal(SoupBinClientState.EndOfSession, Final(client));
        var got = h.Snapshot();
        Assert.Equal(25, got.Count);
        for (int i = 0; i < 25; i++)
        {
            Assert.Equal((ulong)(i + 1), got[i].Sequence);
            Assert.Equal("m" + (i + 1), Text(got[i].Message));
        }
        Assert.Equal("SESSION1", client.Session);
        Assert.Equal(26UL, client.NextSequence);
        Assert.Equal(26, h.EndOfSessionAt);
        Assert.Equal(1, client.Counters.LoginsAccepted);
        Assert.Equal(1, client.Counters.EndOfSession);
        Assert.Equal(25, client.Counters.SequencedMessages);
        Assert.Equal(1, server.Counters.EndOfSessionSent);
    }

    [Fact]
    public void Replay_from_a_requested_sequence_number_starts_there()
    {
        using var server = new SoupBinSimServer(Server(26561), Store(30, ended: true));
        var h = new CollectingHandler();
        using var client = new SoupBinClient(Client(26561, from: 17), h);
        client.Start();
        Assert.Equal(SoupBinClientState.EndOfSession, Final(client));
        var got = h.Snapshot();
        Assert.Equal(14, got.Count);
        Assert.Equal(17UL, got[0].Sequence);
        Assert.Equal("m17", Text(got[0].Message));
        Assert.Equal("m30", Text(got[^1].Message));
    }

    [Fact]
    public void Sequence_zero_starts_with_the_most_recent_message_and_one_past_the_end_with_the_next()
    {
        var store = Store(10, ended: false);
        using var server = new SoupBinSimServer(Server(26562), store);
        var recent = new CollectingHandler();
        using (var client = new SoupBinClient(Client(26562, from: 0), recent))
        {
            client.Start();
            WaitFor(() => recent.Count == 1, "the most recent message");
            Assert.Equal(10UL, recent.Snapshot()[0].Sequence);
        }
        var next = new CollectingHandler();
        using (var client = new SoupBinClient(Client(26562, from: 500), next))
        {
            client.Start();
            WaitFor(() => client.State == SoupBinClientState.LoggedIn, "login");
            Assert.Equal(11UL, client.NextSequence);   // the server clamps to the next message it will generate
            store.Append("live"u8);
            WaitFor(() => next.Count == 1, "the live message");
            Assert.Equal((11UL, "live"), (next.Snapshot()[0].Sequence, Text(next.Snapshot()[0].Message)));
        }
    }

    [Fact]
    public void Replay_then_live_messages_follow_without_a_gap()
    {
        var store = Store(5, ended: false);
        using var server = new SoupBinSimServer(Server(26563), store);
        var h = new CollectingHandler();
        using var client = new SoupBinClient(Client(26563), h);
        client.Start();
        WaitFor(() => h.Count == 5, "the replayed messages");
        for (int i = 6; i <= 40; i++) store.Append(Encoding.ASCII.GetBytes("m" + i));
        store.End();
        Assert.Equal(SoupBinClientState.EndOfSession, Final(client));
        var got = h.Snapshot();
        Assert.Equal(40, got.Count);
        for (int i = 0; i < 40; i++) Assert.Equal(((ulong)(i + 1), "m" + (i + 1)), (got[i].Sequence, Text(got[i].Message)));
    }

    [Fact]
    public void Login_rejected_not_authorized_is_final()
    {
        using var server = new SoupBinSimServer(Server(26564), Store(3, ended: true));
        var h = new CollectingHandler();
        using var client = new SoupBinClient(Client(26564) with { Password = "wrong", MaxReconnects = 5 }, h);
        client.Start();
        Assert.Equal(SoupBinClientState.Rejected, Final(client));
        Assert.Equal(SoupBinLayout.RejectNotAuthorized, client.RejectReason);
        Assert.Equal(1, client.Counters.RejectedNotAuthorized);
        Assert.Equal(0, client.Counters.Reconnects);
        Assert.Equal(0, h.Count);
        Assert.Equal(1, server.Counters.RejectedNotAuthorized);
    }

    [Fact]
    public void Login_rejected_session_not_available_is_final()
    {
        using var server = new SoupBinSimServer(Server(26565), Store(3, ended: true));
        var h = new CollectingHandler();
        using var client = new SoupBinClient(Client(26565) with { Session = "YESTERDAY" }, h);
        client.Start();
        Assert.Equal(SoupBinClientState.Rejected, Final(client));
        Assert.Equal(SoupBinLayout.RejectSessionNotAvailable, client.RejectReason);
        Assert.Equal(1, client.Counters.RejectedSessionNotAvailable);
        Assert.Equal(1, server.Counters.RejectedSessionNotAvailable);
    }

    [Fact]
    public void Usernames_and_passwords_are_case_insensitive_and_the_named_session_is_accepted()
    {
        using var server = new SoupBinSimServer(Server(26566), Store(1, ended: true));
        var h = new CollectingHandler();
        using var client = new SoupBinClient(Client(26566) with { Username = "USER", Password = "PaSs", Session = "SESSION1" }, h);
        client.Start();
        Assert.Equal(SoupBinClientState.EndOfSession, Final(client));
        Assert.Equal(1, h.Count);
    }

    [Fact]
    public void Heartbeats_flow_in_both_directions_while_idle()
    {
        var fast = TimeSpan.FromMilliseconds(50);
        using var server = new SoupBinSimServer(Server(26567) with { HeartbeatInterval = fast }, Store(0, ended: false));
        var h = new CollectingHandler();
        using var client = new SoupBinClient(Client(26567) with { HeartbeatInterval = fast, ServerTimeout = TimeSpan.FromSeconds(5) }, h);
        client.Start();
        WaitFor(() => client.Counters.ServerHeartbeats >= 3 && server.Counters.ClientHeartbeats >= 3, "three heartbeats each way");
        Assert.Equal(SoupBinClientState.LoggedIn, client.State);
        Assert.Equal(0, client.Counters.ServerTimeouts);
        Assert.True(client.Counters.ClientHeartbeatsSent >= 3);
    }

    [Fact]
    public void End_of_session_on_an_empty_ended_session_reaches_the_handler()
    {
        using var server = new SoupBinSimServer(Server(26568), Store(0, ended: true));
        var h = new CollectingHandler();
        using var client = new SoupBinClient(Client(26568), h);
        client.Start();
        Assert.Equal(SoupBinClientState.EndOfSession, Final(client));
        Assert.Equal(1, h.EndOfSessionAt);
        Assert.Equal(0, h.Count);
    }

    [Fact]
    public void Logout_request_ends_the_session_on_both_sides()
    {
        using var server = new SoupBinSimServer(Server(26569), Store(2, ended: false));
        var h = new CollectingHandler();
        using var client = new SoupBinClient(Client(26569), h);
        client.Start();
        WaitFor(() => h.Count == 2, "the messages");
        client.Logout();
        Assert.Equal(SoupBinClientState.LoggedOut, Final(client));
        WaitFor(() => Interlocked.Read(ref server.Counters.Logouts) == 1, "the server to see the logout");
        Assert.Equal(1, client.Counters.LogoutsSent);
    }

    [Fact]
    public void Maximum_length_and_zero_length_messages_are_delivered_whole()
    {
        var store = new SimMessageStore();
        var big = new byte[SoupBinLayout.MaxPayloadLength];
        new Random(3).NextBytes(big);
        store.Append(big);
        store.Append(ReadOnlySpan<byte>.Empty);
        store.Append("x"u8);
        store.End();
        using var server = new SoupBinSimServer(Server(26570), store);
        var h = new CollectingHandler();
        using var client = new SoupBinClient(Client(26570), h);
        client.Start();
        Assert.Equal(SoupBinClientState.EndOfSession, Final(client));
        var got = h.Snapshot();
        Assert.Equal(3, got.Count);
        Assert.Equal(big, got[0].Message);
        Assert.Empty(got[1].Message);
        Assert.Equal(2UL, got[1].Sequence);
        Assert.Equal("x", Text(got[2].Message));
    }

    [Fact]
    public void A_full_ring_costs_a_reconnect_from_the_refused_message_and_loses_nothing()
    {
        using var server = new SoupBinSimServer(Server(26571) with { BatchMessages = 64 }, Store(300, ended: true));
        using var arena = Wirespeed.Core.Memory.Arena.Create("soupbin-test", new Wirespeed.Core.Memory.ArenaOptions { SizeBytes = 1 << 20, HugePages = false, Lock = false }, new Wirespeed.Core.Memory.MemoryRegistry(1L << 30));
        var sink = new SoupBinRingSink(arena, 16, 64);
        using var client = new SoupBinClient(Client(26571) with { MaxPayload = 64, MaxReconnects = -1, ReconnectDelay = TimeSpan.FromMilliseconds(5), ReconnectDelayMax = TimeSpan.FromMilliseconds(20) }, sink);
        client.Start();
        var reader = new RingReader { Expected = 1 };
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (reader.Expected <= 300 && DateTime.UtcNow < deadline)
        {
            if (sink.Poll(ref reader, 4) == 0) Thread.Sleep(2);   // a slow consumer: the ring fills
        }
        Assert.Equal(301UL, reader.Expected);
        Assert.Equal(0, reader.OutOfOrder);
        Assert.True(client.Counters.HandlerFull > 0, "the ring never filled: the test proves nothing");
        Assert.Equal(client.Counters.HandlerFull, sink.Refused);
        Assert.Equal(SoupBinClientState.EndOfSession, Final(client));
        Assert.Equal(301, sink.EndOfSessionSequence);
    }

    private struct RingReader : ISoupBinMessageHandler
    {
        public ulong Expected;
        public int OutOfOrder;

        public void OnMessage(byte kind, ulong sequence, ReadOnlySpan<byte> message)
        {
            if (kind != SoupBinLayout.SequencedData || sequence != Expected || Encoding.ASCII.GetString(message) != "m" + sequence) OutOfOrder++;
            Expected++;
        }
    }
}
