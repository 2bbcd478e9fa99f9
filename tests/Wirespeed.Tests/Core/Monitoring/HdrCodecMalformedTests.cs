using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using HdrHistogram;
using Wirespeed.Core.Monitoring;
using Xunit;

namespace Wirespeed.Tests.Core.Monitoring;

/// <summary>
/// Encodings found by <c>wirespeed fuzz --format hlog</c> that crashed (IndexOutOfRangeException) or hung
/// <c>wirespeed hdr</c>: each must now be an <see cref="InvalidDataException"/> naming the fault, within a second.
/// </summary>
public class HdrCodecMalformedTests
{
    /// <summary>An uncompressed V2 encoding with the given header and ZigZag LEB128 counts.</summary>
    private static byte[] Raw(int digits, long lowest, long highest, params long[] counts)
    {
        var payload = new List<byte>();
        Span<byte> b = stackalloc byte[9];
        foreach (long c in counts)
        {
            int n = HdrCodec.WriteZigZag(b, c);
            for (int i = 0; i < n; i++) payload.Add(b[i]);
        }
        var raw = new byte[40 + payload.Count];
        BinaryPrimitives.WriteInt32BigEndian(raw, HdrCodec.V2EncodingCookie);
        BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(4), payload.Count);
        BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(12), digits);
        BinaryPrimitives.WriteInt64BigEndian(raw.AsSpan(16), lowest);
        BinaryPrimitives.WriteInt64BigEndian(raw.AsSpan(24), highest);
        BinaryPrimitives.WriteDoubleBigEndian(raw.AsSpan(32), 1.0);
        payload.CopyTo(raw, 40);
        return raw;
    }

    /// <summary>Decodes on another thread so that a regression fails the test instead of hanging the suite.</summary>
    private static string Rejected(byte[] raw)
    {
        var decode = Task.Run(() => Assert.Throws<InvalidDataException>(() => HdrCodec.Decode(raw)).Message);
        Assert.True(decode.Wait(TimeSpan.FromSeconds(5)), "decoding did not end");
        return decode.Result;
    }

    [Fact]
    public void A_lowest_value_leaving_no_room_for_the_digits_is_rejected_not_looped_on()
        => Assert.Contains("leaves no room", Rejected(Raw(3, (1L << 62) - 1, 60_000_000_000, 1, 2)));

    [Fact]
    public void A_lowest_value_past_the_libraries_32_bit_mask_is_rejected_not_indexed_out_of_range()
        => Assert.Contains("beyond what the histogram library tracks", Rejected(Raw(3, 1L << 40, 60_000_000_000, 5, -100, 7)));

    [Fact]
    public void A_count_beyond_the_largest_trackable_index_is_rejected()
        => Assert.Contains("beyond the largest value", Rejected(Raw(0, 1, 60_000_000_000, -1_000_000, 1)));

    [Fact]
    public void A_zero_run_past_the_largest_index_is_rejected_not_wrapped_negative()
        => Assert.Contains("reaches past the largest index", Rejected(Raw(1, 1, 60_000_000_000, 3, -int.MaxValue, 2)));

    [Fact]
    public void Counts_beyond_two_to_the_48_are_rejected_because_percentiles_over_them_never_end()
    {
        Assert.Contains("more than 2^48", Rejected(Raw(3, 1, 60_000_000_000, 5, 1L << 62)));
        Assert.Contains("more than 2^48", Rejected(Raw(3, 1, 60_000_000_000, 5, (1L << 52) + 3, -1024, 1)));
    }

    [Fact]
    public void Intervals_of_one_tag_totalling_more_than_two_to_the_48_are_rejected_at_their_line()
    {
        var h = new HdrHistogram.LongHistogram(1, 60_000_000_000, 3);
        h.RecordValueWithCount(1500, 1L << 47);
        using var stream = new MemoryStream();
        using (var writer = new HlogWriter(stream, 1_764_000_000_000, leaveOpen: true))
            for (int i = 0; i < 3; i++) writer.Append("decode", 1_764_000_000_000 + i * 1000L, 1_764_000_000_000 + (i + 1) * 1000L, h);
        stream.Position = 0;
        var e = Assert.Throws<InvalidDataException>(() => HlogReader.Read(new StreamReader(stream)));
        Assert.StartsWith("line 7: the intervals of tag 'decode' count more than 2^48", e.Message);
    }

    [Fact]
    public void A_zlib_stream_that_zlib_reports_as_an_IOException_is_invalid_data()
    {
        // The log case 43525 of 'wirespeed fuzz --format hlog --seed 1' made: ZLibException escaped 'wirespeed hdr'.
        byte[] log = Convert.FromBase64String(
        "IwpUYWc9LDEsMSwsSElTVEZBQUFBWlI0SU80ZEFRRVFVUmdHNEhPZS83L2U3UEx6YzdsSWljbEZKRVFrN3VBUUVpRWlJdEVnSW1K" +
        "TkloRU5JU0lOSVJJaDFoVFJJQ0lPNGRBUUVRNGhFUTdoRkJJTklSSFI2QkRSVkV0UU5CUkgrM2poTytjOTcvZCtuUGZNdmJWR0NF" +
        "Nkg0OHIrOXhoQ0tINk5Yd25EUDQ2Si9ZaThJdVFuMjNLeWhJb2c1QlUxV1M1SVVEbUNRanVxQ2szS1JBM29WcWpyVUpWR1NyclYx" +
        "RFVFbWFEaGdnR0RWdU9ScXVHVU9WUHVHTlRTVkdycFVaZzFLZGlJVnBMdWQ3UVpEYnNzS054VXQ2U3EyNFR0cUxTZktSMjA2Zk1o" +
        "Mm91ZVIxdFJ3NU9vMzZEdnlXS1VYazBkK2sycStjbEZTOGF0eHlRYjBtZWJ1a3ZPbWZXUjh4NnpZTXpuZEw3dVRlWXdaVEZrTFBu" +
        "ZjBqUm53YnlXZGFZcDhqbDM3VVJQby91NVJjR3o2QTgzVEhyQVRNcHFXVjJYWmUvVC9Tc3QrOUZWVTBZOWpJSjVJenE4aUY2eGVj" +
        "STFqM2pKQnJ1NWxuNkxPaFZ1NnpTUkZtMUZWYTlqMnJUYXBsZHBONXAyR0sxa011K2l0V2hVNlZQdWJQcjBseU5tcDZMWFRIcitH" +
        "MjNudW55TDlqSWp1dFFGUFE0eU5XL2JVd2hqSnZ3RHozWlF2QT09");
        var e = Assert.Throws<InvalidDataException>(() => HlogReader.Read(new StreamReader(new MemoryStream(log))));
        Assert.Contains("corrupt zlib stream", e.Message);
    }

    [Fact]
    public void A_histogram_of_the_largest_total_decodes_and_its_percentile_table_ends()
    {
        // The worst case for the percentile output: all but one count in the first bucket, the last one far above.
        var h = HdrCodec.Decode(Raw(3, 1, 60_000_000_000, 0, HdrCodec.MaxTotalCount - 1, -20_000, 1));
        Assert.Equal(HdrCodec.MaxTotalCount, h.TotalCount);
        Assert.True(EndsWithin(() => h.OutputPercentileDistribution(TextWriter.Null, 5, 1000.0, false), TimeSpan.FromSeconds(10)),
            "the percentile table did not end");
    }

    /// <summary>Runs <paramref name="action"/> on another thread: false when it has not ended within <paramref name="limit"/>.</summary>
    private static bool EndsWithin(Action action, TimeSpan limit) => Task.Run(action).Wait(limit);
}
