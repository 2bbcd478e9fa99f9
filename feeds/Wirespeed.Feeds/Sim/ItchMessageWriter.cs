using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Wirespeed.Feeds.Sim;

/// <summary>
/// Encodes NASDAQ TotalView-ITCH 5.0 messages into caller memory. Every method writes one whole message at the start of
/// <c>dst</c> and returns its length; it never allocates. The destination must hold at least the message length
/// (see <see cref="ItchLength"/>); a shorter span is a programmer error and throws <see cref="ArgumentOutOfRangeException"/>
/// through the span indexer, never a silent partial write.
/// </summary>
/// <remarks>
/// Common header of every ITCH 5.0 message (spec section 1.3, "Data Types" and 4, "Message Formats"):
/// <code>
///  0      1        3          5                      11
///  +------+--------+----------+----------------------+-- body
///  | type | locate | tracking | timestamp (6 bytes)  |
///  +------+--------+----------+----------------------+
/// </code>
/// All integers are big-endian. Timestamp is ns since midnight (6 bytes). Price(4) has 4 implied decimals, Price(8) has
/// 8. Alpha fields are left-justified and padded on the right with spaces.
/// </remarks>
public static class ItchMessageWriter
{
    /// <summary>Bytes of the common header (type, stock locate, tracking number, timestamp).</summary>
    public const int HeaderLength = 11;

    /// <summary>Offset of the 6-byte timestamp in every message.</summary>
    public const int TimestampOffset = 5;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Header(Span<byte> dst, byte type, ushort locate, ushort tracking, long timestampNs)
    {
        dst[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(dst.Slice(1), locate);
        BinaryPrimitives.WriteUInt16BigEndian(dst.Slice(3), tracking);
        WriteTimestamp(dst.Slice(TimestampOffset), timestampNs);
    }

    /// <summary>Writes a 6-byte big-endian ns-since-midnight timestamp (ITCH 5.0 Data Types: Timestamp).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteTimestamp(Span<byte> dst, long timestampNs)
    {
        ulong t = (ulong)timestampNs;
        BinaryPrimitives.WriteUInt16BigEndian(dst, (ushort)(t >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(2), (uint)t);
    }

    /// <summary>Overwrites the timestamp of an already-encoded message (used to stamp at the moment of sending).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void PatchTimestamp(Span<byte> message, long timestampNs) => WriteTimestamp(message.Slice(TimestampOffset), timestampNs);

    /// <summary>Writes an 8-byte stock symbol, left-justified and padded with spaces (ITCH 5.0 Data Types: Alpha).</summary>
    public static void WriteStock(Span<byte> dst, ulong stock) => BinaryPrimitives.WriteUInt64BigEndian(dst, stock);

    /// <summary>Packs an ASCII symbol of up to 8 characters into the big-endian space-padded form used on the wire.</summary>
    public static ulong PackStock(ReadOnlySpan<char> symbol)
    {
        if (symbol.Length > 8) throw new ArgumentException($"Symbol '{symbol.ToString()}' is longer than 8 characters.", nameof(symbol));
        ulong v = 0;
        for (int i = 0; i < 8; i++)
        {
            char c = i < symbol.Length ? symbol[i] : ' ';
            if (c > 0x7E || c < 0x20) throw new ArgumentException($"Symbol '{symbol.ToString()}' is not printable ASCII.", nameof(symbol));
            v = (v << 8) | c;
        }
        return v;
    }

    /// <summary>Fixed length of each message type the simulator emits; 0 for other types.</summary>
    public static int ItchLength(byte type) => type switch
    {
        (byte)'S' => 12,
        (byte)'R' => 39,
        (byte)'H' => 25,
        (byte)'A' => 36,
        (byte)'F' => 40,
        (byte)'E' => 31,
        (byte)'C' => 36,
        (byte)'X' => 23,
        (byte)'D' => 19,
        (byte)'U' => 35,
        (byte)'P' => 44,
        (byte)'Q' => 40,
        (byte)'I' => 50,
        (byte)'V' => 35,
        (byte)'W' => 12,
        (byte)'J' => 35,
        _ => 0,
    };

    /// <summary>System Event 'S' (12 bytes; spec 4.1). Event codes: O, S, Q, M, E, C.</summary>
    public static int SystemEvent(Span<byte> dst, ushort tracking, long ts, byte eventCode)
    {
        _ = dst[11];
        Header(dst, (byte)'S', 0, tracking, ts);
        dst[11] = eventCode;
        return 12;
    }

    /// <summary>Stock Directory 'R' (39 bytes; spec 4.2.1).</summary>
    public static int StockDirectory(Span<byte> dst, ushort locate, ushort tracking, long ts, ulong stock,
        byte marketCategory, byte financialStatus, uint roundLotSize, byte roundLotsOnly, byte issueClassification,
        ushort issueSubType, byte authenticity, byte shortSaleThreshold, byte ipoFlag, byte luldTier, byte etpFlag,
        uint etpLeverageFactor, byte inverseIndicator)
    {
        _ = dst[38];
        Header(dst, (byte)'R', locate, tracking, ts);
        WriteStock(dst.Slice(11), stock);
        dst[19] = marketCategory;
        dst[20] = financialStatus;
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(21), roundLotSize);
        dst[25] = roundLotsOnly;
        dst[26] = issueClassification;
        BinaryPrimitives.WriteUInt16BigEndian(dst.Slice(27), issueSubType);
        dst[29] = authenticity;
        dst[30] = shortSaleThreshold;
        dst[31] = ipoFlag;
        dst[32] = luldTier;
        dst[33] = etpFlag;
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(34), etpLeverageFactor);
        dst[38] = inverseIndicator;
        return 39;
    }

