using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using HdrHistogram;
using Wirespeed.Core.Monitoring;
using Xunit;

namespace Wirespeed.Tests.Core.Monitoring;

public class HdrCodecTests
{
    internal static HistogramBase RandomHistogram(int seed, int values)
    {
        var rng = new Random(seed);
        var h = StageMetrics.CreateCompatibleHistogram();
        for (int i = 0; i < values; i++)
        {
            // Log-uniform from 1 ns to ~60 s, so every bucket magnitude appears, plus repeated values.
            long v = (long)Math.Exp(rng.NextDouble() * Math.Log(StageMetrics.HighestTrackableNs));
            h.RecordValueWithCount(Math.Clamp(v, 1, StageMetrics.HighestTrackableNs), rng.Next(1, 4));
        }
        return h;
    }

    private static void AssertSameCounts(HistogramBase expected, HistogramBase actual)
    {
        Assert.Equal(expected.TotalCount, actual.TotalCount);
        Assert.Equal(HistogramStats.Max(expected), HistogramStats.Max(actual));
        var layout = new HdrLayout(expected.LowestTrackableValue, expected.HighestTrackableValue, expected.NumberOfSignificantValueDigits);
        for (int i = 0; i < layout.CountsLength; i++)
        {
            long v = layout.ValueFromIndex(i);
            if (v > expected.HighestTrackableValue) break;
            Assert.Equal(expected.GetCountAtValue(v), actual.GetCountAtValue(v));
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 100)]
    [InlineData(3, 10_000)]
    [InlineData(4, 50_000)]
    public void Compressed_encoding_round_trips_random_histograms(int seed, int values)
    {
        var original = RandomHistogram(seed, values);
        var codec = new HdrCodec();
        var decoded = HdrCodec.Decode(codec.EncodeCompressed(original));
        AssertSameCounts(original, decoded);
    }

    [Fact]
    public void Uncompressed_encoding_round_trips_and_carries_the_v2_header()
    {
        var original = RandomHistogram(7, 2_000);
        var codec = new HdrCodec();
        ReadOnlySpan<byte> raw = codec.Encode(original);
        Assert.Equal(0x1c849313, BinaryPrimitives.ReadInt32BigEndian(raw));
        Assert.Equal(raw.Length - 40, BinaryPrimitives.ReadInt32BigEndian(raw.Slice(4)));
        Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(raw.Slice(12)));
        Assert.Equal(1L, BinaryPrimitives.ReadInt64BigEndian(raw.Slice(16)));
        Assert.Equal(StageMetrics.HighestTrackableNs, BinaryPrimitives.ReadInt64BigEndian(raw.Slice(24)));
        Assert.Equal(1.0, BinaryPrimitives.ReadDoubleBigEndian(raw.Slice(32)));
        AssertSameCounts(original, HdrCodec.Decode(raw));
    }

    [Fact]
    public void Empty_histogram_round_trips()
    {
        var empty = StageMetrics.CreateCompatibleHistogram();
        var decoded = HdrCodec.Decode(new HdrCodec().EncodeCompressed(empty));
        Assert.Equal(0, decoded.TotalCount);
    }

    [Fact]
    public void Compressed_form_is_a_complete_zlib_stream_with_adler32_trailer()
    {
        var h = RandomHistogram(11, 500);
        var codec = new HdrCodec();
        byte[] raw = codec.Encode(h).ToArray();
        byte[] compressed = codec.EncodeCompressed(h).ToArray();
        Assert.Equal(0x1c849314, BinaryPrimitives.ReadInt32BigEndian(compressed));
        int zlen = BinaryPrimitives.ReadInt32BigEndian(compressed.AsSpan(4));
        Assert.Equal(compressed.Length - 8, zlen);
        Assert.Equal(0x78, compressed[8]); // RFC 1950: CM=8 (deflate), 32 KiB window
        Assert.Equal(0, ((compressed[8] << 8) | compressed[9]) % 31);
        Assert.Equal(Adler32(raw), BinaryPrimitives.ReadUInt32BigEndian(compressed.AsSpan(compressed.Length - 4)));

        // The deflate data ends with its final block: a raw inflater stops exactly before the trailer.
        using var inflater = new DeflateStream(new MemoryStream(compressed, 10, zlen - 2 - 4), CompressionMode.Decompress);
        var output = new MemoryStream();
        inflater.CopyTo(output);
        Assert.Equal(raw, output.ToArray());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(-1L)]
    [InlineData(63L)]
    [InlineData(-64L)]
    [InlineData(1L << 55)]
    [InlineData(1L << 56)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void ZigZag_leb128_round_trips_in_at_most_nine_bytes(long value)
    {
        Span<byte> buf = stackalloc byte[9];
        int n = HdrCodec.WriteZigZag(buf, value);
        Assert.InRange(n, 1, 9);
        int pos = 0;
        Assert.Equal(value, HdrCodec.ReadZigZag(buf.Slice(0, n), ref pos));
        Assert.Equal(n, pos);
    }

    [Fact]
    public void ZigZag_matches_the_reference_byte_values()
    {
        // ZigZag maps 0,-1,1,-2,2 to 0,1,2,3,4; 300 → 600 → LEB128 0xD8 0x04.
        Span<byte> buf = stackalloc byte[9];
        Assert.Equal(1, HdrCodec.WriteZigZag(buf, -2));
        Assert.Equal(3, buf[0]);
        Assert.Equal(2, HdrCodec.WriteZigZag(buf, 300));
        Assert.Equal(0xD8, buf[0]);
        Assert.Equal(0x04, buf[1]);
    }

    [Fact]
    public void Layout_agrees_with_HdrHistogram_net_bucket_boundaries()
    {
        var h = StageMetrics.CreateCompatibleHistogram();
        var layout = new HdrLayout(1, StageMetrics.HighestTrackableNs, 3);
        var rng = new Random(5);
        for (int i = 0; i < 10_000; i++)
        {
            long v = (long)Math.Exp(rng.NextDouble() * Math.Log(StageMetrics.HighestTrackableNs));
            Assert.Equal(h.HighestEquivalentValue(v), layout.HighestEquivalentValue(v));
            Assert.Equal(h.LowestEquivalentValue(v), layout.ValueFromIndex(layout.IndexOf(v)));
        }
    }

    [Fact]
    public void Truncated_encoding_is_reported_as_invalid_data()
    {
        byte[] compressed = new HdrCodec().EncodeCompressed(RandomHistogram(3, 100)).ToArray();
        Assert.Throws<InvalidDataException>(() => HdrCodec.Decode(compressed.AsSpan(0, 20)));
        Assert.Throws<InvalidDataException>(() => HdrCodec.Decode(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }));
    }

    private static uint Adler32(byte[] data)
    {
        uint a = 1, b = 0;
        foreach (byte x in data) { a = (a + x) % 65521; b = (b + a) % 65521; }
        return (b << 16) | a;
    }
}

