using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Numerics;
using HdrHistogram;

namespace Wirespeed.Core.Monitoring;

/// <summary>
/// HdrHistogram's V2 histogram encoding, written and read by our own code so that .hlog files are readable by the
/// reference readers (Java HistogramLogProcessor, hdr-histogram-js) as they are.
/// </summary>
/// <remarks>
/// <para>Uncompressed form, all integers big-endian:</para>
/// <code>
///  0  int32   cookie 0x1c849313 (V2 base 0x1c849303 | 0x10: the word-size nibble marks ZigZag-LEB128 counts)
///  4  int32   payload length in bytes
///  8  int32   normalizing index offset (always 0 here)
/// 12  int32   number of significant value digits
/// 16  int64   lowest discernible value
/// 24  int64   highest trackable value
/// 32  float64 integer-to-double value conversion ratio (1.0)
/// 40  payload: counts by index up to the index of the max value, each a ZigZag LEB128 long;
///     a run of N &gt; 1 zero counts is written as the single value -N
/// </code>
/// <para>Compressed form: int32 cookie 0x1c849314, int32 length of the compressed bytes, then the uncompressed form as a
/// complete zlib stream (RFC 1950 header, deflate data with its final block, Adler-32 trailer). Leaving out the end of
/// the deflate stream is what breaks HdrHistogram.NET 2.5.0's logs in the reference readers (PLATFORM.md).</para>
/// <para>One instance reuses its buffers: use it from one thread (the monitor's).</para>
/// </remarks>
public sealed class HdrCodec
{
    public const int V2EncodingCookie = 0x1c849303 | 0x10;
    public const int V2CompressedEncodingCookie = 0x1c849304 | 0x10;
    /// <summary>
    /// Most values one histogram (or the merge of a log's intervals) may count: 2^48 (2.8e14; a day at 10 M values/s is
    /// 8.6e11). HdrHistogram.NET's percentile output steps toward 100 % in doubles: when the counts after the largest
    /// bucket are a smaller share of the total than a double resolves near 100 (about 2^-52), it never ends (found at
    /// 2^62 and at 2^52 by the fuzzer). 2^48 keeps a 16-fold margin.
    /// </summary>
    public const long MaxTotalCount = 1L << 48;
    private const int HeaderBytes = 40;
    private const int MaxLeb128Bytes = 9;

    private byte[] _raw = new byte[4096];
    private readonly MemoryStream _zlib = new(4096);
    private byte[] _compressed = new byte[4096];

    /// <summary>
    /// Encodes <paramref name="histogram"/> in the uncompressed V2 form. The span is valid until the next call on this
    /// instance.
    /// </summary>
    public ReadOnlySpan<byte> Encode(HistogramBase histogram)
    {
        var layout = new HdrLayout(histogram.LowestTrackableValue, histogram.HighestTrackableValue,
            histogram.NumberOfSignificantValueDigits);
        int last = LastNonZeroIndex(histogram, layout);
        int countsLimit = last + 1; // an empty histogram still carries one (zero) count, as the reference writer does
        int needed = HeaderBytes + countsLimit * MaxLeb128Bytes;
        if (_raw.Length < needed) _raw = new byte[Math.Max(needed, _raw.Length * 2)];
        Span<byte> buf = _raw;

        int pos = HeaderBytes;
        for (int i = 0; i < countsLimit;)
        {
            long count = CountAt(histogram, layout, i++);
            if (count == 0)
            {
                long zeros = 1;
                while (i < countsLimit && CountAt(histogram, layout, i) == 0) { zeros++; i++; }
                pos += WriteZigZag(buf.Slice(pos), zeros > 1 ? -zeros : 0);
            }
            else
            {
                pos += WriteZigZag(buf.Slice(pos), count);
            }
        }

        BinaryPrimitives.WriteInt32BigEndian(buf, V2EncodingCookie);
        BinaryPrimitives.WriteInt32BigEndian(buf.Slice(4), pos - HeaderBytes);
        BinaryPrimitives.WriteInt32BigEndian(buf.Slice(8), 0);
        BinaryPrimitives.WriteInt32BigEndian(buf.Slice(12), layout.SignificantDigits);
        BinaryPrimitives.WriteInt64BigEndian(buf.Slice(16), layout.LowestDiscernibleValue);
        BinaryPrimitives.WriteInt64BigEndian(buf.Slice(24), layout.HighestTrackableValue);
        BinaryPrimitives.WriteDoubleBigEndian(buf.Slice(32), 1.0);
        return buf.Slice(0, pos);
    }

