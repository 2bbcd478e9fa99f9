using System;
using System.Buffers.Binary;
using System.Text;
using Wirespeed.Core.Events;
using Wirespeed.Feeds.Itch;
using Xunit;

namespace Wirespeed.Tests.Feeds.Itch;

/// <summary>
/// One golden vector per ITCH 5.0 message type (tests/fixtures/itch/*.hex, built from the specification layout with
/// a comment per field), decoded field by field through the typed view and through the normaliser.
/// </summary>
public sealed class ItchGoldenVectorTests
{
    private const ushort Locate = 4660;
    private const long Ts = 34_200_000_000_123; // 09:30:00.000000123
    private const long Midnight = 1_692_676_800_000_000_000; // 2023-08-22 00:00 EDT as Unix ns

    private static string S(ReadOnlySpan<byte> b) => Encoding.ASCII.GetString(b);

    private static void AssertHeader(ItchHeader h, char type)
    {
        Assert.Equal((byte)type, h.MessageType);
        Assert.Equal(Locate, h.StockLocate);
        Assert.Equal(2, h.TrackingNumber);
        Assert.Equal(Ts, h.Timestamp);
    }

    private static MarketEvent Normalised(byte[] m, EventKind kind)
    {
        MarketEvent e = default;
        Assert.Equal(DecodeStatus.Ok, ItchNormaliser.Normalise(m, 9001, Midnight, 555, 7, ref e));
        Assert.Equal(kind, e.Kind);
        Assert.Equal(Locate, e.Instrument);
        Assert.Equal(Midnight + Ts, e.ExchangeTimestampNs);
        Assert.Equal(555, e.ReceiveTimestampNs);
        Assert.Equal(9001UL, e.Sequence);
        Assert.Equal(7, e.LineId);
        Assert.Equal(Lane.Normal, e.Lane);
        Assert.Equal(EventFlags.None, e.Flags);
        return e;
    }

    private static ulong Key(string symbol) => BinaryPrimitives.ReadUInt64LittleEndian(Encoding.ASCII.GetBytes(symbol.PadRight(8)));

    [Fact]
    public void Every_fixture_has_its_types_size_and_every_type_has_a_fixture()
    {
        Assert.Equal(23, ItchTestData.FixtureNames.Length);
        var seen = new bool[256];
        foreach (string name in ItchTestData.FixtureNames)
        {
            byte[] m = ItchTestData.Hex(name);
            Assert.Equal(ItchLayout.SizeOf(m[0]), m.Length);
            Assert.Equal(DecodeStatus.Ok, ItchDecoder.Validate(m));
            seen[m[0]] = true;
        }
        foreach (byte t in ItchLayout.AllTypes) Assert.True(seen[t], $"no fixture for '{(char)t}'");
    }

