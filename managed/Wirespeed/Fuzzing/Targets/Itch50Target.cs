using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Wirespeed.Feeds.Replay;

namespace Wirespeed.Fuzzing.Targets;

/// <summary>
/// itch50: what <c>wirespeed replay --format itch50</c> runs, in process: <see cref="ItchFileSource"/> over the bytes
/// (length-prefixed messages, each wrapped in a one-message MoldUDP64 packet), sequencing checked, ITCH 5.0 decoding
/// and books. Rejection causes: the file's framing counters, then the decoder's and the books'. Seeds: message-aligned
/// slices of the real files in shared/data/itch (a whole day's file per case would run a few cases a second).
/// </summary>
public sealed class Itch50Target : IFuzzTarget, IStructuredMutations
{
    private readonly ReplayChain _chain = new();

    public Itch50Target(IReadOnlyList<byte[]> seeds) => Seeds = seeds;

    public string Format => "itch50";
    public string Extension => ".itch50";
    public IReadOnlyList<byte[]> Seeds { get; }
    public IStructuredMutations Structured => this;
    public int MaxBytes => 256 * 1024;

    public string? Run(byte[] input)
    {
        var source = new ItchFileSource(input);
        var handler = _chain.Begin(checkSequence: true);
        ReplayChain.Drain(source, ref handler);
        var c = source.Counters;
        if (c.ZeroLength > 0) return "frames.zero_length_prefix";
        if (c.TruncatedTail > 0) return "frames.truncated_tail";
        if (c.UnframedBytes > 0) return "frames.unframed_bytes";
        return _chain.FirstCause();
    }

    /// <summary>
    /// Corrupts one message: its length prefix (zero, one off, past the end), its type, stock locate, side, shares or
    /// price; or cuts it short with a matching prefix (a message too short for its type); or duplicates or drops it.
    /// </summary>
    public byte[] Mutate(byte[] input, ref FuzzRandom rng)
    {
        var messages = Messages(input);
        if (messages.Count == 0) return input;
        var (at, length) = messages[rng.Next(messages.Count)];
        var d = (byte[])input.Clone();
        int body = at + 2;
        switch (rng.Next(8))
        {
            case 0: // the length prefix
            {
                int[] values = { 0, 1, 2, length - 1, length + 1, 0xFFFF, 0x8000, 11, 12 };
                BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(at), (ushort)values[rng.Next(values.Length)]);
                return d;
            }
            case 1: // the message type: another known one (wrong length for it) or an unknown one
            {
                const string types = "SRHYLVWKJhAFECXDUPQBIN";
                d[body] = rng.OneIn(4) ? (byte)rng.Next(256) : (byte)types[rng.Next(types.Length)];
                return d;
            }
            case 2: // stock locate (offset 1, 16 bits): 0, outside the books, the largest
            {
                int[] values = { 0, 1, 16383, 16384, 65535 };
                if (length >= 3) BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(body + 1), (ushort)values[rng.Next(values.Length)]);
                return d;
            }
            case 3: // a field past the header (side, shares, price, order reference): a boundary value
            {
                if (length <= 11) return d;
                int field = body + 11 + rng.Next(length - 11);
                long[] values = { 0, 1, 0xFF, (byte)'B', (byte)'S', (byte)'X', 0x7FFF_FFFF, 0xFFFF_FFFF, long.MaxValue, -1 };
                int size = 1 << rng.Next(4);
                if (field + size > body + length) size = 1;
                Mutator.WriteWord(d.AsSpan(field, size), values[rng.Next(values.Length)], bigEndian: true);
                return d;
            }
            case 4: // cut short, prefix agreeing: a message too short for its type
            {
                int keep = rng.Next(length);
                BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(at), (ushort)keep);
                return Mutator.Replace(d, body + keep, length - keep, ReadOnlySpan<byte>.Empty);
            }
            case 5: // grown, prefix agreeing: a message too long for its type
            {
                int extra = 1 + rng.Next(16);
                BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(at), (ushort)(length + extra));
                return Mutator.Insert(d, body + length, new byte[extra]);
            }
            case 6: // the message again, elsewhere (replayed order reference)
            {
                int to = messages[rng.Next(messages.Count)].At;
                return Mutator.Insert(d, to, input.AsSpan(at, 2 + length));
            }
            default: // the message removed
                return Mutator.Replace(d, at, 2 + length, ReadOnlySpan<byte>.Empty);
        }
    }

    /// <summary>Offsets and lengths of the whole, non-empty messages.</summary>
    private static List<(int At, int Length)> Messages(byte[] d)
    {
        var list = new List<(int, int)>();
        for (int at = 0; at + 2 <= d.Length && list.Count < 65536;)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(at));
            if (length == 0 || length > d.Length - at - 2) break;
            list.Add((at, length));
            at += 2 + length;
        }
        return list;
    }

    /// <summary>Message-aligned slices of an ITCH file: the start (system event and directory) and
    /// <paramref name="slices"/> windows of <paramref name="messagesPerSlice"/> messages spread over the file.</summary>
    public static List<byte[]> Slices(byte[] file, int slices, int messagesPerSlice)
    {
        var offsets = new List<int>();
        for (int at = 0; at + 2 <= file.Length;)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(at));
            if (length == 0 || length > file.Length - at - 2) break;
            offsets.Add(at);
            at += 2 + length;
        }
        offsets.Add(Math.Min(file.Length, offsets.Count == 0 ? 0 : offsets[^1] + 2 + BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(offsets[^1]))));
        var result = new List<byte[]>();
        int total = offsets.Count - 1;
        if (total <= 0) return result;
        for (int s = 0; s <= slices; s++)
        {
            int first = s == 0 ? 0 : (int)((long)total * s / (slices + 1));
            int last = Math.Min(total, first + messagesPerSlice);
            if (last > first) result.Add(file.AsSpan(offsets[first], offsets[last] - offsets[first]).ToArray());
        }
        return result;
    }
}
