using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Runtime.InteropServices;
using System.Threading;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Sim;
using Wirespeed.Feeds.Udp;
using Wirespeed.Interop;
using Wirespeed.Interop.Abi;

namespace Wirespeed.Benchmarks.Udp;

/// <summary>Transports measured over a veth pair (the sender in its own network namespace).</summary>
public enum VethBenchKind { XdpSkb, XdpDrv, Uring, Mmsg, RecvPerPacket }

/// <summary>
/// Root only. Creates a network namespace and a veth pair (names unique to this process, removed afterwards), sends
/// simulator packets from inside the namespace and receives them here through each transport: one-way percentiles
/// (send → delivery to the handler, one thread, no concurrent spinning) and drain capacity. AF_XDP frames carry no
/// kernel stamp, so delivery time is the comparable figure across transports.
/// </summary>
public static class UdpVethHarness
{
    private const string Group = "239.255.94.1";
    private const int Port = 26_494;

    private struct Handler : IPacketHandler
    {
        public long Packets;
        public long Messages;
        public long DeliveredNs;

        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
        {
            DeliveredNs = MonoClock.NowNs();
            if (payload.Length >= 20) Messages += (ushort)(payload[18] << 8 | payload[19]);
            Packets++;
        }
    }

    /// <summary>Measures every kind; returns one line per kind.</summary>
    public static string RunAll(int oneWayCount = 20_000, int drainPackets = 2_000)
    {
        var sb = new System.Text.StringBuilder();
        foreach (VethBenchKind kind in Enum.GetValues<VethBenchKind>())
        {
            try { sb.AppendLine(Run(kind, oneWayCount, drainPackets)); }
            catch (Exception e) { sb.AppendLine($"{kind}: failed: {e.Message}"); }
        }
        return sb.ToString();
    }

    public static string Run(VethBenchKind kind, int oneWayCount, int drainPackets)
    {
        string id = (Environment.ProcessId % 10_000).ToString(CultureInfo.InvariantCulture);
        string ns = "wsp" + id, a = "wsp" + id + "a", b = "wsp" + id + "b", subnet = "10.99." + (Environment.ProcessId % 250);
        Cleanup(ns, a);
        try
        {
            Ip($"netns add {ns}");
            Ip($"link add {a} numrxqueues 1 numtxqueues 1 type veth peer name {b} numrxqueues 1 numtxqueues 1");
            Ip($"link set {b} netns {ns}");
            Ip($"addr add {subnet}.1/24 dev {a}");
            Ip($"link set {a} up");
            Ip($"-n {ns} addr add {subnet}.2/24 dev {b}");
            Ip($"-n {ns} link set {b} up");
            using var arena = Arena.Create("arena.bench.veth", new ArenaOptions { SizeBytes = 128L << 20, HugePages = false, Lock = false }, new MemoryRegistry(1L << 32));
            var udp = new UdpOptions { Group = Group, Port = Port, Interface = subnet + ".1", ReceiveBufferBytes = 64 << 20 };
            IDisposable source = kind switch
            {
                VethBenchKind.XdpSkb => new XdpUdpSource(udp, new XdpOptions { InterfaceName = a, Mode = XdpMode.Skb, FrameCount = 8192 }, arena),
                VethBenchKind.XdpDrv => new XdpUdpSource(udp, new XdpOptions { InterfaceName = a, Mode = XdpMode.Drv, FrameCount = 8192 }, arena),
                VethBenchKind.Uring => new UringUdpSource(udp, new UringOptions { BufferCount = 8192 }, arena),
                VethBenchKind.Mmsg => new MmsgUdpSource(udp, arena),
                _ => new UdpSocketSource(udp),
            };
            using (source)
            {
                using var tx = InNamespace(ns, () => new UdpBatchSender(new IPEndPoint(IPAddress.Parse(Group), Port), IPAddress.Parse(subnet + ".2"), ttl: 1, batch: 64));
                var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 5 }), maxPayload: 200);
                var h = new Handler();
                var lat = new long[oneWayCount];
                int n = 0;
                for (int i = 0; i < oneWayCount + 1_000; i++)
                {
                    long target = h.Packets + 1;
                    long t0 = MonoClock.NowNs();
                    tx.Add(feed.NextPacket());
                    tx.Flush();
                    long deadline = t0 + 1_000_000_000;
                    while (h.Packets < target && MonoClock.NowNs() < deadline) Poll(source, ref h);
                    if (i >= 1_000 && h.Packets >= target) lat[n++] = h.DeliveredNs - t0;
                }
                Array.Sort(lat, 0, n);
                // Drain: queue, then time the receive of the batch (big packets now).
                var big = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 6 }));
                double best = 0, bestMsgs = 0;
                for (int r = 0; r < 5; r++)
                {
                    for (int i = 0; i < drainPackets; i++) tx.Add(big.NextPacket());
                    tx.Flush();
                    var d = new Handler();
                    long t0 = MonoClock.NowNs();
                    while (d.Packets < drainPackets && MonoClock.NowNs() < t0 + 5_000_000_000) Poll(source, ref d);
                    long ns2 = MonoClock.NowNs() - t0;
                    if (d.Packets * 1e9 / ns2 > best) { best = d.Packets * 1e9 / ns2; bestMsgs = d.Messages * 1e9 / ns2; }
                }
                string extra = source is XdpUdpSource x ? $" ({x.ModeReason}; other frames dropped {x.Frames.Rejected})" : "";
                return string.Create(CultureInfo.InvariantCulture,
                    $"{kind,-13} veth one-way n={n} min {lat[0]} p50 {lat[n / 2]} p99 {lat[(int)(n * 0.99)]} p99.9 {lat[(int)(n * 0.999)]} ns; drain {best / 1e6:F2} M packets/s {bestMsgs / 1e6:F1} M msgs/s{extra}");
            }
        }
        finally
        {
            Cleanup(ns, a);
        }
    }

    private static void Poll(IDisposable source, ref Handler h)
    {
        switch (source)
        {
            case XdpUdpSource x: x.Poll(ref h, 64); break;
            case UringUdpSource u: u.Poll(ref h, 64); break;
            case MmsgUdpSource m: m.Poll(ref h, 64); break;
            case UdpSocketSource s: s.Poll(ref h, 64); break;
        }
    }

    private static T InNamespace<T>(string ns, Func<T> action)
    {
        T? result = default;
        Exception? error = null;
        var t = new Thread(() =>
        {
            try
            {
                using var f = File.OpenHandle("/run/netns/" + ns, FileMode.Open, FileAccess.Read);
                if (Libc.SetNs((int)f.DangerousGetHandle(), Libc.CloneNewNet) != 0)
                    throw new InvalidOperationException($"setns failed: errno {Marshal.GetLastSystemError()}");
                result = action();
            }
            catch (Exception e) { error = e; }
        });
        t.Start();
        t.Join();
        if (error is not null) throw new InvalidOperationException("namespace setup failed", error);
        return result!;
    }

    private static void Cleanup(string ns, string a)
    {
        Run("ip", $"netns del {ns}");
        Run("ip", $"link del {a}");
    }

    private static void Ip(string args)
    {
        if (Run("ip", args) != 0) throw new InvalidOperationException("ip " + args + " failed");
    }

    private static int Run(string file, string args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        return p.WaitForExit(10_000) ? p.ExitCode : -1;
    }
}
