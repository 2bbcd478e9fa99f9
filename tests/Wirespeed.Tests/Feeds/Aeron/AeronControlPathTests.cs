using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Aeron;
using Xunit;

namespace Wirespeed.Tests.Feeds.Aeron;

/// <summary>
/// The control paths of both ends, driven frame by frame (internal OnDatagram / OnControl) with a plain UDP socket as
/// the peer that receives the replies: elicit-setup, SETUP validation, image slots, RTTM, ERR, frames for the other
/// side or another receiver, back-pressure, image liveness.
/// </summary>
public class AeronControlPathTests
{
    private const int Term = 64 * 1024;
    private static int Port(int offset) => 40_000 + Environment.ProcessId % 10_000 * 2 + offset;

    private struct Nothing : IAeronMessageHandler
    {
        public void OnMessage(ReadOnlySpan<byte> message, in AeronHeader header) { }
    }

    private static byte[] Frame(int length, Func<byte[], int> write)
    {
        var b = new byte[length];
        write(b);
        return b;
    }

    private static byte[] Receive(Socket peer)
    {
        var buffer = new byte[2048];
        long deadline = MonoClock.NowNs() + 1_000_000_000;
        while (peer.Available == 0 && MonoClock.NowNs() < deadline) Thread.Sleep(1);
        int n = peer.Receive(buffer);
        return buffer.AsSpan(0, n).ToArray();
    }