public class HistogramStatsTests
{
    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    public void One_pass_percentile_and_max_agree_with_the_separate_figures(int seed)
    {
        var h = HdrCodecTests.RandomHistogram(seed, 5_000);
        foreach (double p in new[] { 0.0, 50, 99, 99.9, 100 })
        {
            HistogramStats.PercentileAndMax(h, p, out long value, out long max);
            Assert.Equal(HistogramStats.ValueAtPercentile(h, p), value);
            Assert.Equal(HistogramStats.Max(h), max);
        }
    }

    [Fact]
    public void Figures_follow_HdrHistogram_conventions_on_a_small_known_histogram()
    {
        var h = StageMetrics.CreateCompatibleHistogram();
        for (long v = 1; v <= 100; v++) h.RecordValue(v);   // exact below 2048
        h.RecordValue(5000);                                // 4096..8191 counts in steps of 4: 5000..5003
        Assert.Equal(1, HistogramStats.Min(h));
        Assert.Equal(50, HistogramStats.ValueAtPercentile(h, 49.5)); // ceil(0.495 × 101) = 50th value
        Assert.Equal(100, HistogramStats.ValueAtPercentile(h, 99));
        Assert.Equal(5003, HistogramStats.ValueAtPercentile(h, 100));
        Assert.Equal(5003, HistogramStats.Max(h));
        Assert.Equal((5050 + 5002.0) / 101, HistogramStats.Mean(h), 9); // bucket 5000..5003 weighs lowest + width/2 = 5002
        Assert.Equal(100, HistogramStats.CountAtOrBelow(h, 100));
        Assert.Equal(101, HistogramStats.CountAtOrBelow(h, StageMetrics.HighestTrackableNs));
        var empty = StageMetrics.CreateCompatibleHistogram();
        Assert.Equal(0, HistogramStats.Max(empty));
        Assert.Equal(0, HistogramStats.ValueAtPercentile(empty, 99));
        Assert.Equal(0.0, HistogramStats.Mean(empty));
    }
}
