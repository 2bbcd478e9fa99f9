using System.Runtime.CompilerServices;

namespace Wirespeed.Core.Events;

/// <summary>
/// Sets of event kinds as 64-bit masks (bit k = kind k), tested with a shift instead of a chain of compares or a
/// branch per kind: on the hot path kinds arrive in no predictable order. Kinds of 64 and above are never members.
/// </summary>
public static class KindSet
{
    /// <summary>Executions of a displayed order (with or without a new price) and non-displayed trades.</summary>
    public const ulong Executions = 1UL << (int)EventKind.OrderExecuted | 1UL << (int)EventKind.OrderExecutedWithPrice | 1UL << (int)EventKind.Trade;

    /// <summary>True when <paramref name="kind"/> is in <paramref name="set"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Has(ulong set, int kind) => ((set >> (kind & 63)) & 1) != 0 && kind < 64;

    /// <summary>1 when <paramref name="kind"/> is in <paramref name="set"/>, else 0, computed without a branch (for selects).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Bit(ulong set, int kind) => (int)((set >> (kind & 63)) & 1) & (kind < 64 ? 1 : 0);
}
