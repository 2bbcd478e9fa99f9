using System;
using System.Numerics;
using Wirespeed.Core.Memory;

namespace Wirespeed.Core.Rings;

/// <summary>
/// Start-up helpers that carve ring slot memory from an <see cref="Arena"/> (64-byte aligned) and register one
/// <see cref="MemoryAccount"/> per ring, carved from the arena's account: reserved = slot bytes, capacity = slots.
/// </summary>
/// <remarks>
/// Rings do not write their account on the hot path. The monitor thread owns the account's Used figure: it samples
/// <c>ring.Count</c> into it with <see cref="MemoryAccount.SetUsed"/>, which keeps the high-water mark. The ring's
/// memory lives as long as the arena.
/// </remarks>
public static class RingFactory
{
    /// <summary>Start-up: an SPSC ring named <paramref name="name"/> ("ring.decode->book") over arena memory.</summary>
    public static unsafe SpscRing<T> CreateSpsc<T>(Arena arena, string name, int capacity, MemoryRegistry registry,
                                                   out MemoryAccount account) where T : unmanaged
    {
        Check(arena, name, capacity, registry);
        long bytes = SpscRing<T>.RequiredBytes(capacity);
        void* slots = arena.Allocate(bytes, 64);
        account = registry.RegisterCarved(name, arena.Account, bytes, capacity);
        return new SpscRing<T>(slots, capacity);
    }

    /// <summary>Start-up: a broadcast ring with <paramref name="consumers"/> consumers over arena memory.</summary>
    public static unsafe SpmcBroadcast<T> CreateBroadcast<T>(Arena arena, string name, int capacity, int consumers,
                                                             MemoryRegistry registry, out MemoryAccount account) where T : unmanaged
    {
        Check(arena, name, capacity, registry);
        if (consumers < 1) ThrowHelper.Argument(nameof(consumers), $"consumers={consumers} must be at least 1");
        long bytes = SpmcBroadcast<T>.RequiredBytes(capacity);
        void* slots = arena.Allocate(bytes, 64);
        account = registry.RegisterCarved(name, arena.Account, bytes, capacity);
        return new SpmcBroadcast<T>(slots, capacity, consumers);
    }

    // Checked before carving so a bad capacity does not waste arena bytes.
    private static void Check(Arena arena, string name, int capacity, MemoryRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(arena);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (capacity < 2 || !BitOperations.IsPow2(capacity))
            ThrowHelper.Argument(nameof(capacity), $"ring '{name}': capacity={capacity} must be a power of two >= 2, e.g. {BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity))}");
    }
}
