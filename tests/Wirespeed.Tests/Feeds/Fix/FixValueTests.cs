using System;
using System.Text;
using Wirespeed.Feeds.Fix;
using Xunit;

namespace Wirespeed.Tests.Feeds.Fix;

/// <summary>Typed value readers (FIX data types int, float/Price, char, Boolean, UTCTimestamp, UTCDateOnly, UTCTimeOnly).</summary>
public sealed class FixValueTests
{
    private static ReadOnlySpan<byte> B(string s) => Encoding.ASCII.GetBytes(s);

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("42", 42L)]
    [InlineData("-17", -17L)]
    [InlineData("007", 7L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775807", -long.MaxValue)]
    public void Ints_parse(string text, long expected)
    {
        Assert.Equal(FixStatus.Ok, FixValue.TryInt(B(text), out long v));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("", FixStatus.TagSpecifiedWithoutValue)]
    [InlineData("-", FixStatus.IncorrectDataFormat)]
    [InlineData("1.5", FixStatus.IncorrectDataFormat)]
    [InlineData("12a", FixStatus.IncorrectDataFormat)]
    [InlineData("+1", FixStatus.IncorrectDataFormat)]
    [InlineData("9223372036854775808", FixStatus.ValueIncorrect)]
    [InlineData("99999999999999999999", FixStatus.ValueIncorrect)]
    [InlineData("99999999999999999999x", FixStatus.IncorrectDataFormat)]
    public void Bad_ints_say_why(string text, FixStatus expected) => Assert.Equal(expected, FixValue.TryInt(B(text), out _));

    [Theory]
    [InlineData("187.1234", 4, 1_871_234L)]
    [InlineData("2.686142", 4, 26_861L)]        // truncated past the scale
    [InlineData("-3657.05", 4, -36_570_500L)]
    [InlineData("1.38", 8, 138_000_000L)]
    [InlineData("10", 4, 100_000L)]
    [InlineData(".5", 4, 5_000L)]
    [InlineData("5.", 4, 50_000L)]
    [InlineData("0.00001", 4, 0L)]
    [InlineData("-0", 2, 0L)]
    [InlineData("922337203685477.5807", 4, long.MaxValue)]
    public void Prices_parse_to_fixed_point(string text, int decimals, long expected)
    {
        Assert.Equal(FixStatus.Ok, FixValue.TryFixed(B(text), decimals, out long v));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("", 4, FixStatus.TagSpecifiedWithoutValue)]
    [InlineData("1.2.3", 4, FixStatus.IncorrectDataFormat)]
    [InlineData("1e5", 4, FixStatus.IncorrectDataFormat)]
    [InlineData(".", 4, FixStatus.IncorrectDataFormat)]
    [InlineData("-", 4, FixStatus.IncorrectDataFormat)]
    [InlineData("1", 19, FixStatus.ValueIncorrect)]
    [InlineData("922337203685477.5808", 4, FixStatus.ValueIncorrect)]
    [InlineData("922337203685478", 4, FixStatus.ValueIncorrect)]
    [InlineData("99999999999999999999.5", 0, FixStatus.ValueIncorrect)]
    [InlineData("99999999999999999999x", 0, FixStatus.IncorrectDataFormat)]
    public void Bad_prices_say_why(string text, int decimals, FixStatus expected) => Assert.Equal(expected, FixValue.TryFixed(B(text), decimals, out _));

    [Fact]
    public void Chars_and_booleans()
    {
        Assert.Equal(FixStatus.Ok, FixValue.TryChar(B("Y"), out byte c));
        Assert.Equal((byte)'Y', c);
        Assert.Equal(FixStatus.TagSpecifiedWithoutValue, FixValue.TryChar(B(""), out _));
        Assert.Equal(FixStatus.IncorrectDataFormat, FixValue.TryChar(B("YN"), out _));
        Assert.Equal(FixStatus.Ok, FixValue.TryBool(B("Y"), out bool yes));
        Assert.True(yes);
        Assert.Equal(FixStatus.Ok, FixValue.TryBool(B("N"), out bool no));
        Assert.False(no);
        Assert.Equal(FixStatus.ValueIncorrect, FixValue.TryBool(B("X"), out _));
        Assert.Equal(FixStatus.TagSpecifiedWithoutValue, FixValue.TryBool(B(""), out _));
    }

    [Theory]
    [InlineData("20261207-23:30:00", 0)]
    [InlineData("20261207-23:30:00.123", 123_000_000)]
    [InlineData("20261207-23:30:00.123456", 123_456_000)]
    [InlineData("20261207-23:30:00.123456789", 123_456_789)]
    [InlineData("20261207-23:30:00.123456789012", 123_456_789)]   // picoseconds truncated
    public void Timestamps_parse_to_unix_ns(string text, long fractionNs)
    {
        Assert.Equal(FixStatus.Ok, FixValue.TryUtcTimestamp(B(text), out long ns));
        long seconds = new DateTimeOffset(2026, 12, 7, 23, 30, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Equal(seconds * 1_000_000_000 + fractionNs, ns);
    }

    [Fact]
    public void Timestamps_agree_with_the_runtime_calendar_across_leap_years_and_before_1970()
    {
        var rng = new Random(44);
        for (int i = 0; i < 2000; i++)
        {
            var t = new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(rng.NextInt64(0, 200L * 365 * 86400));
            string text = t.ToString("yyyyMMdd-HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(FixStatus.Ok, FixValue.TryUtcTimestamp(B(text), out long ns));
            Assert.Equal(new DateTimeOffset(t).ToUnixTimeSeconds() * 1_000_000_000, ns);
        }
    }

    [Theory]
    [InlineData("", FixStatus.TagSpecifiedWithoutValue)]
    [InlineData("20261207 23:30:00", FixStatus.IncorrectDataFormat)]
    [InlineData("20261207-23:30", FixStatus.IncorrectDataFormat)]
    [InlineData("2026120x-23:30:00", FixStatus.IncorrectDataFormat)]
    [InlineData("20261307-23:30:00", FixStatus.ValueIncorrect)]
    [InlineData("20261200-23:30:00", FixStatus.ValueIncorrect)]
    [InlineData("20250229-23:30:00", FixStatus.ValueIncorrect)]
    [InlineData("20261131-23:30:00", FixStatus.ValueIncorrect)]
    [InlineData("20261207-24:00:00", FixStatus.ValueIncorrect)]
    [InlineData("20261207-23:60:00", FixStatus.ValueIncorrect)]
    [InlineData("20261207-23:59:61", FixStatus.ValueIncorrect)]
    [InlineData("20261207-23:59:00.", FixStatus.IncorrectDataFormat)]
    [InlineData("20261207-23:59:00,5", FixStatus.IncorrectDataFormat)]
    [InlineData("20261207-23:59:00.5x", FixStatus.IncorrectDataFormat)]
    [InlineData("20261207-23:59:00.1234567890123", FixStatus.IncorrectDataFormat)]
    [InlineData("20261207-23-59:00", FixStatus.IncorrectDataFormat)]
    public void Bad_timestamps_say_why(string text, FixStatus expected) => Assert.Equal(expected, FixValue.TryUtcTimestamp(B(text), out _));

    [Fact]
    public void Leap_day_and_leap_second_are_valid()
    {
        Assert.Equal(FixStatus.Ok, FixValue.TryUtcTimestamp(B("20240229-23:59:60"), out _));
        Assert.Equal(FixStatus.Ok, FixValue.TryUtcDate(B("20000229"), out _));
        Assert.Equal(FixStatus.ValueIncorrect, FixValue.TryUtcDate(B("19000229"), out _));
        Assert.Equal(FixStatus.IncorrectDataFormat, FixValue.TryUtcDate(B("2026127"), out _));
        Assert.Equal(FixStatus.TagSpecifiedWithoutValue, FixValue.TryUtcDate(B(""), out _));
        Assert.Equal(FixStatus.TagSpecifiedWithoutValue, FixValue.TryUtcTimeOnly(B(""), out _));
        Assert.Equal(FixStatus.Ok, FixValue.TryUtcDate(B("19700102"), out long day));
        Assert.Equal(86_400_000_000_000L, day);
    }
}