    [Fact]
    public void System_event_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("SystemEvent");
        Assert.Equal(DecodeStatus.Ok, ItchSystemEvent.TryRead(m, out var v));
        AssertHeader(v.Header, 'S');
        Assert.Equal((byte)'O', v.EventCode);
        var e = Normalised(m, EventKind.SystemEvent);
        Assert.Equal((ulong)'O', e.Aux);
    }

    [Fact]
    public void Stock_directory_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("StockDirectory");
        Assert.Equal(DecodeStatus.Ok, ItchStockDirectory.TryRead(m, out var v));
        AssertHeader(v.Header, 'R');
        Assert.Equal("ALC", S(v.Stock));
        Assert.Equal((byte)'Q', v.MarketCategory);
        Assert.Equal((byte)'N', v.FinancialStatusIndicator);
        Assert.Equal(100u, v.RoundLotSize);
        Assert.Equal((byte)'N', v.RoundLotsOnly);
        Assert.Equal((byte)'C', v.IssueClassification);
        Assert.Equal("Z", S(v.IssueSubType));
        Assert.Equal((byte)'P', v.Authenticity);
        Assert.Equal((byte)'N', v.ShortSaleThresholdIndicator);
        Assert.Equal((byte)' ', v.IpoFlag);
        Assert.Equal((byte)'1', v.LuldReferencePriceTier);
        Assert.Equal((byte)'N', v.EtpFlag);
        Assert.Equal(2u, v.EtpLeverageFactor);
        Assert.Equal((byte)'N', v.InverseIndicator);
        var e = Normalised(m, EventKind.Reference);
        Assert.Equal(Key("ALC"), e.OrderId);
        Assert.Equal((ulong)'R', e.Aux);
        Assert.Equal(100, e.Quantity);
        Assert.Equal(0, e.Price);
    }

    [Fact]
    public void Stock_trading_action_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("StockTradingAction");
        Assert.Equal(DecodeStatus.Ok, ItchStockTradingAction.TryRead(m, out var v));
        AssertHeader(v.Header, 'H');
        Assert.Equal("BOB", S(v.Stock));
        Assert.Equal((byte)'H', v.TradingState);
        Assert.Equal((byte)' ', v.Reserved);
        Assert.Equal("IPO1", S(v.Reason));
        var e = Normalised(m, EventKind.TradingAction);
        Assert.Equal((ulong)'H' | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian("IPO1"u8) << 8), e.Aux);
        Assert.Equal(Key("BOB"), e.OrderId);
    }

    [Fact]
    public void Reg_sho_restriction_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("RegShoRestriction");
        Assert.Equal(DecodeStatus.Ok, ItchRegShoRestriction.TryRead(m, out var v));
        AssertHeader(v.Header, 'Y');
        Assert.Equal("CHAR", S(v.Stock));
        Assert.Equal((byte)'1', v.RegShoAction);
        var e = Normalised(m, EventKind.Status);
        Assert.Equal((ulong)'Y' | ((ulong)'1' << 8), e.Aux);
        Assert.Equal(Key("CHAR"), e.OrderId);
    }

    [Fact]
    public void Market_participant_position_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("MarketParticipantPosition");
        Assert.Equal(DecodeStatus.Ok, ItchMarketParticipantPosition.TryRead(m, out var v));
        AssertHeader(v.Header, 'L');
        Assert.Equal("NITE", S(v.Mpid));
        Assert.Equal("ALC", S(v.Stock));
        Assert.Equal((byte)'Y', v.PrimaryMarketMaker);
        Assert.Equal((byte)'N', v.MarketMakerMode);
        Assert.Equal((byte)'A', v.MarketParticipantState);
        var e = Normalised(m, EventKind.Status);
        Assert.Equal((ulong)'L' | ((ulong)'A' << 8), e.Aux);
    }

    [Fact]
    public void Mwcb_decline_level_decodes_price8_fields_and_rescales_them_to_four_decimals()
    {
        byte[] m = ItchTestData.Hex("MwcbDeclineLevel");
        Assert.Equal(DecodeStatus.Ok, ItchMwcbDeclineLevel.TryRead(m, out var v));
        AssertHeader(v.Header, 'V');
        Assert.Equal(1_234_567_890_000L, v.Level1);     // 12345.67890000
        Assert.Equal(987_654_321_000_000L, v.Level2);   // 9876543.21000000
        Assert.Equal(500_000_000L, v.Level3);           // 5.00000000
        var e = Normalised(m, EventKind.MwcbDeclineLevel);
        Assert.Equal(123_456_789L, e.Price);            // 12345.6789
        Assert.Equal(98_765_432_100UL, e.OrderId);
        Assert.Equal(50_000UL, e.Aux);
    }

    [Fact]
    public void Mwcb_status_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("MwcbStatus");
        Assert.Equal(DecodeStatus.Ok, ItchMwcbStatus.TryRead(m, out var v));
        AssertHeader(v.Header, 'W');
        Assert.Equal((byte)'2', v.BreachedLevel);
        Assert.Equal((ulong)'2', Normalised(m, EventKind.MwcbStatus).Aux);
    }

    [Fact]
    public void Ipo_quoting_period_update_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("IpoQuotingPeriodUpdate");
        Assert.Equal(DecodeStatus.Ok, ItchIpoQuotingPeriodUpdate.TryRead(m, out var v));
        AssertHeader(v.Header, 'K');
        Assert.Equal("NEWCO", S(v.Stock));
        Assert.Equal(36000u, v.IpoQuotationReleaseTime);
        Assert.Equal((byte)'A', v.IpoQuotationReleaseQualifier);
        Assert.Equal(200_000L, v.IpoPrice);
        var e = Normalised(m, EventKind.Status);
        Assert.Equal((ulong)'K' | ((ulong)'A' << 8), e.Aux);
        Assert.Equal(200_000L, e.Price);
    }

    [Fact]
    public void Luld_auction_collar_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("LuldAuctionCollar");
        Assert.Equal(DecodeStatus.Ok, ItchLuldAuctionCollar.TryRead(m, out var v));
        AssertHeader(v.Header, 'J');
        Assert.Equal("ZVZZT", S(v.Stock));
        Assert.Equal(100_000L, v.ReferencePrice);
        Assert.Equal(110_000L, v.UpperPrice);
        Assert.Equal(90_000L, v.LowerPrice);
        Assert.Equal(3u, v.Extension);
        var e = Normalised(m, EventKind.LuldCollar);
        Assert.Equal(100_000L, e.Price);
        Assert.Equal(110_000L, e.Quantity);
        Assert.Equal(90_000UL, e.OrderId);
        Assert.Equal(3UL, e.Aux);
    }

    [Fact]
    public void Operational_halt_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("OperationalHalt");
        Assert.Equal(DecodeStatus.Ok, ItchOperationalHalt.TryRead(m, out var v));
        AssertHeader(v.Header, 'h');
        Assert.Equal("ALC", S(v.Stock));
        Assert.Equal((byte)'Q', v.MarketCode);
        Assert.Equal((byte)'H', v.Action);
        Assert.Equal((ulong)'Q' | ((ulong)'H' << 8), Normalised(m, EventKind.OperationalHalt).Aux);
    }

    [Fact]
    public void Add_order_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("AddOrder");
        Assert.Equal(DecodeStatus.Ok, ItchAddOrder.TryRead(m, out var v));
        AssertHeader(v.Header, 'A');
        Assert.Equal(123_456_789_012UL, v.OrderReference);
        Assert.Equal((byte)'B', v.Side);
        Assert.Equal(300u, v.Shares);
        Assert.Equal("ALC", S(v.Stock));
        Assert.Equal(1_234_500L, v.Price); // 123.4500
        Assert.False(v.HasAttribution);
        Assert.True(v.Attribution.IsEmpty);
        var e = Normalised(m, EventKind.AddOrder);
        Assert.Equal(123_456_789_012UL, e.OrderId);
        Assert.Equal(Side.Buy, e.Side);
        Assert.Equal(300, e.Quantity);
        Assert.Equal(1_234_500L, e.Price);
        Assert.Equal(0UL, e.Aux);
    }

    [Fact]
    public void Add_order_with_mpid_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("AddOrderMpid");
        Assert.Equal(DecodeStatus.Ok, ItchAddOrder.TryRead(m, out var v));
        AssertHeader(v.Header, 'F');
        Assert.Equal(123_456_789_013UL, v.OrderReference);
        Assert.Equal((byte)'S', v.Side);
        Assert.Equal(200u, v.Shares);
        Assert.Equal("BOB", S(v.Stock));
        Assert.Equal(199_999_999L, v.Price); // 19999.9999
        Assert.True(v.HasAttribution);
        Assert.Equal("GSCO", S(v.Attribution));
        var e = Normalised(m, EventKind.AddOrder);
        Assert.Equal(Side.Sell, e.Side);
        Assert.Equal(199_999_999L, e.Price);
        Assert.Equal((ulong)BinaryPrimitives.ReadUInt32LittleEndian("GSCO"u8), e.Aux);
    }

    [Fact]
    public void Order_executed_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("OrderExecuted");
        Assert.Equal(DecodeStatus.Ok, ItchOrderExecuted.TryRead(m, out var v));
        AssertHeader(v.Header, 'E');
        Assert.Equal(123_456_789_012UL, v.OrderReference);
        Assert.Equal(100u, v.ExecutedShares);
        Assert.Equal(555_000_001UL, v.MatchNumber);
        var e = Normalised(m, EventKind.OrderExecuted);
        Assert.Equal(123_456_789_012UL, e.OrderId);
        Assert.Equal(100, e.Quantity);
        Assert.Equal(555_000_001UL, e.Aux);
    }

    [Fact]
    public void Order_executed_with_price_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("OrderExecutedWithPrice");
        Assert.Equal(DecodeStatus.Ok, ItchOrderExecutedWithPrice.TryRead(m, out var v));
        AssertHeader(v.Header, 'C');
        Assert.Equal(123_456_789_012UL, v.OrderReference);
        Assert.Equal(50u, v.ExecutedShares);
        Assert.Equal(555_000_002UL, v.MatchNumber);
        Assert.Equal((byte)'Y', v.Printable);
        Assert.Equal(1_234_600L, v.ExecutionPrice);
        var e = Normalised(m, EventKind.OrderExecutedWithPrice);
        Assert.Equal(50, e.Quantity);
        Assert.Equal(1_234_600L, e.Price);
        Assert.Equal(555_000_002UL, e.Aux);
    }

    [Fact]
    public void Order_cancel_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("OrderCancel");
        Assert.Equal(DecodeStatus.Ok, ItchOrderCancel.TryRead(m, out var v));
        AssertHeader(v.Header, 'X');
        Assert.Equal(123_456_789_013UL, v.OrderReference);
        Assert.Equal(25u, v.CancelledShares);
        var e = Normalised(m, EventKind.OrderCancel);
        Assert.Equal(123_456_789_013UL, e.OrderId);
        Assert.Equal(25, e.Quantity);
    }

    [Fact]
    public void Order_delete_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("OrderDelete");
        Assert.Equal(DecodeStatus.Ok, ItchOrderDelete.TryRead(m, out var v));
        AssertHeader(v.Header, 'D');
        Assert.Equal(123_456_789_013UL, v.OrderReference);
        Assert.Equal(123_456_789_013UL, Normalised(m, EventKind.OrderDelete).OrderId);
    }

    [Fact]
    public void Order_replace_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("OrderReplace");
        Assert.Equal(DecodeStatus.Ok, ItchOrderReplace.TryRead(m, out var v));
        AssertHeader(v.Header, 'U');
        Assert.Equal(123_456_789_012UL, v.OriginalOrderReference);
        Assert.Equal(123_456_789_099UL, v.NewOrderReference);
        Assert.Equal(400u, v.Shares);
        Assert.Equal(1_234_400L, v.Price);
        var e = Normalised(m, EventKind.OrderReplace);
        Assert.Equal(123_456_789_012UL, e.OrderId);
        Assert.Equal(123_456_789_099UL, e.Aux);
        Assert.Equal(400, e.Quantity);
        Assert.Equal(1_234_400L, e.Price);
    }

    [Fact]
    public void Trade_decodes_field_by_field_including_the_largest_price4()
    {
        byte[] m = ItchTestData.Hex("Trade");
        Assert.Equal(DecodeStatus.Ok, ItchTrade.TryRead(m, out var v));
        AssertHeader(v.Header, 'P');
        Assert.Equal(0UL, v.OrderReference);
        Assert.Equal((byte)'S', v.Side);
        Assert.Equal(700u, v.Shares);
        Assert.Equal("CHAR", S(v.Stock));
        Assert.Equal(4_294_967_295L, v.Price); // 429496.7295: Price(4) is unsigned, never negative
        Assert.Equal(555_000_003UL, v.MatchNumber);
        var e = Normalised(m, EventKind.Trade);
        Assert.Equal(Side.Sell, e.Side);
        Assert.Equal(4_294_967_295L, e.Price);
        Assert.Equal(700, e.Quantity);
        Assert.Equal(555_000_003UL, e.Aux);
    }

    [Fact]
    public void Cross_trade_decodes_its_eight_byte_shares()
    {
        byte[] m = ItchTestData.Hex("CrossTrade");
        Assert.Equal(DecodeStatus.Ok, ItchCrossTrade.TryRead(m, out var v));
        AssertHeader(v.Header, 'Q');
        Assert.Equal(5_000_000_000UL, v.Shares);
        Assert.Equal("ALC", S(v.Stock));
        Assert.Equal(1_235_000L, v.CrossPrice);
        Assert.Equal(555_000_004UL, v.MatchNumber);
        Assert.Equal((byte)'O', v.CrossType);
        var e = Normalised(m, EventKind.CrossTrade);
        Assert.Equal(5_000_000_000L, e.Quantity);
        Assert.Equal(1_235_000L, e.Price);
        Assert.Equal(555_000_004UL, e.Aux);
    }

    [Fact]
    public void Broken_trade_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("BrokenTrade");
        Assert.Equal(DecodeStatus.Ok, ItchBrokenTrade.TryRead(m, out var v));
        AssertHeader(v.Header, 'B');
        Assert.Equal(555_000_003UL, v.MatchNumber);
        Assert.Equal(555_000_003UL, Normalised(m, EventKind.BrokenTrade).Aux);
    }

    [Fact]
    public void Net_order_imbalance_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("NetOrderImbalance");
        Assert.Equal(DecodeStatus.Ok, ItchNetOrderImbalance.TryRead(m, out var v));
        AssertHeader(v.Header, 'I');
        Assert.Equal(1_000_000UL, v.PairedShares);
        Assert.Equal(250_000UL, v.ImbalanceShares);
        Assert.Equal((byte)'B', v.ImbalanceDirection);
        Assert.Equal("BOB", S(v.Stock));
        Assert.Equal(1_200_000L, v.FarPrice);
        Assert.Equal(1_210_000L, v.NearPrice);
        Assert.Equal(1_205_000L, v.CurrentReferencePrice);
        Assert.Equal((byte)'C', v.CrossType);
        Assert.Equal((byte)'A', v.PriceVariationIndicator);
        var e = Normalised(m, EventKind.Imbalance);
        Assert.Equal(250_000L, e.Quantity);
        Assert.Equal(1_000_000UL, e.OrderId);
        Assert.Equal(1_205_000L, e.Price);
        Assert.Equal(Side.Buy, e.Side);
        Assert.Equal((ulong)'C' | ((ulong)'A' << 8) | ((ulong)'B' << 16), e.Aux);
    }

    [Fact]
    public void Retail_price_improvement_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("RetailPriceImprovement");
        Assert.Equal(DecodeStatus.Ok, ItchRetailPriceImprovement.TryRead(m, out var v));
        AssertHeader(v.Header, 'N');
        Assert.Equal("CHAR", S(v.Stock));
        Assert.Equal((byte)'B', v.InterestFlag);
        Assert.Equal((ulong)'N' | ((ulong)'B' << 8), Normalised(m, EventKind.Status).Aux);
    }

    [Fact]
    public void Direct_listing_price_discovery_decodes_field_by_field()
    {
        byte[] m = ItchTestData.Hex("DirectListingPriceDiscovery");
        Assert.Equal(DecodeStatus.Ok, ItchDirectListingPriceDiscovery.TryRead(m, out var v));
        AssertHeader(v.Header, 'O');
        Assert.Equal("DLCO", S(v.Stock));
        Assert.Equal((byte)'Y', v.OpenEligibilityStatus);
        Assert.Equal(80_000L, v.MinimumAllowablePrice);
        Assert.Equal(120_000L, v.MaximumAllowablePrice);
        Assert.Equal(100_500L, v.NearExecutionPrice);
        Assert.Equal(36_000_000_000_123UL, v.NearExecutionTime);
        Assert.Equal(90_000L, v.LowerPriceRangeCollar);
        Assert.Equal(110_000L, v.UpperPriceRangeCollar);
        var e = Normalised(m, EventKind.Status);
        Assert.Equal((ulong)'O' | ((ulong)'Y' << 8), e.Aux);
        Assert.Equal(100_500L, e.Price);
        Assert.Equal(Key("DLCO"), e.OrderId);
    }

    [Fact]
    public void Each_view_rejects_another_type_and_a_wrong_length()
    {
        byte[] add = ItchTestData.Hex("AddOrder");
        byte[] del = ItchTestData.Hex("OrderDelete");
        Assert.Equal(DecodeStatus.UnknownType, ItchOrderDelete.TryRead(add, out _));
        Assert.Equal(DecodeStatus.BadLength, ItchOrderDelete.TryRead(del.AsSpan(0, 18), out _));
        Assert.Equal(DecodeStatus.BadLength, ItchOrderDelete.TryRead(ReadOnlySpan<byte>.Empty, out _));
        Assert.Equal(DecodeStatus.BadLength, ItchAddOrder.TryRead(ItchTestData.Hex("AddOrderMpid").AsSpan(0, 36), out _));
        foreach (string name in ItchTestData.FixtureNames)
        {
            byte[] m = ItchTestData.Hex(name);
            var longer = new byte[m.Length + 1];
            m.CopyTo(longer, 0);
            Assert.Equal(DecodeStatus.BadLength, ItchDecoder.Validate(m.AsSpan(0, m.Length - 1)));
            Assert.Equal(DecodeStatus.BadLength, ItchDecoder.Validate(longer));
            MarketEvent e = default;
            e.OrderId = 42;
            Assert.Equal(DecodeStatus.BadLength, ItchNormaliser.Normalise(longer, 1, 0, 0, 0, ref e));
            Assert.Equal(42UL, e.OrderId); // untouched on failure
        }
        Assert.Equal(DecodeStatus.UnknownType, ItchDecoder.Validate(new byte[] { (byte)'Z', 0, 0 }));
        Assert.Equal(DecodeStatus.BadLength, ItchDecoder.Validate(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void Every_view_rejects_an_empty_message_as_bad_length()
    {
        ReadOnlySpan<byte> e = ReadOnlySpan<byte>.Empty;
        var statuses = new[]
        {
            ItchSystemEvent.TryRead(e, out _), ItchStockDirectory.TryRead(e, out _), ItchStockTradingAction.TryRead(e, out _),
            ItchRegShoRestriction.TryRead(e, out _), ItchMarketParticipantPosition.TryRead(e, out _), ItchMwcbDeclineLevel.TryRead(e, out _),
            ItchMwcbStatus.TryRead(e, out _), ItchIpoQuotingPeriodUpdate.TryRead(e, out _), ItchLuldAuctionCollar.TryRead(e, out _),
            ItchOperationalHalt.TryRead(e, out _), ItchAddOrder.TryRead(e, out _), ItchOrderExecuted.TryRead(e, out _),
            ItchOrderExecutedWithPrice.TryRead(e, out _), ItchOrderCancel.TryRead(e, out _), ItchOrderDelete.TryRead(e, out _),
            ItchOrderReplace.TryRead(e, out _), ItchTrade.TryRead(e, out _), ItchCrossTrade.TryRead(e, out _),
            ItchBrokenTrade.TryRead(e, out _), ItchNetOrderImbalance.TryRead(e, out _), ItchRetailPriceImprovement.TryRead(e, out _),
            ItchDirectListingPriceDiscovery.TryRead(e, out _),
        };
        Assert.All(statuses, s => Assert.Equal(DecodeStatus.BadLength, s));
    }

    [Fact]
    public void Layout_size_table_agrees_with_every_layout_class()
    {
        Assert.Equal(ItchLayout.SystemEvent.Size, ItchLayout.SizeOf(ItchLayout.SystemEvent.Type));
        Assert.Equal(ItchLayout.StockDirectory.Size, ItchLayout.SizeOf(ItchLayout.StockDirectory.Type));
        Assert.Equal(ItchLayout.StockTradingAction.Size, ItchLayout.SizeOf(ItchLayout.StockTradingAction.Type));
        Assert.Equal(ItchLayout.RegShoRestriction.Size, ItchLayout.SizeOf(ItchLayout.RegShoRestriction.Type));
        Assert.Equal(ItchLayout.MarketParticipantPosition.Size, ItchLayout.SizeOf(ItchLayout.MarketParticipantPosition.Type));
        Assert.Equal(ItchLayout.MwcbDeclineLevel.Size, ItchLayout.SizeOf(ItchLayout.MwcbDeclineLevel.Type));
        Assert.Equal(ItchLayout.MwcbStatus.Size, ItchLayout.SizeOf(ItchLayout.MwcbStatus.Type));
        Assert.Equal(ItchLayout.IpoQuotingPeriodUpdate.Size, ItchLayout.SizeOf(ItchLayout.IpoQuotingPeriodUpdate.Type));
        Assert.Equal(ItchLayout.LuldAuctionCollar.Size, ItchLayout.SizeOf(ItchLayout.LuldAuctionCollar.Type));
        Assert.Equal(ItchLayout.OperationalHalt.Size, ItchLayout.SizeOf(ItchLayout.OperationalHalt.Type));
        Assert.Equal(ItchLayout.AddOrder.Size, ItchLayout.SizeOf(ItchLayout.AddOrder.Type));
        Assert.Equal(ItchLayout.AddOrderMpid.Size, ItchLayout.SizeOf(ItchLayout.AddOrderMpid.Type));
        Assert.Equal(ItchLayout.OrderExecuted.Size, ItchLayout.SizeOf(ItchLayout.OrderExecuted.Type));
        Assert.Equal(ItchLayout.OrderExecutedWithPrice.Size, ItchLayout.SizeOf(ItchLayout.OrderExecutedWithPrice.Type));
        Assert.Equal(ItchLayout.OrderCancel.Size, ItchLayout.SizeOf(ItchLayout.OrderCancel.Type));
        Assert.Equal(ItchLayout.OrderDelete.Size, ItchLayout.SizeOf(ItchLayout.OrderDelete.Type));
        Assert.Equal(ItchLayout.OrderReplace.Size, ItchLayout.SizeOf(ItchLayout.OrderReplace.Type));
        Assert.Equal(ItchLayout.Trade.Size, ItchLayout.SizeOf(ItchLayout.Trade.Type));
        Assert.Equal(ItchLayout.CrossTrade.Size, ItchLayout.SizeOf(ItchLayout.CrossTrade.Type));
        Assert.Equal(ItchLayout.BrokenTrade.Size, ItchLayout.SizeOf(ItchLayout.BrokenTrade.Type));
        Assert.Equal(ItchLayout.NetOrderImbalance.Size, ItchLayout.SizeOf(ItchLayout.NetOrderImbalance.Type));
        Assert.Equal(ItchLayout.RetailPriceImprovement.Size, ItchLayout.SizeOf(ItchLayout.RetailPriceImprovement.Type));
        Assert.Equal(ItchLayout.DirectListingPriceDiscovery.Size, ItchLayout.SizeOf(ItchLayout.DirectListingPriceDiscovery.Type));
        int known = 0;
        for (int t = 0; t < 256; t++) if (ItchLayout.IsKnownType((byte)t)) known++;
        Assert.Equal(23, known);
        Assert.Equal(23, ItchLayout.AllTypes.Length);
    }

    [Fact]
    public void Alpha_fields_drop_only_right_padding()
    {
        byte[] m = " AB  CD  "u8.ToArray();
        Assert.Equal(" AB  CD", S(ItchDecoder.Alpha(m, 0, m.Length)));
        Assert.Equal("", S(ItchDecoder.Alpha("    "u8, 0, 4)));
        Assert.Equal("AB", ItchDecoder.AlphaString(m, 1, 4));
    }
}
