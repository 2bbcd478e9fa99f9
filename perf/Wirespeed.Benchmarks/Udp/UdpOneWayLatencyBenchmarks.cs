using System;
using BenchmarkDotNet.Attributes;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Sim;
using Wirespeed.Feeds.Udp;

namespace Wirespeed.Benchmarks.Udp;

/// <summary>
/// One-way latency per transport on loopback multicast: one simulator packet is sent, then the receiver busy-polls
/// until it arrives (one thread: sender and receiver never spin at once, PLATFORM.md). The time per operation is the
/// send system call (which runs the kernel's loopback receive work) plus the transport's harvest and delivery. For
/// percentiles and the kernel-stamp split see <see cref="UdpLatencyHarness"/>.
/// </summary>
[MemoryDiagnoser]
public class UdpOneWayLatencyBenchmarks
{
    private UdpBenchTransport _rx = null!;
    private UdpBatchSender _tx = null!;
    private SimFeed _feed = null!;
    private CountingPacketHandler _h;

    [Params(UdpBenchKind.RecvPerPacket, UdpBenchKind.Mmsg, UdpBenchKind.Uring, UdpBenchKind.UringCoop)]
    public UdpBenchKind Transport { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int port = 42_000 + Environment.ProcessId % 1_000 * 8 + (int)Transport;
        _rx = new UdpBenchTransport(Transport, "239.255.92.1", port);
        _tx = new UdpBatchSender(_rx.Destination, batch: 1);
        _feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 2 }), maxPayload: 200);
    }

    [Benchmark]
    public long SendAndReceiveOne()
    {
        long target = _h.Packets + 1;
        _tx.Add(_feed.NextPacket());
        _tx.Flush();
        long deadline = MonoClock.NowNs() + 1_000_000_000;
        while (_h.Packets < target && MonoClock.NowNs() < deadline) _rx.Poll(ref _h, 8);
        return _h.Packets;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tx.Dispose();
        _rx.Dispose();
    }
}
