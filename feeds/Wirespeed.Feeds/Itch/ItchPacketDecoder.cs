using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Pipeline;

namespace Wirespeed.Feeds.Itch;

/// <summary>
/// The ITCH 5.0 / MoldUDP64 feed as a pipeline decoder: one datagram in, its events appended to the batch. A struct
/// wrapper so <see cref="PacketBatchSource{TPackets, TDecoder}"/> specialises on it; the state lives in the shared
/// <see cref="ItchFeedDecoder"/> (sequencing, counters, quarantine), which only the worker thread touches.
/// </summary>
public readonly struct ItchPacketDecoder : IPacketDecoder, IRejectReporting
{
    /// <summary>Smallest MoldUDP64 message block: 2-byte length + the 12-byte System Event (ITCH 5.0 §1.1).</summary>
    private const int MinBlockBytes = 2 + 12;

    private readonly ItchFeedDecoder _decoder;

    /// <param name="decoder">Decoder state of this feed line.</param>
    /// <param name="maxDatagramBytes">Largest datagram the packet source delivers; bounds the events one packet can yield.</param>
    public ItchPacketDecoder(ItchFeedDecoder decoder, int maxDatagramBytes)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        if (maxDatagramBytes < MoldPacketReader.HeaderSize + MinBlockBytes)
            throw new ArgumentOutOfRangeException(nameof(maxDatagramBytes), maxDatagramBytes, "too small for one MoldUDP64 message");
        _decoder = decoder;
        MaxEventsPerPacket = (maxDatagramBytes - MoldPacketReader.HeaderSize) / MinBlockBytes;
    }

    /// <summary>The decoder state (counters, session, quarantine).</summary>
    public ItchFeedDecoder Decoder => _decoder;

    public int MaxEventsPerPacket { get; }

    /// <summary>The MoldUDP64 header's message count (0 for a heartbeat or end of session), capped by <see cref="MaxEventsPerPacket"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int EventBound(ReadOnlySpan<byte> payload) => BoundOf(payload, MaxEventsPerPacket);

    /// <summary>The MoldUDP64 header's message count, capped by <paramref name="max"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int BoundOf(ReadOnlySpan<byte> payload, int max)
    {
        if (payload.Length < MoldPacketReader.HeaderSize) return 0;
        int count = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(MoldPacketReader.CountOffset));
        return count == MoldPacketReader.EndOfSessionCount ? 0 : Math.Min(count, max);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Decode(ReadOnlySpan<byte> payload, in PacketInfo info, ref EventBatchWriter events)
        => _decoder.Decode(payload, in info, ref events);

    /// <summary>The decode status of the first reject in the datagram just decoded (0 = none); resets it.</summary>
    public byte TakeRejectReason(byte lineId) => _decoder.TakeRejectReason();
}
