using System;
using System.Runtime.CompilerServices;
using L = Wirespeed.Feeds.Itch.ItchLayout;
using D = Wirespeed.Feeds.Itch.ItchDecoder;

namespace Wirespeed.Feeds.Itch;

// Typed, zero-copy views over one ITCH 5.0 message, one per type (sections cited on ItchLayout).
// A view is created only by TryRead, which checks the type byte and the exact size first, so every property read
// is in bounds. Prices are the raw wire integers (Price(4): 4 implied decimals; Price(8): 8); alpha fields come back
// trimmed of their right padding. The views read on demand: use them in tests and tools; the hot path uses
// ItchNormaliser, which reads only what a MarketEvent needs.

/// <summary>Fields every message carries (section 4, common prefix).</summary>
public readonly ref struct ItchHeader
{
    private readonly ReadOnlySpan<byte> _m;
    public ItchHeader(ReadOnlySpan<byte> message) => _m = message;
    public byte MessageType => _m[L.Type];
    public ushort StockLocate => D.U16(_m, L.StockLocate);
    public ushort TrackingNumber => D.U16(_m, L.TrackingNumber);
    /// <summary>ns since midnight.</summary>
    public long Timestamp => D.Timestamp48(_m);
}

internal static class ItchView
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DecodeStatus Check(ReadOnlySpan<byte> m, byte type, int size)
    {
        if (m.IsEmpty) return DecodeStatus.BadLength;
        if (m[0] != type) return DecodeStatus.UnknownType;
        return m.Length == size ? DecodeStatus.Ok : DecodeStatus.BadLength;
    }
}

