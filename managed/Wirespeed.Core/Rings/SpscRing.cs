using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Wirespeed.Core.Rings;

/// <summary>
/// Fixed-slot single-producer single-consumer ring of unmanaged items over caller-owned memory (an arena).
/// </summary>
/// <remarks>
/// Producer thread: <see cref="TryClaim"/>, write through <see cref="this[long]"/>, then <see cref="Publish"/> once per
/// batch. Consumer thread: <see cref="Poll{THandler}"/>. Capacity is a power of two; sequences are 64-bit and never wrap.
/// A full ring is reported by <see cref="TryClaim"/> returning false: the caller applies its overflow policy.
/// </remarks>
public sealed unsafe class SpscRing<T> where T : unmanaged
{
    private readonly T* _slots;   // caller-owned (arena), at least RequiredBytes(capacity) long; outlives the ring
    private readonly long _mask;
    private RingIndices _idx;     // mutable struct: never readonly

    /// <summary>Bytes of slot memory a ring of <paramref name="capacity"/> items needs.</summary>
    public static long RequiredBytes(int capacity) => (long)capacity * sizeof(T);

    /// <param name="slots">Slot memory, 64-byte aligned, <see cref="RequiredBytes"/> long, owned by the caller.</param>
    /// <param name="capacity">Number of slots; a power of two, at least 2.</param>
    public SpscRing(void* slots, int capacity)
    {
        if (slots == null) ThrowHelper.ArgumentNull(nameof(slots));
        if (capacity < 2 || !BitOperations.IsPow2(capacity))
            ThrowHelper.Argument(nameof(capacity), $"capacity={capacity} must be a power of two >= 2, e.g. {BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity))}");
        if (((nuint)slots & 63) != 0) ThrowHelper.Argument(nameof(slots), "slot memory must be 64-byte aligned");
        _slots = (T*)slots;
        _mask = capacity - 1;
    }

    /// <summary>Number of slots.</summary>
    public int Capacity => (int)(_mask + 1);

    /// <summary>Items published and not yet consumed (approximate when read from a third thread).</summary>
    public long Count => _idx.Count;

    /// <summary>Total items published since creation.</summary>
    public long Published => Volatile.Read(ref _idx.Tail);

    /// <summary>Producer: claims the next slot. False when the ring is full (nothing claimed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryClaim(out long sequence) => _idx.TryClaim(_mask, out sequence);

    /// <summary>The slot of a claimed (producer) or polled (consumer) sequence.</summary>
    public ref T this[long sequence]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref _slots[sequence & _mask];
    }

    /// <summary>Producer: makes every claimed slot visible to the consumer (one release store per batch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish() => _idx.Publish();

    /// <summary>Producer: claims, copies and publishes one item. False when full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWrite(in T item)
    {
        if (!TryClaim(out long seq)) return false;
        _slots[seq & _mask] = item;
        Publish();
        return true;
    }

    /// <summary>Consumer: hands up to <paramref name="limit"/> items to <paramref name="handler"/>, then frees them in one store.
    /// A <paramref name="limit"/> of zero or less consumes nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IRingHandler<T>
    {
        int n = _idx.Available(limit);
        long head = _idx.Head;
        for (int i = 0; i < n; i++) handler.OnItem(ref _slots[(head + i) & _mask]);
        if (n > 0) _idx.Release(n);
        return n;
    }
}
