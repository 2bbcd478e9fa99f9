using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Wirespeed.Fuzzing;

/// <summary>Mutations that know a format's structure (length fields, checksums, JSON tokens). One per target.</summary>
public interface IStructuredMutations
{
    /// <summary>Returns a mutated copy of <paramref name="input"/>, or <paramref name="input"/> itself when it has no
    /// structure to work on (then a byte-level mutation is applied instead).</summary>
    byte[] Mutate(byte[] input, ref FuzzRandom rng);

    /// <summary>Smaller inputs of the same structure (e.g. a JSON document less one property), largest first, for
    /// shrinking a crashing input; none by default (then only byte chunks are removed).</summary>
    System.Collections.Generic.IEnumerable<byte[]> Reductions(byte[] input) => System.Array.Empty<byte[]>();
}

/// <summary>
/// Deterministic seeded mutations of a seed corpus: the same (seed, case) always gives the same bytes. Each case takes
/// one seed and stacks one to four mutations: byte-level ones that work on any format (bit flips, bytes and words set
/// to boundary values, arithmetic on 16/32/64-bit words in both byte orders (length fields), truncation, extension,
/// chunk deletion, duplication and insertion, splicing with another seed) and the target's structured ones.
/// </summary>
public sealed class Mutator
{
    private static readonly byte[] s_interestingBytes = { 0x00, 0xFF, 0x7F, 0x80, 0x01, 0x20, 0x0A, 0x22, 0x2C, 0x7B };
    private static readonly long[] s_interestingWords =
    {
        0, 1, -1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
        long.MaxValue, long.MinValue, 20, 64, 65535 - 28, 1500,
    };

    private readonly IReadOnlyList<byte[]> _seeds;
    private readonly IStructuredMutations? _structured;

    /// <param name="seeds">The corpus: at least one input.</param>
    /// <param name="maxBytes">Longest input produced; longer results are cut.</param>
    /// <param name="structured">The format's structured mutations, or null.</param>
    public Mutator(IReadOnlyList<byte[]> seeds, int maxBytes, IStructuredMutations? structured = null)
    {
        if (seeds.Count == 0) throw new ArgumentException("the corpus holds no seed input", nameof(seeds));
        _seeds = seeds;
        _structured = structured;
        MaxBytes = maxBytes;
    }

    public int MaxBytes { get; }

    /// <summary>The input of case <paramref name="caseIndex"/> of a run with <paramref name="seed"/>.</summary>
    public byte[] CaseInput(ulong seed, long caseIndex)
    {
        var rng = FuzzRandom.ForCase(seed, caseIndex);
        return Mutate(_seeds[rng.Next(_seeds.Count)], ref rng);
    }

    /// <summary>One to four stacked mutations of <paramref name="input"/> (which is not changed).</summary>
    public byte[] Mutate(byte[] input, ref FuzzRandom rng)
    {
        byte[] data = input;
        int count = 1 + rng.Next(4);
        for (int i = 0; i < count; i++)
        {
            // Three in four through the format's structure when it has one: byte-level changes mostly end in the
            // first check of a parser, structured ones reach the checks behind it.
            byte[] next = _structured is not null && !rng.OneIn(4) ? _structured.Mutate(data, ref rng) : data;
            if (ReferenceEquals(next, data)) next = MutateBytes(data, ref rng);
            data = next.Length > MaxBytes ? next.AsSpan(0, MaxBytes).ToArray() : next;
        }
        return data;
    }

    /// <summary>One byte-level mutation; returns a new array.</summary>
    public byte[] MutateBytes(byte[] input, ref FuzzRandom rng)
    {
        var d = (byte[])input.Clone();
        if (d.Length == 0) return RandomBytes(ref rng, 1 + rng.Next(16));
        switch (rng.Next(12))
        {
            case 0: // flip one bit
                d[rng.Next(d.Length)] ^= (byte)(1 << rng.Next(8));
                return d;
            case 1: // a byte set to a boundary value
                d[rng.Next(d.Length)] = s_interestingBytes[rng.Next(s_interestingBytes.Length)];
                return d;
            case 2: // a random byte
                d[rng.Next(d.Length)] = (byte)rng.NextUInt64();
                return d;
            case 3: // a 16/32/64-bit word set to a boundary value (or the input's own length), either byte order
                return SetWord(d, ref rng, rng.OneIn(4) ? d.Length + rng.Next(-2, 3) : s_interestingWords[rng.Next(s_interestingWords.Length)]);
            case 4: // small arithmetic on a word: the way a length or count field goes one off
                return AddToWord(d, ref rng, rng.Next(-35, 36));
            case 5: // truncation
                return d.AsSpan(0, rng.Next(d.Length)).ToArray();
            case 6: // extension with random or repeated bytes
                return Concat(d, rng.OneIn(2) ? RandomBytes(ref rng, 1 + rng.Next(64)) : Repeated((byte)rng.NextUInt64(), 1 + rng.Next(256)));
            case 7: // deletion of a chunk
            {
                int at = rng.Next(d.Length), len = 1 + rng.Next(Math.Min(d.Length - at, 128));
                return Concat(d.AsSpan(0, at), d.AsSpan(at + len));
            }
            case 8: // duplication of a chunk at another place
            {
                int at = rng.Next(d.Length), len = 1 + rng.Next(Math.Min(d.Length - at, 256)), to = rng.Next(d.Length + 1);
                return Insert(d, to, d.AsSpan(at, len));
            }
            case 9: // random bytes inserted
                return Insert(d, rng.Next(d.Length + 1), RandomBytes(ref rng, 1 + rng.Next(16)));
            case 10: // splice: this input's head, another seed's tail
            {
                byte[] other = _seeds[rng.Next(_seeds.Count)];
                int cut = rng.Next(d.Length + 1), from = rng.Next(other.Length + 1);
                return Concat(d.AsSpan(0, cut), other.AsSpan(from));
            }
            default: // a run of bytes overwritten by one value
            {
                int at = rng.Next(d.Length), len = 1 + rng.Next(Math.Min(d.Length - at, 32));
                d.AsSpan(at, len).Fill(s_interestingBytes[rng.Next(s_interestingBytes.Length)]);
                return d;
            }
        }
    }

