using System;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Agents;

namespace Wirespeed.Core.Pipeline;

/// <summary>
/// Turns one datagram into events (framing, sequencing and message decode of one feed). Implemented by a struct so
/// <see cref="PacketBatchSource{TPackets, TDecoder}"/> is specialised. Worker thread only.
/// </summary>
public interface IPacketDecoder
{
    /// <summary>
    /// Most events one packet can yield (e.g. a 1,400-byte MoldUDP64 packet of the shortest ITCH message). Fixed for
    /// the decoder's lifetime; at least 1.
    /// </summary>
    int MaxEventsPerPacket { get; }

    /// <summary>
    /// Most events <paramref name="payload"/> can yield, read cheaply from its header (e.g. MoldUDP64's message count),
    /// at most <see cref="MaxEventsPerPacket"/>. Lets a packet decode straight into the batch whenever that much room
    /// is left, instead of only when a worst-case packet would fit. Never throws on data.
    /// </summary>
    int EventBound(ReadOnlySpan<byte> payload);

    /// <summary>
    /// Decodes <paramref name="payload"/> into <paramref name="events"/>, whose window holds at least
    /// <see cref="MaxEventsPerPacket"/> events. Never throws on data: bad bytes are counted by cause in the decoder.
    /// </summary>
    void Decode(ReadOnlySpan<byte> payload, in PacketInfo info, ref EventBatchWriter events);
}
