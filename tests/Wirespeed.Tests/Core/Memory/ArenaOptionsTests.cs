using Wirespeed.Core.Memory;
using Xunit;

namespace Wirespeed.Tests.Core.Memory;

public sealed class ArenaOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_ask_for_huge_locked_prefaulted_pages()
    {
        var o = new ArenaOptions().Validated();
        Assert.Equal(64L << 20, o.SizeBytes);
        Assert.True(o.HugePages);
        Assert.True(o.Lock);
        Assert.True(o.Prefault);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-5L)]
    [InlineData((1L << 40) + 1)]
    public void Unusable_size_names_the_field_and_the_fix(long size)
    {
        var e = Assert.Throws<MemoryConfigException>(() => new ArenaOptions { SizeBytes = size }.Validated());
        Assert.Equal("SizeBytes", e.Setting);
        Assert.StartsWith($"SizeBytes={size}", e.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Arena_creation_validates_its_options()
    {
        var registry = new MemoryRegistry(0);
        Assert.Throws<MemoryConfigException>(() => Arena.Create("arena.bad", new ArenaOptions { SizeBytes = 0 }, registry));
        Assert.Empty(registry.Snapshot());
    }
}
