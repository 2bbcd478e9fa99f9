using System;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Rings;
using Xunit;

namespace Wirespeed.Tests.Core.Rings;

public sealed class RingFactoryTests
{
    private static Arena NewArena(MemoryRegistry registry, long size = 1 << 20)
        => Arena.Create("arena.rings", new ArenaOptions { SizeBytes = size, HugePages = false, Lock = false }, registry);

    [Fact]
    public void Spsc_ring_slots_are_carved_from_the_arena_and_accounted_per_ring()
    {
        var registry = new MemoryRegistry(0);
        using var arena = NewArena(registry);
        SpscRing<long> ring = RingFactory.CreateSpsc<long>(arena, "ring.decode->book", 512, registry, out MemoryAccount account);
        Assert.Equal(512, ring.Capacity);
        Assert.Equal("ring.decode->book", account.Name);
        Assert.Equal(512L * 8, account.ReservedBytes);
        Assert.Equal(512, account.CapacityUnits);
        Assert.Same(arena.Account, account.Parent);
        Assert.Equal(512L * 8, arena.UsedBytes);
        Assert.Equal(arena.SizeBytes, registry.ReservedBytes);
        Assert.True(ring.TryWrite(5));
    }

    [Fact]
    public void Broadcast_ring_slots_are_carved_from_the_arena_and_accounted_per_ring()
    {
        var registry = new MemoryRegistry(0);
        using var arena = NewArena(registry);
        RingFactory.CreateSpsc<long>(arena, "ring.first", 4, registry, out _);  // 32 bytes: the next ring must realign
        SpmcBroadcast<long> ring = RingFactory.CreateBroadcast<long>(arena, "ring.book->fanout", 256, 3, registry, out MemoryAccount account);
        Assert.Equal(3, ring.ConsumerCount);
        Assert.Equal(256L * 8 + 256L * 8, account.ReservedBytes);   // the slots, then one 8-byte route per slot
        Assert.Equal(64 + 256L * 8 + 256L * 8, arena.UsedBytes);
        Assert.Equal(3, registry.Snapshot().Length);
    }

    [Fact]
    public void Bad_capacity_is_refused_before_any_arena_bytes_are_carved()
    {
        var registry = new MemoryRegistry(0);
        using var arena = NewArena(registry);
        var e = Assert.Throws<ArgumentException>(() => RingFactory.CreateSpsc<long>(arena, "ring.bad", 1000, registry, out _));
        Assert.Contains("ring.bad", e.Message, StringComparison.Ordinal);
        Assert.Contains("1024", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => RingFactory.CreateBroadcast<long>(arena, "ring.bad", 64, 0, registry, out _));
        Assert.Equal(0, arena.UsedBytes);
    }

    [Fact]
    public void A_ring_larger_than_its_arena_fails_naming_the_arena()
    {
        var registry = new MemoryRegistry(0);
        using var arena = NewArena(registry, 4096);
        var e = Assert.Throws<ArenaExhaustedException>(() => RingFactory.CreateSpsc<long>(arena, "ring.big", 1024, registry, out _));
        Assert.Equal("arena.rings", e.Arena);
        Assert.Equal(8192, e.RequiredBytes);
    }
}
