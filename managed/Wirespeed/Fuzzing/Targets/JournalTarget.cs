using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Wirespeed.Core.Signals;

namespace Wirespeed.Fuzzing.Targets;

/// <summary>
/// journal: the signal journal reader (<see cref="SignalJournalReader"/>) over the bytes, every record read to the end
/// and each intact one's fields formatted, as a dump prints them. Rejection causes: the reader's own counts (corrupt
/// records, a torn tail). Seeds: journals written by <see cref="SignalJournalWriter"/>.
/// </summary>
public sealed class JournalTarget : IFuzzTarget, IStructuredMutations
{
    private const int Record = SignalJournal.RecordSize;

    public JournalTarget(IReadOnlyList<byte[]> seeds) => Seeds = seeds;

    public string Format => "journal";
    public string Extension => ".journal";
    public IReadOnlyList<byte[]> Seeds { get; }
    public IStructuredMutations Structured => this;
    public int MaxBytes => 64 * 1024;

    public string? Run(byte[] input)
    {
        var reader = new SignalJournalReader(input);
        // Every read consumes at least one byte, so more reads than bytes means the reader stopped advancing.
        for (long reads = 0; ; reads++)
        {
            if (reads > input.Length) throw new InvalidOperationException($"the journal reader did not reach the end of {input.Length} bytes in {reads} reads");
            var status = reader.TryRead(out Signal s);
            if (status == JournalReadStatus.End) break;
            if (status == JournalReadStatus.Ok) Describe(s);
        }
        if (reader.CorruptRecords > 0) return "corrupt_records";
        if (reader.TornTailBytes > 0) return "torn_tail";
        return null;
    }

    private static string Describe(in Signal s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Kind} pattern {s.PatternId} instrument {s.Instrument}/{s.OtherInstrument} line {s.Line}/{s.OtherLine} dir {s.Direction} strength {s.Strength:G6} seq {s.FeedSequence} pos {s.StreamPosition} ts {s.ExchangeTimestampNs}");

    /// <summary>A seed journal of <paramref name="records"/> varied signals, written by the production writer through a temporary file.</summary>
    public static byte[] WriteSeed(ulong seed, int records)
    {
        string path = Path.Combine(Path.GetTempPath(), $"wirespeed-fuzz-seed-{Environment.ProcessId}-{seed}.journal");
        var rng = new FuzzRandom(seed);
        try
        {
            using (var writer = new SignalJournalWriter(path, bufferRecords: 8))
            {
                for (int i = 0; i < records; i++)
                {
                    var s = new Signal
                    {
                        ReceiveTimestampNs = 1_000_000L * i, DetectionTimestampNs = 1_000_000L * i + 500,
                        ExchangeTimestampNs = 34_200_000_000_000L + i, FeedSequence = (ulong)(1000 + i), StreamPosition = i,
                        Strength = (rng.Next(2000) - 1000) / 100.0, PatternId = rng.Next(8), Instrument = rng.Next(16384),
                        OtherInstrument = rng.OneIn(3) ? -1 : rng.Next(16384), Kind = (PatternKind)(1 + rng.Next(5)),
                        Direction = (sbyte)(rng.Next(3) - 1), Line = (byte)rng.Next(2), OtherLine = (byte)rng.Next(2),
                    };
                    writer.Append(in s);
                }
            }
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Works on whole records: a field changed and the CRC recomputed (an intact record with odd contents), the magic
    /// or CRC broken, a partial record inserted (records after it misaligned, as an append after a torn tail leaves
    /// them), a record cut short, repeated or removed.
    /// </summary>
    public byte[] Mutate(byte[] input, ref FuzzRandom rng)
    {
        int records = input.Length / Record;
        if (records == 0) return input;
        int at = rng.Next(records) * Record;
        var d = (byte[])input.Clone();
        switch (rng.Next(6))
        {
            case 0: // a field changed, CRC recomputed
            {
                int size = 1 << rng.Next(4);
                int field = at + rng.Next(Signal.Size - size + 1);
                long[] values = { 0, -1, 1, 0x7F, 0x80, 0xFF, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue };
                Mutator.WriteWord(d.AsSpan(field, size), values[rng.Next(values.Length)], bigEndian: false);
                if (rng.OneIn(4)) BinaryPrimitives.WriteDoubleLittleEndian(d.AsSpan(at + 40), rng.OneIn(2) ? double.NaN : double.PositiveInfinity);
                BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(at + Signal.Size + 4), Crc32C.Compute(d.AsSpan(at, Signal.Size + 4)));
                return d;
            }
            case 1: // magic or CRC broken
                d[at + Signal.Size + rng.Next(8)] ^= (byte)(1 + rng.Next(255));
                return d;
            case 2: // a partial record inserted: a torn write followed by more appends
                return Mutator.Insert(d, at, input.AsSpan(at, 1 + rng.Next(Record - 1)));
            case 3: // a record cut short in place
                return Mutator.Replace(d, at, Record, input.AsSpan(at, rng.Next(Record)));
            case 4: // a record repeated
                return Mutator.Insert(d, rng.Next(records + 1) * Record, input.AsSpan(at, Record));
            default: // a record removed
                return Mutator.Replace(d, at, Record, ReadOnlySpan<byte>.Empty);
        }
    }
}
