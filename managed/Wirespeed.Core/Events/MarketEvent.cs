using System.Runtime.InteropServices;

namespace Wirespeed.Core.Events;

/// <summary>
/// One normalised market event: one cache line, blittable, no references. Every stage after Decode speaks only this
/// type and its small siblings. Fields whose meaning depends on <see cref="Kind"/> are documented on
/// <see cref="EventKind"/>.
/// </summary>
/// <remarks>
/// <code>
///  0        8        16       24       32       40       48       56     60  61  62  63
///  +--------+--------+--------+--------+--------+--------+--------+------+---+---+---+---+
///  | ExchTs | RecvTs |OrderId |  Aux   | Price  |Sequence|Quantity| Inst |Lin|Knd|Sid|L+F|
///  +--------+--------+--------+--------+--------+--------+--------+------+---+---+---+---+
/// </code>
/// Exact offsets are the <c>FieldOffset</c>s below; a layout test pins them.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct MarketEvent
{
    public const int Size = 64;

    /// <summary>Exchange timestamp, ns since the Unix epoch (UTC). ITCH's ns-since-midnight is converted at decode.</summary>
    [FieldOffset(0)] public long ExchangeTimestampNs;
    /// <summary>Receive timestamp, ns on the monotonic clock (<see cref="Time.MonoClock"/>) of the packet that carried it.</summary>
    [FieldOffset(8)] public long ReceiveTimestampNs;
    /// <summary>Order reference number (ITCH) or 0.</summary>
    [FieldOffset(16)] public ulong OrderId;
    /// <summary>Kind-specific second id: new order reference (replace), match number (executions, trades), state codes (status kinds).</summary>
    [FieldOffset(24)] public ulong Aux;
    /// <summary>Price in fixed point with 4 implied decimals (ITCH Price(4)); 0 where the kind has none.</summary>
    [FieldOffset(32)] public long Price;
    /// <summary>Feed sequence number of the message (MoldUDP64 sequence of this message).</summary>
    [FieldOffset(40)] public ulong Sequence;
    /// <summary>Shares (ITCH is 4 bytes except Cross Trade's 8).</summary>
    [FieldOffset(48)] public long Quantity;
    /// <summary>Dense instrument id (index into the instrument table); -1 when not yet known.</summary>
    [FieldOffset(56)] public int Instrument;
    /// <summary>Feed line the packet arrived on.</summary>
    [FieldOffset(60)] public byte LineId;
    [FieldOffset(61)] public EventKind Kind;
    [FieldOffset(62)] public Side Side;
    /// <summary>Lane assigned by the classifier; <see cref="Lane.Normal"/> until then.</summary>
    [FieldOffset(63)] public byte PackedLaneAndFlags;

    /// <summary>Priority lane (low 2 bits of <see cref="PackedLaneAndFlags"/>).</summary>
    public Lane Lane
    {
        readonly get => (Lane)(PackedLaneAndFlags & 0x3);
        set => PackedLaneAndFlags = (byte)((PackedLaneAndFlags & ~0x3) | ((int)value & 0x3));
    }

    /// <summary>Flags (high 6 bits of <see cref="PackedLaneAndFlags"/>).</summary>
    public EventFlags Flags
    {
        readonly get => (EventFlags)(PackedLaneAndFlags & ~0x3);
        set => PackedLaneAndFlags = (byte)((PackedLaneAndFlags & 0x3) | ((int)value & ~0x3));
    }
}
