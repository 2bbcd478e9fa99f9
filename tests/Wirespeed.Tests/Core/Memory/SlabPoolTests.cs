using System;
using Wirespeed.Core.Memory;
using Xunit;

namespace Wirespeed.Tests.Core.Memory;

public sealed class SlabPoolTests
{
    private struct Order
    {
        public long Id;
        public long Price;
        public int Quantity;
    }

    private static (Arena, MemoryRegistry) NewArena()
    {
        var registry = new MemoryRegistry(0);
        return (Arena.Create("arena.pool", new ArenaOptions { SizeBytes = 1 << 20, HugePages = false, Lock = false }, registry), registry);
    }

    [Fact]
    public void Every_slot_can_be_rented_once_then_the_pool_reports_exhaustion_and_counts_it()
    {
        var (arena, registry) = NewArena();
        using Arena scope = arena;
        var pool = new SlabPool<Order>(arena, "book.orders", 4, registry);
        var seen = new bool[4];
        for (int i = 0; i < 4; i++)
        {
            Assert.True(pool.TryRent(out int idx));
            Assert.False(seen[idx]);
            seen[idx] = true;
        }
        Assert.False(pool.TryRent(out int none));
        Assert.Equal(-1, none);
        Assert.False(pool.TryRent(out _));
        Assert.Equal(2, pool.Account.Exhausted);
        Assert.Equal(4, pool.Account.Used);
        Assert.Equal(4, pool.Account.HighWater);
    }

    [Fact]
    public void Returned_slots_are_reused_and_handed_out_zeroed()
    {
        var (arena, registry) = NewArena();
        using Arena scope = arena;
        var pool = new SlabPool<Order>(arena, "book.orders", 2, registry);
        Assert.True(pool.TryRent(out int a));
        pool[a] = new Order { Id = 42, Price = 100, Quantity = 7 };
        Assert.Equal(42, pool[a].Id);
        pool.Return(a);
        Assert.Equal(0, pool.Account.Used);
        Assert.Equal(1, pool.Account.HighWater);
        Assert.True(pool.TryRent(out int b));
        Assert.Equal(a, b);                                   // last returned, first rented
        Assert.Equal(0, pool[b].Id);
        Assert.Equal(0, pool[b].Quantity);
    }

    [Fact]
    public void Throw_policy_counts_then_throws_naming_the_pool()
    {
        var (arena, registry) = NewArena();
        using Arena scope = arena;
        var pool = new SlabPool<Order>(arena, "config.sessions", 1, registry, PoolExhaustionPolicy.Throw);
        Assert.True(pool.TryRent(out _));
        var e = Assert.Throws<PoolExhaustedException>(() => pool.TryRent(out _));
        Assert.Equal("config.sessions", e.Pool);
        Assert.Equal(1, e.Capacity);
        Assert.Equal(1, pool.Account.Exhausted);
    }

    [Fact]
    public void Returning_twice_or_out_of_range_is_a_programmer_error()
    {
        var (arena, registry) = NewArena();
        using Arena scope = arena;
        var pool = new SlabPool<Order>(arena, "p", 2, registry);
        Assert.True(pool.TryRent(out int a));
        pool.Return(a);
        Assert.Throws<InvalidOperationException>(() => pool.Return(a));
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Return(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Return(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => pool[5].Id = 1);
        Assert.Equal(0, pool.InUseCount);
    }

    [Fact]
    public void Pool_memory_is_carved_from_the_arena_and_registered_under_it()
    {
        var (arena, registry) = NewArena();
        using Arena scope = arena;
        long before = arena.UsedBytes;
        var pool = new SlabPool<Order>(arena, "book.orders", 1000, registry);
        Assert.True(arena.UsedBytes - before >= 1000L * (24 + 4));
        Assert.Same(arena.Account, pool.Account.Parent);
        Assert.Equal(arena.UsedBytes - before, pool.Account.ReservedBytes);
        Assert.Equal(1000, pool.Account.CapacityUnits);
        Assert.Equal(arena.SizeBytes, registry.ReservedBytes);   // carved bytes are not counted twice
    }

    [Fact]
    public void Too_small_an_arena_fails_at_construction_naming_the_arena()
    {
        var registry = new MemoryRegistry(0);
        using var arena = Arena.Create("arena.tiny", new ArenaOptions { SizeBytes = 4096, HugePages = false, Lock = false }, registry);
        var e = Assert.Throws<ArenaExhaustedException>(() => new SlabPool<Order>(arena, "book.orders", 1000, registry));
        Assert.Equal("arena.tiny", e.Arena);
    }

    [Fact]
    public void Rent_access_return_and_exhaustion_allocate_nothing_after_warm_up()
    {
        var (arena, registry) = NewArena();
        using Arena scope = arena;
        var pool = new SlabPool<Order>(arena, "book.orders", 64, registry);
        var held = new int[64];
        Cycle(pool, held);                                     // warm-up: JIT, tiering
        Cycle(pool, held);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) Cycle(pool, held);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(1002 * 3, pool.Account.Exhausted);         // the refusals were counted, not allocated around
    }

    private static void Cycle(SlabPool<Order> pool, int[] held)
    {
        for (int i = 0; i < held.Length; i++)
        {
            if (!pool.TryRent(out held[i])) throw new InvalidOperationException("pool ran dry early");
            pool[held[i]].Id = i;
        }
        for (int i = 0; i < 3; i++)
            if (pool.TryRent(out _)) throw new InvalidOperationException("pool over-rented");
        for (int i = held.Length - 1; i >= 0; i--) pool.Return(held[i]);
    }
}
