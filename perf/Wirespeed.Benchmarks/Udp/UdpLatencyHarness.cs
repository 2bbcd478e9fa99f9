using System;
using System.Globalization;
using System.IO;
using System.Text;
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

    /// <summary>Sends <paramref name="count"/> single packets one at a time; returns a one-line summary: percentiles of
    /// send→kernel stamp (the transport's own stamp; for RecvPerPacket the harvest time) and send→delivery, in ns.</summary>
    public static string OneWay(UdpBenchKind kind, int count = 20_000, int port = 43_000)
    {
        using var rx = new UdpBenchTransport(kind, "239.255.93.1", port + (int)kind);
        using var tx = new UdpBatchSender(rx.Destination, batch: 1);
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 3 }), maxPayload: 200);
        var stamp = new long[count];
        var deliver = new long[count];
        var h = new StampHandler();
        long steal0 = StealTicks();
        long wall0 = MonoClock.NowNs();
        int n = 0;
        for (int i = 0; i < count + 1_000; i++) // the first 1000 warm up
        {
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
        double stealPct = StealPercent(steal0, MonoClock.NowNs() - wall0);
        return $"{kind,-13} one-way n={n}  send->stamp {Percentiles(stamp, n)}  send->delivery {Percentiles(deliver, n)}  host steal {stealPct:F1}%";
    }

    /// <summary>Queues <paramref name="packets"/> in the socket, then times the drain; packets/s and messages/s.</summary>
    public static string Capacity(UdpBenchKind kind, int packets = 20_000, int rounds = 5, int port = 43_100)
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

    private static string Percentiles(long[] values, int n)
    {
        Array.Sort(values, 0, n);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"min {values[0]} p50 {values[n / 2]} p99 {values[(int)(n * 0.99)]} p99.9 {values[(int)(n * 0.999)]}");
        return sb.ToString();
    }

    // /proc/stat "cpu" line: user nice system idle iowait irq softirq steal ...; ticks of 10 ms (USER_HZ 100).
    private static long StealTicks()
    {
        try
        {
            string[] f = File.ReadAllLines("/proc/stat")[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(f[8], CultureInfo.InvariantCulture);
        }
        catch (IOException) { return 0; }
    }

    private static double StealPercent(long steal0, long wallNs) =>
        (StealTicks() - steal0) * 10_000_000.0 / (wallNs * (double)Environment.ProcessorCount) * 100;
}
