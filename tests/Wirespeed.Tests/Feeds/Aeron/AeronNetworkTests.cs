using System;
using System.Buffers.Binary;
using System.Net;
using System.Threading;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Aeron;
using Xunit;

namespace Wirespeed.Tests.Feeds.Aeron;

/// <summary>
/// Publications and subscriptions over real sockets on loopback, made from channel URIs (AERON.md §B.10–§B.12):
/// multicast with two receivers under max and min flow control, a late joiner that elicits its SETUP, several publishers
/// into one subscriber, a publisher that vanishes (the image times out), reliable=false gap filling with its loss report,
/// and zero allocation per message on multicast. Every end runs on the test thread, so the order of events is fixed;
/// every loop is bounded in count and time. Ports 26860..26870 belong to this file.
/// </summary>
public class AeronNetworkTests
{
    private const int Term = 64 * 1024;

    /// <summary>Message <paramref name="seq"/>: its number in the first 8 bytes, its last byte (byte)seq; every 40th longer than the mtu.</summary>
    private static int Length(long seq) => seq % 40 == 39 ? 1500 + (int)(seq % 2500) : 9 + (int)(seq % 120);

    private static long Offer(AeronPublication pub, byte[] buffer, long seq)
    {
        int length = Length(seq);
        BinaryPrimitives.WriteInt64LittleEndian(buffer, seq);
        buffer[length - 1] = (byte)seq;
        return pub.Offer(buffer.AsSpan(0, length));
    }

    /// <summary>Checks order per message: the first one seen sets the start (a late joiner starts mid-stream).</summary>
    private struct Ordered : IAeronMessageHandler
    {
        public long First;
        public long Next;
        public long Messages;
        public long Errors;
        public int SessionId;

        public Ordered() => First = Next = -1;

        public void OnMessage(ReadOnlySpan<byte> message, in AeronHeader header)
        {
            long seq = BinaryPrimitives.ReadInt64LittleEndian(message);
            if (First < 0) First = seq;
            else if (seq != Next) Errors++;
            if (message.Length != Length(seq) || message[^1] != (byte)seq) Errors++;
            SessionId = header.SessionId;
            Next = seq + 1;
            Messages++;
        }
    }

    /// <summary>reliable=false: numbers only ever increase (skips allowed, never a repeat or a step back).</summary>
    private struct Increasing : IAeronMessageHandler
    {
        public long Last;
        public long Messages;
        public long Errors;

        public Increasing() => Last = -1;

        public void OnMessage(ReadOnlySpan<byte> message, in AeronHeader header)
        {
            long seq = BinaryPrimitives.ReadInt64LittleEndian(message);
            if (seq <= Last || message.Length != Length(seq) || message[^1] != (byte)seq) Errors++;
            Last = seq;
            Messages++;
        }
    }

    /// <summary>Two publishers at once: order is checked per session.</summary>
    private struct PerSession : IAeronMessageHandler
    {
        public int SessionA, SessionB;
        public long NextA, NextB, Errors;

        public void OnMessage(ReadOnlySpan<byte> message, in AeronHeader header)
        {
            long seq = BinaryPrimitives.ReadInt64LittleEndian(message);
            ref long next = ref header.SessionId == SessionA ? ref NextA : ref NextB;
            if (header.SessionId != SessionA && header.SessionId != SessionB) Errors++;
            if (seq != next || message.Length != Length(seq)) Errors++;
            next = seq + 1;
        }
    }

    private static Arena NewArena(int subscriptions, int publications)
        => AeronTestLogs.NewArena(subscriptions * 2 * AeronTermLog.ArenaBytes(Term) + publications * AeronTermLog.ArenaBytes(Term) + 16384);

    private static AeronSubscription Sub(string channel, Arena arena, int maxImages = 2, TimeSpan? liveness = null)
    {
        var options = AeronSubscriptionOptions.FromChannel(channel, 21) with { MaxImages = maxImages, ImageLiveness = liveness ?? TimeSpan.FromSeconds(10) };
        return new AeronSubscription(options, arena);
    }

