using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Ingress;

namespace Wirespeed.Core.Recording;

/// <summary>
/// A line's packet source with the recorder's tap told where the receiving worker's batches end: a poll that comes up
/// dry ends the batch being filled (<see cref="Pipeline.PacketBatchSource{TPackets, TDecoder}"/>), and the tap flags the
/// next datagram's record <see cref="RecordFlags.BatchStart"/>. A batch that ends because it is full needs no mark: a
/// replay that fills batches to the same size ends it at the same event. Used only when recording is on.
/// </summary>
public struct RecordingPackets<TPackets> : IPacketSource where TPackets : struct, IPacketSource
{
    private TPackets _packets;   // mutable struct: polled by reference
    private readonly RecorderTap _tap;

    public RecordingPackets(TPackets packets, RecorderTap tap)
    {
        _packets = packets;
        _tap = tap ?? throw new ArgumentNullException(nameof(tap));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
    {
        int got = _packets.Poll(ref handler, limit);
        if (got == 0) _tap.MarkPollDry();
        return got;
    }
}
