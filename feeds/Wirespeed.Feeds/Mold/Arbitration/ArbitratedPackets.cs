using System.Runtime.CompilerServices;
using Wirespeed.Core.Ingress;

namespace Wirespeed.Feeds.Mold.Arbitration;

/// <summary>
/// The packet source of one feed line, one-sided or arbitrated: without an <see cref="ArbitratedLine"/> it is side A's
/// source, polled directly (one null check per poll); with one, sides A and B (and the re-request responses) go through
/// the arbiter and out come each message once, in order. One type for both, so the lines of a process, some with A/B
/// and some without, are still one array of one struct type for the receiving worker.
/// </summary>
public struct ArbitratedPackets<TPackets> : IPacketSource where TPackets : struct, IPacketSource
{
    private TPackets _a;   // mutable structs: polled by reference
    private TPackets _b;
    private readonly ArbitratedLine? _line;

    /// <summary>A one-sided line: <paramref name="a"/> as it is.</summary>
    public ArbitratedPackets(TPackets a)
    {
        _a = a;
        _b = default;
        _line = null;
    }

    /// <summary>An arbitrated line over side <paramref name="a"/> and, when <paramref name="line"/> has one, side <paramref name="b"/>.</summary>
    public ArbitratedPackets(TPackets a, TPackets b, ArbitratedLine line)
    {
        _a = a;
        _b = b;
        _line = line;
    }

    /// <summary>The arbitration, or null for a one-sided line.</summary>
    public readonly ArbitratedLine? Line => _line;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
        => _line is null ? _a.Poll(ref handler, limit) : _line.Poll(ref _a, ref _b, ref handler, limit);
}
