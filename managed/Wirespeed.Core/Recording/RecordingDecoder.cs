using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Pipeline;

namespace Wirespeed.Core.Recording;

/// <summary>
/// A feed's decoder with the recorder's tap in front of it: each datagram is copied into the recorder's ring, decoded,
/// then published with the decoder's verdict. Used only when recording is on, so that a run without it pays nothing.
/// </summary>
public struct RecordingDecoder<TDecoder> : IPacketDecoder
    where TDecoder : struct, IPacketDecoder, IRejectReporting
{
    private TDecoder _inner;   // mutable struct: called by reference
    private readonly RecorderTap _tap;

    public RecordingDecoder(TDecoder inner, RecorderTap tap)
    {
        _inner = inner;
        _tap = tap ?? throw new ArgumentNullException(nameof(tap));
    }

    public readonly int MaxEventsPerPacket => _inner.MaxEventsPerPacket;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int EventBound(ReadOnlySpan<byte> payload) => _inner.EventBound(payload);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Decode(ReadOnlySpan<byte> payload, in PacketInfo info, ref EventBatchWriter events)
    {
        long slot = _tap.Begin(payload, in info);
        _inner.Decode(payload, in info, ref events);
        _tap.End(slot, _inner.TakeRejectReason(info.LineId));
    }
}