    /// <summary>
    /// Encodes <paramref name="histogram"/> in the compressed V2 form (the form .hlog lines carry, before base64). The
    /// span is valid until the next call on this instance. Allocates the zlib stream object (cold path).
    /// </summary>
    public ReadOnlySpan<byte> EncodeCompressed(HistogramBase histogram)
    {
        ReadOnlySpan<byte> raw = Encode(histogram);
        _zlib.SetLength(0);
        using (var z = new ZLibStream(_zlib, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
        int zlen = (int)_zlib.Length;
        if (_compressed.Length < zlen + 8) _compressed = new byte[Math.Max(zlen + 8, _compressed.Length * 2)];
        Span<byte> buf = _compressed;
        BinaryPrimitives.WriteInt32BigEndian(buf, V2CompressedEncodingCookie);
        BinaryPrimitives.WriteInt32BigEndian(buf.Slice(4), zlen);
        _zlib.GetBuffer().AsSpan(0, zlen).CopyTo(buf.Slice(8));
        return buf.Slice(0, zlen + 8);
    }

    /// <summary>
    /// Decodes a V2 histogram, compressed or not, into a new <see cref="LongHistogram"/> (cold path). Throws
    /// <see cref="InvalidDataException"/> on a malformed encoding: logs are files, not wire data.
    /// </summary>
    public static LongHistogram Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8) throw new InvalidDataException("histogram encoding shorter than 8 bytes");
        int cookie = BinaryPrimitives.ReadInt32BigEndian(data);
        if ((cookie & ~0xf0) == (V2CompressedEncodingCookie & ~0xf0))
        {
            int zlen = BinaryPrimitives.ReadInt32BigEndian(data.Slice(4));
            if (zlen < 0 || zlen > data.Length - 8) throw new InvalidDataException($"compressed length {zlen} exceeds the {data.Length - 8} bytes present");
            using var input = new MemoryStream(data.Slice(8, zlen).ToArray(), writable: false);
            using var z = new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            try
            {
                z.CopyTo(output);
            }
            catch (IOException e)
            {
                // zlib reports some corrupt streams as ZLibException (an IOException), not as InvalidDataException.
                throw new InvalidDataException($"corrupt zlib stream: {e.Message}", e);
            }
            return DecodeUncompressed(output.GetBuffer().AsSpan(0, (int)output.Length));
        }
        return DecodeUncompressed(data);
    }

    private static LongHistogram DecodeUncompressed(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderBytes) throw new InvalidDataException("histogram encoding shorter than its 40-byte header");
        int cookie = BinaryPrimitives.ReadInt32BigEndian(data);
        if ((cookie & ~0xf0) != (V2EncodingCookie & ~0xf0))
            throw new InvalidDataException($"cookie 0x{cookie:x8} is not a V2 histogram encoding");
        int payloadLength = BinaryPrimitives.ReadInt32BigEndian(data.Slice(4));
        int normalizingOffset = BinaryPrimitives.ReadInt32BigEndian(data.Slice(8));
        int digits = BinaryPrimitives.ReadInt32BigEndian(data.Slice(12));
        long lowest = BinaryPrimitives.ReadInt64BigEndian(data.Slice(16));
        long highest = BinaryPrimitives.ReadInt64BigEndian(data.Slice(24));
        if (payloadLength < 0 || payloadLength > data.Length - HeaderBytes)
            throw new InvalidDataException($"payload length {payloadLength} exceeds the {data.Length - HeaderBytes} bytes present");
        if (normalizingOffset != 0) throw new InvalidDataException("normalizing index offset other than 0 is not supported");
        if (digits is < 0 or > 5) throw new InvalidDataException($"{digits} significant value digits: must be 0..5");
        if (lowest < 1) lowest = 1;
        if (!HdrLayout.Representable(lowest, digits))
            throw new InvalidDataException($"lowest discernible value {lowest} leaves no room for {digits} significant digits in 63 bits");
        // HdrHistogram.NET 2.5.0 computes its sub-bucket mask in 32 bits ((SubBucketCount - 1) << unitMagnitude on an
        // int): past that its indices differ from the encoding's and recording runs off its counts array.
        if (((long)new HdrLayout(lowest, Math.Max(2 * lowest, highest), digits).SubBucketCount - 1 << BitOperations.Log2((ulong)lowest)) > int.MaxValue)
            throw new InvalidDataException($"lowest discernible value {lowest} is beyond what the histogram library tracks with {digits} significant digits");
        if (highest < 2 * lowest) highest = 2 * lowest;

