using System;
using BenchmarkDotNet.Attributes;
using Wirespeed.Feeds.Sim;
using Wirespeed.Feeds.Udp;

namespace Wirespeed.Benchmarks.Udp;

/// <summary>
/// Receive capacity per transport by the drain method (PLATFORM.md: on loopback the kernel's receive work runs on the
/// sending CPU, so a blast measures the sender): each iteration first queues <see cref="Packets"/> simulator packets in
/// the socket (64 MiB receive buffer), then the benchmark drains them all. Result per operation = per packet; the
/// messages per packet are printed at setup. RecvPerPacket (one recv() each) is the baseline.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1, 1)]
public class UdpReceiveCapacityBenchmarks
{
    public const int Packets = 4_000;

    private UdpBenchTransport _rx = null!;
    private UdpBatchSender _tx = null!;
    private SimFeed _feed = null!;

    [Params(UdpBenchKind.RecvPerPacket, UdpBenchKind.Mmsg, UdpBenchKind.Uring)]
    public UdpBenchKind Transport { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int port = 41_000 + Environment.ProcessId % 1_000 * 8 + (int)Transport;
        _rx = new UdpBenchTransport(Transport, "239.255.91.1", port);
        _tx = new UdpBatchSender(_rx.Destination, batch: 64, sendBufferBytes: 16 << 20);
        _feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 1 }));
    }

    [IterationSetup]
    public void Queue()
    {
        for (int i = 0; i < Packets; i++) _tx.Add(_feed.NextPacket());
        _tx.Flush();
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public long Drain()
    {
        var h = new CountingPacketHandler();
        int idle = 0;
        while (h.Packets < Packets && idle < 1_000_000)
            if (_rx.Poll(ref h, 64) == 0) idle++;
        return h.Messages;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tx.Dispose();
        _rx.Dispose();
    }
}
