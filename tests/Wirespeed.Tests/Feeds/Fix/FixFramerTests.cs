using System;
using System.Text;
using Wirespeed.Feeds.Fix;
using Xunit;
using static Wirespeed.Tests.Feeds.Fix.FixTestMessages;

namespace Wirespeed.Tests.Feeds.Fix;

/// <summary>Framing from a byte stream: complete, partial, garbage, and each framing fault (FIX Transport TagValue, "Message format").</summary>
public sealed class FixFramerTests
{
    private static readonly byte[] s_heartbeat = Body("0", "");

    [Fact]
    public void A_complete_message_is_framed_with_its_version_and_body_and_checksum_offsets()
    {
        var m = s_heartbeat;
        Assert.Equal(FixStatus.Ok, FixFramer.TryFrame(m, out var f));
        Assert.Equal(0, f.Start);
        Assert.Equal(m.Length, f.Length);
        Assert.Equal(FixVersion.Fix44, f.Version);
        Assert.Equal("35=0", Encoding.ASCII.GetString(m, f.BodyStart, 4));
        Assert.Equal("10=", Encoding.ASCII.GetString(m, f.CheckSumAt, 3));
    }

    [Fact]
    public void Every_prefix_of_a_message_needs_more_bytes_and_skips_nothing()
    {
        var m = s_heartbeat;
        for (int n = 0; n < m.Length; n++)
        {
            Assert.Equal(FixStatus.NeedMoreBytes, FixFramer.TryFrame(m.AsSpan(0, n), out var f));
            Assert.Equal(0, f.Start);
            Assert.Equal(0, f.Length);
        }
    }

    [Fact]
    public void Garbage_before_a_message_is_skipped_and_counted()
    {
        var m = s_heartbeat;
        byte[] stream = [.. "xx8=FOO\u0001garbage"u8, .. m, .. m];
        Assert.Equal(FixStatus.Ok, FixFramer.TryFrame(stream, out var f));
        Assert.Equal(15, f.Start);
        Assert.Equal(m.Length, f.Length);
        Assert.Equal(FixStatus.Ok, FixFramer.TryFrame(stream.AsSpan(f.Start + f.Length), out var g));
        Assert.Equal(0, g.Start);
    }

    [Fact]
    public void Garbage_without_a_start_is_skipped_except_a_tail_that_may_begin_one()
    {
        Assert.Equal(FixStatus.NeedMoreBytes, FixFramer.TryFrame("abcdef8=FI"u8, out var f));
        Assert.Equal(6, f.Start);
        Assert.Equal(FixStatus.NeedMoreBytes, FixFramer.TryFrame("abcdef"u8, out f));
        Assert.Equal(6, f.Start);
        Assert.Equal(FixStatus.NeedMoreBytes, FixFramer.TryFrame("abc8"u8, out f));
        Assert.Equal(3, f.Start);
        Assert.Equal(FixStatus.NeedMoreBytes, FixFramer.TryFrame(ReadOnlySpan<byte>.Empty, out f));
        Assert.Equal(0, f.Start);
    }

    [Theory]
    [InlineData("FIX.4.0", FixVersion.Fix40)]
    [InlineData("FIX.4.1", FixVersion.Fix41)]
    [InlineData("FIX.4.2", FixVersion.Fix42)]
    [InlineData("FIX.4.3", FixVersion.Fix43)]
    [InlineData("FIX.4.4", FixVersion.Fix44)]
    [InlineData("FIXT.1.1", FixVersion.Fixt11)]
    public void Known_begin_strings_name_their_version(string begin, FixVersion version)
    {
        Assert.Equal(FixStatus.Ok, FixFramer.TryFrame(Body("0", "", begin), out var f));
        Assert.Equal(version, f.Version);
    }

    [Theory]
    [InlineData("FIX.4.5")]
    [InlineData("FIX.5.0SP2")]
    [InlineData("FIX4.4")]
    [InlineData("FIXT.1.2")]
    public void Unknown_begin_strings_are_rejected_and_skipped_by_two_bytes(string begin)
    {
        Assert.Equal(FixStatus.BadBeginString, FixFramer.TryFrame(Body("0", "", begin), out var f));
        Assert.Equal(2, f.Length);
        // Without the BeginString check anything starting "FIX" frames, with version Unknown.
        Assert.Equal(FixStatus.Ok, FixFramer.TryFrame(Body("0", "", begin), out f, FixFramingChecks.BodyLength | FixFramingChecks.CheckSum));
        Assert.Equal(FixVersion.Unknown, f.Version);
    }