        // First pass: find how far the counts reach, so the histogram is sized for them (a Java auto-resizing
        // histogram may carry a highest trackable value below its largest recorded value).
        var layout = new HdrLayout(lowest, highest, digits);
        ReadOnlySpan<byte> payload = data.Slice(HeaderBytes, payloadLength);
        int index = 0, lastNonZero = -1;
        long total = 0;
        for (int pos = 0; pos < payload.Length;)
        {
            long v = ReadZigZag(payload, ref pos);
            if (v < 0)
            {
                // A run of -v zero counts; v = long.MinValue has no negation, and no index passes int.MaxValue.
                if (v == long.MinValue || -v > int.MaxValue - (long)index)
                    throw new InvalidDataException($"a run of {(v == long.MinValue ? "2^63" : (-v).ToString(System.Globalization.CultureInfo.InvariantCulture))} zero counts reaches past the largest index");
                index += (int)-v;
            }
            else { if (v > 0) lastNonZero = index; index++; total += v; }
            if (total > MaxTotalCount)
                throw new InvalidDataException($"counts total more than 2^48 ({MaxTotalCount}): percentiles cannot be computed over them");
        }
        if (lastNonZero >= 0)
        {
            long needed = lastNonZero < layout.CountsLength
                ? layout.HighestEquivalentValue(layout.ValueFromIndex(lastNonZero))
                : long.MaxValue / 2;
            if (lastNonZero >= layout.CountsLength)
            {
                // Grow by whole buckets until the index fits; counts beyond the largest 63-bit value are malformed.
                long h = highest;
                while (new HdrLayout(lowest, h, digits).CountsLength <= lastNonZero && h < long.MaxValue / 4) h *= 2;
                layout = new HdrLayout(lowest, h, digits);
                if (lastNonZero >= layout.CountsLength)
                    throw new InvalidDataException($"a count at index {lastNonZero} lies beyond the largest value {digits} significant digits can track");
                needed = layout.HighestEquivalentValue(layout.ValueFromIndex(lastNonZero));
            }
            if (needed > highest) { highest = needed; layout = new HdrLayout(lowest, highest, digits); }
        }

        var histogram = new LongHistogram(lowest, highest, digits);
        index = 0;
        for (int pos = 0; pos < payload.Length;)
        {
            long v = ReadZigZag(payload, ref pos);
            if (v < 0) { index += (int)-v; continue; }
            if (v > 0) histogram.RecordValueWithCount(layout.ValueFromIndex(index), v);
            index++;
        }
        return histogram;
    }

    /// <summary>Index of the highest non-zero count, or 0 when the histogram is empty. Allocation-free.</summary>
    /// <remarks>
    /// Scans upward and stops once the running count reaches the total: latencies crowd the low buckets, so this
    /// reads far fewer buckets than a scan down from the 60 s top would.
    /// </remarks>
    internal static int LastNonZeroIndex(HistogramBase histogram, in HdrLayout layout)
    {
        long total = histogram.TotalCount;
        if (total == 0) return 0;
        long cumulative = 0;
        int last = 0;
        for (int i = 0; i < layout.CountsLength; i++)
        {
            long c = CountAt(histogram, layout, i);
            if (c == 0) continue;
            last = i;
            cumulative += c;
            if (cumulative >= total) break;
        }
        return last;
    }

    private static long CountAt(HistogramBase histogram, in HdrLayout layout, int index)
        => histogram.GetCountAtValue(layout.ValueFromIndex(index));

    /// <summary>
    /// ZigZag then LEB128, the variant HdrHistogram uses: at most 9 bytes, the 9th holding a full 8 bits.
    /// </summary>
    public static int WriteZigZag(Span<byte> dest, long value)
    {
        ulong z = (ulong)((value << 1) ^ (value >> 63));
        int n = 0;
        while (n < 8)
        {
            if (z < 0x80) { dest[n++] = (byte)z; return n; }
            dest[n++] = (byte)(z | 0x80);
            z >>= 7;
        }
        dest[n++] = (byte)z;
        return n;
    }

    internal static long ReadZigZag(ReadOnlySpan<byte> src, ref int pos)
    {
        ulong z = 0;
        int shift = 0;
        for (int n = 0; n < 9; n++)
        {
            if ((uint)pos >= (uint)src.Length) throw new InvalidDataException("truncated LEB128 count");
            byte b = src[pos++];
            if (n == 8) { z |= (ulong)b << 56; break; }
            z |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) break;
            shift += 7;
        }
        return (long)(z >> 1) ^ -(long)(z & 1);
    }
}