/// <summary>4.1 System Event 'S'.</summary>
public readonly ref struct ItchSystemEvent
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchSystemEvent(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchSystemEvent v) { var s = ItchView.Check(m, L.SystemEvent.Type, L.SystemEvent.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public byte EventCode => _m[L.SystemEvent.EventCode];
}

/// <summary>4.2.1 Stock Directory 'R'.</summary>
public readonly ref struct ItchStockDirectory
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchStockDirectory(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchStockDirectory v) { var s = ItchView.Check(m, L.StockDirectory.Type, L.StockDirectory.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public ReadOnlySpan<byte> Stock => D.Alpha(_m, L.StockDirectory.Stock, 8);
    public byte MarketCategory => _m[L.StockDirectory.MarketCategory];
    public byte FinancialStatusIndicator => _m[L.StockDirectory.FinancialStatusIndicator];
    public uint RoundLotSize => D.U32(_m, L.StockDirectory.RoundLotSize);
    public byte RoundLotsOnly => _m[L.StockDirectory.RoundLotsOnly];
    public byte IssueClassification => _m[L.StockDirectory.IssueClassification];
    public ReadOnlySpan<byte> IssueSubType => D.Alpha(_m, L.StockDirectory.IssueSubType, 2);
    public byte Authenticity => _m[L.StockDirectory.Authenticity];
    public byte ShortSaleThresholdIndicator => _m[L.StockDirectory.ShortSaleThresholdIndicator];
    public byte IpoFlag => _m[L.StockDirectory.IpoFlag];
    public byte LuldReferencePriceTier => _m[L.StockDirectory.LuldReferencePriceTier];
    public byte EtpFlag => _m[L.StockDirectory.EtpFlag];
    public uint EtpLeverageFactor => D.U32(_m, L.StockDirectory.EtpLeverageFactor);
    public byte InverseIndicator => _m[L.StockDirectory.InverseIndicator];
}

/// <summary>4.2.2 Stock Trading Action 'H'.</summary>
public readonly ref struct ItchStockTradingAction
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchStockTradingAction(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchStockTradingAction v) { var s = ItchView.Check(m, L.StockTradingAction.Type, L.StockTradingAction.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public ReadOnlySpan<byte> Stock => D.Alpha(_m, L.StockTradingAction.Stock, 8);
    public byte TradingState => _m[L.StockTradingAction.TradingState];
    public byte Reserved => _m[L.StockTradingAction.Reserved];
    public ReadOnlySpan<byte> Reason => D.Alpha(_m, L.StockTradingAction.Reason, 4);
}

/// <summary>4.2.3 Reg SHO Restriction 'Y'.</summary>
public readonly ref struct ItchRegShoRestriction
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchRegShoRestriction(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchRegShoRestriction v) { var s = ItchView.Check(m, L.RegShoRestriction.Type, L.RegShoRestriction.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public ReadOnlySpan<byte> Stock => D.Alpha(_m, L.RegShoRestriction.Stock, 8);
    public byte RegShoAction => _m[L.RegShoRestriction.RegShoAction];
}

/// <summary>4.2.4 Market Participant Position 'L'.</summary>
public readonly ref struct ItchMarketParticipantPosition
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchMarketParticipantPosition(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchMarketParticipantPosition v) { var s = ItchView.Check(m, L.MarketParticipantPosition.Type, L.MarketParticipantPosition.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public ReadOnlySpan<byte> Mpid => D.Alpha(_m, L.MarketParticipantPosition.Mpid, 4);
    public ReadOnlySpan<byte> Stock => D.Alpha(_m, L.MarketParticipantPosition.Stock, 8);
    public byte PrimaryMarketMaker => _m[L.MarketParticipantPosition.PrimaryMarketMaker];
    public byte MarketMakerMode => _m[L.MarketParticipantPosition.MarketMakerMode];
    public byte MarketParticipantState => _m[L.MarketParticipantPosition.MarketParticipantState];
}

/// <summary>4.2.5.1 MWCB Decline Level 'V'. Levels are Price(8).</summary>
public readonly ref struct ItchMwcbDeclineLevel
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchMwcbDeclineLevel(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchMwcbDeclineLevel v) { var s = ItchView.Check(m, L.MwcbDeclineLevel.Type, L.MwcbDeclineLevel.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public long Level1 => D.Price8(_m, L.MwcbDeclineLevel.Level1);
    public long Level2 => D.Price8(_m, L.MwcbDeclineLevel.Level2);
    public long Level3 => D.Price8(_m, L.MwcbDeclineLevel.Level3);
}

/// <summary>4.2.5.2 MWCB Status 'W'.</summary>
public readonly ref struct ItchMwcbStatus
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchMwcbStatus(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchMwcbStatus v) { var s = ItchView.Check(m, L.MwcbStatus.Type, L.MwcbStatus.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public byte BreachedLevel => _m[L.MwcbStatus.BreachedLevel];
}

/// <summary>4.2.6 IPO Quoting Period Update 'K'.</summary>
public readonly ref struct ItchIpoQuotingPeriodUpdate
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchIpoQuotingPeriodUpdate(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchIpoQuotingPeriodUpdate v) { var s = ItchView.Check(m, L.IpoQuotingPeriodUpdate.Type, L.IpoQuotingPeriodUpdate.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public ReadOnlySpan<byte> Stock => D.Alpha(_m, L.IpoQuotingPeriodUpdate.Stock, 8);
    /// <summary>Seconds since midnight.</summary>
    public uint IpoQuotationReleaseTime => D.U32(_m, L.IpoQuotingPeriodUpdate.IpoQuotationReleaseTime);
    public byte IpoQuotationReleaseQualifier => _m[L.IpoQuotingPeriodUpdate.IpoQuotationReleaseQualifier];
    public long IpoPrice => D.Price4(_m, L.IpoQuotingPeriodUpdate.IpoPrice);
}

/// <summary>4.2.7 LULD Auction Collar 'J'.</summary>
public readonly ref struct ItchLuldAuctionCollar
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchLuldAuctionCollar(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchLuldAuctionCollar v) { var s = ItchView.Check(m, L.LuldAuctionCollar.Type, L.LuldAuctionCollar.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public ReadOnlySpan<byte> Stock => D.Alpha(_m, L.LuldAuctionCollar.Stock, 8);
    public long ReferencePrice => D.Price4(_m, L.LuldAuctionCollar.ReferencePrice);
    public long UpperPrice => D.Price4(_m, L.LuldAuctionCollar.UpperPrice);
    public long LowerPrice => D.Price4(_m, L.LuldAuctionCollar.LowerPrice);
    public uint Extension => D.U32(_m, L.LuldAuctionCollar.Extension);
}

/// <summary>4.2.8 Operational Halt 'h'.</summary>
public readonly ref struct ItchOperationalHalt
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchOperationalHalt(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchOperationalHalt v) { var s = ItchView.Check(m, L.OperationalHalt.Type, L.OperationalHalt.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public ReadOnlySpan<byte> Stock => D.Alpha(_m, L.OperationalHalt.Stock, 8);
    public byte MarketCode => _m[L.OperationalHalt.MarketCode];
    public byte Action => _m[L.OperationalHalt.Action];
}

/// <summary>4.3.1 Add Order 'A' and 4.3.2 Add Order with MPID 'F' (same layout; F appends Attribution).</summary>
public readonly ref struct ItchAddOrder
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchAddOrder(ReadOnlySpan<byte> m) => _m = m;
    /// <summary>Accepts 'A' (36 bytes) and 'F' (40 bytes).</summary>
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchAddOrder v)
    {
        var s = !m.IsEmpty && m[0] == L.AddOrderMpid.Type ? ItchView.Check(m, L.AddOrderMpid.Type, L.AddOrderMpid.Size) : ItchView.Check(m, L.AddOrder.Type, L.AddOrder.Size);
        v = s == DecodeStatus.Ok ? new(m) : default;
        return s;
    }
    public ItchHeader Header => new(_m);
    public ulong OrderReference => D.U64(_m, L.AddOrder.OrderReference);
    public byte Side => _m[L.AddOrder.Side];
    public uint Shares => D.U32(_m, L.AddOrder.Shares);
    public ReadOnlySpan<byte> Stock => D.Alpha(_m, L.AddOrder.Stock, 8);
    public long Price => D.Price4(_m, L.AddOrder.Price);
    public bool HasAttribution => _m[0] == L.AddOrderMpid.Type;
    /// <summary>MPID for 'F'; empty for 'A'.</summary>
    public ReadOnlySpan<byte> Attribution => HasAttribution ? D.Alpha(_m, L.AddOrderMpid.Attribution, 4) : default;
}

/// <summary>4.4.1 Order Executed 'E'.</summary>
public readonly ref struct ItchOrderExecuted
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchOrderExecuted(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchOrderExecuted v) { var s = ItchView.Check(m, L.OrderExecuted.Type, L.OrderExecuted.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public ulong OrderReference => D.U64(_m, L.OrderExecuted.OrderReference);
    public uint ExecutedShares => D.U32(_m, L.OrderExecuted.ExecutedShares);
    public ulong MatchNumber => D.U64(_m, L.OrderExecuted.MatchNumber);
}

/// <summary>4.4.2 Order Executed With Price 'C'.</summary>
public readonly ref struct ItchOrderExecutedWithPrice
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchOrderExecutedWithPrice(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchOrderExecutedWithPrice v) { var s = ItchView.Check(m, L.OrderExecutedWithPrice.Type, L.OrderExecutedWithPrice.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public ulong OrderReference => D.U64(_m, L.OrderExecutedWithPrice.OrderReference);
    public uint ExecutedShares => D.U32(_m, L.OrderExecutedWithPrice.ExecutedShares);
    public ulong MatchNumber => D.U64(_m, L.OrderExecutedWithPrice.MatchNumber);
    public byte Printable => _m[L.OrderExecutedWithPrice.Printable];
    public long ExecutionPrice => D.Price4(_m, L.OrderExecutedWithPrice.ExecutionPrice);
}

/// <summary>4.4.3 Order Cancel 'X'.</summary>
public readonly ref struct ItchOrderCancel
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchOrderCancel(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchOrderCancel v) { var s = ItchView.Check(m, L.OrderCancel.Type, L.OrderCancel.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public ulong OrderReference => D.U64(_m, L.OrderCancel.OrderReference);
    public uint CancelledShares => D.U32(_m, L.OrderCancel.CancelledShares);
}

/// <summary>4.4.4 Order Delete 'D'.</summary>
public readonly ref struct ItchOrderDelete
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchOrderDelete(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchOrderDelete v) { var s = ItchView.Check(m, L.OrderDelete.Type, L.OrderDelete.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public ulong OrderReference => D.U64(_m, L.OrderDelete.OrderReference);
}

/// <summary>4.4.5 Order Replace 'U'.</summary>
public readonly ref struct ItchOrderReplace
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchOrderReplace(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchOrderReplace v) { var s = ItchView.Check(m, L.OrderReplace.Type, L.OrderReplace.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public ulong OriginalOrderReference => D.U64(_m, L.OrderReplace.OriginalOrderReference);
    public ulong NewOrderReference => D.U64(_m, L.OrderReplace.NewOrderReference);
    public uint Shares => D.U32(_m, L.OrderReplace.Shares);
    public long Price => D.Price4(_m, L.OrderReplace.Price);
}

/// <summary>4.5.1 Trade (non-cross) 'P'.</summary>
public readonly ref struct ItchTrade
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchTrade(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchTrade v) { var s = ItchView.Check(m, L.Trade.Type, L.Trade.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public ulong OrderReference => D.U64(_m, L.Trade.OrderReference);
    public byte Side => _m[L.Trade.Side];
    public uint Shares => D.U32(_m, L.Trade.Shares);
    public ReadOnlySpan<byte> Stock => D.Alpha(_m, L.Trade.Stock, 8);
    public long Price => D.Price4(_m, L.Trade.Price);
    public ulong MatchNumber => D.U64(_m, L.Trade.MatchNumber);
}

/// <summary>4.5.2 Cross Trade 'Q'.</summary>
public readonly ref struct ItchCrossTrade
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchCrossTrade(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchCrossTrade v) { var s = ItchView.Check(m, L.CrossTrade.Type, L.CrossTrade.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public ulong Shares => D.U64(_m, L.CrossTrade.Shares);
    public ReadOnlySpan<byte> Stock => D.Alpha(_m, L.CrossTrade.Stock, 8);
    public long CrossPrice => D.Price4(_m, L.CrossTrade.CrossPrice);
    public ulong MatchNumber => D.U64(_m, L.CrossTrade.MatchNumber);
    public byte CrossType => _m[L.CrossTrade.CrossType];
}

/// <summary>4.5.3 Broken Trade 'B'.</summary>
public readonly ref struct ItchBrokenTrade
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchBrokenTrade(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchBrokenTrade v) { var s = ItchView.Check(m, L.BrokenTrade.Type, L.BrokenTrade.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public ulong MatchNumber => D.U64(_m, L.BrokenTrade.MatchNumber);
}

/// <summary>4.6 Net Order Imbalance Indicator 'I'.</summary>
public readonly ref struct ItchNetOrderImbalance
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchNetOrderImbalance(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchNetOrderImbalance v) { var s = ItchView.Check(m, L.NetOrderImbalance.Type, L.NetOrderImbalance.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public ulong PairedShares => D.U64(_m, L.NetOrderImbalance.PairedShares);
    public ulong ImbalanceShares => D.U64(_m, L.NetOrderImbalance.ImbalanceShares);
    public byte ImbalanceDirection => _m[L.NetOrderImbalance.ImbalanceDirection];
    public ReadOnlySpan<byte> Stock => D.Alpha(_m, L.NetOrderImbalance.Stock, 8);
    public long FarPrice => D.Price4(_m, L.NetOrderImbalance.FarPrice);
    public long NearPrice => D.Price4(_m, L.NetOrderImbalance.NearPrice);
    public long CurrentReferencePrice => D.Price4(_m, L.NetOrderImbalance.CurrentReferencePrice);
    public byte CrossType => _m[L.NetOrderImbalance.CrossType];
    public byte PriceVariationIndicator => _m[L.NetOrderImbalance.PriceVariationIndicator];
}

/// <summary>4.7 Retail Price Improvement Indicator 'N'.</summary>
public readonly ref struct ItchRetailPriceImprovement
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchRetailPriceImprovement(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchRetailPriceImprovement v) { var s = ItchView.Check(m, L.RetailPriceImprovement.Type, L.RetailPriceImprovement.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public ReadOnlySpan<byte> Stock => D.Alpha(_m, L.RetailPriceImprovement.Stock, 8);
    public byte InterestFlag => _m[L.RetailPriceImprovement.InterestFlag];
}

/// <summary>4.8 Direct Listing with Capital Raise Price Discovery 'O'.</summary>
public readonly ref struct ItchDirectListingPriceDiscovery
{
    private readonly ReadOnlySpan<byte> _m;
    private ItchDirectListingPriceDiscovery(ReadOnlySpan<byte> m) => _m = m;
    public static DecodeStatus TryRead(ReadOnlySpan<byte> m, out ItchDirectListingPriceDiscovery v) { var s = ItchView.Check(m, L.DirectListingPriceDiscovery.Type, L.DirectListingPriceDiscovery.Size); v = s == DecodeStatus.Ok ? new(m) : default; return s; }
    public ItchHeader Header => new(_m);
    public ReadOnlySpan<byte> Stock => D.Alpha(_m, L.DirectListingPriceDiscovery.Stock, 8);
    public byte OpenEligibilityStatus => _m[L.DirectListingPriceDiscovery.OpenEligibilityStatus];
    public long MinimumAllowablePrice => D.Price4(_m, L.DirectListingPriceDiscovery.MinimumAllowablePrice);
    public long MaximumAllowablePrice => D.Price4(_m, L.DirectListingPriceDiscovery.MaximumAllowablePrice);
    public long NearExecutionPrice => D.Price4(_m, L.DirectListingPriceDiscovery.NearExecutionPrice);
    /// <summary>ns since midnight (8 bytes, unlike the 6-byte message timestamp).</summary>
    public ulong NearExecutionTime => D.U64(_m, L.DirectListingPriceDiscovery.NearExecutionTime);
    public long LowerPriceRangeCollar => D.Price4(_m, L.DirectListingPriceDiscovery.LowerPriceRangeCollar);
    public long UpperPriceRangeCollar => D.Price4(_m, L.DirectListingPriceDiscovery.UpperPriceRangeCollar);
}
