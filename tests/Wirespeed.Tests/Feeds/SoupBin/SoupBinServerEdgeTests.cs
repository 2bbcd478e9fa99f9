using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Wirespeed.Core.Books;
using Wirespeed.Core.Memory;
using Wirespeed.Feeds.Sim;
using Wirespeed.Feeds.SoupBin;
using Xunit;
using static Wirespeed.Tests.Feeds.SoupBin.SoupBinTestKit;

namespace Wirespeed.Tests.Feeds.SoupBin;

/// <summary>
/// The simulator's server against raw and hostile clients, a client stopped while it connects, the ring sink's
/// unsequenced and refused messages, and a snapshot holding a malformed message (ports 26595..26599, this file's only).
/// </summary>
public sealed class SoupBinServerEdgeTests
{
    private static byte[] Login(string user, string password, ulong from)
    {
        var b = new byte[49];
        Assert.Equal(49, SoupBinWriter.LoginRequest(b, user, password, "", from));
        return b;
    }

    private static Socket Connect(int port)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Connect("127.0.0.1", port);
        return s;
    }

    [Fact]
    public void Server_counts_malformed_logins_broken_framing_and_packets_out_of_place()
    {
        using var server = new SoupBinSimServer(new SoupBinServerOptions { Port = 26595 }, Store(3, ended: false));
        using (var s = Connect(26595)) s.Send(Packet(SoupBinLayout.LoginRequest, new byte[10]));
        WaitFor(() => Interlocked.Read(ref server.Counters.MalformedLogins) == 1, "a malformed login");
        using (var s = Connect(26595)) s.Send(new byte[] { 0, 0, 1 });
        WaitFor(() => Interlocked.Read(ref server.Counters.BadPackets) == 1, "broken framing");
        using (var s = Connect(26595))
        {
            s.Send([.. Login("sim", "sim", 1), .. Packet(SoupBinLayout.UnsequencedData, "hi"u8), .. Packet(SoupBinLayout.Debug, "dbg"u8),
                    .. Packet((byte)'Q', default), .. Packet(SoupBinLayout.ClientHeartbeat, default), .. Login("sim", "sim", 1)]);
            WaitFor(() => Interlocked.Read(ref server.Counters.ClientHeartbeats) == 1 && Interlocked.Read(ref server.Counters.BadPackets) == 3, "the packets after login");
        }
        Assert.Equal(1, server.Counters.UnsequencedReceived);
        Assert.Equal(1, server.Counters.LoginsAccepted);
        Assert.Equal(3, server.Counters.Connections);
    }

    [Fact]
    public async Task Server_closes_a_client_silent_past_the_client_timeout()
    {
        using var server = new SoupBinSimServer(new SoupBinServerOptions
        {
            Port = 26596, HeartbeatInterval = TimeSpan.FromMilliseconds(30), ClientTimeout = TimeSpan.FromMilliseconds(300),
        }, Store(1, ended: false));
        using var s = Connect(26596);
        s.Send(Login("sim", "sim", 1));
        var buffer = new byte[4096];
        var ct = TestContext.Current.CancellationToken;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(10_000);
        while (await s.ReceiveAsync(buffer, SocketFlags.None, limit.Token) > 0) { }   // heartbeats, then the close
        Assert.Equal(1, Interlocked.Read(ref server.Counters.ClientTimeouts));
        Assert.True(Interlocked.Read(ref server.Counters.ServerHeartbeatsSent) >= 2);
    }

    [Fact]
    public void A_client_logged_out_while_it_connects_finishes_logged_out()
    {
        using var server = new SoupBinSimServer(new SoupBinServerOptions { Port = 26597 }, Store(1, ended: false));
        using var reachable = new SoupBinClient(new SoupBinClientOptions { Port = 26597, Username = "sim", Password = "sim" }, new CollectingHandler());
        reachable.Start();
        reachable.Logout();
        Assert.Equal(SoupBinClientState.LoggedOut, Final(reachable));
        // Port 26598 has no listener: the logout lands while the connect is pending or in the back-off.
        using var refused = new SoupBinClient(new SoupBinClientOptions { Port = 26598, ReconnectDelay = TimeSpan.FromSeconds(5), ReconnectDelayMax = TimeSpan.FromSeconds(5) }, new CollectingHandler());
        refused.Start();
        refused.Logout();
        Assert.Equal(SoupBinClientState.LoggedOut, Final(refused));
    }

    [Fact]
    public void Ring_sink_carries_unsequenced_messages_and_refuses_one_longer_than_a_slot()
    {
        using var arena = Arena.Create("soupbin-edge", new ArenaOptions { SizeBytes = 1 << 20, HugePages = false, Lock = false }, new MemoryRegistry(1L << 30));
        var sink = new SoupBinRingSink(arena, 4, 8);
        Assert.Equal(8, sink.MaxMessage);
        Assert.True(sink.OnUnsequenced("u"u8));
        Assert.False(sink.OnSequenced(1, "nine char"u8));
        Assert.Equal(1, sink.Refused);
        Assert.Equal(1, sink.Count);
        Assert.Equal(-1, sink.EndOfSessionSequence);
        var r = new KindReader();
        Assert.Equal(1, sink.Poll(ref r, 10));
        Assert.Equal(((byte)'U', 0UL, "u"), (r.Kind, r.Sequence, r.Text));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoupBinRingSink(arena, 4, SoupBinLayout.MaxPayloadLength + 1));
        // A client whose framer would accept messages longer than the slot would reconnect for ever on the first one.
        var e = Assert.Throws<ArgumentException>(() => new SoupBinClient(new SoupBinClientOptions { Port = 1, MaxPayload = 9 }, sink));
        Assert.Contains("MaxPayload=9 exceeds the ring sink's slot (8 bytes)", e.Message);
        new SoupBinClient(new SoupBinClientOptions { Port = 1, MaxPayload = 8 }, sink).Dispose();
    }

    private struct KindReader : ISoupBinMessageHandler
    {
        public byte Kind;
        public ulong Sequence;
        public string Text;

        public void OnMessage(byte kind, ulong sequence, ReadOnlySpan<byte> message) =>
            (Kind, Sequence, Text) = (kind, sequence, System.Text.Encoding.ASCII.GetString(message));
    }

    [Fact]
    public async Task A_malformed_message_in_a_snapshot_is_counted_and_not_applied()
    {
        var snapshot = new SimMessageStore();
        snapshot.Append("not itch"u8);
        var g = new byte[GlimpseLayout.EndOfSnapshotLength];
        GlimpseLayout.WriteEndOfSnapshot(g, 77);
        snapshot.Append(g);
        Assert.Equal("not itch"u8.ToArray(), snapshot.Message(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => snapshot.Message(3));
        using var server = new SoupBinSimServer(new SoupBinServerOptions { Port = 26599 }, () => snapshot);
        var books = new OrderBookSet(new BookOptions { MaxInstruments = 8, MaxLiveOrders = 1024, MaxLevelsPerSide = 16 });
        var r = await GlimpseSnapshotLoader.LoadAsync(new SoupBinClientOptions { Port = 26599, Username = "sim", Password = "sim" }, books, TimeSpan.FromSeconds(10));
        Assert.True(r.Complete);
        Assert.Equal(77UL, r.NextSequence);
        Assert.Equal(1, r.Malformed);
        Assert.Equal(0, r.Applied);
    }
}