    /// <summary>Sets a 1/2/4/8-byte word at a random offset to <paramref name="value"/>, big- or little-endian.</summary>
    public static byte[] SetWord(byte[] d, ref FuzzRandom rng, long value)
    {
        int size = 1 << rng.Next(4);
        if (d.Length < size) return d;
        int at = rng.Next(d.Length - size + 1);
        WriteWord(d.AsSpan(at, size), value, rng.OneIn(2));
        return d;
    }

    private static byte[] AddToWord(byte[] d, ref FuzzRandom rng, int delta)
    {
        int size = 1 << rng.Next(4);
        if (d.Length < size) return d;
        int at = rng.Next(d.Length - size + 1);
        bool bigEndian = rng.OneIn(2);
        WriteWord(d.AsSpan(at, size), ReadWord(d.AsSpan(at, size), bigEndian) + delta, bigEndian);
        return d;
    }

    internal static long ReadWord(ReadOnlySpan<byte> w, bool bigEndian) => w.Length switch
    {
        1 => w[0],
        2 => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(w) : BinaryPrimitives.ReadUInt16LittleEndian(w),
        4 => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(w) : BinaryPrimitives.ReadUInt32LittleEndian(w),
        _ => bigEndian ? BinaryPrimitives.ReadInt64BigEndian(w) : BinaryPrimitives.ReadInt64LittleEndian(w),
    };

    internal static void WriteWord(Span<byte> w, long value, bool bigEndian)
    {
        switch (w.Length)
        {
            case 1: w[0] = (byte)value; break;
            case 2: if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(w, (ushort)value); else BinaryPrimitives.WriteUInt16LittleEndian(w, (ushort)value); break;
            case 4: if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(w, (uint)value); else BinaryPrimitives.WriteUInt32LittleEndian(w, (uint)value); break;
            default: if (bigEndian) BinaryPrimitives.WriteInt64BigEndian(w, value); else BinaryPrimitives.WriteInt64LittleEndian(w, value); break;
        }
    }

    internal static byte[] RandomBytes(ref FuzzRandom rng, int count)
    {
        var b = new byte[count];
        for (int i = 0; i < count; i++) b[i] = (byte)rng.NextUInt64();
        return b;
    }

    private static byte[] Repeated(byte value, int count)
    {
        var b = new byte[count];
        b.AsSpan().Fill(value);
        return b;
    }

    internal static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var r = new byte[a.Length + b.Length];
        a.CopyTo(r);
        b.CopyTo(r.AsSpan(a.Length));
        return r;
    }

    /// <summary>A copy of <paramref name="d"/> with <paramref name="bytes"/> inserted at <paramref name="at"/>.</summary>
    internal static byte[] Insert(ReadOnlySpan<byte> d, int at, ReadOnlySpan<byte> bytes)
    {
        var r = new byte[d.Length + bytes.Length];
        d.Slice(0, at).CopyTo(r);
        bytes.CopyTo(r.AsSpan(at));
        d.Slice(at).CopyTo(r.AsSpan(at + bytes.Length));
        return r;
    }

    /// <summary>A copy of <paramref name="d"/> with [<paramref name="at"/>, at + <paramref name="length"/>) replaced by <paramref name="bytes"/>.</summary>
    internal static byte[] Replace(ReadOnlySpan<byte> d, int at, int length, ReadOnlySpan<byte> bytes)
    {
        var r = new byte[d.Length - length + bytes.Length];
        d.Slice(0, at).CopyTo(r);
        bytes.CopyTo(r.AsSpan(at));
        d.Slice(at + length).CopyTo(r.AsSpan(at + bytes.Length));
        return r;
    }
}
