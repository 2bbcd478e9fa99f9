using System;
using Wirespeed.Core.Agents;
using Xunit;

namespace Wirespeed.Tests.Core.Agents;

/// <summary>The back-off refuses each impossible bound, naming it (the options validate first; this is its own guard).</summary>
public class BackOffArgumentTests
{
    [Theory]
    [InlineData(-1, 0, 1, 1, "maxSpins")]
    [InlineData(0, -1, 1, 1, "maxYields")]
    [InlineData(0, 0, 0, 1, "minParkUs")]
    [InlineData(0, 0, 10, 9, "maxParkUs")]
    public void An_impossible_bound_is_refused_naming_it(int spins, int yields, int minPark, int maxPark, string field)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new BackOffIdleStrategy(spins, yields, minPark, maxPark));
        Assert.Equal(field, e.ParamName);
    }

    [Fact]
    public void Equal_park_bounds_and_no_spins_or_yields_are_accepted()
    {
        var idle = new BackOffIdleStrategy(0, 0, 5, 5);
        Assert.Equal(BackOffPhase.NotIdle, idle.Phase);
    }
}
