using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Wirespeed.Feeds.SoupBin;
using Xunit;
using static Wirespeed.Tests.Feeds.SoupBin.SoupBinTestKit;

namespace Wirespeed.Tests.Feeds.SoupBin;

/// <summary>
/// The client against scripted and hostile servers over real TCP on loopback (ports 26580..26589, this file's only):
/// garbage, a packet cut by a disconnect, a server that never answers the login, an oversized length, silence after
/// login, refused connects. Every case is counted and survived; a lost link resumes from the next sequence number.
/// </summary>
public sealed class SoupBinHostilePeerTests
{
    private static SoupBinClientOptions Client(int port) => new()
    {
        Port = port, Username = "u", Password = "p", MaxReconnects = 0,
        ReconnectDelay = TimeSpan.FromMilliseconds(10), ReconnectDelayMax = TimeSpan.FromMilliseconds(40),
    };

    private static async Task Send(Socket s, byte[] bytes) => await s.SendAsync(bytes, SocketFlags.None);

    private static async Task Hold(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [Fact]
    public void Disconnect_mid_message_resumes_from_the_next_sequence_with_nothing_lost_or_repeated()
    {
        byte[]? secondLogin = null;
        using var peer = new ScriptedSoupBinPeer(26580, async (s, n, ct) =>
        {
            var login = await ScriptedSoupBinPeer.ReadPacket(s, ct);
            if (n == 0)
            {
                await Send(s, Accepted("DAY1", 1));
                var two = Packet(SoupBinLayout.SequencedData, "m2"u8);
                await Send(s, [.. Packet(SoupBinLayout.SequencedData, "m1"u8), .. two.AsSpan(0, 3)]);   // m2 cut after its type byte
                await Task.Delay(50, ct);
                s.Shutdown(SocketShutdown.Both);
                s.Close();
                return;
            }
            secondLogin = login!.Value.Payload;
            await Send(s, [.. Accepted("DAY1", 2), .. Packet(SoupBinLayout.SequencedData, "m2"u8), .. Packet(SoupBinLayout.EndOfSession, default)]);
            await Hold(ct);
        });
        var h = new CollectingHandler();
        using var client = new SoupBinClient(Client(26580) with { MaxReconnects = 3 }, h);
        client.Start();
        Assert.Equal(SoupBinClientState.EndOfSession, Final(client));
        var got = h.Snapshot();
        Assert.Equal([(1UL, "m1"), (2UL, "m2")], got.ConvertAll(g => (g.Sequence, Text(g.Message))));
        Assert.Equal(1, client.Counters.DisconnectsMidPacket);
        Assert.Equal(1, client.Counters.Reconnects);
        // §2.3.1 on the second login: the accepted session, left-padded, and the next expected number.
        Assert.True(SoupBinLogin.TryReadRequest(secondLogin, out _, out _, out var session, out ulong from));
        Assert.Equal("      DAY1", Text(session.ToArray()));
        Assert.Equal(2UL, from);
    }

    [Fact]
    public void Garbage_after_login_is_counted_and_the_link_dropped()
    {
        using var peer = new ScriptedSoupBinPeer(26581, async (s, n, ct) =>
        {
            await ScriptedSoupBinPeer.ReadPacket(s, ct);
            await Send(s, Accepted("G", 1));
            await Send(s, [0, 2, (byte)'?', 1, 0, 1, (byte)'S', 0, 0, 0xFF, 0xFF]);   // unknown type, a good 'S', then length 0
            await Hold(ct);
        });
        var h = new CollectingHandler();
        using var client = new SoupBinClient(Client(26581) with { MaxReconnects = 1 }, h);
        client.Start();
        Assert.Equal(SoupBinClientState.GaveUp, Final(client));
        Assert.Equal(2, client.Counters.FramingErrors);
        Assert.Equal(2, client.Counters.UnexpectedPackets);
        Assert.Equal(2, client.Counters.SequencedMessages);   // the good message, once per connection
        Assert.Equal([1UL, 1UL], h.Snapshot().ConvertAll(g => g.Sequence));
    }

    [Fact]
    public void Random_garbage_from_the_first_byte_never_crashes_the_client()
    {
        using var peer = new ScriptedSoupBinPeer(26582, async (s, n, ct) =>
        {
            var bytes = new byte[4096];
            new Random(n).NextBytes(bytes);
            await Send(s, bytes);
            await Hold(ct);
        });
        var h = new CollectingHandler();
        using var client = new SoupBinClient(Client(26582) with { MaxReconnects = 4, LoginTimeout = TimeSpan.FromMilliseconds(200), MaxPayload = 512 }, h);
        client.Start();
        Assert.Equal(SoupBinClientState.GaveUp, Final(client));
        Assert.Equal(5, client.Counters.Connects);
        Assert.Equal(0, client.Counters.SequencedMessages);
        Assert.Equal(5, client.Counters.FramingErrors + client.Counters.LoginTimeouts + client.Counters.MalformedLogins);
    }

    [Fact]
    public void A_server_that_never_answers_the_login_times_out_with_back_off_until_the_client_gives_up()
    {
        int logins = 0;
        using var peer = new ScriptedSoupBinPeer(26583, async (s, n, ct) =>
        {
            if (await ScriptedSoupBinPeer.ReadPacket(s, ct) is { Type: SoupBinLayout.LoginRequest }) Interlocked.Increment(ref logins);
            await Hold(ct);
        });
        var h = new CollectingHandler();
        using var client = new SoupBinClient(Client(26583) with { MaxReconnects = 2, LoginTimeout = TimeSpan.FromMilliseconds(100) }, h);
        client.Start();
        Assert.Equal(SoupBinClientState.GaveUp, Final(client));
        Assert.Equal(3, client.Counters.LoginTimeouts);
        Assert.Equal(2, client.Counters.Reconnects);
        Assert.Equal(3, Volatile.Read(ref logins));
        Assert.Equal("no answer to the login", client.LastDropReason);
    }

    [Fact]
    public void An_oversized_length_prefix_is_rejected_and_counted()
    {
        using var peer = new ScriptedSoupBinPeer(26584, async (s, n, ct) =>
        {
            await ScriptedSoupBinPeer.ReadPacket(s, ct);
            await Send(s, [.. Accepted("O", 1), 0x13, 0x88, (byte)'S', 1, 2, 3]);   // 5000 > MaxPayload 100
            await Hold(ct);
        });
        var h = new CollectingHandler();
        using var client = new SoupBinClient(Client(26584) with { MaxPayload = 100 }, h);
        client.Start();
        Assert.Equal(SoupBinClientState.GaveUp, Final(client));
        Assert.Equal(1, client.Counters.FramingErrors);
        Assert.Equal("a length prefix above the maximum payload", client.LastDropReason);
        Assert.Equal(0, h.Count);
    }

    [Fact]
    public void A_server_silent_after_login_is_dropped_at_the_server_timeout()
    {
        using var peer = new ScriptedSoupBinPeer(26585, async (s, n, ct) =>
        {
            await ScriptedSoupBinPeer.ReadPacket(s, ct);
            await Send(s, Accepted("Q", 1));
            await Hold(ct);   // no heartbeats
        });
        var h = new CollectingHandler();
        using var client = new SoupBinClient(Client(26585) with
        {
            MaxReconnects = 1, HeartbeatInterval = TimeSpan.FromMilliseconds(40), ServerTimeout = TimeSpan.FromMilliseconds(200),
        }, h);
        client.Start();
        Assert.Equal(SoupBinClientState.GaveUp, Final(client));
        Assert.Equal(2, client.Counters.ServerTimeouts);
        Assert.Equal(2, client.Counters.LoginsAccepted);
        Assert.True(client.Counters.ClientHeartbeatsSent >= 2, "the client kept the link alive from its side");
    }

    [Fact]
    public void Malformed_login_accepted_and_data_before_login_are_counted()
    {
        using var peer = new ScriptedSoupBinPeer(26586, async (s, n, ct) =>
        {
            await ScriptedSoupBinPeer.ReadPacket(s, ct);
            await Send(s, [.. Packet(SoupBinLayout.SequencedData, "early"u8), .. Packet(SoupBinLayout.UnsequencedData, "early"u8),
                           .. Packet(SoupBinLayout.Debug, "hello"u8), .. Packet(SoupBinLayout.ServerHeartbeat, default),
                           .. Packet(SoupBinLayout.LoginAccepted, "short"u8)]);
            await Hold(ct);
        });
        var h = new CollectingHandler();
        using var client = new SoupBinClient(Client(26586), h);
        client.Start();
        Assert.Equal(SoupBinClientState.GaveUp, Final(client));
        Assert.Equal(2, client.Counters.UnexpectedPackets);
        Assert.Equal(1, client.Counters.DebugPackets);
        Assert.Equal(1, client.Counters.ServerHeartbeats);
        Assert.Equal(1, client.Counters.MalformedLogins);
        Assert.Equal(0, h.Count);
    }

    [Fact]
    public void Unsequenced_data_and_a_second_login_answer_after_login_are_handled()
    {
        using var peer = new ScriptedSoupBinPeer(26587, async (s, n, ct) =>
        {
            await ScriptedSoupBinPeer.ReadPacket(s, ct);
            await Send(s, [.. Accepted("U", 7), .. Packet(SoupBinLayout.UnsequencedData, "u1"u8), .. Accepted("U", 9),
                           .. Packet(SoupBinLayout.LoginRejected, "A"u8), .. Packet(SoupBinLayout.SequencedData, "s7"u8),
                           .. Packet(SoupBinLayout.EndOfSession, default)]);
            await Hold(ct);
        });
        var h = new CollectingHandler();
        using var client = new SoupBinClient(Client(26587), h);
        client.Start();
        Assert.Equal(SoupBinClientState.EndOfSession, Final(client));
        Assert.Equal("u1", Text(Assert.Single(h.Unsequenced)));
        Assert.Equal((7UL, "s7"), (h.Snapshot()[0].Sequence, Text(h.Snapshot()[0].Message)));
        Assert.Equal(2, client.Counters.UnexpectedPackets);   // the second Login Accepted and the Login Rejected
        Assert.Equal(1, client.Counters.UnsequencedMessages);
    }

    [Fact]
    public void A_rejection_with_an_unknown_code_is_final_and_counted()
    {
        using var peer = new ScriptedSoupBinPeer(26588, async (s, n, ct) =>
        {
            await ScriptedSoupBinPeer.ReadPacket(s, ct);
            await Send(s, Packet(SoupBinLayout.LoginRejected, "X"u8));
            await Hold(ct);
        });
        using var client = new SoupBinClient(Client(26588) with { MaxReconnects = 3 }, new CollectingHandler());
        client.Start();
        Assert.Equal(SoupBinClientState.Rejected, Final(client));
        Assert.Equal(1, client.Counters.RejectedOther);
        Assert.Equal((byte)'X', client.RejectReason);
    }

    [Fact]
    public void Refused_connects_are_counted_and_retried_with_back_off()
    {
        // Port 26589 has no listener in this file.
        using var client = new SoupBinClient(Client(26589) with { MaxReconnects = 2 }, new CollectingHandler());
        client.Start();
        Assert.Equal(SoupBinClientState.GaveUp, Final(client));
        Assert.Equal(3, client.Counters.ConnectFailures);
        Assert.Equal(0, client.Counters.Connects);
        Assert.StartsWith("connect failed: ", client.LastDropReason);
    }
}
