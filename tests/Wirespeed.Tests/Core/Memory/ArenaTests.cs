using System;
using System.IO;
using Wirespeed.Core.Memory;
using Wirespeed.Interop;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Core.Memory;

public sealed unsafe class ArenaTests
{
    private const long Mib = 1 << 20;

    private static void RequireShim()
    {
        Requires.That(NativeLibraryResolver.IsAvailable(out string reason), "native shim not built: " + reason);
    }

    private static long NrHugepages() => long.Parse(File.ReadAllText("/proc/sys/vm/nr_hugepages").Trim());

    [Fact]
    public void Huge_page_request_falls_back_with_a_printable_reason_when_none_are_reserved()
    {
        RequireShim();
        Requires.That(NrHugepages() == 0, "vm.nr_hugepages is set on this machine: the fallback cannot be provoked");
        var registry = new MemoryRegistry(0);
        using var arena = Arena.Create("arena.test", new ArenaOptions { SizeBytes = 2 * Mib, HugePages = true }, registry);
        Assert.NotEqual(ArenaBacking.HugePages, arena.Backing);
        Assert.NotEqual(ArenaBacking.ManagedHeap, arena.Backing);
        Assert.Contains("huge pages refused", arena.PageReason, StringComparison.Ordinal);
        Assert.Contains("WS_ENOMEM", arena.PageReason, StringComparison.Ordinal);
        Assert.Contains("vm.nr_hugepages=0", arena.PageReason, StringComparison.Ordinal);
        Assert.Contains("sysctl -w vm.nr_hugepages=1", arena.PageReason, StringComparison.Ordinal);
        Assert.Contains(arena.PageReason, arena.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("arena 'arena.test': 2097152 bytes", arena.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Huge_page_request_gets_explicit_huge_pages_when_enough_are_free()
    {
        RequireShim();
        // With no free huge page, reserve two for this test (root only) and give them back afterwards.
        long before = NrHugepages();
        bool reserved = false;
        if (FreeHugePages() < 1)
        {
            Requires.Root("no free huge pages (vm.nr_hugepages=0) and only root may reserve some for this test");
            File.WriteAllText("/proc/sys/vm/nr_hugepages", (before + 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
            reserved = true;
            Requires.That(FreeHugePages() >= 1, "the kernel granted no huge page after raising vm.nr_hugepages (memory too fragmented)");
        }
        try
        {
            var registry = new MemoryRegistry(0);
            using var arena = Arena.Create("arena.huge", new ArenaOptions { SizeBytes = 2 * Mib, HugePages = true, Lock = false }, registry);
            Assert.Equal(ArenaBacking.HugePages, arena.Backing);
            Assert.StartsWith("explicit huge pages", arena.PageReason, StringComparison.Ordinal);
            Assert.True(arena.IsPrefaulted);
            arena.Allocate(2 * Mib)[2 * Mib - 1] = 1;
        }
        finally
        {
            if (reserved) File.WriteAllText("/proc/sys/vm/nr_hugepages", before.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static long FreeHugePages()
    {
        foreach (string line in File.ReadLines("/proc/meminfo"))
            if (line.StartsWith("HugePages_Free:", StringComparison.Ordinal))
                return long.Parse(line["HugePages_Free:".Length..].Trim());
        return 0;
    }

    [Fact]
    public void Huge_page_arena_size_is_rounded_up_to_whole_huge_pages()
    {
        RequireShim();
        var registry = new MemoryRegistry(0);
        using var arena = Arena.Create("arena.round", new ArenaOptions { SizeBytes = 3 * Mib, HugePages = true, Lock = false }, registry);
        Assert.Equal(4 * Mib, arena.SizeBytes);                 // 2 MiB huge pages on x86-64
        Assert.Equal(4 * Mib, registry.ReservedBytes);
    }

    [Fact]
    public void Prefaulted_arena_is_fully_resident_before_first_use()
    {
        RequireShim();
        var registry = new MemoryRegistry(0);
        using var arena = Arena.Create("arena.hot", new ArenaOptions { SizeBytes = 2 * Mib, HugePages = false, Lock = false, Prefault = true }, registry);
        Assert.True(arena.IsPrefaulted);
        Assert.Equal(arena.SizeBytes, arena.ResidentBytes());
    }

    [Fact]
    public void Arena_without_prefault_has_no_resident_pages_until_touched()
    {
        RequireShim();
        var registry = new MemoryRegistry(0);
        using var arena = Arena.Create("arena.cold", new ArenaOptions { SizeBytes = 2 * Mib, HugePages = false, Lock = false, Prefault = false }, registry);
        Assert.False(arena.IsPrefaulted);
        Assert.Equal(0, arena.ResidentBytes());
        arena.BasePointer[0] = 1;
        Assert.InRange(arena.ResidentBytes(), 4096, arena.SizeBytes); // one page, or one THP if the kernel says "always"
    }

    [Fact]
    public void Lock_request_is_honoured_or_explained()
    {
        RequireShim();
        var registry = new MemoryRegistry(0);
        using var arena = Arena.Create("arena.locked", new ArenaOptions { SizeBytes = 2 * Mib, HugePages = false, Lock = true }, registry);
        if (arena.IsLocked) Assert.Equal("locked (mlock)", arena.LockReason);
        else Assert.Contains("mlock refused with WS_", arena.LockReason, StringComparison.Ordinal);
        using var unlocked = Arena.Create("arena.unlocked", new ArenaOptions { SizeBytes = 2 * Mib, HugePages = false, Lock = false }, registry);
        Assert.False(unlocked.IsLocked);
        Assert.Contains("Lock=false", unlocked.LockReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Ceiling_is_enforced_before_anything_is_mapped_and_leaves_no_account_behind()
    {
        var registry = new MemoryRegistry(ceilingBytes: 3 * Mib);
        using var first = Arena.Create("arena.a", new ArenaOptions { SizeBytes = 2 * Mib, HugePages = false, Lock = false }, registry);
        var e = Assert.Throws<MemoryCeilingException>(
            () => Arena.Create("arena.b", new ArenaOptions { SizeBytes = 2 * Mib, HugePages = false, Lock = false }, registry));
        Assert.Equal("arena.b", e.Pool);
        Assert.Contains("4194304", e.Message, StringComparison.Ordinal);
        Assert.Equal(2 * Mib, registry.ReservedBytes);
        Assert.Single(registry.Snapshot());
    }

    [Fact]
    public void Allocations_are_64_byte_aligned_and_counted_in_the_account()
    {
        var registry = new MemoryRegistry(0);
        using var arena = Arena.Create("arena.bump", new ArenaOptions { SizeBytes = Mib, HugePages = false, Lock = false }, registry);
        byte* a = arena.Allocate(1);
        byte* b = arena.Allocate(100);
        long* c = arena.Allocate<long>(3);
        Assert.Equal(0, (long)a % 64);
        Assert.Equal(64, b - a);
        Assert.Equal(0, (long)c % 64);
        Assert.Equal(192 + 24, arena.UsedBytes);
        Assert.Equal(arena.UsedBytes, arena.Account.Used);
        Assert.Equal(arena.UsedBytes, arena.Account.HighWater);
        byte* page = arena.Allocate(8, alignment: 4096);
        Assert.Equal(0, (long)page % 4096);
        Span<int> span = arena.AllocateSpan<int>(16);
        Assert.Equal(16, span.Length);
        foreach (int v in span) Assert.Equal(0, v);
    }

    [Fact]
    public void Exhausting_the_arena_names_it_and_the_size_needed()
    {
        var registry = new MemoryRegistry(0);
        using var arena = Arena.Create("arena.small", new ArenaOptions { SizeBytes = 4096, HugePages = false, Lock = false }, registry);
        arena.Allocate(4000);
        var e = Assert.Throws<ArenaExhaustedException>(() => arena.Allocate(200));
        Assert.Equal("arena.small", e.Arena);
        Assert.Equal(4032 + 200, e.RequiredBytes);
        Assert.Contains("arena 'arena.small'", e.Message, StringComparison.Ordinal);
        Assert.Contains("at least 4232", e.Message, StringComparison.Ordinal);
        Assert.Equal(4000, arena.UsedBytes);                     // a refused request carves nothing
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(8192)]
    public void Bad_alignment_is_rejected(int alignment)
    {
        using var arena = Arena.Create("arena.align", new ArenaOptions { SizeBytes = 4096, HugePages = false, Lock = false }, new MemoryRegistry(0));
        Assert.Throws<ArgumentException>(() => arena.Allocate(8, alignment));
    }

    [Fact]
    public void Dispose_unregisters_the_arena_and_refuses_further_allocation()
    {
        var registry = new MemoryRegistry(0);
        var arena = Arena.Create("arena.gone", new ArenaOptions { SizeBytes = Mib, HugePages = false, Lock = false }, registry);
        arena.Allocate(64);
        arena.Dispose();
        arena.Dispose();
        Assert.Equal(0, registry.ReservedBytes);
        Assert.Empty(registry.Snapshot());
        Assert.Throws<ObjectDisposedException>(() => arena.Allocate(64));
    }

    [Fact]
    public void Managed_fallback_says_so_and_still_gives_zeroed_aligned_memory()
    {
        var registry = new MemoryRegistry(0);
        using var arena = Arena.Create("arena.managed", new ArenaOptions { SizeBytes = 64 * 1024 }, registry, forceManagedHeap: true);
        Assert.Equal(ArenaBacking.ManagedHeap, arena.Backing);
        Assert.Contains("managed-heap fallback", arena.PageReason, StringComparison.Ordinal);
        Assert.Contains("not for production", arena.PageReason, StringComparison.Ordinal);
        Assert.False(arena.IsLocked);
        Assert.Equal(64 * 1024, arena.SizeBytes);               // no huge-page rounding without the shim
        Assert.Equal(-1, arena.ResidentBytes());
        byte* p = arena.Allocate(64 * 1024 - 64);
        Assert.Equal(0, (long)p % 64);
        for (int i = 0; i < 64 * 1024 - 64; i += 512) Assert.Equal(0, p[i]);
    }
}