    private static AeronPublication Pub(string channel, Arena arena)
        => new(AeronPublicationOptions.FromChannel(channel, 21) with { Linger = TimeSpan.FromMilliseconds(300) }, arena);

    /// <summary>Pumps until <paramref name="done"/> or 5 s; false on time-out.</summary>
    private static bool Until(Func<bool> done, Action pump, int sleepMs = 1, long timeoutNs = 5_000_000_000)
    {
        long deadline = MonoClock.NowNs() + timeoutNs;
        while (!done())
        {
            if (MonoClock.NowNs() > deadline) return false;
            pump();
            if (sleepMs > 0) Thread.Sleep(sleepMs);
        }
        return true;
    }

    [Fact]
    public void Multicast_delivers_every_message_once_in_order_to_two_receivers_across_term_rollovers()
    {
        const string Channel = "aeron:udp?endpoint=239.192.86.1:26866|interface=127.0.0.1|term-length=64k";
        using Arena arena = NewArena(2, 1);
        using AeronSubscription a = Sub(Channel, arena), b = Sub(Channel, arena);
        using AeronPublication pub = Pub(Channel, arena);
        Assert.True(pub.IsMulticast && a.IsMulticast);
        Assert.Equal(IPEndPoint.Parse("239.192.86.2:26866"), pub.ControlEndPoint);
        Assert.Equal(IPEndPoint.Parse("239.192.86.2:26866"), a.ControlEndPoint);
        var ha = new Ordered();
        var hb = new Ordered();
        Assert.True(Until(() => pub.IsConnected && pub.ReceiverCount == 2 && a.ImageCount == 1 && b.ImageCount == 1,
                          () => { pub.DoWork(); a.Poll(ref ha, 10); b.Poll(ref hb, 10); }), "two receivers did not join the group within 5 s");

        const long Count = 20_000;
        byte[] buffer = new byte[4096];
        long seq = 0;
        long deadline = MonoClock.NowNs() + 30_000_000_000;
        while ((ha.Messages < Count || hb.Messages < Count) && MonoClock.NowNs() < deadline)
        {
            for (int i = 0; i < 16 && seq < Count; i++)
            {
                long r = Offer(pub, buffer, seq);
                if (r > 0) seq++;
                else if (r == AeronOfferResult.BackPressured) break;
                else Assert.Fail($"offer returned {r}");
            }
            pub.DoWork();
            a.Poll(ref ha, 256);
            b.Poll(ref hb, 256);
        }
        Assert.Equal((0L, Count, 0L, Count), (ha.First, ha.Messages, hb.First, hb.Messages));
        Assert.Equal((0L, 0L), (ha.Errors, hb.Errors));
        Assert.True(a.FindImage(pub.SessionId)!.SubscriberPosition > 10L * Term, "too few terms for a rollover test");
        Assert.Equal(2, pub.ReceiverCount);
        Assert.Equal(0, a.Rejects.Total - a.Rejects.Duplicate);
        Assert.NotEqual(a.ReceiverId, b.ReceiverId);
    }

