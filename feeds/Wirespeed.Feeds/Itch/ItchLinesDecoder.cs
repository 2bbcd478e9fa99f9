using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Pipeline;

namespace Wirespeed.Feeds.Itch;

/// <summary>
/// The ITCH 5.0 / MoldUDP64 decoders of several feed lines served by one worker: each datagram is decoded by the
/// decoder of the line its source stamped (<see cref="PacketInfo.LineId"/>), so every line keeps its own MoldUDP64
/// session, sequencing, gap tracking and counters.
/// </summary>
public readonly struct ItchLinesDecoder : IPacketDecoder, IRejectReporting
{
    private readonly ItchPacketDecoder[] _decoders;
    private readonly LineIndex _lines;

    /// <param name="lines">The lines, in the order of <paramref name="decoders"/>.</param>
    /// <param name="decoders">One decoder per line.</param>
    public ItchLinesDecoder(LineIndex lines, ItchPacketDecoder[] decoders)
    {
        ArgumentNullException.ThrowIfNull(decoders);
        if (decoders.Length != lines.Count)
            throw new ArgumentException($"{decoders.Length} decoders for {lines.Count} lines: one decoder per line", nameof(decoders));
        _decoders = decoders;
        _lines = lines;
        int max = 0;
        foreach (var d in decoders) max = Math.Max(max, d.MaxEventsPerPacket);
        MaxEventsPerPacket = max;
    }

    public int MaxEventsPerPacket { get; }

    /// <summary>The decoder of line index <paramref name="index"/>.</summary>
    public ItchPacketDecoder this[int index] => _decoders[index];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int EventBound(ReadOnlySpan<byte> payload) => ItchPacketDecoder.BoundOf(payload, MaxEventsPerPacket);   // MoldUDP64's count, on every line

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Decode(ReadOnlySpan<byte> payload, in PacketInfo info, ref EventBatchWriter events)
        => _decoders[_lines[info.LineId]].Decode(payload, in info, ref events);

    /// <summary>The first reject of the datagram just decoded on line <paramref name="lineId"/> (0 = none); resets it.</summary>
    public byte TakeRejectReason(byte lineId) => _decoders[_lines[lineId]].TakeRejectReason(lineId);
}