    [Fact]
    public void A_begin_string_without_its_delimiter_is_bad_once_longer_than_any_version()
    {
        Assert.Equal(FixStatus.BadBeginString, FixFramer.TryFrame("8=FIX.4.4.4.4.4.4.4.4"u8, out var f));
        Assert.Equal(2, f.Length);
        // With the version check off the value must still start "FIX".
        Assert.Equal(FixStatus.BadBeginString, FixFramer.TryFrame("8=FI\u00019=5\u0001"u8, out _, FixFramingChecks.None));
        Assert.Equal(FixStatus.BadBeginString, FixFramer.Validate("8=FOOBAR\u00019=5\u0001"u8, FixFramingChecks.None, out _));
    }

    [Theory]
    [InlineData("8=FIX.4.4\u00017=5\u0001")]            // not 9=
    [InlineData("8=FIX.4.4\u00019=\u0001")]             // no digits
    [InlineData("8=FIX.4.4\u00019=0\u0001")]            // empty body
    [InlineData("8=FIX.4.4\u00019=12a\u0001")]          // not a number
    [InlineData("8=FIX.4.4\u00019=99999999\u0001")]     // larger than any message
    public void A_malformed_body_length_is_bad(string text)
    {
        Assert.Equal(FixStatus.BadBodyLength, FixFramer.TryFrame(Encoding.ASCII.GetBytes(text), out var f));
        Assert.Equal(2, f.Length);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(5)]
    public void A_body_length_that_misses_the_checksum_field_is_bad(int delta)
    {
        var m = Msg("35=0|" + Header44, lengthDelta: delta);
        byte[] padded = [.. m, .. "0000000000"u8];
        Assert.Equal(FixStatus.BadBodyLength, FixFramer.TryFrame(padded, out var f));
        Assert.Equal(2, f.Length);
    }

    [Fact]
    public void A_body_length_pointing_past_the_bytes_needs_more_bytes()
    {
        var m = Msg("35=0|" + Header44, lengthDelta: 40);
        Assert.Equal(FixStatus.NeedMoreBytes, FixFramer.TryFrame(m, out _));
        Assert.Equal(FixStatus.BadBodyLength, FixFramer.Validate(m, FixFramingChecks.All, out _));
    }

    [Fact]
    public void A_wrong_checksum_is_bad_and_the_whole_message_is_dropped()
    {
        var m = Msg("35=0|" + Header44, checkSumDelta: 1);
        Assert.Equal(FixStatus.BadCheckSum, FixFramer.TryFrame(m, out var f));
        Assert.Equal(m.Length, f.Length);
        Assert.Equal(FixStatus.Ok, FixFramer.TryFrame(m, out _, FixFramingChecks.BeginString | FixFramingChecks.BodyLength));
    }

    [Theory]
    [InlineData("10=1a3\u0001")]
    [InlineData("10=12\u0001\u0001")]
    [InlineData("10=1234567")]
    public void A_malformed_checksum_field_is_bad(string trailer)
    {
        var m = Msg("35=0|" + Header44);
        byte[] bad = [.. m.AsSpan(0, m.Length - 7), .. Encoding.ASCII.GetBytes(trailer)];
        Assert.Equal(FixStatus.BadCheckSum, FixFramer.TryFrame(bad, out _, FixFramingChecks.BeginString | FixFramingChecks.BodyLength));
    }

    [Fact]
    public void Without_the_body_length_check_the_end_is_found_by_the_checksum_field()
    {
        var m = Msg("35=0|" + Header44, lengthDelta: 7);
        Assert.Equal(FixStatus.Ok, FixFramer.TryFrame(m, out var f, FixFramingChecks.BeginString | FixFramingChecks.CheckSum));
        Assert.Equal(m.Length, f.Length);
        Assert.Equal(FixStatus.NeedMoreBytes, FixFramer.TryFrame(m.AsSpan(0, m.Length - 2), out _, FixFramingChecks.BeginString));
        Assert.Equal(FixStatus.NeedMoreBytes, FixFramer.TryFrame(m.AsSpan(0, 40), out _, FixFramingChecks.BeginString));
    }

    [Fact]
    public void Validate_rejects_bytes_after_the_message_and_anything_not_starting_with_8()
    {
        var m = s_heartbeat;
        Assert.Equal(FixStatus.Ok, FixFramer.Validate(m, FixFramingChecks.All, out _));
        Assert.Equal(FixStatus.BadBodyLength, FixFramer.Validate([.. m, (byte)'x'], FixFramingChecks.All, out _));
        Assert.Equal(FixStatus.BadBeginString, FixFramer.Validate("x"u8, FixFramingChecks.All, out _));
        Assert.Equal(FixStatus.BadBeginString, FixFramer.Validate("9=FIX"u8, FixFramingChecks.All, out _));
    }

    [Fact]
    public void The_vectorised_checksum_equals_the_plain_byte_sum()
    {
        var rng = new Random(14);
        for (int n = 0; n < 300; n += 7)
        {
            var b = new byte[n];
            rng.NextBytes(b);
            int sum = 0;
            foreach (byte x in b) sum += x;
            Assert.Equal(sum % 256, FixFramer.CheckSum(b));
        }
    }
}
