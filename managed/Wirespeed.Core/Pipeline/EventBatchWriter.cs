using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Pipeline;

/// <summary>
/// Where an <see cref="IPacketDecoder"/> writes the events of one packet: a window of the batch (or of a staging
/// buffer) with room for at least <see cref="IPacketDecoder.MaxEventsPerPacket"/> events. It is an
/// <see cref="IEventHandler"/>, so a feed decoder written as <c>Decode&lt;THandler&gt;(…, ref THandler handler)</c>
/// can be handed it directly; a span-based decoder writes into <see cref="Free"/> and calls <see cref="Advance"/>.
/// </summary>
/// <remarks>An event beyond the window is not written but counted in <see cref="Overflow"/>: a decoder whose
/// MaxEventsPerPacket is too small shows up in the counters instead of corrupting memory or vanishing silently.</remarks>
public struct EventBatchWriter : IEventHandler
{
    private readonly MarketEvent[] _target;
    private readonly int _start;
    private readonly int _end;
    private int _next;
    private int _overflow;

    /// <summary>A window of <paramref name="target"/> from <paramref name="start"/>, <paramref name="length"/> events long.</summary>
    public EventBatchWriter(MarketEvent[] target, int start, int length)
    {
        if ((uint)start > (uint)target.Length || (uint)length > (uint)(target.Length - start))
            ThrowHelper.Argument(nameof(length), $"window {start}+{length} is outside an array of {target.Length}");
        _target = target;
        _start = start;
        _end = start + length;
        _next = start;
        _overflow = 0;
    }

    /// <summary>Events written so far.</summary>
    public readonly int Count => _next - _start;

    /// <summary>Events refused because the window was full.</summary>
    public readonly int Overflow => _overflow;

    /// <summary>Room left in the window.</summary>
    public readonly Span<MarketEvent> Free => _target.AsSpan(_next, _end - _next);

    /// <summary>Appends a copy of <paramref name="evt"/>, or counts it in <see cref="Overflow"/> when full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnEvent(ref MarketEvent evt)
    {
        int i = _next;
        if (i < _end)
        {
            _target[i] = evt;
            _next = i + 1;
        }
        else _overflow++;
    }

    /// <summary>Commits <paramref name="count"/> events written directly into <see cref="Free"/>; excess counts as overflow.</summary>
    public void Advance(int count)
    {
        if (count <= 0) return;
        int room = _end - _next;
        if (count > room)
        {
            _overflow += count - room;
            count = room;
        }
        _next += count;
    }
}