    [Fact]
    public void Min_flow_control_waits_for_the_slowest_receiver_and_drops_one_that_goes_silent()
    {
        const string Channel = "aeron:udp?endpoint=239.192.86.3:26867|interface=127.0.0.1|term-length=64k|fc=min,t:3s,g:/2";
        using Arena arena = NewArena(2, 1);
        using AeronSubscription fast = Sub(Channel, arena);
        AeronSubscription slow = Sub(Channel, arena);
        using AeronPublication pub = Pub(Channel, arena);
        var hf = new Ordered();
        var hs = new Ordered();
        Assert.False(pub.IsConnected);
        Assert.True(Until(() => pub.IsConnected, () => { pub.DoWork(); fast.Poll(ref hf, 10); slow.Poll(ref hs, 10); }), "g:/2 never saw both receivers");
        Assert.Equal(2, pub.ReceiverCount);

        // The slow receiver stops polling: its last SM pins the limit to its position + window (32 KiB for a 64 KiB term).
        long pinned = slow.FindImage(pub.SessionId)!.LastStatusPosition + Term / 2;
        byte[] buffer = new byte[4096];
        long seq = 0;
        long stop = MonoClock.NowNs() + 200_000_000;                // well inside t:3s (1 s let a stalled host drop it early), so the slow one still counts
        for (int i = 0; i < 2000 && MonoClock.NowNs() < stop; i++)
        {
            if (Offer(pub, buffer, seq) > 0) seq++;
            pub.DoWork();
            fast.Poll(ref hf, 256);
        }
        Assert.True(pub.SenderPosition <= pinned, $"sender at {pub.SenderPosition}, past the slow receiver's limit {pinned}");
        Assert.True(seq < 2000, "offers never back-pressured");

        // It resumes: everything reaches both.
        long count = seq;
        Assert.True(Until(() => hs.Messages == count && hf.Messages == count, () => { pub.DoWork(); fast.Poll(ref hf, 256); slow.Poll(ref hs, 256); }, 0));
        Assert.Equal((0L, 0L), (hf.Errors, hs.Errors));

        // It vanishes: after t:3s it no longer holds the publication back, but with g:/2 the publication is not connected.
        slow.Dispose();
        Assert.True(Until(() => pub.ReceiverCount == 1, () => { pub.DoWork(); fast.Poll(ref hf, 256); }, timeoutNs: 15_000_000_000), "the silent receiver was never dropped");
        Assert.Equal(1, pub.ReceiversLeft);
        Assert.False(pub.IsConnected);
        Assert.Equal(AeronOfferResult.NotConnected, Offer(pub, buffer, seq));
    }

    [Fact]
    public void A_late_joiner_elicits_a_setup_and_joins_at_the_live_position()
    {
        const string Channel = "aeron:udp?endpoint=239.192.86.5:26868|interface=127.0.0.1|term-length=64k";
        using Arena arena = NewArena(2, 1);
        using AeronSubscription early = Sub(Channel, arena);
        using AeronPublication pub = Pub(Channel, arena);
        var he = new Ordered();
        var hl = new Ordered();
        Assert.True(Until(() => pub.IsConnected, () => { pub.DoWork(); early.Poll(ref he, 10); }));
        byte[] buffer = new byte[4096];
        long seq = 0;
        void Stream(long until, AeronSubscription? late)
        {
            long deadline = MonoClock.NowNs() + 10_000_000_000;
            while ((he.Next < until || (late is not null && hl.Next < until)) && MonoClock.NowNs() < deadline)
            {
                if (seq < until && Offer(pub, buffer, seq) > 0) seq++;
                pub.DoWork();
                early.Poll(ref he, 256);
                late?.Poll(ref hl, 256);
            }
        }
        Stream(3000, null);
        using AeronSubscription late = Sub(Channel, arena);
        long setups = pub.SetupsSent;
        Stream(9000, late);
        Assert.Equal((0L, 9000L, 0L), (he.First, he.Next, he.Errors));
        Assert.True(late.SetupsElicited >= 1, "the late joiner never asked for a SETUP");
        Assert.True(pub.SetupsSent > setups);
        Assert.True(hl.First >= 3000 && hl.Next == 9000 && hl.Errors == 0, $"late joiner: first {hl.First}, next {hl.Next}, errors {hl.Errors}");
        Assert.True(late.FindImage(pub.SessionId)!.JoinPosition > 0);
        Assert.Equal(2, pub.ReceiverCount);
    }

