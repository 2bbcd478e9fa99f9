using System;
using BenchmarkDotNet.Attributes;
using Wirespeed.Feeds.Fix;

namespace Wirespeed.Benchmarks.Fix;

/// <summary>
/// Parse of FIX 5.0 SP2 (FIXT.1.1) MarketDataIncrementalRefresh (35=X) messages with <see cref="Entries"/> MDEntries:
/// BeginString, BodyLength and CheckSum validated, every field checked against the dictionary, groups indexed
/// (<see cref="Parse"/>); then also each entry's action, side, price, size and RptSeq read as numbers
/// (<see cref="ParseAndRead"/>). 64 distinct messages (prices and sequence numbers differ) per invocation; reported
/// per message. Allocation must be 0 B.
/// </summary>
[MemoryDiagnoser]
public class FixParseBenchmarks
{
    private const int Messages = 64;
    private byte[][] _messages = Array.Empty<byte[]>();
    private readonly FixParser _parser = new(FixDictionary.Default);

    /// <summary>MDEntries per message.</summary>
    [Params(4, 10)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _messages = new byte[Messages][];
        var buffer = new byte[4096];
        for (int m = 0; m < Messages; m++)
        {
            var w = new FixWriter(buffer, "FIXT.1.1"u8, "X"u8);
            w.Bytes(49, "VENUE"u8);
            w.Bytes(56, "WIRESPEED"u8);
            w.Int(34, 100_000 + m);
            w.Timestamp(52, 1_765_150_000_000_000_000L + m * 1_000_000L, FixTimePrecision.Microseconds);
            w.Bytes(262, "md-1"u8);
            w.Int(268, Entries);
            for (int e = 0; e < Entries; e++)
            {
                w.Char(279, (byte)('0' + e % 3));
                w.Char(269, (byte)('0' + e % 2));
                w.Bytes(55, "ESZ6"u8);
                w.Int(83, 5000 + m * Entries + e);
                w.Fixed(270, 60_122_500 + (m + e) * 2500, 4);
                w.Int(271, 10 + e);
                w.Int(1023, 1 + e / 2);
            }
            if (w.Finish(out int n) != FixStatus.Ok) throw new InvalidOperationException("benchmark message did not encode");
            _messages[m] = buffer.AsSpan(0, n).ToArray();
            if (_parser.Parse(_messages[m], out _) != FixStatus.Ok) throw new InvalidOperationException($"benchmark message did not parse: {_parser.Status} {_parser.ErrorTag}");
        }
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public int Parse()
    {
        int ok = 0;
        foreach (var m in _messages) ok += _parser.Parse(m, out _) == FixStatus.Ok ? 1 : 0;
        return ok;
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public long ParseAndRead()
    {
        long sum = 0;
        foreach (var m in _messages)
        {
            if (_parser.Parse(m, out var v) != FixStatus.Ok) continue;
            var g = v.Group(268);
            for (int i = 0; i < g.Count; i++)
            {
                var e = g[i];
                e.TryGetChar(279, out byte action);
                e.TryGetChar(269, out byte side);
                e.TryGetFixed(270, 4, out long px);
                e.TryGetInt(271, out long qty);
                e.TryGetInt(83, out long rpt);
                sum += action + side + px + qty + rpt;
            }
        }
        return sum;
    }
}
