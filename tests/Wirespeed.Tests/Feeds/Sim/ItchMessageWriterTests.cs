using System;
using System.Buffers.Binary;
using Wirespeed.Feeds.Sim;
using Xunit;

namespace Wirespeed.Tests.Feeds.Sim;

/// <summary>
/// Encoded bytes checked field by field against the ITCH 5.0 offsets, and re-encodings of real NASDAQ messages (fields
/// read at the spec offsets from shared/data captures) compared byte for byte with the originals.
/// </summary>
public class ItchMessageWriterTests
{
    private const long Ts = 0x1234_5678_9ABCL; // 6-byte timestamp with a distinct value in every byte
    private static readonly ulong Stock = ItchMessageWriter.PackStock("WSPD");

    private static ushort U16(byte[] b, int o) => BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(o));
    private static uint U32(byte[] b, int o) => BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(o));
    private static ulong U64(byte[] b, int o) => BinaryPrimitives.ReadUInt64BigEndian(b.AsSpan(o));
    private static long Ts48(byte[] b) => (long)U16(b, 5) << 32 | U32(b, 7);
    private static string Ascii(byte[] b, int o, int n) => System.Text.Encoding.ASCII.GetString(b, o, n);

    private static void AssertHeader(byte[] b, char type, ushort locate, ushort tracking)
    {
        Assert.Equal((byte)type, b[0]);
        Assert.Equal(locate, U16(b, 1));
        Assert.Equal(tracking, U16(b, 3));
        Assert.Equal(Ts, Ts48(b));
        Assert.Equal(new byte[] { 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC }, b.AsSpan(5, 6).ToArray());
    }

    [Fact]
    public void Stock_symbols_are_left_justified_and_space_padded()
    {
        var b = new byte[8];
        ItchMessageWriter.WriteStock(b, ItchMessageWriter.PackStock("AB"));
        Assert.Equal("AB      ", Ascii(b, 0, 8));
        Assert.Throws<ArgumentException>(() => ItchMessageWriter.PackStock("TOOLONGXX"));
    }

    [Fact]
    public void System_event_has_the_event_code_at_offset_11()
    {
        var b = new byte[12];
        Assert.Equal(12, ItchMessageWriter.SystemEvent(b, 7, Ts, (byte)'O'));
        AssertHeader(b, 'S', 0, 7);
        Assert.Equal((byte)'O', b[11]);
    }

    [Fact]
    public void Stock_directory_fields_sit_at_their_spec_offsets()
    {
        var b = new byte[39];
        Assert.Equal(39, ItchMessageWriter.StockDirectory(b, 42, 3, Ts, Stock, (byte)'Q', (byte)'N', 100, (byte)'N', (byte)'C',
            0x5A20, (byte)'P', (byte)'N', (byte)'Y', (byte)'1', (byte)'N', 0x01020304, (byte)'N'));
        AssertHeader(b, 'R', 42, 3);
        Assert.Equal("WSPD    ", Ascii(b, 11, 8));
        Assert.Equal((byte)'Q', b[19]);
        Assert.Equal((byte)'N', b[20]);
        Assert.Equal(100u, U32(b, 21));
        Assert.Equal((byte)'N', b[25]);
        Assert.Equal((byte)'C', b[26]);
        Assert.Equal("Z ", Ascii(b, 27, 2));
        Assert.Equal((byte)'P', b[29]);
        Assert.Equal((byte)'N', b[30]);
        Assert.Equal((byte)'Y', b[31]);
        Assert.Equal((byte)'1', b[32]);
        Assert.Equal((byte)'N', b[33]);
        Assert.Equal(0x01020304u, U32(b, 34));
        Assert.Equal((byte)'N', b[38]);
    }

    [Fact]
    public void Add_order_and_add_order_with_mpid_fields_sit_at_their_spec_offsets()
    {
        var a = new byte[36];
        Assert.Equal(36, ItchMessageWriter.AddOrder(a, 5, 0, Ts, 0x0102030405060708, (byte)'B', 300, Stock, 1_234_500));
        AssertHeader(a, 'A', 5, 0);
        Assert.Equal(0x0102030405060708UL, U64(a, 11));
        Assert.Equal((byte)'B', a[19]);
        Assert.Equal(300u, U32(a, 20));
        Assert.Equal("WSPD    ", Ascii(a, 24, 8));
        Assert.Equal(1_234_500u, U32(a, 32)); // $123.45 with 4 implied decimals

        var f = new byte[40];
        Assert.Equal(40, ItchMessageWriter.AddOrderMpid(f, 5, 0, Ts, 9, (byte)'S', 100, Stock, 500, ItchMessageWriterTestsMpid));
        AssertHeader(f, 'F', 5, 0);
        Assert.Equal((byte)'S', f[19]);
        Assert.Equal("SIMA", Ascii(f, 36, 4));
    }

    private static readonly uint ItchMessageWriterTestsMpid = BinaryPrimitives.ReadUInt32BigEndian("SIMA"u8);

    [Fact]
    public void Execution_messages_fields_sit_at_their_spec_offsets()
    {
        var e = new byte[31];
        Assert.Equal(31, ItchMessageWriter.OrderExecuted(e, 1, 2, Ts, 77, 200, 0xAABBCCDDEEFF0011));
        AssertHeader(e, 'E', 1, 2);
        Assert.Equal(77UL, U64(e, 11));
        Assert.Equal(200u, U32(e, 19));
        Assert.Equal(0xAABBCCDDEEFF0011UL, U64(e, 23));

        var c = new byte[36];
        Assert.Equal(36, ItchMessageWriter.OrderExecutedWithPrice(c, 1, 2, Ts, 78, 100, 5, (byte)'Y', 990_000));
        AssertHeader(c, 'C', 1, 2);
        Assert.Equal(78UL, U64(c, 11));
        Assert.Equal(100u, U32(c, 19));
        Assert.Equal(5UL, U64(c, 23));
        Assert.Equal((byte)'Y', c[31]);
        Assert.Equal(990_000u, U32(c, 32));
    }

    [Fact]
    public void Cancel_delete_and_replace_fields_sit_at_their_spec_offsets()
    {
        var x = new byte[23];
        Assert.Equal(23, ItchMessageWriter.OrderCancel(x, 3, 0, Ts, 11, 100));
        AssertHeader(x, 'X', 3, 0);
        Assert.Equal(11UL, U64(x, 11));
        Assert.Equal(100u, U32(x, 19));

        var d = new byte[19];
        Assert.Equal(19, ItchMessageWriter.OrderDelete(d, 3, 0, Ts, 12));
        AssertHeader(d, 'D', 3, 0);
        Assert.Equal(12UL, U64(d, 11));

        var u = new byte[35];
        Assert.Equal(35, ItchMessageWriter.OrderReplace(u, 3, 0, Ts, 13, 14, 400, 10_100));
        AssertHeader(u, 'U', 3, 0);
        Assert.Equal(13UL, U64(u, 11));
        Assert.Equal(14UL, U64(u, 19));
        Assert.Equal(400u, U32(u, 27));
        Assert.Equal(10_100u, U32(u, 31));
    }

    [Fact]
    public void Trade_cross_and_imbalance_fields_sit_at_their_spec_offsets()
    {
        var p = new byte[44];
        Assert.Equal(44, ItchMessageWriter.Trade(p, 4, 0, Ts, 0, (byte)'B', 500, Stock, 20_000, 99));
        AssertHeader(p, 'P', 4, 0);
        Assert.Equal(0UL, U64(p, 11));
        Assert.Equal((byte)'B', p[19]);
        Assert.Equal(500u, U32(p, 20));
        Assert.Equal("WSPD    ", Ascii(p, 24, 8));
        Assert.Equal(20_000u, U32(p, 32));
        Assert.Equal(99UL, U64(p, 36));

        var q = new byte[40];
        Assert.Equal(40, ItchMessageWriter.CrossTrade(q, 4, 0, Ts, 1_000_000, Stock, 30_000, 100, (byte)'O'));
        AssertHeader(q, 'Q', 4, 0);
        Assert.Equal(1_000_000UL, U64(q, 11));
        Assert.Equal("WSPD    ", Ascii(q, 19, 8));
        Assert.Equal(30_000u, U32(q, 27));
        Assert.Equal(100UL, U64(q, 31));
        Assert.Equal((byte)'O', q[39]);

        var i = new byte[50];
        Assert.Equal(50, ItchMessageWriter.NetOrderImbalance(i, 4, 0, Ts, 1000, 200, (byte)'B', Stock, 1, 2, 3, (byte)'C', (byte)'L'));
        AssertHeader(i, 'I', 4, 0);
        Assert.Equal(1000UL, U64(i, 11));
        Assert.Equal(200UL, U64(i, 19));
        Assert.Equal((byte)'B', i[27]);
        Assert.Equal("WSPD    ", Ascii(i, 28, 8));
        Assert.Equal(1u, U32(i, 36));
        Assert.Equal(2u, U32(i, 40));
        Assert.Equal(3u, U32(i, 44));
        Assert.Equal((byte)'C', i[48]);
        Assert.Equal((byte)'L', i[49]);
    }

    [Fact]
    public void Halt_breaker_and_collar_fields_sit_at_their_spec_offsets()
    {
        var h = new byte[25];
        Assert.Equal(25, ItchMessageWriter.StockTradingAction(h, 6, 0, Ts, Stock, (byte)'H', BinaryPrimitives.ReadUInt32BigEndian("LUDP"u8)));
        AssertHeader(h, 'H', 6, 0);
        Assert.Equal("WSPD    ", Ascii(h, 11, 8));
        Assert.Equal((byte)'H', h[19]);
        Assert.Equal((byte)' ', h[20]);
        Assert.Equal("LUDP", Ascii(h, 21, 4));

        var v = new byte[35];
        Assert.Equal(35, ItchMessageWriter.MwcbDeclineLevel(v, 0, Ts, 465_000_000_000, 435_000_000_000, 400_000_000_000));
        AssertHeader(v, 'V', 0, 0);
        Assert.Equal(465_000_000_000UL, U64(v, 11)); // Price(8): $4650.00000000
        Assert.Equal(435_000_000_000UL, U64(v, 19));
        Assert.Equal(400_000_000_000UL, U64(v, 27));

        var w = new byte[12];
        Assert.Equal(12, ItchMessageWriter.MwcbStatus(w, 0, Ts, (byte)'1'));
        AssertHeader(w, 'W', 0, 0);
        Assert.Equal((byte)'1', w[11]);

        var j = new byte[35];
        Assert.Equal(35, ItchMessageWriter.LuldAuctionCollar(j, 6, 0, Ts, Stock, 100_000, 105_000, 95_000, 2));
        AssertHeader(j, 'J', 6, 0);
        Assert.Equal("WSPD    ", Ascii(j, 11, 8));
        Assert.Equal(100_000u, U32(j, 19));
        Assert.Equal(105_000u, U32(j, 23));
        Assert.Equal(95_000u, U32(j, 27));
        Assert.Equal(2u, U32(j, 31));
    }

    [Fact]
    public void Lengths_match_the_specification_for_every_emitted_type()
    {
        Assert.Equal(12, ItchMessageWriter.ItchLength((byte)'S'));
        Assert.Equal(39, ItchMessageWriter.ItchLength((byte)'R'));
        Assert.Equal(25, ItchMessageWriter.ItchLength((byte)'H'));
        Assert.Equal(36, ItchMessageWriter.ItchLength((byte)'A'));
        Assert.Equal(40, ItchMessageWriter.ItchLength((byte)'F'));
        Assert.Equal(31, ItchMessageWriter.ItchLength((byte)'E'));
        Assert.Equal(36, ItchMessageWriter.ItchLength((byte)'C'));
        Assert.Equal(23, ItchMessageWriter.ItchLength((byte)'X'));
        Assert.Equal(19, ItchMessageWriter.ItchLength((byte)'D'));
        Assert.Equal(35, ItchMessageWriter.ItchLength((byte)'U'));
        Assert.Equal(44, ItchMessageWriter.ItchLength((byte)'P'));
        Assert.Equal(40, ItchMessageWriter.ItchLength((byte)'Q'));
        Assert.Equal(50, ItchMessageWriter.ItchLength((byte)'I'));
        Assert.Equal(35, ItchMessageWriter.ItchLength((byte)'V'));
        Assert.Equal(12, ItchMessageWriter.ItchLength((byte)'W'));
        Assert.Equal(35, ItchMessageWriter.ItchLength((byte)'J'));
    }

    [Fact]
    public void Writing_into_a_span_too_short_throws_instead_of_writing_part_of_a_message()
    {
        var b = new byte[35];
        Assert.Throws<IndexOutOfRangeException>(() => ItchMessageWriter.AddOrder(b, 1, 0, Ts, 1, (byte)'B', 100, Stock, 100));
        Assert.All(b, x => Assert.Equal(0, x));
    }

    // ---- real NASDAQ messages: read the fields at the spec offsets, re-encode, compare every byte --------------------

    private static (ushort Locate, ushort Tracking, long Ts) Head(byte[] m) => (U16(m, 1), U16(m, 3), Ts48(m));

    [Theory]
    [InlineData("AddOrderNoMPID.pcap")]
    [InlineData("AddOrderWithMPID.pcap")]
    [InlineData("OrderExecuted.pcap")]
    [InlineData("OrderExecutedWithPrice.pcap")]
    [InlineData("OrderCancel.pcap")]
    [InlineData("OrderDelete.pcap")]
    [InlineData("OrderReplace.pcap")]
    [InlineData("NonCrossTrade.pcap")]
    [InlineData("CrossTrade.pcap")]
    [InlineData("NetOrderImbalanceIndicator.pcap")]
    [InlineData("StockTradingAction.pcap")]
    [InlineData("SystemEvent.pcap")]
    [InlineData("LULDAuctionCollar.pcap")]
    public void Re_encoding_a_real_nasdaq_message_reproduces_it_byte_for_byte(string file)
    {
        byte[] m = RealItchPackets.FirstMessage(file);
        var (loc, trk, ts) = Head(m);
        var o = new byte[64];
        int n = (char)m[0] switch
        {
            'A' => ItchMessageWriter.AddOrder(o, loc, trk, ts, U64(m, 11), m[19], U32(m, 20), U64(m, 24), U32(m, 32)),
            'F' => ItchMessageWriter.AddOrderMpid(o, loc, trk, ts, U64(m, 11), m[19], U32(m, 20), U64(m, 24), U32(m, 32), U32(m, 36)),
            'E' => ItchMessageWriter.OrderExecuted(o, loc, trk, ts, U64(m, 11), U32(m, 19), U64(m, 23)),
            'C' => ItchMessageWriter.OrderExecutedWithPrice(o, loc, trk, ts, U64(m, 11), U32(m, 19), U64(m, 23), m[31], U32(m, 32)),
            'X' => ItchMessageWriter.OrderCancel(o, loc, trk, ts, U64(m, 11), U32(m, 19)),
            'D' => ItchMessageWriter.OrderDelete(o, loc, trk, ts, U64(m, 11)),
            'U' => ItchMessageWriter.OrderReplace(o, loc, trk, ts, U64(m, 11), U64(m, 19), U32(m, 27), U32(m, 31)),
            'P' => ItchMessageWriter.Trade(o, loc, trk, ts, U64(m, 11), m[19], U32(m, 20), U64(m, 24), U32(m, 32), U64(m, 36)),
            'Q' => ItchMessageWriter.CrossTrade(o, loc, trk, ts, U64(m, 11), U64(m, 19), U32(m, 27), U64(m, 31), m[39]),
            'I' => ItchMessageWriter.NetOrderImbalance(o, loc, trk, ts, U64(m, 11), U64(m, 19), m[27], U64(m, 28), U32(m, 36), U32(m, 40), U32(m, 44), m[48], m[49]),
            'H' => ItchMessageWriter.StockTradingAction(o, loc, trk, ts, U64(m, 11), m[19], U32(m, 21)),
            'S' => ItchMessageWriter.SystemEvent(o, trk, ts, m[11]),
            'J' => ItchMessageWriter.LuldAuctionCollar(o, loc, trk, ts, U64(m, 11), U32(m, 19), U32(m, 23), U32(m, 27), U32(m, 31)),
            _ => throw new InvalidOperationException("unexpected type " + (char)m[0]),
        };
        Assert.Equal(m.Length, n);
        Assert.Equal(ItchMessageWriter.ItchLength(m[0]), n);
        Assert.Equal(Convert.ToHexString(m), Convert.ToHexString(o, 0, n));
    }
}