    [Fact]
    public void Subscription_elicits_setup_validates_setups_answers_rttm_and_counts_what_it_refuses()
    {
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        peer.ReceiveTimeout = 2000;                                            // a missing reply fails, never hangs
        SocketAddress from = peer.LocalEndPoint!.Serialize();
        var options = new AeronSubscriptionOptions
        {
            Endpoint = new IPEndPoint(IPAddress.Loopback, Port(20)), StreamId = 5, MaxImages = 1, MaxTermLength = Term,
            ImageLiveness = TimeSpan.FromMilliseconds(50),
        };
        using Arena arena = AeronTestLogs.NewArena(AeronSubscription.ArenaBytes(options) + 4096);
        using var sub = new AeronSubscription(options, arena);
        long now = MonoClock.NowNs();

        byte[] hb = Frame(32, b => { DataFrame.WriteHeartbeat(b, 0, 77, 5, 3, false); return 32; });
        sub.OnDatagram(hb, from, now);
        sub.OnDatagram(hb, from, now + 1000);                                 // rate-limited: one elicit a second
        Assert.Equal((2L, 1L), (sub.Rejects.UnknownSession, sub.SetupsElicited));
        var elicit = new StatusMessageFrame(Receive(peer));
        Assert.Equal((AeronFlags.StatusSendSetup, 77, 5, 0, sub.ReceiverId), (elicit.Flags, elicit.SessionId, elicit.StreamId, elicit.ReceiverWindow, elicit.ReceiverId));
        byte[] eos = Frame(32, b => { DataFrame.WriteHeartbeat(b, 0, 78, 5, 3, true); return 32; });
        sub.OnDatagram(eos, from, now);
        Assert.Equal(1, sub.SetupsElicited);                                  // EOS never elicits
        sub.OnDatagram(Frame(32, b => { DataFrame.WriteHeartbeat(b, 0, 77, 6, 3, false); return 32; }), from, now);
        Assert.Equal(1, sub.Rejects.OtherStream);

        sub.OnDatagram(Frame(40, b => SetupFrame.Write(b, 0, 0, 77, 5, 3, 3, 1000, 1408, 0)), from, now);      // term length
        sub.OnDatagram(Frame(40, b => SetupFrame.Write(b, 0, 0, 77, 5, 3, 3, Term, 1400, 0)), from, now);      // mtu
        sub.OnDatagram(Frame(40, b => SetupFrame.Write(b, 0, 16, 77, 5, 3, 3, Term, 1408, 0)), from, now);     // offset
        sub.OnDatagram(Frame(40, b => SetupFrame.Write(b, 0, 0, 77, 5, 3, 2, Term, 1408, 0)), from, now);      // before initial
        sub.OnDatagram(Frame(40, b => SetupFrame.Write(b, 0, 0, 77, 5, 3, 3, 2 * Term, 1408, 0)), from, now);  // over the max
        Assert.Equal(5, sub.Rejects.BadSetup);
        sub.OnDatagram(Frame(40, b => SetupFrame.Write(b, 0, 0, 77, 9, 3, 3, Term, 1408, 0)), from, now);
        Assert.Equal(2, sub.Rejects.OtherStream);

        sub.OnDatagram(Frame(40, b => SetupFrame.Write(b, 0, 64, 77, 5, 3, 4, Term, 1408, 0)), from, now);
        Assert.Equal((1L, 1), (sub.ImagesCreated, sub.ImageCount));
        Assert.True(sub.IsConnected);
        var sm = new StatusMessageFrame(Receive(peer));
        Assert.Equal((77, 4, 64, Term / 2, (byte)0), (sm.SessionId, sm.ConsumptionTermId, sm.ConsumptionTermOffset, sm.ReceiverWindow, sm.Flags));
        Assert.Equal((long)Term + 64, sub.FindImage(77)!.JoinPosition);
        sub.OnDatagram(Frame(40, b => SetupFrame.Write(b, 0, 0, 77, 5, 3, 3, Term, 1408, 0)), from, now);       // repeated
        sub.OnDatagram(Frame(40, b => SetupFrame.Write(b, 0, 0, 88, 5, 3, 3, Term, 1408, 0)), from, now);       // no slot left
        Assert.Equal((1L, 1L), (sub.ImagesCreated, sub.ImagesRefused));
        Assert.Null(sub.FindImage(88));

        sub.OnDatagram(Frame(40, b => RttmFrame.Write(b, AeronFlags.RttmReply, 77, 5, 12345, 0, 0)), from, now);
        var reply = new RttmFrame(Receive(peer));
        Assert.Equal((false, 12345L), (reply.IsRequest, reply.EchoTimestamp));
        sub.OnDatagram(Frame(40, b => RttmFrame.Write(b, AeronFlags.RttmReply, 77, 5, 1, 0, sub.ReceiverId + 1)), from, now);
        sub.OnDatagram(Frame(40, b => RttmFrame.Write(b, 0, 77, 5, 1, 0, sub.ReceiverId)), from, now);         // a reply: nothing to do
        Assert.Equal((1L, 1L), (sub.RttmReplies, sub.Rejects.OtherReceiver));

        sub.OnDatagram(Frame(36, b => StatusMessageFrame.Write(b, 0, 77, 5, 0, 0, 0, 1)), from, now);          // sender-side frames
        sub.OnDatagram(Frame(28, b => NakFrame.Write(b, 77, 5, 0, 0, 32)), from, now);
        byte[] bad = Frame(32, b => { DataFrame.WriteHeartbeat(b, 0, 77, 5, 4, false); return 32; });
        bad[4] = 1;
        sub.OnDatagram(bad, from, now);
        Assert.Equal((2L, 1L), (sub.Rejects.Unsupported, sub.Rejects.BadVersion));

        // A DATA datagram whose second frame is bad: the first is kept, the rest counted.
        byte[] two = new byte[64 + 32];
        DataFrame.WriteHeader(two, 40, AeronFlags.Unfragmented, AeronFrameType.Data, 64, 77, 5, 4);
        DataFrame.WriteHeader(two.AsSpan(64), 99, AeronFlags.Unfragmented, AeronFrameType.Data, 128, 77, 5, 4);
        sub.OnDatagram(two, from, now);
        Assert.Equal(1, sub.Rejects.LengthPastDatagram);
        Assert.Equal((long)Term + 128, sub.FindImage(77)!.RebuildPosition);

        // Silence past the liveness timeout closes the image.
        var h = new Nothing();
        long deadline = MonoClock.NowNs() + 2_000_000_000;
        while (sub.ImageCount > 0 && MonoClock.NowNs() < deadline) { sub.Poll(ref h, 10); Thread.Sleep(5); }
        Assert.Equal(1, sub.ImagesTimedOut);
    }

