using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using HdrHistogram;
using Wirespeed.Core.Monitoring;
using Wirespeed.Feeds.Fix;
using Wirespeed.Feeds.Fix.Session;
using Wirespeed.Feeds.Fix.Session.Tcp;

namespace Wirespeed.Benchmarks.Fix;

/*
 * Order round trip between two Wirespeed FIX sessions over loopback TCP (DotNetty), one order in flight at a time:
 * the initiator's thread stamps the clock, sends NewOrderSingle (D); the acceptor's application answers each D with
 * an ExecutionReport (8); the initiator's application stamps the clock again when the 8 arrives and wakes the sender.
 * The figure is therefore session encode + store + DotNetty write + loopback + DotNetty read + framing + parse + session
 * checks, twice, plus one thread wake-up. In-memory stores (no fsync), and a hiccup meter beside it (PLATFORM.md:
 * tails on this VM measure the host).
 */

/// <summary><c>fix-roundtrip [orders]</c>: p50/p99/p99.9 of D → 8 over loopback between two Wirespeed sessions.</summary>
public static class FixRoundTripHarness
{
    private const int Port = 26479;       // not a test port: the harness never runs beside the tests

    internal readonly struct Order(long id) : IFixBody
    {
        public void Write(ref FixWriter w)
        {
            w.Int(11, id);                                       // ClOrdID: a String of digits
            w.Bytes(55, "EUR/USD"u8);
            w.Char(54, (byte)'1');
            w.Timestamp(60, 1_800_000_000_000_000_000);
            w.Int(38, 100);
            w.Char(40, (byte)'2');
            w.Fixed(44, 18_250, 4);
        }
    }

    internal readonly struct Ack(byte[] clOrdId) : IFixBody
    {
        public void Write(ref FixWriter w)
        {
            w.Bytes(37, clOrdId);
            w.Bytes(17, clOrdId);
            w.Bytes(11, clOrdId);
            w.Char(150, (byte)'0');
            w.Char(39, (byte)'0');
            w.Bytes(55, "EUR/USD"u8);
            w.Char(54, (byte)'1');
            w.Int(38, 100);
            w.Int(151, 100);
            w.Int(14, 0);
            w.Int(6, 0);
        }
    }

    internal sealed class Exchange : IFixApplication
    {
        public void OnLogon(FixSession session) { }
        public void OnLogout(FixSession session, string reason) { }
        public void OnMessage(FixSession session, FixView message)
        {
            if (!message.TryGet(11, out var id)) return;
            var ack = new Ack(id.ToArray());
            session.Send("8"u8, ref ack);
        }
    }

    private sealed class Trader : IFixApplication
    {
        public readonly ManualResetEventSlim Acked = new(false, spinCount: 0);
        public long AckedAt;
        public void OnLogon(FixSession session) { }
        public void OnLogout(FixSession session, string reason) { }
        public void OnMessage(FixSession session, FixView message)
        {
            AckedAt = Stopwatch.GetTimestamp();
            Acked.Set();
        }
    }

    public static string Run(int orders, TextWriter progress)
    {
        var histogram = new LongHistogram(1, 10_000_000_000L, 3);
        var trader = new Trader();
        var server = new FixEngine(tickMs: 100);
        server.Add(new FixSessionOptions { SenderCompId = "EXCH", TargetCompId = "TRADER", Role = FixSessionRole.Acceptor, Port = Port }, new Exchange());
        server.StartAsync().GetAwaiter().GetResult();
        var client = new FixEngine(tickMs: 100);
        var session = client.Add(new FixSessionOptions
        {
            SenderCompId = "TRADER", TargetCompId = "EXCH", Role = FixSessionRole.Initiator, Port = Port, ReconnectMinMs = 50,
        }, trader);
        client.StartAsync().GetAwaiter().GetResult();
        var until = Stopwatch.StartNew();
        while (!session.IsLoggedOn && until.ElapsedMilliseconds < 10_000) Thread.Sleep(10);
        if (!session.IsLoggedOn) return "fix-roundtrip: the sessions did not log on within 10 s";

        long steal0 = Steal();
        using var meter = new HiccupMeter(1);
        meter.Start();
        int warmup = Math.Min(2_000, orders / 10), timeouts = 0;
        double nsPerTick = 1e9 / Stopwatch.Frequency;
        var wall = Stopwatch.StartNew();
        for (int i = 0; i < warmup + orders; i++)
        {
            trader.Acked.Reset();
            var order = new Order(i);
            long sent = Stopwatch.GetTimestamp();
            session.Send("D"u8, ref order);
            if (!trader.Acked.Wait(5_000)) { timeouts++; continue; }
            if (i >= warmup) histogram.RecordValue(Math.Max(1, (long)((trader.AckedAt - sent) * nsPerTick)));
            if (i > 0 && i % 10_000 == 0) progress.WriteLine($"fix-roundtrip: {i} orders");
        }
        wall.Stop();
        meter.Stop();
        long steal = Steal() - steal0;
        var hiccups = meter.Metrics.SampleInterval();
        client.StopAsync().GetAwaiter().GetResult();
        server.StopAsync().GetAwaiter().GetResult();

        var sb = new StringBuilder();
        sb.AppendLine($"fix-roundtrip: {histogram.TotalCount} round trips NewOrderSingle -> ExecutionReport over loopback TCP (DotNetty), one in flight, {warmup} warm-up, {timeouts} timeouts, {wall.Elapsed.TotalSeconds:F1} s");
        sb.AppendLine($"  round trip   p50 {Us(histogram, 50)}  p99 {Us(histogram, 99)}  p99.9 {Us(histogram, 99.9)}  max {histogram.GetMaxValue() / 1000.0:F1} us");
        sb.AppendLine($"  hiccup (1 ms sleeps) p50 {Us(hiccups, 50)}  p99 {Us(hiccups, 99)}  p99.9 {Us(hiccups, 99.9)}  max {hiccups.GetMaxValue() / 1000.0:F1} us; steal {steal} ticks over the run");
        return sb.ToString();
    }

    private static string Us(HistogramBase h, double percentile) => $"{h.GetValueAtPercentile(percentile) / 1000.0:F1} us";

    /// <summary>The steal column of /proc/stat's cpu line (USER_HZ ticks), or 0 where it cannot be read.</summary>
    private static long Steal()
    {
        try
        {
            var parts = File.ReadAllLines("/proc/stat")[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length > 8 ? long.Parse(parts[8]) : 0;
        }
        catch (IOException) { return 0; }
    }
}
