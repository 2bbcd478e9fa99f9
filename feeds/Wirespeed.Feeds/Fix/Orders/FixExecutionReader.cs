using System;
using Wirespeed.Core.Orders;

namespace Wirespeed.Feeds.Fix.Orders;

/// <summary>
/// Reads the order-side answers from parsed FIX messages into the protocol-free structs of Core/Orders: ExecutionReport
/// (35=8), OrderCancelReject (35=9), Reject (35=3), BusinessMessageReject (35=j). Each returns false when a field the
/// state machine needs is missing or malformed (the caller counts it); nothing throws, nothing allocates.
/// </summary>
public static class FixExecutionReader
{
    /// <summary>ExecType (150) to <see cref="ExecKind"/> (FIX 4.4 / 5.0 SP2 values; 1 and 2 from FIX 4.0-4.2 are fills).</summary>
    public static ExecKind KindOf(byte execType) => execType switch
    {
        (byte)'0' => ExecKind.New,
        (byte)'1' or (byte)'2' or (byte)'F' => ExecKind.Trade,
        (byte)'3' or (byte)'C' => ExecKind.Expired,
        (byte)'4' => ExecKind.Canceled,
        (byte)'5' => ExecKind.Replaced,
        (byte)'6' => ExecKind.PendingCancel,
        (byte)'8' => ExecKind.Rejected,
        (byte)'A' => ExecKind.PendingNew,
        (byte)'D' => ExecKind.Restated,
        (byte)'E' => ExecKind.PendingReplace,
        (byte)'I' => ExecKind.OrderStatus,
        _ => ExecKind.Unsupported,
    };

    /// <summary>An execution report: ExecType (150), ClOrdID (11), OrigClOrdID (41), CumQty (14), LeavesQty (151),
    /// LastQty (32), LastPx (31). Ids not made of <paramref name="prefix"/> and digits read as 0 (not ours).</summary>
    public static bool TryRead(in FixView v, ReadOnlySpan<byte> prefix, out ExecutionReport r)
    {
        r = default;
        if (v.TryGetChar(150, out byte execType) != FixStatus.Ok) return false;
        if (v.TryGetFixed(14, 0, out long cum) != FixStatus.Ok || v.TryGetFixed(151, 0, out long leaves) != FixStatus.Ok) return false;
        r.Kind = KindOf(execType);
        r.CumQty = cum;
        r.LeavesQty = leaves;
        if (v.TryGet(11, out var id)) r.ClientId = FixClOrdId.Parse(id, prefix);
        if (v.TryGet(41, out var orig)) r.OrigClientId = FixClOrdId.Parse(orig, prefix);
        if (v.Has(32) && v.TryGetFixed(32, 0, out long last) == FixStatus.Ok) r.LastQty = last;
        if (v.Has(31) && v.TryGetFixed(31, 4, out long px) == FixStatus.Ok) r.LastPx = px;
        return true;
    }

    /// <summary>An OrderCancelReject: ClOrdID (11), OrigClOrdID (41), CxlRejReason (102) = 1 "unknown order".</summary>
    public static bool TryReadCancelReject(in FixView v, ReadOnlySpan<byte> prefix, out ulong clientId, out ulong origClientId, out bool unknownOrder)
    {
        clientId = 0;
        origClientId = 0;
        unknownOrder = false;
        if (!v.TryGet(11, out var id) || !v.TryGet(41, out var orig)) return false;
        clientId = FixClOrdId.Parse(id, prefix);
        origClientId = FixClOrdId.Parse(orig, prefix);
        unknownOrder = v.TryGetInt(102, out long reason) == FixStatus.Ok && reason == 1;
        return true;
    }

    /// <summary>A Reject (3) or BusinessMessageReject (j): RefSeqNum (45) and, for j, BusinessRejectRefID (379) as a
    /// client order id. False when the reject names neither, or refers to a message type other than D, F, G.</summary>
    public static bool TryReadReject(in FixView v, ReadOnlySpan<byte> prefix, out long refSeqNum, out ulong clientId)
    {
        refSeqNum = 0;
        clientId = 0;
        if (v.TryGet(372, out var refType) && !(refType.Length == 1 && refType[0] is (byte)'D' or (byte)'F' or (byte)'G')) return false;
        if (v.Has(45) && v.TryGetInt(45, out long seq) == FixStatus.Ok) refSeqNum = seq;
        if (v.TryGet(379, out var refId)) clientId = FixClOrdId.Parse(refId, prefix);
        return refSeqNum > 0 || clientId != 0;
    }
}
