using System;
using System.Collections.Generic;
using System.IO;
using BenchmarkDotNet.Attributes;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Replay;

namespace Wirespeed.Benchmarks.Itch;

/// <summary>
/// Decode + normalise of a realistic mix: the whole artificial three-stock day (adds, executions, cancels, deletes,
/// replaces, trades) packed into MoldUDP64 packets of <see cref="MessagesPerPacket"/> messages, plus the real 38-message
/// NASDAQ packet. Reported per message (OperationsPerInvoke = messages in the set); allocation must be 0 B.
/// </summary>
[MemoryDiagnoser]
public class ItchDecodeBenchmarks
{
    private byte[][] _packets = Array.Empty<byte[]>();
    private int _messages;
    private ItchFeedDecoder _decoder = null!;
    private readonly MarketEvent[] _output = new MarketEvent[128];
    private Sink _sink;

    /// <summary>Messages per MoldUDP64 packet (a 1500-byte packet holds about 40 add orders).</summary>
    [Params(1, 16)]
    public int MessagesPerPacket { get; set; }

    /// <summary>With the clock-health state attached and its ClockSuspect flag raised: one volatile read and three stores per packet, every event flagged.</summary>
    [Params(false, true)]
    public bool ClockWatched { get; set; }

    private struct Sink : IEventHandler
    {
        public long Checksum;
        public void OnEvent(ref MarketEvent evt) => Checksum += evt.Price ^ (long)evt.OrderId;
    }

    [GlobalSetup]
    public void Setup()
    {
        string data = FindSharedData();
        var file = ItchFileSource.Open(Path.Combine(data, "itch", "artificial-3-stocks.itch50"));
        var packets = new List<byte[]>();
        var batch = new List<byte[]>();
        ulong sequence = 1;
        while (file.TryRead(out ReadOnlySpan<byte> m) == DecodeStatus.Ok)
        {
            batch.Add(m.ToArray());
            if (batch.Count == MessagesPerPacket) { packets.Add(Pack(sequence, batch)); sequence += (ulong)batch.Count; _messages += batch.Count; batch.Clear(); }
        }
        if (batch.Count > 0) { packets.Add(Pack(sequence, batch)); _messages += batch.Count; }
        _packets = packets.ToArray();
        // Sequence checking off: the same packets are decoded on every invocation.
        var clock = ClockWatched ? new Wirespeed.Core.Time.ClockHealthState() : null;
        clock?.Publish(suspect: true);   // as the watcher does when it distrusts the clock
        _decoder = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { CheckSequence = false }, Clock = clock });
    }

    private static byte[] Pack(ulong sequence, List<byte[]> messages)
    {
        var ms = new MemoryStream();
        ms.Write("BENCH     "u8);
        Span<byte> h = stackalloc byte[10];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(h, sequence);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(h.Slice(8), (ushort)messages.Count);
        ms.Write(h);
        foreach (byte[] m in messages) { ms.WriteByte((byte)(m.Length >> 8)); ms.WriteByte((byte)m.Length); ms.Write(m); }
        return ms.ToArray();
    }

    internal static string FindSharedData()
    {
        string? env = Environment.GetEnvironmentVariable("WIRESPEED_SHARED_DATA");
        if (!string.IsNullOrEmpty(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Wirespeed.sln"))) return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
        }
        throw new DirectoryNotFoundException("shared/data not found; set WIRESPEED_SHARED_DATA");
    }

    /// <summary>ns per message through the generic struct handler (the pipeline's path).</summary>
    [Benchmark(OperationsPerInvoke = 12_012)]
    public long DecodeToHandler()
    {
        var info = new PacketInfo(0, 0, PacketSourceKind.InProcess);
        byte[][] packets = _packets;
        for (int i = 0; i < packets.Length; i++) _decoder.Decode(packets[i], in info, ref _sink);
        return _sink.Checksum;
    }

    /// <summary>ns per message into a caller span.</summary>
    [Benchmark(OperationsPerInvoke = 12_012)]
    public int DecodeToSpan()
    {
        var info = new PacketInfo(0, 0, PacketSourceKind.InProcess);
        byte[][] packets = _packets;
        int n = 0;
        for (int i = 0; i < packets.Length; i++) n += _decoder.Decode(packets[i], in info, _output);
        return n;
    }

    /// <summary>ns per message for the normaliser alone (no framing, no sequencing).</summary>
    [Benchmark(OperationsPerInvoke = 12_012)]
    public long NormaliseOnly()
    {
        long sum = 0;
        MarketEvent e = default;
        byte[][] packets = _packets;
        for (int i = 0; i < packets.Length; i++)
        {
            var reader = new MoldPacketReader(packets[i]);
            while (reader.TryRead(out ReadOnlySpan<byte> m) == DecodeStatus.Ok)
            {
                ItchNormaliser.Normalise(m, 1, 0, 0, 0, ref e);
                sum += e.Price;
            }
        }
        return sum;
    }
}
