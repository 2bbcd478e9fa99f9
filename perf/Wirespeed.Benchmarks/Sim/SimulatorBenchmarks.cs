using System;
using BenchmarkDotNet.Attributes;
using Wirespeed.Feeds.Sim;

namespace Wirespeed.Benchmarks.Sim;

/// <summary>
/// Generation cost of the exchange simulator: ITCH messages alone, and whole MoldUDP64 packets (1400-byte ceiling).
/// Each invocation produces <see cref="MessagesPerInvocation"/> messages, so messages/s = that / mean time.
/// The simulator is created once per parameter set (start of day is not measured); [MemoryDiagnoser] must show 0 B.
/// </summary>
[MemoryDiagnoser]
public class SimulatorBenchmarks
{
    private const int MessagesPerInvocation = 10_000;

    private ExchangeSimulator _sim = null!;
    private SimFeed _feed = null!;
    private readonly byte[] _buffer = new byte[ExchangeSimulator.MaxMessageLength];

    [Params(64, 1024)]
    public int Instruments { get; set; }

    [Params(SimScenario.Normal, SimScenario.FlashCrash)]
    public SimScenario Scenario { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // SessionDurationNs = 0: the session never ends during the run.
        var options = new SimulatorOptions { Seed = 1, Instruments = Instruments, Sectors = 8, Scenario = Scenario };
        _sim = new ExchangeSimulator(options);
        _feed = new SimFeed(new ExchangeSimulator(options));
        for (int i = 0; i < 100_000; i++) _sim.NextMessage(_buffer);
        for (int i = 0; i < 1_000; i++) _feed.NextPacket();
    }

    [Benchmark(OperationsPerInvoke = MessagesPerInvocation, Description = "one ITCH message")]
    public int NextMessage()
    {
        int bytes = 0;
        Span<byte> buffer = _buffer;
        for (int i = 0; i < MessagesPerInvocation; i++) bytes += _sim.NextMessage(buffer);
        return bytes;
    }

    [Benchmark(OperationsPerInvoke = MessagesPerInvocation, Description = "per message, packed in MoldUDP64")]
    public long Packets()
    {
        long target = _feed.MessagesPacked + MessagesPerInvocation;
        long bytes = 0;
        while (_feed.MessagesPacked < target) bytes += _feed.NextPacket().Length;
        return bytes;
    }
}
