using System;
using BenchmarkDotNet.Running;
using Wirespeed.Benchmarks.Priority;
using Wirespeed.Benchmarks.Udp;

namespace Wirespeed.Benchmarks;

/// <summary>
/// BenchmarkDotNet suites (arguments pass to BenchmarkSwitcher, e.g. --filter '*Itch*'), plus three harnesses that are
/// not micro-benchmarks and print HdrHistogram percentiles:
/// <c>udp-latency [rounds]</c> (one-way latency per loopback transport, interleaved rounds), <c>udp-capacity</c> (drain rate per transport),
/// <c>udp-veth [rounds]</c> (AF_XDP SKB/DRV, io_uring, recvmmsg, recv over a veth pair into a network namespace; root) and
/// <c>fix-roundtrip [orders]</c> (NewOrderSingle → ExecutionReport between two Wirespeed FIX sessions over loopback TCP), <c>priority-load</c> (Critical against Normal latency at 2 M msg/s with a burst), and the pattern harness
/// (<c>--patterns-scaling --workers 1..N</c>, <c>--patterns-latency</c>).
/// </summary>
internal static class Program
{
    /// <summary>"udp-latency 7": rounds of the interleaved one-way harnesses (default 5).</summary>
    private static int Rounds(string[] args) => args.Length > 1 && int.TryParse(args[1], out int r) && r > 0 ? r : 5;

    private static int Main(string[] args)
    {
        if (Patterns.PatternScalingHarness.Handles(args)) return Patterns.PatternScalingHarness.Run(args);
        switch (args.Length > 0 ? args[0] : "")
        {
            case "udp-latency":
                Console.WriteLine(UdpLatencyHarness.OneWayRounds(Rounds(args), 20_000, Console.Out));
                return 0;
            case "udp-capacity":
                foreach (var kind in Enum.GetValues<UdpBenchKind>()) Console.WriteLine(UdpLatencyHarness.Capacity(kind));
                return 0;
            case "udp-veth":
                Console.WriteLine(UdpVethHarness.RunAll(Rounds(args), Console.Out));
                return 0;
            case "fix-roundtrip":
                Console.WriteLine(Fix.FixRoundTripHarness.Run(args.Length > 1 && int.TryParse(args[1], out int n) && n > 0 ? n : 50_000, Console.Out));
                return 0;
            case "priority-load":
                Console.WriteLine(PriorityLoadHarness.Measure(new PriorityLoadOptions()));
                return 0;
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}
