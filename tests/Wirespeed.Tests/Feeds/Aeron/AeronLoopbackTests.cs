using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Aeron;
using Xunit;

namespace Wirespeed.Tests.Feeds.Aeron;

/// <summary>
/// Publication ↔ subscription over UDP on loopback (AERON.md §B.10): SETUP/SM handshake, flow control, term rollover with
/// 64 KiB terms and wrapping term ids, messages larger than the mtu, NAK repair through a lossy relay, EOS, and zero
/// allocation per message. Both ends run on the test thread, alternately, so every run is deterministic in order.
/// </summary>
public class AeronLoopbackTests
{
    private const int Term = 64 * 1024;

    // A port per process, so parallel runs of other worktrees on this host do not collide.
    private static int Port(int offset) => 40_000 + Environment.ProcessId % 10_000 * 2 + offset;

    /// <summary>Checks each message's sequence number (first 8 bytes) and its length pattern.</summary>
    internal struct InOrder : IAeronMessageHandler
    {
        public long Next;
        public long Errors;
        public long Bytes;
        public void OnMessage(ReadOnlySpan<byte> message, in AeronHeader header)
        {
            long seq = BinaryPrimitives.ReadInt64LittleEndian(message);
            if (seq != Next || message.Length != Length(seq) || message[^1] != (byte)seq) Errors++;
            Next = seq + 1;
            Bytes += message.Length;
        }
    }

    /// <summary>Mostly small messages, every 50th larger than the mtu (fragmented), up to 5000 bytes.</summary>
    private static int Length(long seq) => seq % 50 == 49 ? 2000 + (int)(seq % 3000) : 9 + (int)(seq % 200);   // ≥ 9: the last byte never overwrites the sequence number

    private static void Fill(Span<byte> buffer, long seq)
    {
        BinaryPrimitives.WriteInt64LittleEndian(buffer, seq);
        buffer[Length(seq) - 1] = (byte)seq;
    }

