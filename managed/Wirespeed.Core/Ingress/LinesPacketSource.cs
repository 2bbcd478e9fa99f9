using System;
using System.Runtime.CompilerServices;

namespace Wirespeed.Core.Ingress;

/// <summary>
/// The packet sources of several feed lines polled as one, by the worker that serves them all: each poll starts at the
/// next line in turn and takes what each has up to the limit, so a busy line cannot starve a quiet one for more than one
/// poll. The sources stamp their own line id on every packet (<see cref="PacketInfo.LineId"/>), which the decoder and
/// the per-line stages route by.
/// </summary>
public struct LinesPacketSource<TPackets> : IPacketSource where TPackets : struct, IPacketSource
{
    private readonly TPackets[] _lines;   // mutable structs: polled by reference
    private int _next;

    public LinesPacketSource(TPackets[] lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Length == 0) throw new ArgumentException("at least one line", nameof(lines));
        _lines = lines;
        _next = 0;
    }

    /// <summary>Lines polled.</summary>
    public readonly int Lines => _lines.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
    {
        TPackets[] lines = _lines;
        int start = _next;
        _next = start + 1 == lines.Length ? 0 : start + 1;
        int got = 0;
        for (int k = 0, i = start; k < lines.Length && got < limit; k++)
        {
            got += lines[i].Poll(ref handler, limit - got);
            if (++i == lines.Length) i = 0;
        }
        return got;
    }
}
