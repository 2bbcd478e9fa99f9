using System;
using System.Net;
using System.Threading;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Aeron;

namespace Wirespeed.Benchmarks.Aeron;

/// <summary>
/// <c>aeron [seconds]</c>: Wirespeed's Aeron publication → subscription over loopback UDP, the shape of Aeron's C samples
/// (a streaming publisher and a rate subscriber, each on its own thread): 32-byte messages per second; then ping-pong
/// (two channels, one echo thread) round trips with p50/p99/p99.9/max. Not a micro-benchmark: a harness that prints.
/// </summary>
internal static class AeronHarness
{
    private const int Term = 1 << 20;

    private struct Counter : IAeronMessageHandler
    {
        public long Messages;
        public void OnMessage(ReadOnlySpan<byte> message, in AeronHeader header) => Messages++;
    }

    private struct Echo : IAeronMessageHandler
    {
        public AeronPublication Reply;
        public long Echoed;
        public void OnMessage(ReadOnlySpan<byte> message, in AeronHeader header)
        {
            while (Reply.Offer(message) < 0) Reply.DoWork();
            Echoed++;
        }
    }

    private struct Stamp : IAeronMessageHandler
    {
        public long Received;
        public long LastStamp;
        public void OnMessage(ReadOnlySpan<byte> message, in AeronHeader header)
        {
            LastStamp = BitConverter.ToInt64(message);
            Received++;
        }
    }

    private static Arena NewArena() => Arena.Create("bench.aeron", new ArenaOptions { SizeBytes = 4 * AeronTermLog.ArenaBytes(Term) + 65536, HugePages = false, Lock = false, Prefault = true }, new MemoryRegistry(0));

    private static void Connect(AeronPublication pub, AeronSubscription sub)
    {
        var c = new Counter();
        long deadline = MonoClock.NowNs() + 5_000_000_000;
        while (!pub.IsConnected && MonoClock.NowNs() < deadline) { pub.DoWork(); sub.Poll(ref c, 10); Thread.Sleep(1); }
        if (!pub.IsConnected) throw new InvalidOperationException("no status message within 5 s");
    }

    public static string Run(double seconds)
    {
        using Arena forThroughput = NewArena();
        using Arena forPingPong = NewArena();                          // each phase keeps its logs: 4 terms-logs each at most
        return Throughput(forThroughput, seconds) + Environment.NewLine + PingPong(forPingPong, 200_000);
    }

    private static string Throughput(Arena arena, double seconds)
    {
        const string Channel = "aeron:udp?endpoint=127.0.0.1:40471|term-length=1m";
        using var sub = new AeronSubscription(AeronSubscriptionOptions.FromChannel(Channel, 1) with { MaxImages = 1 }, arena);
        using var pub = new AeronPublication(AeronPublicationOptions.FromChannel(Channel, 1), arena);
        Connect(pub, sub);
        var stop = 0;
        long offered = 0, backPressured = 0;
        var publisher = new Thread(() =>
        {
            byte[] msg = new byte[32];
            while (Volatile.Read(ref stop) == 0)
            {
                if (pub.Offer(msg) > 0) offered++;
                else { backPressured++; pub.DoWork(); }
            }
            pub.DoWork();
        }) { IsBackground = true, Name = "aeron-pub" };
        var counter = new Counter();
        long allocBefore = GC.GetAllocatedBytesForCurrentThread();
        publisher.Start();
        long warmEnd = MonoClock.NowNs() + 1_000_000_000;
        while (MonoClock.NowNs() < warmEnd) sub.Poll(ref counter, 256);
        long start = MonoClock.NowNs();
        long startCount = counter.Messages;
        long end = start + (long)(seconds * 1e9);
        allocBefore = GC.GetAllocatedBytesForCurrentThread();
        while (MonoClock.NowNs() < end) sub.Poll(ref counter, 256);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocBefore;
        long received = counter.Messages - startCount;
        double elapsed = (MonoClock.NowNs() - start) / 1e9;
        Volatile.Write(ref stop, 1);
        publisher.Join();
        return $"aeron throughput, 32-byte messages, unicast loopback, publisher and subscriber threads: {received / elapsed:N0} msg/s " +
               $"({received * 32 / elapsed / 1e6:0.0} MB/s payload) over {elapsed:0.0} s; subscriber allocated {allocated} bytes; " +
               $"{sub.NaksSent} NAKs, {pub.Retransmits} retransmits, {backPressured:N0} back-pressured offers";
    }

    private static string PingPong(Arena arena, int rounds)
    {
        const string PingChannel = "aeron:udp?endpoint=127.0.0.1:40473|term-length=1m";
        const string PongChannel = "aeron:udp?endpoint=127.0.0.1:40475|term-length=1m";
        using var pingSub = new AeronSubscription(AeronSubscriptionOptions.FromChannel(PingChannel, 2) with { MaxImages = 1 }, arena);
        using var pingPub = new AeronPublication(AeronPublicationOptions.FromChannel(PingChannel, 2), arena);
        using var pongSub = new AeronSubscription(AeronSubscriptionOptions.FromChannel(PongChannel, 3) with { MaxImages = 1 }, arena);
        using var pongPub = new AeronPublication(AeronPublicationOptions.FromChannel(PongChannel, 3), arena);
        Connect(pingPub, pingSub);
        Connect(pongPub, pongSub);
        var stop = 0;
        var echoer = new Thread(() =>
        {
            var echo = new Echo { Reply = pongPub };
            while (Volatile.Read(ref stop) == 0)
            {
                pingSub.Poll(ref echo, 16);
                pongPub.DoWork();
            }
        }) { IsBackground = true, Name = "aeron-echo" };
        echoer.Start();
        const int Warmup = 20_000;
        long[] rtt = new long[rounds];
        byte[] msg = new byte[32];
        var stamp = new Stamp();
        for (int i = -Warmup; i < rounds; i++)
        {
            long t0 = MonoClock.NowNs();
            BitConverter.TryWriteBytes(msg, t0);
            while (pingPub.Offer(msg) < 0) pingPub.DoWork();
            long want = stamp.Received + 1;
            long deadline = t0 + 1_000_000_000;
            while (stamp.Received < want && MonoClock.NowNs() < deadline)
            {
                pongSub.Poll(ref stamp, 16);
                pingPub.DoWork();
            }
            long t1 = MonoClock.NowNs();
            if (i >= 0) rtt[i] = t1 - t0;
        }
        Volatile.Write(ref stop, 1);
        echoer.Join();
        Array.Sort(rtt);
        long P(double q) => rtt[Math.Min(rtt.Length - 1, (int)(q * rtt.Length))];
        return $"aeron ping-pong, 32-byte messages, unicast loopback, two threads: {rounds:N0} round trips after {Warmup:N0} warm-up: " +
               $"p50 {P(0.50) / 1000.0:0.0} µs, p99 {P(0.99) / 1000.0:0.0} µs, p99.9 {P(0.999) / 1000.0:0.0} µs, max {rtt[^1] / 1000.0:0.0} µs";
    }
}
