using System;
using Wirespeed.Core.Monitoring;
using Xunit;

namespace Wirespeed.Tests.Core.Monitoring;

/// <summary>Histogram layouts that cannot exist are refused, naming the parameter; Representable says which ones.</summary>
public class HdrLayoutArgumentTests
{
    [Fact]
    public void A_lowest_value_that_leaves_no_room_for_the_digits_is_refused()
    {
        Assert.False(HdrLayout.Representable(1L << 60, 3));
        var e = Assert.Throws<ArgumentException>(() => new HdrLayout(1L << 60, long.MaxValue, 3));
        Assert.Equal("lowestDiscernibleValue", e.ParamName);
        Assert.Contains("no room for the significant digits", e.Message);
    }

    [Fact]
    public void A_highest_value_below_twice_the_lowest_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new HdrLayout(10, 19, 3));
        Assert.Equal("highestTrackableValue", e.ParamName);
        Assert.Equal(20, new HdrLayout(10, 20, 3).HighestTrackableValue);
    }

    [Theory]
    [InlineData(0L, 3, "lowestDiscernibleValue")]
    [InlineData(1L, -1, "significantDigits")]
    [InlineData(1L, 6, "significantDigits")]
    public void A_lowest_value_below_one_or_digits_outside_zero_to_five_are_refused(long lowest, int digits, string field)
        => Assert.Equal(field, Assert.Throws<ArgumentException>(() => new HdrLayout(lowest, 1000, digits)).ParamName);

    [Theory]
    [InlineData(0L, 3)]
    [InlineData(1L, -1)]
    [InlineData(1L, 6)]
    public void Representable_is_false_for_values_the_constructor_refuses_first(long lowest, int digits)
        => Assert.False(HdrLayout.Representable(lowest, digits));

    [Fact]
    public void Representable_is_true_for_the_usual_nanosecond_layout() => Assert.True(HdrLayout.Representable(1, 3));
}
