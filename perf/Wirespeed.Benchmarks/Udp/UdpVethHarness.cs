using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
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
public enum VethBenchKind { XdpSkb, XdpDrv, Uring, UringCoop, Mmsg, RecvPerPacket }

/// <summary>
/// Root only. Creates a network namespace and a veth pair (names unique to this process, removed afterwards), sends
/// simulator packets from inside the namespace and receives them here through each transport: one-way percentiles
/// (send → delivery to the handler, one thread, no concurrent spinning), interleaved over rounds, then drain capacity.
/// AF_XDP frames carry no kernel stamp, so delivery time is the comparable figure across transports.
/// </summary>
/// <remarks>One thread sends and receives: the veth transmit runs the receive side (XDP program, or the IP/UDP stack)
/// inside the send system call, so AF_XDP needs no receive system call at all, the socket paths one each, and io_uring
/// COOP_TASKRUN has its completion posted on the send call's way out.</remarks>
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

    /// <summary>The pair: receiver end <c>A</c> here (address .1), sender end in <c>Ns</c> (address .2).</summary>
    private sealed record Pair(string Ns, string A, string Subnet);

    /// <summary>One-way rounds over every kind, then one drain pass per kind; returns the summary.</summary>
    public static string RunAll(int rounds, TextWriter progress, int oneWayCount = 20_000, int drainPackets = 2_000)
    {
        string id = (Environment.ProcessId % 10_000).ToString(CultureInfo.InvariantCulture);
        var pair = new Pair("wsp" + id, "wsp" + id + "a", "10.99." + (Environment.ProcessId % 250));
        string b = "wsp" + id + "b";
        Cleanup(pair.Ns, pair.A);
        try
        {
            Ip($"netns add {pair.Ns}");
            Ip($"link add {pair.A} numrxqueues 1 numtxqueues 1 type veth peer name {b} numrxqueues 1 numtxqueues 1");
            Ip($"link set {b} netns {pair.Ns}");
            Ip($"addr add {pair.Subnet}.1/24 dev {pair.A}");
            Ip($"link set {pair.A} up");
            Ip($"-n {pair.Ns} addr add {pair.Subnet}.2/24 dev {b}");
            Ip($"-n {pair.Ns} link set {b} up");
            var variants = new List<(string, Func<LatencyFigures>)>();
            foreach (VethBenchKind kind in Enum.GetValues<VethBenchKind>())
            {
                var k = kind;
                variants.Add((k.ToString(), () => OneWay(pair, k, oneWayCount)));
            }
            var sb = new StringBuilder(InterleavedRounds.Run(rounds, variants, progress));
            foreach (VethBenchKind kind in Enum.GetValues<VethBenchKind>())
            {
                try { sb.AppendLine(Drain(pair, kind, drainPackets)); }
                catch (Exception e) { sb.AppendLine($"{kind}: drain failed: {e.Message}"); }
            }
            return sb.ToString();
        }
        finally
        {
            Cleanup(pair.Ns, pair.A);
        }
    }

    private static IDisposable Open(Pair pair, VethBenchKind kind, Arena arena)
    {
        var udp = new UdpOptions { Group = Group, Port = Port, Interface = pair.Subnet + ".1", ReceiveBufferBytes = 64 << 20 };
        return kind switch
        {
            VethBenchKind.XdpSkb => new XdpUdpSource(udp, new XdpOptions { InterfaceName = pair.A, Mode = XdpMode.Skb, FrameCount = 8192 }, arena),
            VethBenchKind.XdpDrv => new XdpUdpSource(udp, new XdpOptions { InterfaceName = pair.A, Mode = XdpMode.Drv, FrameCount = 8192 }, arena),
            VethBenchKind.Uring => new UringUdpSource(udp, new UringOptions { BufferCount = 8192 }, arena),
            VethBenchKind.UringCoop => new UringUdpSource(udp, new UringOptions { Setup = UringSetupFlags.CoopTaskRun, BufferCount = 8192 }, arena),
            VethBenchKind.Mmsg => new MmsgUdpSource(udp, arena),
            _ => new UdpSocketSource(udp),
        };
    }

    private static Arena NewArena() =>
        Arena.Create("arena.bench.veth", new ArenaOptions { SizeBytes = 128L << 20, HugePages = false, Lock = false }, new MemoryRegistry(1L << 32));

    private static UdpBatchSender Sender(Pair pair, int batch) =>
        InNamespace(pair.Ns, () => new UdpBatchSender(new IPEndPoint(IPAddress.Parse(Group), Port), IPAddress.Parse(pair.Subnet + ".2"), ttl: 1, batch: batch));

    /// <summary>Send one 200-byte packet, poll until it is delivered, repeat: percentiles of send → delivery.</summary>
    private static LatencyFigures OneWay(Pair pair, VethBenchKind kind, int count)
    {
        using var arena = NewArena();
        using var source = Open(pair, kind, arena);
        using var tx = Sender(pair, 64);
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 5 }), maxPayload: 200);
        var h = new Handler();
        var lat = new long[count];
        int n = 0;
        for (int i = 0; i < count + 1_000; i++)
        {
            long target = h.Packets + 1;
            long t0 = MonoClock.NowNs();
            tx.Add(feed.NextPacket());
            tx.Flush();
            long deadline = t0 + 1_000_000_000;
            while (h.Packets < target && MonoClock.NowNs() < deadline) Poll(source, ref h);
            if (i >= 1_000 && h.Packets >= target) lat[n++] = h.DeliveredNs - t0;
        }
        string note = source is XdpUdpSource x ? $"{x.ModeReason}; other frames dropped {x.Frames.Rejected}" : "";
        return LatencyFigures.Of(lat, n, note);
    }

    /// <summary>Queue <paramref name="packets"/> full packets, then time their receive; best of 5.</summary>
    private static string Drain(Pair pair, VethBenchKind kind, int packets)
    {
        using var arena = NewArena();
        using var source = Open(pair, kind, arena);
        using var tx = Sender(pair, 64);
        var big = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 6 }));
        double best = 0, bestMsgs = 0;
        for (int r = 0; r < 5; r++)
        {
            for (int i = 0; i < packets; i++) tx.Add(big.NextPacket());
            tx.Flush();
            var d = new Handler();
            long t0 = MonoClock.NowNs();
            while (d.Packets < packets && MonoClock.NowNs() < t0 + 5_000_000_000) Poll(source, ref d);
            long ns = MonoClock.NowNs() - t0;
            if (d.Packets * 1e9 / ns > best) { best = d.Packets * 1e9 / ns; bestMsgs = d.Messages * 1e9 / ns; }
        }
        return string.Create(CultureInfo.InvariantCulture, $"{kind,-13} veth drain {best / 1e6:F2} M packets/s {bestMsgs / 1e6:F1} M msgs/s");
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