    internal static (Arena, AeronSubscription, AeronPublication) Open(int port, IPEndPoint? publishTo = null, int? initialTermId = null)
    {
        var subOptions = new AeronSubscriptionOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, port), StreamId = 77, MaxTermLength = Term, MaxImages = 2 };
        var pubOptions = new AeronPublicationOptions
        {
            Endpoint = publishTo ?? subOptions.Endpoint, StreamId = 77, TermLength = Term, InitialTermId = initialTermId,
            Linger = TimeSpan.FromMilliseconds(500),
        };
        Arena arena = AeronTestLogs.NewArena(AeronSubscription.ArenaBytes(subOptions) + AeronTermLog.ArenaBytes(Term) + 8192);
        var sub = new AeronSubscription(subOptions, arena);
        var pub = new AeronPublication(pubOptions, arena);
        return (arena, sub, pub);
    }

    internal static void Connect(AeronPublication pub, AeronSubscription sub, Action? pump = null)
    {
        var h = new InOrder();
        long deadline = MonoClock.NowNs() + 3_000_000_000;
        while (!pub.IsConnected && MonoClock.NowNs() < deadline)
        {
            pub.DoWork();
            pump?.Invoke();
            sub.Poll(ref h, 10);
            pump?.Invoke();
            Thread.Sleep(1);
        }
        Assert.True(pub.IsConnected, "no status message answered the SETUP within 3 s");
    }

    /// <summary>Offers <paramref name="count"/> messages, polling between, bounded at 20 s. Returns the handler.</summary>
    internal static InOrder Stream(AeronPublication pub, AeronSubscription sub, long count, Action? pump = null)
    {
        var h = new InOrder();
        byte[] buffer = new byte[8192];
        long seq = 0;
        long deadline = MonoClock.NowNs() + 20_000_000_000;
        while (h.Next < count && MonoClock.NowNs() < deadline)
        {
            for (int i = 0; i < 16 && seq < count; i++)
            {
                Fill(buffer, seq);
                long r = pub.Offer(buffer.AsSpan(0, Length(seq)));
                if (r > 0) seq++;
                else if (r == AeronOfferResult.BackPressured) break;
                else Assert.Fail($"offer returned {r}");
            }
            pub.DoWork();
            pump?.Invoke();
            sub.Poll(ref h, 256);
            pump?.Invoke();
        }
        return h;
    }

    [Fact]
    public void Messages_arrive_once_and_in_order_across_many_64KiB_terms_with_wrapping_term_ids()
    {
        var (arena, sub, pub) = Open(Port(0), initialTermId: int.MaxValue - 2);
        using var a = arena;
        using var s = sub;
        using var p = pub;
        Assert.Equal(AeronOfferResult.NotConnected, pub.Offer(new byte[8]));
        Connect(pub, sub);
        Assert.True(pub.SetupsSent >= 1);
        Assert.Equal(1, sub.ImageCount);
        Assert.True(pub.SenderLimit >= 32 * 1024);                    // window = min(128 KiB, term / 2)

        const long count = 30_000;
        InOrder h = Stream(pub, sub, count);
        Assert.Equal(count, h.Next);
        Assert.Equal(0, h.Errors);
        AeronImage image = sub.FindImage(pub.SessionId)!;
        Assert.True(image.SubscriberPosition > 20L * Term, $"only {image.SubscriberPosition} bytes: too few terms");
        Assert.True(AeronPosition.TermId(image.SubscriberPosition, 16, int.MaxValue - 2) < 0);   // the term id wrapped
        Assert.Equal(0, sub.Rejects.Total - sub.Rejects.Duplicate);
        Assert.True(sub.StatusMessagesSent > 10);
    }

    [Fact]
    public void Close_sends_eos_the_image_ends_and_the_publisher_lingers_until_the_eos_status_message()
    {
        var (arena, sub, pub) = Open(Port(2));
        using var a = arena;
        using var s = sub;
        using var p = pub;
        Connect(pub, sub);
        InOrder h = Stream(pub, sub, 100);
        Assert.Equal(100, h.Next);
        pub.Close();
        Assert.Equal(AeronOfferResult.Closed, pub.Offer(new byte[8]));
        long deadline = MonoClock.NowNs() + 3_000_000_000;
        while ((sub.ImagesEnded == 0 || !pub.IsLingerComplete) && MonoClock.NowNs() < deadline)
        {
            pub.DoWork();
            sub.Poll(ref h, 10);
            Thread.Sleep(1);
        }
        Assert.Equal(1, sub.ImagesEnded);
        Assert.Equal(0, sub.ImageCount);
        Assert.True(pub.IsLingerComplete);
        Assert.Equal(100, h.Next);
    }

    [Fact]
    public void Idle_publisher_sends_heartbeats_and_the_subscriber_keeps_sending_status_messages()
    {
        var (arena, sub, pub) = Open(Port(4));
        using var a = arena;
        using var s = sub;
        using var p = pub;
        Connect(pub, sub);
        var h = new InOrder();
        long sms = sub.StatusMessagesSent;
        long end = MonoClock.NowNs() + 450_000_000;
        while (MonoClock.NowNs() < end)
        {
            pub.DoWork();
            sub.Poll(ref h, 10);
            Thread.Sleep(2);
        }
        Assert.True(pub.HeartbeatsSent >= 3, $"{pub.HeartbeatsSent} heartbeats in 450 ms");
        Assert.True(sub.StatusMessagesSent - sms >= 2, $"{sub.StatusMessagesSent - sms} SMs in 450 ms");
        Assert.True(pub.IsConnected);
    }

    [Fact]
    public void Lost_datagrams_are_naked_and_retransmitted_so_every_message_arrives_once_in_order()
    {
        var subEndpoint = new IPEndPoint(IPAddress.Loopback, Port(6));
        using var relay = new AeronRelay(Port(7), subEndpoint, dropEvery: 97);
        var (arena, sub, pub) = Open(Port(6), publishTo: new IPEndPoint(IPAddress.Loopback, Port(7)));
        using var a = arena;
        using var s = sub;
        using var p = pub;
        Connect(pub, sub, relay.Pump);
        const long count = 10_000;
        InOrder h = Stream(pub, sub, count, relay.Pump);
        Assert.Equal(count, h.Next);
        Assert.Equal(0, h.Errors);
        Assert.True(relay.Dropped > 10, $"only {relay.Dropped} datagrams dropped");
        Assert.True(sub.NaksSent >= 1);
        Assert.True(pub.Retransmits >= relay.Dropped / 2, $"{pub.Retransmits} retransmits for {relay.Dropped} drops");
    }

    private struct Count : IAeronMessageHandler
    {
        public long Messages;
        public void OnMessage(ReadOnlySpan<byte> message, in AeronHeader header) => Messages++;
    }

    [Fact]
    public void Offer_and_poll_allocate_nothing_per_message_after_warm_up()
    {
        var (arena, sub, pub) = Open(Port(8));
        using var a = arena;
        using var s = sub;
        using var p = pub;
        Connect(pub, sub);
        var h = new Count();
        byte[] msg = new byte[32];
        long offered = 0;
        void Run(long n)
        {
            long deadline = MonoClock.NowNs() + 10_000_000_000;
            long target = offered + n;
            while (h.Messages < target && MonoClock.NowNs() < deadline)
            {
                if (offered < target && pub.Offer(msg) > 0) offered++;
                pub.DoWork();
                sub.Poll(ref h, 64);
            }
        }
        // Warm-up long enough (≥ 300 ms) that every periodic path (200 ms status keep-alive, heartbeats) ran once.
        long warm = MonoClock.NowNs() + 300_000_000;
        while (MonoClock.NowNs() < warm) Run(1_000);
        long warmed = h.Messages;
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(20_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(warmed + 20_000, h.Messages);
        Assert.Equal(0, allocated);
    }
}
