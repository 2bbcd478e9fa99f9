using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Wirespeed.Core.Rings;

/// <summary>
/// Single-producer single-consumer ring of fixed-size byte slots over caller-owned memory (an arena): for items whose
/// size is set at start-up rather than by a type (a received datagram with its recording header).
/// </summary>
/// <remarks>
/// Producer thread: <see cref="TryClaim"/>, write into <see cref="Slot"/>, then <see cref="Publish"/>. Consumer thread:
/// <see cref="Poll{THandler}"/>. Capacity is a power of two; sequences are 64-bit and never wrap. A full ring is
/// reported by <see cref="TryClaim"/> returning false: the caller applies its overflow policy.
/// </remarks>
public sealed unsafe class SpscSlotRing
{
    private readonly byte* _slots;   // caller-owned (arena), capacity * slotBytes long, outlives the ring
    private readonly long _mask;
    private readonly int _slotBytes;
    private RingIndices _idx;        // mutable struct: never readonly

    /// <summary>Bytes of slot memory a ring of <paramref name="capacity"/> slots of <paramref name="slotBytes"/> needs.</summary>
    public static long RequiredBytes(int capacity, int slotBytes) => (long)capacity * slotBytes;

    /// <param name="slots">Slot memory, 64-byte aligned, <see cref="RequiredBytes"/> long, owned by the caller.</param>
    /// <param name="capacity">Number of slots; a power of two, at least 2.</param>
    /// <param name="slotBytes">Bytes per slot; a multiple of 64 (each slot starts on its own cache line).</param>
    public SpscSlotRing(void* slots, int capacity, int slotBytes)
    {
        if (slots == null) ThrowHelper.ArgumentNull(nameof(slots));
        if (capacity < 2 || !BitOperations.IsPow2(capacity))
            ThrowHelper.Argument(nameof(capacity), $"capacity={capacity} must be a power of two >= 2, e.g. {BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity))}");
        if (slotBytes < 64 || slotBytes % 64 != 0) ThrowHelper.Argument(nameof(slotBytes), $"slotBytes={slotBytes} must be a positive multiple of 64");
        if (((nuint)slots & 63) != 0) ThrowHelper.Argument(nameof(slots), "slot memory must be 64-byte aligned");
        _slots = (byte*)slots;
        _mask = capacity - 1;
        _slotBytes = slotBytes;
    }

    /// <summary>Number of slots.</summary>
    public int Capacity => (int)(_mask + 1);

    /// <summary>Bytes per slot.</summary>
    public int SlotBytes => _slotBytes;

    /// <summary>Slots published and not yet consumed (approximate when read from a third thread).</summary>
    public long Count => _idx.Count;

    /// <summary>Producer: claims the next slot. False when the ring is full (nothing claimed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryClaim(out long sequence) => _idx.TryClaim(_mask, out sequence);

    /// <summary>The bytes of a claimed (producer) or polled (consumer) sequence's slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Slot(long sequence) => new(_slots + (sequence & _mask) * _slotBytes, _slotBytes);

    /// <summary>Producer: makes every claimed slot visible to the consumer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish() => _idx.Publish();

    /// <summary>Consumer: hands up to <paramref name="limit"/> slots to <paramref name="handler"/>, then frees them in one store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, ISlotHandler
    {
        int n = _idx.Available(limit);
        long head = _idx.Head;
        for (int i = 0; i < n; i++) handler.OnSlot(new Span<byte>(_slots + ((head + i) & _mask) * _slotBytes, _slotBytes));
        if (n > 0) _idx.Release(n);
        return n;
    }
}

/// <summary>Consumer of <see cref="SpscSlotRing"/> slots; a struct so that Poll is specialised.</summary>
public interface ISlotHandler
{
    /// <summary>One slot's bytes, valid only during the call (the consumer's until then: it may write into them).</summary>
    void OnSlot(Span<byte> slot);
}
