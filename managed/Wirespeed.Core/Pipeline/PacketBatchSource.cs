using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;

namespace Wirespeed.Core.Pipeline;

/// <summary>
/// Makes a batch source of a packet source and a decoder: polls packets and decodes each straight into the batch.
/// </summary>
/// <remarks>
/// A packet is never split across polls of the packet source. Each packet decodes in place when the batch still has
/// room for its <see cref="IPacketDecoder.EventBound"/> (for MoldUDP64, the header's message count); otherwise it
/// decodes into a staging buffer and the events that do not fit are carried over to the next <see cref="Fill"/>, in
/// order: nothing is lost or reordered.
/// <para>
/// The packet source is a struct (wrap a class source in a struct that forwards <c>Poll</c>: one direct call) and
/// this struct is its handler: <see cref="OnPacket"/> is public for that reason only.
/// </para>
/// </remarks>
public struct PacketBatchSource<TPackets, TDecoder> : IBatchSource, IPacketHandler
    where TPackets : struct, IPacketSource
    where TDecoder : struct, IPacketDecoder
{
    /// <summary>The packet source (mutable struct: use it by reference).</summary>
    public TPackets Packets;
    /// <summary>The decoder (mutable struct: use it by reference).</summary>
    public TDecoder Decoder;
    private readonly MarketEvent[] _staging;   // one packet's worth, for packets that do not fit the batch
    private readonly int _maxPerPacket;
    private int _pendingStart;                 // carried-over events: _staging[_pendingStart .. +_pendingCount)
    private int _pendingCount;
    private MarketEvent[]? _target;            // the batch being filled, set only inside Fill
    private int _filled;
    private long _packets;
    private long _overflow;

    public PacketBatchSource(TPackets packets, TDecoder decoder)
    {
        Packets = packets;
        Decoder = decoder;
        _maxPerPacket = decoder.MaxEventsPerPacket;
        if (_maxPerPacket < 1)
            ThrowHelper.Argument(nameof(decoder), $"MaxEventsPerPacket={_maxPerPacket} must be >= 1");
        _staging = new MarketEvent[_maxPerPacket];
        _pendingStart = _pendingCount = _filled = 0;
        _target = null;
        _packets = 0;
        _overflow = 0;
    }

    /// <summary>Packets polled so far.</summary>
    public readonly long PacketCount => _packets;

    /// <summary>Events a decoder produced beyond the packet's EventBound (lost, and counted here; a decoder bug).</summary>
    public readonly long OverflowCount => _overflow;

    /// <summary>Events decoded but not yet delivered (carried over to the next <see cref="Fill"/>).</summary>
    public readonly int PendingCount => _pendingCount;

    public int Fill(MarketEvent[] batch)
    {
        _filled = 0;
        if (_pendingCount > 0)
        {
            DrainPending(batch);
            if (_pendingCount > 0) return _filled;          // the batch is full of carried-over events
        }
        _target = batch;
        while (_filled < batch.Length)
        {
            int free = batch.Length - _filled;
            // Room for whole packets: poll that many at once. Otherwise one packet, staged.
            int limit = free >= _maxPerPacket ? free / _maxPerPacket : 1;
            int got = Packets.Poll(ref this, limit);
            if (got == 0 || _pendingCount > 0) break;         // dry, or the batch filled up mid-packet
        }
        _target = null;
        return _filled;
    }

    /// <summary>Called by <see cref="Packets"/> during <see cref="Fill"/> only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
    {
        _packets++;
        MarketEvent[] target = _target!;
        int free = target.Length - _filled;
        int bound = Math.Clamp(Decoder.EventBound(payload), 0, _maxPerPacket);
        if (free >= bound)
        {
            // Window of exactly the packet's bound: a decoder that yields more than it announced overflows the same
            // way wherever the packet lands in the batch, and the staged path uses the same bound.
            var writer = new EventBatchWriter(target, _filled, bound);
            Decoder.Decode(payload, in info, ref writer);
            _filled += writer.Count;
            _overflow += writer.Overflow;
            return;
        }
        OnPacketStagedSlow(payload, in info, bound);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnPacketStagedSlow(ReadOnlySpan<byte> payload, in PacketInfo info, int bound)
    {
        // Only reached with nothing pending: Fill stops polling as soon as events are carried over.
        var writer = new EventBatchWriter(_staging, 0, bound);
        Decoder.Decode(payload, in info, ref writer);
        _overflow += writer.Overflow;
        _pendingStart = 0;
        _pendingCount = writer.Count;
        DrainPending(_target!);
    }

    private void DrainPending(MarketEvent[] batch)
    {
        int n = Math.Min(_pendingCount, batch.Length - _filled);
        _staging.AsSpan(_pendingStart, n).CopyTo(batch.AsSpan(_filled));
        _filled += n;
        _pendingStart += n;
        _pendingCount -= n;
    }
}
