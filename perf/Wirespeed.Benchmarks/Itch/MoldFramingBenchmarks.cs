using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using Wirespeed.Core.Ingress;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Replay;

namespace Wirespeed.Benchmarks.Itch;

/// <summary>
/// MoldUDP64 framing and sequencing alone, on the real 1,472-byte, 38-message NASDAQ packet: walking the blocks,
/// and the session's per-packet decision. Allocation must be 0 B.
/// </summary>
[MemoryDiagnoser]
public class MoldFramingBenchmarks
{
    private byte[] _packet = Array.Empty<byte>();
    private MoldSession _session = null!;
    private ulong _sequence;
    private byte[] _sessionId = Array.Empty<byte>();

    private struct Keep : IPacketHandler
    {
        public byte[]? Last;
        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info) { if (payload.Length > 1000) Last = payload.ToArray(); }
    }

    [GlobalSetup]
    public void Setup()
    {
        var pcap = PcapSource.Open(Path.Combine(ItchDecodeBenchmarks.FindSharedData(), "itch", "nasdaq-packets", "MultipleMessages.pcap"));
        var keep = new Keep();
        while (pcap.Poll(ref keep, 8) > 0) { }
        _packet = keep.Last!;
        _sessionId = _packet.AsSpan(0, 10).ToArray();
        _session = new MoldSession();
    }

    /// <summary>Header plus all 38 blocks; reported per block.</summary>
    [Benchmark(OperationsPerInvoke = 38)]
    public int WalkBlocks()
    {
        var reader = new MoldPacketReader(_packet);
        int bytes = 0;
        while (reader.TryRead(out ReadOnlySpan<byte> m) == DecodeStatus.Ok) bytes += m.Length;
        return bytes;
    }

    /// <summary>One in-order sequencing decision per packet.</summary>
    [Benchmark]
    public MoldVerdict SequenceInOrder()
    {
        MoldVerdict v = _session.OnPacket(_sessionId, _sequence == 0 ? 1 : _sequence, 38, 0, out _);
        _sequence = _session.NextExpected;
        return v;
    }

    /// <summary>One duplicate decision per packet (the B line of an A/B pair).</summary>
    [Benchmark]
    public MoldVerdict SequenceDuplicate() => _session.OnPacket(_sessionId, 1, 38, 0, out _);
}
