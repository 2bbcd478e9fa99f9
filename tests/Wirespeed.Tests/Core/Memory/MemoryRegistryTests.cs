using System;
using Wirespeed.Core.Memory;
using Xunit;

namespace Wirespeed.Tests.Core.Memory;

public sealed class MemoryRegistryTests
{
    [Fact]
    public void Carved_accounts_are_reported_but_not_counted_twice_against_the_ceiling()
    {
        var registry = new MemoryRegistry(ceilingBytes: 1000);
        MemoryAccount arena = registry.Register("arena", 1000, 1000);
        MemoryAccount pool = registry.RegisterCarved("pool", arena, 600, 10);
        Assert.Same(arena, pool.Parent);
        Assert.Null(arena.Parent);
        Assert.Equal(1000, registry.ReservedBytes);
        Assert.Equal(2, registry.Snapshot().Length);
        Assert.Throws<MemoryCeilingException>(() => registry.Register("more", 1, 1));
    }

    [Fact]
    public void Carving_from_an_unregistered_parent_is_refused()
    {
        var registry = new MemoryRegistry(0);
        var stranger = new MemoryAccount("elsewhere", 10, 10);
        Assert.Throws<ArgumentException>(() => registry.RegisterCarved("pool", stranger, 5, 5));
    }
}