    [Fact]
    public void Two_publishers_feed_one_subscriber_each_in_order_and_a_vanished_one_times_out()
    {
        const string Channel = "aeron:udp?endpoint=127.0.0.1:26860|term-length=64k";
        using Arena arena = NewArena(1, 2);
        using AeronSubscription sub = Sub(Channel, arena, maxImages: 2, liveness: TimeSpan.FromMilliseconds(300));
        using AeronPublication p1 = Pub(Channel, arena);
        AeronPublication p2 = Pub(Channel, arena);
        var h = new PerSession { SessionA = p1.SessionId, SessionB = p2.SessionId };
        Assert.True(Until(() => p1.IsConnected && p2.IsConnected, () => { p1.DoWork(); p2.DoWork(); sub.Poll(ref h, 10); }));
        Assert.Equal(2, sub.ImageCount);
        byte[] buffer = new byte[4096];
        long s1 = 0, s2 = 0;
        const long Count = 5000;
        long deadline = MonoClock.NowNs() + 20_000_000_000;
        while ((h.NextA < Count || h.NextB < Count) && MonoClock.NowNs() < deadline)
        {
            if (s1 < Count && Offer(p1, buffer, s1) > 0) s1++;
            if (s2 < Count && Offer(p2, buffer, s2) > 0) s2++;
            p1.DoWork();
            p2.DoWork();
            sub.Poll(ref h, 256);
        }
        Assert.Equal((Count, Count, 0L), (h.NextA, h.NextB, h.Errors));

        // p2 goes away without closing (no EOS): its image times out; p1's lives on.
        p2.Dispose();
        Assert.True(Until(() => sub.ImagesTimedOut == 1, () => { p1.DoWork(); sub.Poll(ref h, 10); }, 5), "the silent image never timed out");
        Assert.Equal(1, sub.ImageCount);
        Assert.NotNull(sub.FindImage(p1.SessionId));
        Assert.Null(sub.FindImage(p2.SessionId));
    }

    [Fact]
    public void Unreliable_subscription_fills_gaps_skips_lost_messages_and_reports_the_loss()
    {
        var subEndpoint = new IPEndPoint(IPAddress.Loopback, 26864);
        using var relay = new AeronRelay(26865, subEndpoint, dropEvery: 50);
        using Arena arena = NewArena(1, 1);
        using AeronSubscription sub = Sub("aeron:udp?endpoint=127.0.0.1:26864|reliable=false|term-length=64k", arena);
        using AeronPublication pub = Pub("aeron:udp?endpoint=127.0.0.1:26865|term-length=64k", arena);
        var h = new Increasing();
        Assert.True(Until(() => pub.IsConnected, () => { pub.DoWork(); relay.Pump(); sub.Poll(ref h, 10); relay.Pump(); }));
        byte[] buffer = new byte[4096];
        const long Count = 8000;
        long seq = 0;
        long deadline = MonoClock.NowNs() + 20_000_000_000;
        // Until everything offered was consumed, gaps included (a lost last datagram shows only through a heartbeat).
        while ((seq < Count || sub.FindImage(pub.SessionId)?.SubscriberPosition != pub.Position) && MonoClock.NowNs() < deadline)
        {
            if (seq < Count && Offer(pub, buffer, seq) > 0) seq++;
            pub.DoWork();
            relay.Pump();
            sub.Poll(ref h, 256);
            relay.Pump();
            if (seq == Count) Thread.Sleep(1);                 // the tail: a heartbeat reveals a lost last datagram
        }
        Assert.Equal(pub.Position, sub.FindImage(pub.SessionId)!.SubscriberPosition);
        Assert.InRange(h.Last, Count - 200, Count - 1);
        Assert.Equal(0, h.Errors);
        Assert.True(relay.Dropped > 10, $"only {relay.Dropped} datagrams dropped");
        Assert.True(h.Messages < Count, "nothing was lost, so nothing was skipped");
        Assert.Equal(0, sub.NaksSent);
        Assert.Equal(0, pub.Retransmits);
        Assert.True(sub.GapsFilled >= relay.Dropped / 2, $"{sub.GapsFilled} gaps filled for {relay.Dropped} drops");
        AeronLossReport report = sub.LossReport;
        Assert.Equal(1, report.Count);
        Assert.Equal((pub.SessionId, 21, sub.GapsFilled), (report[0].SessionId, report[0].StreamId, report[0].Observations));
        Assert.Equal(report.BytesLost, report[0].BytesLost);
        Assert.True(report[0].BytesLost >= report[0].Observations * 32 && report[0].LastNs >= report[0].FirstNs);
        Assert.Throws<ArgumentOutOfRangeException>(() => report[1]);
    }

