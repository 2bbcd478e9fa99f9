using Wirespeed.Core.Priority;
using Xunit;

namespace Wirespeed.Tests.Core.Priority;

/// <summary>The surge shift is bounded on both sides (-2..2), like the breaker and phase shifts.</summary>
public class SurgeShiftRangeTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(-3)]
    public void A_surge_shift_outside_minus_two_to_two_fails_naming_the_field(int shift)
    {
        var e = Assert.Throws<PriorityConfigException>(() => new PriorityOptions { SurgeShift = shift }.Validated());
        Assert.Equal("priority.surgeShift", e.FieldPath);
        Assert.StartsWith($"priority.surgeShift={shift}", e.Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-2)]
    public void The_bounds_themselves_are_accepted(int shift)
    {
        var o = new PriorityOptions { SurgeShift = shift };
        Assert.Same(o, o.Validated());
    }
}