    /// <summary>Stock Trading Action 'H' (25 bytes; spec 4.2.2). State: H halted, P paused, Q quotation only, T trading.</summary>
    public static int StockTradingAction(Span<byte> dst, ushort locate, ushort tracking, long ts, ulong stock, byte state, uint reason)
    {
        _ = dst[24];
        Header(dst, (byte)'H', locate, tracking, ts);
        WriteStock(dst.Slice(11), stock);
        dst[19] = state;
        dst[20] = (byte)' '; // Reserved
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(21), reason);
        return 25;
    }

    /// <summary>Add Order without MPID 'A' (36 bytes; spec 4.3.1). Side 'B' or 'S'.</summary>
    public static int AddOrder(Span<byte> dst, ushort locate, ushort tracking, long ts, ulong orderRef, byte side, uint shares, ulong stock, uint price)
    {
        _ = dst[35];
        Header(dst, (byte)'A', locate, tracking, ts);
        BinaryPrimitives.WriteUInt64BigEndian(dst.Slice(11), orderRef);
        dst[19] = side;
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(20), shares);
        WriteStock(dst.Slice(24), stock);
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(32), price);
        return 36;
    }

    /// <summary>Add Order with MPID attribution 'F' (40 bytes; spec 4.3.2). Attribution is 4 ASCII bytes packed big-endian.</summary>
    public static int AddOrderMpid(Span<byte> dst, ushort locate, ushort tracking, long ts, ulong orderRef, byte side, uint shares, ulong stock, uint price, uint attribution)
    {
        _ = dst[39];
        Header(dst, (byte)'F', locate, tracking, ts);
        BinaryPrimitives.WriteUInt64BigEndian(dst.Slice(11), orderRef);
        dst[19] = side;
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(20), shares);
        WriteStock(dst.Slice(24), stock);
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(32), price);
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(36), attribution);
        return 40;
    }

    /// <summary>Order Executed 'E' (31 bytes; spec 4.4.1).</summary>
    public static int OrderExecuted(Span<byte> dst, ushort locate, ushort tracking, long ts, ulong orderRef, uint executedShares, ulong matchNumber)
    {
        _ = dst[30];
        Header(dst, (byte)'E', locate, tracking, ts);
        BinaryPrimitives.WriteUInt64BigEndian(dst.Slice(11), orderRef);
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(19), executedShares);
        BinaryPrimitives.WriteUInt64BigEndian(dst.Slice(23), matchNumber);
        return 31;
    }

    /// <summary>Order Executed With Price 'C' (36 bytes; spec 4.4.2). Printable 'Y' or 'N'.</summary>
    public static int OrderExecutedWithPrice(Span<byte> dst, ushort locate, ushort tracking, long ts, ulong orderRef, uint executedShares, ulong matchNumber, byte printable, uint executionPrice)
    {
        _ = dst[35];
        Header(dst, (byte)'C', locate, tracking, ts);
        BinaryPrimitives.WriteUInt64BigEndian(dst.Slice(11), orderRef);
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(19), executedShares);
        BinaryPrimitives.WriteUInt64BigEndian(dst.Slice(23), matchNumber);
        dst[31] = printable;
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(32), executionPrice);
        return 36;
    }

    /// <summary>Order Cancel 'X' (23 bytes; spec 4.4.3): a partial cancel of <paramref name="cancelledShares"/>.</summary>
    public static int OrderCancel(Span<byte> dst, ushort locate, ushort tracking, long ts, ulong orderRef, uint cancelledShares)
    {
        _ = dst[22];
        Header(dst, (byte)'X', locate, tracking, ts);
        BinaryPrimitives.WriteUInt64BigEndian(dst.Slice(11), orderRef);
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(19), cancelledShares);
        return 23;
    }

    /// <summary>Order Delete 'D' (19 bytes; spec 4.4.4).</summary>
    public static int OrderDelete(Span<byte> dst, ushort locate, ushort tracking, long ts, ulong orderRef)
    {
        _ = dst[18];
        Header(dst, (byte)'D', locate, tracking, ts);
        BinaryPrimitives.WriteUInt64BigEndian(dst.Slice(11), orderRef);
        return 19;
    }

    /// <summary>Order Replace 'U' (35 bytes; spec 4.4.5): the original order is gone, the new one keeps its side.</summary>
    public static int OrderReplace(Span<byte> dst, ushort locate, ushort tracking, long ts, ulong originalRef, ulong newRef, uint shares, uint price)
    {
        _ = dst[34];
        Header(dst, (byte)'U', locate, tracking, ts);
        BinaryPrimitives.WriteUInt64BigEndian(dst.Slice(11), originalRef);
        BinaryPrimitives.WriteUInt64BigEndian(dst.Slice(19), newRef);
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(27), shares);
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(31), price);
        return 35;
    }

    /// <summary>Trade (non-cross) 'P' (44 bytes; spec 4.5.1): an execution against a non-displayed order.</summary>
    public static int Trade(Span<byte> dst, ushort locate, ushort tracking, long ts, ulong orderRef, byte side, uint shares, ulong stock, uint price, ulong matchNumber)
    {
        _ = dst[43];
        Header(dst, (byte)'P', locate, tracking, ts);
        BinaryPrimitives.WriteUInt64BigEndian(dst.Slice(11), orderRef);
        dst[19] = side;
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(20), shares);
        WriteStock(dst.Slice(24), stock);
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(32), price);
        BinaryPrimitives.WriteUInt64BigEndian(dst.Slice(36), matchNumber);
        return 44;
    }

    /// <summary>Cross Trade 'Q' (40 bytes; spec 4.5.2). Cross type: O opening, C closing, H halt/IPO, I intraday.</summary>
    public static int CrossTrade(Span<byte> dst, ushort locate, ushort tracking, long ts, ulong shares, ulong stock, uint crossPrice, ulong matchNumber, byte crossType)
    {
        _ = dst[39];
        Header(dst, (byte)'Q', locate, tracking, ts);
        BinaryPrimitives.WriteUInt64BigEndian(dst.Slice(11), shares);
        WriteStock(dst.Slice(19), stock);
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(27), crossPrice);
        BinaryPrimitives.WriteUInt64BigEndian(dst.Slice(31), matchNumber);
        dst[39] = crossType;
        return 40;
    }

    /// <summary>Net Order Imbalance Indicator 'I' (50 bytes; ITCH 5.0 "Net Order Imbalance Indicator (NOII) Message"). Direction: B, S, N, O.</summary>
    public static int NetOrderImbalance(Span<byte> dst, ushort locate, ushort tracking, long ts, ulong pairedShares, ulong imbalanceShares,
        byte imbalanceDirection, ulong stock, uint farPrice, uint nearPrice, uint referencePrice, byte crossType, byte priceVariation)
    {
        _ = dst[49];
        Header(dst, (byte)'I', locate, tracking, ts);
        BinaryPrimitives.WriteUInt64BigEndian(dst.Slice(11), pairedShares);
        BinaryPrimitives.WriteUInt64BigEndian(dst.Slice(19), imbalanceShares);
        dst[27] = imbalanceDirection;
        WriteStock(dst.Slice(28), stock);
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(36), farPrice);
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(40), nearPrice);
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(44), referencePrice);
        dst[48] = crossType;
        dst[49] = priceVariation;
        return 50;
    }

    /// <summary>MWCB Decline Level 'V' (35 bytes; ITCH 5.0 "MWCB Decline Level Message"). Prices are Price(8): 8 implied decimals.</summary>
    public static int MwcbDeclineLevel(Span<byte> dst, ushort tracking, long ts, ulong level1, ulong level2, ulong level3)
    {
        _ = dst[34];
        Header(dst, (byte)'V', 0, tracking, ts);
        BinaryPrimitives.WriteUInt64BigEndian(dst.Slice(11), level1);
        BinaryPrimitives.WriteUInt64BigEndian(dst.Slice(19), level2);
        BinaryPrimitives.WriteUInt64BigEndian(dst.Slice(27), level3);
        return 35;
    }

    /// <summary>MWCB Status 'W' (12 bytes; ITCH 5.0 "MWCB Status Message"). Breached level '1', '2' or '3'.</summary>
    public static int MwcbStatus(Span<byte> dst, ushort tracking, long ts, byte breachedLevel)
    {
        _ = dst[11];
        Header(dst, (byte)'W', 0, tracking, ts);
        dst[11] = breachedLevel;
        return 12;
    }

    /// <summary>LULD Auction Collar 'J' (35 bytes; ITCH 5.0 "LULD Auction Collar").</summary>
    public static int LuldAuctionCollar(Span<byte> dst, ushort locate, ushort tracking, long ts, ulong stock, uint referencePrice, uint upperPrice, uint lowerPrice, uint extension)
    {
        _ = dst[34];
        Header(dst, (byte)'J', locate, tracking, ts);
        WriteStock(dst.Slice(11), stock);
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(19), referencePrice);
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(23), upperPrice);
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(27), lowerPrice);
        BinaryPrimitives.WriteUInt32BigEndian(dst.Slice(31), extension);
        return 35;
    }
}
