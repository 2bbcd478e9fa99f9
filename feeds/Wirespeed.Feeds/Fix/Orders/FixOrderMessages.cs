using System;
using System.Buffers.Text;
using Wirespeed.Core.Events;
using Wirespeed.Core.Orders;
using Wirespeed.Feeds.Fix.Application;

namespace Wirespeed.Feeds.Fix.Orders;

/// <summary>Writes client order ids: the configured prefix and the decimal number (<see cref="ClientOrderId"/>).</summary>
internal static class FixClOrdId
{
    /// <summary>Prefix (at most 16 bytes) + up to 20 digits.</summary>
    public const int MaxLength = 36;

    public static void Write(ref FixWriter w, int tag, byte[] prefix, ulong id)
    {
        Span<byte> text = stackalloc byte[MaxLength];
        prefix.CopyTo(text);
        Utf8Formatter.TryFormat(id, text.Slice(prefix.Length), out int n);   // 20 digits always fit after a 16-byte prefix
        w.Bytes(tag, text.Slice(0, prefix.Length + n));
    }

    /// <summary>The id in <paramref name="value"/> when it is <paramref name="prefix"/> and digits; 0 (never an id) otherwise.</summary>
    public static ulong Parse(ReadOnlySpan<byte> value, ReadOnlySpan<byte> prefix)
    {
        if (!value.StartsWith(prefix)) return 0;
        var digits = value.Slice(prefix.Length);
        if (digits.IsEmpty || digits.Length > 20) return 0;
        ulong id = 0;
        foreach (byte b in digits)
        {
            uint d = (uint)(b - '0');
            if (d > 9 || id > (ulong.MaxValue - d) / 10) return 0;
            id = id * 10 + d;
        }
        return id;
    }

    public static byte SideCode(Side side) => side == Side.Buy ? (byte)'1' : (byte)'2';   // FIX Side (54): 1 buy, 2 sell
}

/// <summary>NewOrderSingle (35=D), FIX 4.4 / 5.0 SP2: ClOrdID, Account, Symbol, Side, TransactTime, OrderQty, OrdType,
/// Price (limit only), TimeInForce.</summary>
public struct NewOrderSingle : IFixApplicationMessage
{
    public byte[] ClOrdIdPrefix;
    public ulong ClOrdId;
    public byte[]? Account;
    public byte[] Symbol;
    public Side Side;
    public long Quantity;
    /// <summary>4 implied decimals.</summary>
    public long Price;
    public OrderType Type;
    public TimeInForce TimeInForce;
    public long TransactTimeNs;

    public readonly ReadOnlySpan<byte> MsgType => "D"u8;

    public readonly void WriteBody(ref FixWriter w)
    {
        FixClOrdId.Write(ref w, 11, ClOrdIdPrefix, ClOrdId);
        if (Account is not null) w.Bytes(1, Account);
        w.Bytes(55, Symbol);
        w.Char(54, FixClOrdId.SideCode(Side));
        w.Timestamp(60, TransactTimeNs);
        w.Int(38, Quantity);
        w.Char(40, (byte)Type);
        if (Type == OrderType.Limit) w.Fixed(44, Price, 4);
        w.Char(59, (byte)TimeInForce);
    }
}

/// <summary>OrderCancelRequest (35=F): OrigClOrdID, ClOrdID, Symbol, Side, TransactTime, OrderQty.</summary>
public struct OrderCancelRequest : IFixApplicationMessage
{
    public byte[] ClOrdIdPrefix;
    public ulong OrigClOrdId;
    public ulong ClOrdId;
    public byte[] Symbol;
    public Side Side;
    public long Quantity;
    public long TransactTimeNs;

    public readonly ReadOnlySpan<byte> MsgType => "F"u8;

    public readonly void WriteBody(ref FixWriter w)
    {
        FixClOrdId.Write(ref w, 41, ClOrdIdPrefix, OrigClOrdId);
        FixClOrdId.Write(ref w, 11, ClOrdIdPrefix, ClOrdId);
        w.Bytes(55, Symbol);
        w.Char(54, FixClOrdId.SideCode(Side));
        w.Timestamp(60, TransactTimeNs);
        w.Int(38, Quantity);
    }
}

/// <summary>OrderCancelReplaceRequest (35=G): OrigClOrdID, ClOrdID, Symbol, Side, TransactTime, OrderQty, OrdType,
/// Price (limit only), TimeInForce.</summary>
public struct OrderCancelReplaceRequest : IFixApplicationMessage
{
    public byte[] ClOrdIdPrefix;
    public ulong OrigClOrdId;
    public ulong ClOrdId;
    public byte[] Symbol;
    public Side Side;
    public long Quantity;
    public long Price;
    public OrderType Type;
    public TimeInForce TimeInForce;
    public long TransactTimeNs;

    public readonly ReadOnlySpan<byte> MsgType => "G"u8;

    public readonly void WriteBody(ref FixWriter w)
    {
        FixClOrdId.Write(ref w, 41, ClOrdIdPrefix, OrigClOrdId);
        FixClOrdId.Write(ref w, 11, ClOrdIdPrefix, ClOrdId);
        w.Bytes(55, Symbol);
        w.Char(54, FixClOrdId.SideCode(Side));
        w.Timestamp(60, TransactTimeNs);
        w.Int(38, Quantity);
        w.Char(40, (byte)Type);
        if (Type == OrderType.Limit) w.Fixed(44, Price, 4);
        w.Char(59, (byte)TimeInForce);
    }
}
