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
public readonly struct ItchLinesDecoder : IPacketDecoder
{
    private readonly ItchPacketDecoder[] _lines;
    private readonly byte[] _indexOf;   // line id → index; ids not listed map to 0 (sources stamp only configured lines)

    /// <param name="lineIds">The line id of each decoder, in the order of <paramref name="lines"/>.</param>
    /// <param name="lines">One decoder per line.</param>
    public ItchLinesDecoder(ReadOnlySpan<byte> lineIds, ItchPacketDecoder[] lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Length == 0 || lines.Length != lineIds.Length)
            throw new ArgumentException($"{lines.Length} decoders for {lineIds.Length} lines: one decoder per line, at least one", nameof(lines));
        _lines = lines;
        _indexOf = new byte[256];
        int max = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            _indexOf[lineIds[i]] = (byte)i;
            max = Math.Max(max, lines[i].MaxEventsPerPacket);
        }
        MaxEventsPerPacket = max;
    }

    public int MaxEventsPerPacket { get; }

    /// <summary>The decoder of line index <paramref name="index"/>.</summary>
    public ItchPacketDecoder this[int index] => _lines[index];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int EventBound(ReadOnlySpan<byte> payload) => ItchPacketDecoder.BoundOf(payload, MaxEventsPerPacket);   // MoldUDP64's count, on every line

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Decode(ReadOnlySpan<byte> payload, in PacketInfo info, ref EventBatchWriter events)
        => _lines[_indexOf[info.LineId]].Decode(payload, in info, ref events);
}
