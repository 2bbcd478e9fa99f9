using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using Wirespeed.Feeds.Mold.Arbitration;
using Wirespeed.Feeds.Sim;

namespace Wirespeed.Benchmarks.Itch;

/// <summary>
/// A/B arbitration per packet: each MoldUDP64 packet (10 messages of 8 bytes) arrives on A, then its copy on B (dropped
/// as the late copy and timed); with <see cref="Reorder"/>, A delivers each pair of packets swapped, so every other
/// packet goes through the reorder window. Reported per packet handed to the arbiter; allocation must be 0 B.
/// </summary>
[MemoryDiagnoser]
public class MoldArbitrationBenchmarks
{
    private const int Packets = 4096;
    private byte[][] _tape = Array.Empty<byte[]>();
    private MoldArbiter<Sink, NoGapRequester> _line = null!;
    private long _round;

    /// <summary>A's packets two by two in swapped order: half of them held and released.</summary>
    [Params(false, true)]
    public bool Reorder { get; set; }

    private struct Sink : IMoldMessageHandler
    {
        public ulong Sum;
        public void OnMessage(ReadOnlySpan<byte> message, ulong sequence, MoldSource source, bool late) => Sum += sequence + message[7];
    }

    [GlobalSetup]
    public void Setup()
    {
        var writer = new MoldPacketWriter("BENCH0001", 1, maxMessagesPerPacket: 10);
        var tape = new List<byte[]>();
        var message = new byte[8];
        while (tape.Count < Packets)
        {
            if (!writer.Fits(8)) tape.Add(writer.Flush().ToArray());
            writer.TryAppend(message);
        }
        _tape = tape.ToArray();
        _line = new MoldArbiter<Sink, NoGapRequester>(default, default, new MoldArbiterOptions { InitialSequence = 1, ReorderSlots = 16 });
        _round = 0;
    }

    [Benchmark(OperationsPerInvoke = 2 * Packets)]
    public ulong ArbitrateAB()
    {
        var line = _line;
        // Each invocation continues the session: the tape's headers are renumbered (one 8-byte store per packet, counted in).
        ulong firstSequence = 1 + (ulong)_round * Packets * 10;
        for (int i = 0; i < Packets; i++) System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(_tape[i].AsSpan(10), firstSequence + (ulong)i * 10);
        long t = _round++ * 1_000_000;
        for (int i = 0; i < Packets; i += 2)
        {
            int first = Reorder ? i + 1 : i, second = Reorder ? i : i + 1;
            line.OnPacket(_tape[first], MoldSource.A, t + i);
            line.OnPacket(_tape[second], MoldSource.A, t + i);
            line.OnPacket(_tape[i], MoldSource.B, t + i + 1);
            line.OnPacket(_tape[i + 1], MoldSource.B, t + i + 1);
        }
        return line.Handler.Sum;
    }
}
