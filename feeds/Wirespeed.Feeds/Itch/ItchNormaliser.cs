using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using L = Wirespeed.Feeds.Itch.ItchLayout;
using D = Wirespeed.Feeds.Itch.ItchDecoder;

namespace Wirespeed.Feeds.Itch;

/// <summary>
/// Turns one ITCH 5.0 message into a <see cref="MarketEvent"/> (field use per kind: <see cref="EventKind"/>).
/// </summary>
/// <remarks>
/// Common to every kind: Instrument = stock locate (ITCH assigns locates densely per day, 0 for market-wide
/// messages); ExchangeTimestampNs = <c>midnightEpochNs</c> + the ITCH ns-since-midnight; Sequence, ReceiveTimestampNs
/// and LineId from the caller; Lane = Normal; Flags = none (the feed decoder adds BookStale / EndOfPacket).
/// Mapping beyond what <see cref="EventKind"/> states (kept here, the one place it is defined):
/// <list type="bullet">
/// <item>'F' is AddOrder with Aux = the 4 attribution bytes as a little-endian uint ('A': Aux = 0).</item>
/// <item>'P' Trade carries OrderId = order reference (NASDAQ sends 0 there today).</item>
/// <item>'R' Stock Directory: Reference, OrderId = the 8 symbol bytes as a little-endian ulong, Aux = 'R',
/// Quantity = round lot size, Price = 0.</item>
/// <item>'V' MWCB decline: Price = level 1, OrderId = level 2, Aux = level 3, all rescaled from Price(8) to 4 decimals.</item>
/// <item>'I' NOII: Side = 'B'/'S' for buy/sell imbalance, None for 'N' (none) and 'O' (insufficient orders);
/// OrderId = paired shares; Aux = cross type | price variation indicator &lt;&lt; 8 | direction &lt;&lt; 16.</item>
/// <item>'Y', 'L', 'K', 'N', 'O': Status with Aux = type | first type-specific code &lt;&lt; 8 (Y: action,
/// L: participant state, K: release qualifier, N: interest flag, O: open eligibility status);
/// K and O carry a price (IPO price; near execution price) in Price; OrderId = the symbol key.</item>
/// </list>
/// </remarks>
public static class ItchNormaliser
{
    /// <summary>
    /// Validates <paramref name="message"/> (type and exact size) and fills <paramref name="evt"/>. On any status other
    /// than Ok, <paramref name="evt"/> is left untouched.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DecodeStatus Normalise(ReadOnlySpan<byte> message, ulong sequence, long midnightEpochNs,
                                         long receiveTimestampNs, byte lineId, ref MarketEvent evt)
    {
        DecodeStatus status = D.Validate(message);
        if (status != DecodeStatus.Ok) return status;
        Fill(message, ref evt);
        evt.ExchangeTimestampNs = midnightEpochNs + D.Timestamp48(message);
        evt.ReceiveTimestampNs = receiveTimestampNs;
        evt.Sequence = sequence;
        evt.Instrument = BinaryPrimitives.ReadUInt16BigEndian(message.Slice(L.StockLocate));
        evt.LineId = lineId;
        evt.PackedLaneAndFlags = (byte)Lane.Normal;
        return DecodeStatus.Ok;
    }

    // The message is validated: its length equals its type's size, so every offset below is in bounds.
    private static void Fill(ReadOnlySpan<byte> m, ref MarketEvent e)
    {
        e.OrderId = 0; e.Aux = 0; e.Price = 0; e.Quantity = 0; e.Side = Side.None;
        switch (m[0])
        {
            case (byte)'A':
                e.Kind = EventKind.AddOrder;
                e.OrderId = D.U64(m, L.AddOrder.OrderReference);
                e.Side = ToSide(m[L.AddOrder.Side]);
                e.Quantity = D.U32(m, L.AddOrder.Shares);
                e.Price = D.Price4(m, L.AddOrder.Price);
                break;
            case (byte)'F':
                e.Kind = EventKind.AddOrder;
                e.OrderId = D.U64(m, L.AddOrderMpid.OrderReference);
                e.Side = ToSide(m[L.AddOrderMpid.Side]);
                e.Quantity = D.U32(m, L.AddOrderMpid.Shares);
                e.Price = D.Price4(m, L.AddOrderMpid.Price);
                e.Aux = BinaryPrimitives.ReadUInt32LittleEndian(m.Slice(L.AddOrderMpid.Attribution));
                break;
            case (byte)'E':
                e.Kind = EventKind.OrderExecuted;
                e.OrderId = D.U64(m, L.OrderExecuted.OrderReference);
                e.Quantity = D.U32(m, L.OrderExecuted.ExecutedShares);
                e.Aux = D.U64(m, L.OrderExecuted.MatchNumber);
                break;
            case (byte)'C':
                e.Kind = EventKind.OrderExecutedWithPrice;
                e.OrderId = D.U64(m, L.OrderExecutedWithPrice.OrderReference);
                e.Quantity = D.U32(m, L.OrderExecutedWithPrice.ExecutedShares);
                e.Aux = D.U64(m, L.OrderExecutedWithPrice.MatchNumber);
                e.Price = D.Price4(m, L.OrderExecutedWithPrice.ExecutionPrice);
                break;
            case (byte)'X':
                e.Kind = EventKind.OrderCancel;
                e.OrderId = D.U64(m, L.OrderCancel.OrderReference);
                e.Quantity = D.U32(m, L.OrderCancel.CancelledShares);
                break;
            case (byte)'D':
                e.Kind = EventKind.OrderDelete;
                e.OrderId = D.U64(m, L.OrderDelete.OrderReference);
                break;
            case (byte)'U':
                e.Kind = EventKind.OrderReplace;
                e.OrderId = D.U64(m, L.OrderReplace.OriginalOrderReference);
                e.Aux = D.U64(m, L.OrderReplace.NewOrderReference);
                e.Quantity = D.U32(m, L.OrderReplace.Shares);
                e.Price = D.Price4(m, L.OrderReplace.Price);
                break;
            case (byte)'P':
                e.Kind = EventKind.Trade;
                e.OrderId = D.U64(m, L.Trade.OrderReference);
                e.Side = ToSide(m[L.Trade.Side]);
                e.Quantity = D.U32(m, L.Trade.Shares);
                e.Price = D.Price4(m, L.Trade.Price);
                e.Aux = D.U64(m, L.Trade.MatchNumber);
                break;
            case (byte)'Q':
                e.Kind = EventKind.CrossTrade;
                e.Quantity = (long)D.U64(m, L.CrossTrade.Shares);
                e.Price = D.Price4(m, L.CrossTrade.CrossPrice);
                e.Aux = D.U64(m, L.CrossTrade.MatchNumber);
                break;
            case (byte)'B':
                e.Kind = EventKind.BrokenTrade;
                e.Aux = D.U64(m, L.BrokenTrade.MatchNumber);
                break;
            case (byte)'S':
                e.Kind = EventKind.SystemEvent;
                e.Aux = m[L.SystemEvent.EventCode];
                break;
            case (byte)'R':
                e.Kind = EventKind.Reference;
                e.OrderId = D.SymbolKey(m, L.StockDirectory.Stock);
                e.Aux = (byte)'R';
                e.Quantity = D.U32(m, L.StockDirectory.RoundLotSize);
                break;
            case (byte)'H':
                e.Kind = EventKind.TradingAction;
                e.Aux = m[L.StockTradingAction.TradingState] | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(m.Slice(L.StockTradingAction.Reason)) << 8);
                e.OrderId = D.SymbolKey(m, L.StockTradingAction.Stock);
                break;
            case (byte)'W':
                e.Kind = EventKind.MwcbStatus;
                e.Aux = m[L.MwcbStatus.BreachedLevel];
                break;
            case (byte)'V':
                e.Kind = EventKind.MwcbDeclineLevel;
                e.Price = D.Price8To4(m, L.MwcbDeclineLevel.Level1);
                e.OrderId = (ulong)D.Price8To4(m, L.MwcbDeclineLevel.Level2);
                e.Aux = (ulong)D.Price8To4(m, L.MwcbDeclineLevel.Level3);
                break;
            case (byte)'J':
                e.Kind = EventKind.LuldCollar;
                e.Price = D.Price4(m, L.LuldAuctionCollar.ReferencePrice);
                e.Quantity = D.Price4(m, L.LuldAuctionCollar.UpperPrice);
                e.OrderId = (ulong)D.Price4(m, L.LuldAuctionCollar.LowerPrice);
                e.Aux = D.U32(m, L.LuldAuctionCollar.Extension);
                break;
            case (byte)'h':
                e.Kind = EventKind.OperationalHalt;
                e.Aux = m[L.OperationalHalt.MarketCode] | ((ulong)m[L.OperationalHalt.Action] << 8);
                e.OrderId = D.SymbolKey(m, L.OperationalHalt.Stock);
                break;
            case (byte)'I':
                e.Kind = EventKind.Imbalance;
                e.Quantity = (long)D.U64(m, L.NetOrderImbalance.ImbalanceShares);
                e.OrderId = D.U64(m, L.NetOrderImbalance.PairedShares);
                e.Price = D.Price4(m, L.NetOrderImbalance.CurrentReferencePrice);
                e.Side = ToSide(m[L.NetOrderImbalance.ImbalanceDirection]);
                e.Aux = m[L.NetOrderImbalance.CrossType] | ((ulong)m[L.NetOrderImbalance.PriceVariationIndicator] << 8)
                      | ((ulong)m[L.NetOrderImbalance.ImbalanceDirection] << 16);
                break;
            case (byte)'Y':
                Status(ref e, m, L.RegShoRestriction.Stock, m[L.RegShoRestriction.RegShoAction]);
                break;
            case (byte)'L':
                Status(ref e, m, L.MarketParticipantPosition.Stock, m[L.MarketParticipantPosition.MarketParticipantState]);
                break;
            case (byte)'K':
                Status(ref e, m, L.IpoQuotingPeriodUpdate.Stock, m[L.IpoQuotingPeriodUpdate.IpoQuotationReleaseQualifier]);
                e.Price = D.Price4(m, L.IpoQuotingPeriodUpdate.IpoPrice);
                break;
            case (byte)'N':
                Status(ref e, m, L.RetailPriceImprovement.Stock, m[L.RetailPriceImprovement.InterestFlag]);
                break;
            default: // 'O': Validate admits only the 23 known types, so this is the last one
                Status(ref e, m, L.DirectListingPriceDiscovery.Stock, m[L.DirectListingPriceDiscovery.OpenEligibilityStatus]);
                e.Price = D.Price4(m, L.DirectListingPriceDiscovery.NearExecutionPrice);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Status(ref MarketEvent e, ReadOnlySpan<byte> m, int stockOffset, byte code)
    {
        e.Kind = EventKind.Status;
        e.Aux = m[0] | ((ulong)code << 8);
        e.OrderId = D.SymbolKey(m, stockOffset);
    }

    // ITCH uses 'B' and 'S' for buy and sell; any other byte (NOII 'N'/'O', or a corrupt byte) is no side.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Side ToSide(byte b) => b == (byte)'B' ? Side.Buy : b == (byte)'S' ? Side.Sell : Side.None;
}
