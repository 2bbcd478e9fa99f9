using System.Runtime.InteropServices;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Orders;

/// <summary>
/// An order a strategy wants sent: one cache line, blittable, so the strategy adapter copies it into the ring to the
/// session thread as it is. The reference prices are the book's best bid and offer when the request was made: the
/// price-band check reads them on the session thread without touching the book, which belongs to another thread.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct OrderRequest
{
    public const int Size = 64;

    /// <summary>Limit price, 4 implied decimals; ignored for market orders.</summary>
    [FieldOffset(0)] public long Price;
    [FieldOffset(8)] public long Quantity;
    /// <summary>Best bid when the request was made (4 decimals); 0 when the side was empty.</summary>
    [FieldOffset(16)] public long ReferenceBid;
    /// <summary>Best offer when the request was made (4 decimals); 0 when the side was empty.</summary>
    [FieldOffset(24)] public long ReferenceAsk;
    /// <summary>When the triggering signal fired (monotonic ns): signal-to-wire latency starts here.</summary>
    [FieldOffset(32)] public long SignalTimestampNs;
    /// <summary>Pattern that asked for it; -1 for an operator's order.</summary>
    [FieldOffset(40)] public int PatternId;
    /// <summary>Dense instrument id.</summary>
    [FieldOffset(44)] public int Instrument;
    [FieldOffset(48)] public Side Side;
    [FieldOffset(49)] public OrderType Type;
    [FieldOffset(50)] public TimeInForce TimeInForce;
}
