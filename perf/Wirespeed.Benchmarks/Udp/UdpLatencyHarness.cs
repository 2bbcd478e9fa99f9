using System;
using System.Globalization;
using System.IO;
using System.Collections.Generic;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Sim;
using Wirespeed.Feeds.Udp;

namespace Wirespeed.Benchmarks.Udp;

/// <summary>
/// A small harness, outside BenchmarkDotNet, for the two UDP figures perf/RESULTS.md records per transport:
/// receive capacity by the drain method, and one-way latency percentiles with the host's steal time beside them.
/// Bounded in count and time; one thread (never two spinners, PLATFORM.md).
/// </summary>
public static class UdpLatencyHarness
{
    private struct StampHandler : IPacketHandler
    {
        public long Packets;
        public long KernelRxNs;
        public long DeliveredNs;

        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
        {
            KernelRxNs = info.ReceiveTimestampNs;
            DeliveredNs = MonoClock.NowNs();
            Packets++;
        }
    }

    /// <summary>
    /// Sends <paramref name="count"/> single packets one at a time, each received before the next is sent; returns the
    /// percentiles of send → delivery to the handler, with send → kernel stamp (the transport's own stamp; for
    /// RecvPerPacket the harvest time) and io_uring system calls per packet in the note.
    /// </summary>
    /// <remarks>One thread sends and receives, so on loopback the kernel's receive work runs inside this thread's send
    /// system call; with COOP_TASKRUN even the io_uring completion is posted on that call's way out. The demo path
    /// (another thread sends) is the two-thread comparison.</remarks>
    public static LatencyFigures OneWay(UdpBenchKind kind, int count = 20_000, int port = 43_000)
    {
        using var rx = new UdpBenchTransport(kind, "239.255.93.1", port + (int)kind);
        using var tx = new UdpBatchSender(rx.Destination, batch: 1);
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 3 }), maxPayload: 200);
        var stamp = new long[count];
        var deliver = new long[count];
        var h = new StampHandler();
        int n = 0;
        ulong enters0 = 0;
        for (int i = 0; i < count + 1_000; i++) // the first 1000 warm up
        {
            if (i == 1_000) enters0 = rx.Enters;
            ReadOnlySpan<byte> p = feed.NextPacket();
            long target = h.Packets + 1;
            long t0 = MonoClock.NowNs();
            tx.Add(p);
            tx.Flush();
            long deadline = t0 + 1_000_000_000;
            while (h.Packets < target && MonoClock.NowNs() < deadline) rx.Poll(ref h, 8);
            if (i < 1_000 || h.Packets < target) continue;
            stamp[n] = h.KernelRxNs - t0;
            deliver[n] = h.DeliveredNs - t0;
            n++;
        }
        var s = LatencyFigures.Of(stamp, n);
        string note = string.Create(CultureInfo.InvariantCulture,
            $"send->stamp p50 {s.P50Ns}; uring enters/packet {(n > 0 ? (rx.Enters - enters0) / (double)n : 0):F2}");
        return LatencyFigures.Of(deliver, n, note);
    }

    /// <summary>Every kind, interleaved for <paramref name="rounds"/> rounds (see <see cref="InterleavedRounds"/>).</summary>
    public static string OneWayRounds(int rounds, int count, TextWriter progress)
    {
        var variants = new List<(string, Func<LatencyFigures>)>();
        foreach (var kind in Enum.GetValues<UdpBenchKind>())
        {
            var k = kind;
            variants.Add((k.ToString(), () => OneWay(k, count)));
        }
        return InterleavedRounds.Run(rounds, variants, progress);
    }

    /// <summary>Queues <paramref name="packets"/> in the socket, then times the drain; packets/s and messages/s.</summary>
    /// <remarks>2,000 full packets fit the 8 MiB receive buffer the recv() baseline gets without CAP_NET_ADMIN (about
    /// 2.5 KiB of buffer accounting each); 20,000 overflowed it and left the baseline without a figure.</remarks>
    public static string Capacity(UdpBenchKind kind, int packets = 2_000, int rounds = 10, int port = 43_100)
    {
        using var rx = new UdpBenchTransport(kind, "239.255.93.2", port + (int)kind);
        using var tx = new UdpBatchSender(rx.Destination, batch: 64, sendBufferBytes: 16 << 20);
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 4 }));
        double best = 0, bestMsgs = 0;
        long lost = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < packets; i++) tx.Add(feed.NextPacket());
            tx.Flush();
            var h = new CountingPacketHandler();
            long t0 = MonoClock.NowNs();
            long deadline = t0 + 5_000_000_000;
            while (h.Packets < packets && MonoClock.NowNs() < deadline) rx.Poll(ref h, 64);
            long ns = MonoClock.NowNs() - t0;
            lost += packets - h.Packets;
            double pps = h.Packets * 1e9 / ns;
            if (pps > best) { best = pps; bestMsgs = h.Messages * 1e9 / ns; }
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"{kind,-13} drain best of {rounds}: {best / 1e6:F2} M packets/s, {bestMsgs / 1e6:F2} M messages/s, lost {lost} (rcvbuf granted {rx.GrantedBytes} B)");
    }
}
