using System;
using Wirespeed.Core.Books;
using Xunit;

namespace Wirespeed.Tests.Core.Books;

public class BookOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        var o = new BookOptions();
        Assert.Same(o, o.Validated());
        Assert.Equal(16384, o.MaxInstruments);
        Assert.Equal(4 * 1024 * 1024, o.MaxLiveOrders);
        Assert.Equal(256, o.MaxLevelsPerSide);
        Assert.Equal(ExhaustionPolicy.CountAndMarkStale, o.Exhaustion);
        Assert.Equal("book", o.Name);
    }

    [Theory]
    [InlineData(0, 10, 10, "MaxInstruments")]
    [InlineData(2_000_000, 10, 10, "MaxInstruments")]
    [InlineData(10, 0, 10, "MaxLiveOrders")]
    [InlineData(10, 1 << 30, 10, "MaxLiveOrders")]
    [InlineData(10, 10, 0, "MaxLevelsPerSide")]
    [InlineData(10, 10, 2_000_000, "MaxLevelsPerSide")]
    [InlineData(1 << 20, 10, 1 << 20, "MaxLevelsPerSide")]
    public void Out_of_range_capacities_name_the_field(int instruments, int orders, int levels, string field)
    {
        var o = new BookOptions { MaxInstruments = instruments, MaxLiveOrders = orders, MaxLevelsPerSide = levels };
        var ex = Assert.Throws<ArgumentException>(() => o.Validated());
        Assert.Contains(field, ex.Message);
        Assert.Throws<ArgumentException>(() => new OrderBookSet(o));
    }

    [Fact]
    public void Empty_name_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BookOptions { Name = "" }.Validated());
        Assert.Contains("Name", ex.Message);
    }

    [Fact]
    public void Null_options_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => new OrderBookSet(null!));
    }

    [Fact]
    public void Single_order_capacity_works()
    {
        var set = new OrderBookSet(new BookOptions { MaxInstruments = 1, MaxLiveOrders = 1, MaxLevelsPerSide = 1 });
        var e = BookEvents.Add(5, 0, Wirespeed.Core.Events.Side.Buy, 1, 1);
        Assert.Equal(BookStatus.Applied, set.Apply(ref e));
        e = BookEvents.Delete(5);
        Assert.Equal(BookStatus.Applied, set.Apply(ref e));
    }
}
