using System;
using Wirespeed.Feeds.Fix;
using Xunit;
using static Wirespeed.Tests.Feeds.Fix.FixTestMessages;

namespace Wirespeed.Tests.Feeds.Fix;

/// <summary>The encoder: exact bytes against messages built by hand, every field writer, faults, and encoder → parser round trips.</summary>
public sealed class FixWriterTests
{
    private readonly FixParser _parser = new(FixDictionary.Default);

    private static long Ns(int y, int mo, int d, int h, int mi, int s) => new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.Zero).ToUnixTimeSeconds() * 1_000_000_000L;

    [Fact]
    public void A_heartbeat_is_byte_for_byte_the_hand_built_one()
    {
        var buffer = new byte[256];
        var w = new FixWriter(buffer, "FIX.4.4"u8, "0"u8);
        w.Bytes(49, "SNDR"u8);
        w.Bytes(56, "TRGT"u8);
        w.Int(34, 12);
        w.Timestamp(52, Ns(2026, 12, 7, 23, 30, 0) + 123_000_000);
        Assert.Equal(FixStatus.Ok, w.Finish(out int length));
        Assert.Equal(Text(Body("0", "")), Text(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void An_incremental_refresh_round_trips_through_the_parser()
    {
        var buffer = new byte[1024];
        var w = new FixWriter(buffer, "FIXT.1.1"u8, "X"u8);
        w.Bytes(49, "WS"u8);
        w.Bytes(56, "OMS"u8);
        w.Int(34, 7_000_000_001);
        w.Timestamp(52, Ns(2026, 12, 7, 9, 0, 0) + 1_234_567, FixTimePrecision.Nanoseconds);
        w.Int(268, 4);
        long[] prices = { 1_871_234, -36_570_500, 0, 100_000 };
        for (int i = 0; i < 4; i++)
        {
            w.Char(279, (byte)('0' + i % 3));
            w.Char(269, (byte)('0' + i % 2));
            w.Bytes(55, "AAPL"u8);
            w.Int(83, 10 + i);
            w.Fixed(270, prices[i], 4);
            w.Fixed(271, 250 + i, 0);
        }
        Assert.Equal(FixStatus.Ok, w.Status);
        Assert.Equal(FixStatus.Ok, w.Finish(out int length));
        Assert.Equal(FixStatus.Ok, _parser.Parse(buffer.AsSpan(0, length), out var v));
        Assert.Equal(FixVersion.Fixt11, v.Version);
        Assert.Equal(FixStatus.Ok, v.TryGetInt(34, out long seq));
        Assert.Equal(7_000_000_001, seq);
        Assert.Equal(FixStatus.Ok, v.TryGetTimestamp(52, out long sent));
        Assert.Equal(Ns(2026, 12, 7, 9, 0, 0) + 1_234_567, sent);
        var g = v.Group(268);
        Assert.Equal(4, g.Count);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(FixStatus.Ok, g[i].TryGetFixed(270, 4, out long px));
            Assert.Equal(prices[i], px);
            Assert.Equal(FixStatus.Ok, g[i].TryGetInt(271, out long qty));
            Assert.Equal(250 + i, qty);
        }
        Assert.Contains("270=187.1234\u0001", Text(buffer.AsSpan(0, length)).Replace('|', '\u0001'));
        Assert.Contains("|270=-3657.05|", Text(buffer.AsSpan(0, length)));
        Assert.Contains("|270=0|", Text(buffer.AsSpan(0, length)));
        Assert.Contains("|270=10|", Text(buffer.AsSpan(0, length)));
        Assert.Contains("|52=20261207-09:00:00.001234567|", Text(buffer.AsSpan(0, length)));
    }

    [Theory]
    [InlineData(FixTimePrecision.Seconds, "20240229-23:59:59")]
    [InlineData(FixTimePrecision.Milliseconds, "20240229-23:59:59.987")]
    [InlineData(FixTimePrecision.Microseconds, "20240229-23:59:59.987654")]
    [InlineData(FixTimePrecision.Nanoseconds, "20240229-23:59:59.987654321")]
    public void Timestamps_are_written_at_the_asked_precision(FixTimePrecision precision, string expected)
    {
        var buffer = new byte[128];
        var w = new FixWriter(buffer, "FIX.4.4"u8, "0"u8);
        w.Timestamp(60, Ns(2024, 2, 29, 23, 59, 59) + 987_654_321, precision);
        Assert.Equal(FixStatus.Ok, w.Finish(out int n));
        Assert.Contains("|60=" + expected + "|", Text(buffer.AsSpan(0, n)));
    }

    [Fact]
    public void Extreme_fixed_values_are_written_exactly()
    {
        var buffer = new byte[256];
        var w = new FixWriter(buffer, "FIX.4.4"u8, "0"u8);
        w.Fixed(1, long.MinValue, 4);
        w.Fixed(2, long.MaxValue, 18);
        w.Fixed(3, 5, 3);
        Assert.Equal(FixStatus.Ok, w.Finish(out int n));
        string t = Text(buffer.AsSpan(0, n));
        Assert.Contains("|1=-922337203685477.5808|", t);
        Assert.Contains("|2=9.223372036854775807|", t);
        Assert.Contains("|3=0.005|", t);
    }

    [Fact]
    public void A_body_length_of_several_digits_moves_the_body_and_stays_valid()
    {
        var buffer = new byte[40_000];
        var w = new FixWriter(buffer, "FIX.4.4"u8, "0"u8);
        var text = new byte[30_000];
        text.AsSpan().Fill((byte)'a');
        w.Bytes(58, text);
        Assert.Equal(FixStatus.Ok, w.Finish(out int n));
        Assert.StartsWith("8=FIX.4.4|9=30009|35=0|58=aaa", Text(buffer.AsSpan(0, 40)));
        Assert.Equal(FixStatus.Ok, FixFramer.Validate(buffer.AsSpan(0, n), FixFramingChecks.All, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(30)]
    [InlineData(36)]
    [InlineData(50)]
    [InlineData(75)]
    public void A_buffer_too_small_is_reported_not_overrun(int size)
    {
        var buffer = new byte[size + 8];
        buffer.AsSpan(size).Fill(0xEE);
        var w = new FixWriter(buffer.AsSpan(0, size), "FIX.4.4"u8, "D"u8);
        w.Bytes(11, "order-1"u8);
        w.Int(38, 100);
        w.Fixed(44, 1_871_234, 4);
        w.Char(54, (byte)'1');
        w.Timestamp(60, Ns(2026, 1, 1, 0, 0, 0));
        Assert.Equal(FixStatus.OutputFull, w.Finish(out int n));
        Assert.Equal(0, n);
        Assert.True(buffer.AsSpan(size).IndexOfAnyExcept((byte)0xEE) < 0);
    }

    [Fact]
    public void Every_field_writer_reports_a_full_buffer()
    {
        var full = new byte[80];
        for (int field = 0; field < 5; field++)
        {
            for (int size = 18; size < 80; size++)
            {
                var w = new FixWriter(full.AsSpan(0, size), "FIX.4.4"u8, "0"u8);
                switch (field)
                {
                    case 0: w.Int(34, 123456789); break;
                    case 1: w.Fixed(44, -123456789, 4); break;
                    case 2: w.Timestamp(52, 1, FixTimePrecision.Nanoseconds); break;
                    case 3: w.Char(54, (byte)'1'); break;
                    default: w.Bytes(58, "some text here"u8); break;
                }
                var s = w.Finish(out int n);
                Assert.True(s == FixStatus.Ok || s == FixStatus.OutputFull, s.ToString());
                if (s == FixStatus.Ok) Assert.Equal(FixStatus.Ok, FixFramer.Validate(full.AsSpan(0, n), FixFramingChecks.All, out _));
            }
        }
    }

    [Fact]
    public void Invalid_values_are_refused_with_the_first_fault_and_its_tag()
    {
        var buffer = new byte[256];
        var w = new FixWriter(buffer, "FIX.4.4"u8, "0"u8);
        w.Bytes(58, "a\u0001b"u8);
        w.Bytes(59, ReadOnlySpan<byte>.Empty);
        Assert.Equal(FixStatus.IncorrectDataFormat, w.Status);
        Assert.Equal(58, w.FaultTag);
        Assert.Equal(FixStatus.IncorrectDataFormat, w.Finish(out _));

        Check(w2 => w2.Bytes(58, ReadOnlySpan<byte>.Empty), FixStatus.TagSpecifiedWithoutValue, 58);
        Check(w2 => w2.Char(54, FixFramer.Soh), FixStatus.IncorrectDataFormat, 54);
        Check(w2 => w2.Int(0, 1), FixStatus.InvalidTagNumber, 0);
        Check(w2 => w2.Fixed(44, 1, 19), FixStatus.ValueIncorrect, 44);
        Check(w2 => w2.Timestamp(52, -1), FixStatus.ValueIncorrect, 52);
        Check(w2 => w2.Timestamp(52, long.MaxValue), FixStatus.Ok, 0);   // year 2262 still fits four digits
    }

    private static void Check(Action<FixWriterBox> write, FixStatus expected, int tag)
    {
        var box = new FixWriterBox();
        write(box);
        Assert.Equal(expected, box.Status);
        Assert.Equal(tag, box.Tag);
    }

    /// <summary>Runs one writer call on a fresh writer (a ref struct cannot be captured by a lambda).</summary>
    private sealed class FixWriterBox
    {
        private readonly byte[] _buffer = new byte[256];
        public FixStatus Status { get; private set; }
        public int Tag { get; private set; }

        private void Run(Func<FixWriter, FixWriter> body)
        {
            var w = body(new FixWriter(_buffer, "FIX.4.4"u8, "0"u8));
            Status = w.Status;
            Tag = w.FaultTag;
        }

        public void Bytes(int tag, ReadOnlySpan<byte> v) { var copy = v.ToArray(); Run(w => { w.Bytes(tag, copy); return w; }); }
        public void Char(int tag, byte v) => Run(w => { w.Char(tag, v); return w; });
        public void Int(int tag, long v) => Run(w => { w.Int(tag, v); return w; });
        public void Fixed(int tag, long v, int d) => Run(w => { w.Fixed(tag, v, d); return w; });
        public void Timestamp(int tag, long v) => Run(w => { w.Timestamp(tag, v); return w; });
    }
}