    [Fact]
    public void Publication_handles_elicit_err_rttm_and_foreign_frames_and_back_pressures_without_status_messages()
    {
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, Port(22)));
        peer.ReceiveTimeout = 2000;
        var options = new AeronPublicationOptions { Endpoint = (IPEndPoint)peer.LocalEndPoint!, StreamId = 5, TermLength = Term, SessionId = 77, InitialTermId = 3 };
        using Arena arena = AeronTestLogs.NewArena(AeronTermLog.ArenaBytes(Term) + 4096);
        using var pub = new AeronPublication(options, arena);
        Assert.Equal((77, 3, Term / 8, 1376), (pub.SessionId, pub.InitialTermId, pub.MaxMessageLength, pub.MaxPayloadLength));
        pub.DoWork();
        var setup = new SetupFrame(Receive(peer));
        Assert.Equal((77, 5, 3, 3, 0, Term, 1408), (setup.SessionId, setup.StreamId, setup.InitialTermId, setup.ActiveTermId, setup.TermOffset, setup.TermLength, setup.Mtu));
        long now = MonoClock.NowNs();

        pub.OnControl(Frame(36, b => StatusMessageFrame.Write(b, 0, 78, 5, 3, 0, 4096, 1)), now);              // another session
        pub.OnControl(Frame(36, b => StatusMessageFrame.Write(b, 0, 77, 5, 3, 64, 4096, 1)), now);             // past the tail
        Assert.Equal((1L, 1L, false), (pub.Rejects.OtherReceiver, pub.Rejects.BadPosition, pub.IsConnected));
        pub.OnControl(Frame(36, b => StatusMessageFrame.Write(b, 0, 77, 5, 3, 0, 4096, 1)), now);
        Assert.True(pub.IsConnected);
        Assert.Equal(4096, pub.SenderLimit);

        pub.OnControl(Frame(36, b => StatusMessageFrame.Write(b, AeronFlags.StatusSendSetup, 77, 5, 0, 0, 0, 1)), now);
        long setups = pub.SetupsSent;
        Thread.Sleep(101);
        pub.DoWork();
        Assert.Equal(setups + 1, pub.SetupsSent);                                                              // the elicited SETUP

        pub.OnControl(Frame(64, b => ErrorFrame.Write(b, 77, 5, 1, null, 7, "rejected"u8)), now);
        pub.OnControl(Frame(64, b => ErrorFrame.Write(b, 78, 5, 1, null, 7, "rejected"u8)), now);
        Assert.Equal((1L, 7), (pub.ErrorsReceived, pub.LastErrorCode));
        pub.OnControl(Frame(40, b => RttmFrame.Write(b, AeronFlags.RttmReply, 77, 5, 99, 0, 1)), now);
        pub.OnControl(Frame(40, b => RttmFrame.Write(b, AeronFlags.RttmReply, 78, 5, 99, 0, 1)), now);
        pub.OnControl(Frame(40, b => RttmFrame.Write(b, 0, 77, 5, 99, 0, 1)), now);
        Assert.Equal(1, pub.RttmReplies);
        pub.OnControl(Frame(28, b => NakFrame.Write(b, 77, 5, 3, 0, 64)), now);                              // nothing sent yet
        pub.OnControl(Frame(28, b => NakFrame.Write(b, 78, 5, 3, 0, 64)), now);
        Assert.Equal((1L, 1L), (pub.NaksReceived, pub.NaksIgnored));
        pub.OnControl(Frame(40, b => SetupFrame.Write(b, 0, 0, 77, 5, 3, 3, Term, 1408, 0)), now);           // receiver-side frame
        pub.OnControl(new byte[4], now);
        Assert.Equal((1L, 1L, 4L), (pub.Rejects.Unsupported, pub.Rejects.TooShort, pub.Rejects.OtherReceiver));   // SM, ERR, RTTM, NAK of session 78

        Assert.Throws<ArgumentException>(() => pub.Offer(new byte[Term / 8 + 1]));
        // Flow control lets 4 KiB go; the publication window (term / 2 past the sender position) then fills.
        long result = 0;
        for (int i = 0; i < 1000 && result >= 0; i++) result = pub.Offer(new byte[1000]);
        Assert.Equal(AeronOfferResult.BackPressured, result);
        Assert.True(pub.SenderPosition <= 4096 && pub.SenderPosition > 0);
        Assert.True(pub.Position > Term / 2 - 1100 && pub.Position <= (long)pub.SenderPosition + Term / 2);

        // A NAK inside what was sent is resent; the same range again within 10 ms is ignored.
        pub.OnControl(Frame(28, b => NakFrame.Write(b, 77, 5, 3, 0, 64)), MonoClock.NowNs());
        pub.OnControl(Frame(28, b => NakFrame.Write(b, 77, 5, 3, 0, 64)), MonoClock.NowNs());
        Assert.Equal((1L, 2L), (pub.Retransmits, pub.NaksIgnored));
    }
}