    private struct Count : IAeronMessageHandler
    {
        public long Messages;
        public void OnMessage(ReadOnlySpan<byte> message, in AeronHeader header) => Messages++;
    }

    [Fact]
    public void Multicast_offer_and_poll_allocate_nothing_per_message_after_warm_up()
    {
        const string Channel = "aeron:udp?endpoint=239.192.86.7:26869|interface=127.0.0.1|term-length=64k|fc=min";
        using Arena arena = NewArena(1, 1);
        using AeronSubscription sub = Sub(Channel, arena);
        using AeronPublication pub = Pub(Channel, arena);
        var h = new Count();
        Assert.True(Until(() => pub.IsConnected, () => { pub.DoWork(); sub.Poll(ref h, 10); }));
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
        long warm = MonoClock.NowNs() + 300_000_000;                  // every periodic path (200 ms SMs, heartbeats) once
        while (MonoClock.NowNs() < warm) Run(1_000);
        long warmed = h.Messages;
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(20_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(warmed + 20_000, h.Messages);
        // Less than one byte per message: nothing is allocated per message (the smallest object is 24 bytes, so even one
        // allocation per 1,000 messages would show as 480 bytes and more). Unlike the unicast test this is not exactly 0:
        // about one run in three under vstest shows a single 56-byte allocation on this thread, not yet traced (a path
        // taken once, such as the first NAK of a multicast gap; see perf/RESULTS.md, issue 13).
        Assert.InRange(allocated, 0, 20_000 / 24 - 1);
    }

    [Fact]
    public void Group_nak_delay_is_spread_below_the_maximum_backoff_with_few_short_ones()
    {
        const long Max = 10_000_000;
        Assert.Equal(0, AeronSubscription.GroupNakDelayNs(Max, 0));
        long previous = -1;
        int belowHalf = 0;
        for (int i = 0; i < 1000; i++)
        {
            long d = AeronSubscription.GroupNakDelayNs(Max, i / 1000.0);
            Assert.InRange(d, previous, Max - 1);                         // monotonic in the draw, never the full backoff
            previous = d;
            if (d < Max / 2) belowHalf++;
        }
        Assert.True(AeronSubscription.GroupNakDelayNs(Max, 0.999999) > Max * 99 / 100);
        // P(delay < T/2) = 1 / (e^(λ/2) + 1) ≈ 0.16: few receivers NAK early, and their NAK stands for the rest.
        Assert.InRange(belowHalf, 140, 180);
    }

    [Fact]
    public void Multicast_subscription_ignores_other_receivers_control_frames_and_sends_its_own_to_the_control_group()
    {
        using Arena arena = NewArena(1, 0);
        using AeronSubscription sub = Sub("aeron:udp?endpoint=239.192.86.9:26870|interface=127.0.0.1|term-length=64k", arena);
        SocketAddress from = new IPEndPoint(IPAddress.Loopback, 9).Serialize();
        long now = MonoClock.NowNs();
        var sm = new byte[36];
        StatusMessageFrame.Write(sm, 0, 1, 21, 0, 0, 0, 99);
        var nak = new byte[28];
        NakFrame.Write(nak, 1, 21, 0, 0, 32);
        sub.OnDatagram(sm, from, now);
        sub.OnDatagram(nak, from, now);
        Assert.Equal((2L, 0L), (sub.PeerControlFrames, sub.Rejects.Unsupported));
        Assert.Equal(IPEndPoint.Parse("239.192.86.10:26870"), sub.ControlEndPoint);
    }
}
