using System;
using Wirespeed.Core.Events;
using Wirespeed.Core.Rings;
using Xunit;

namespace Wirespeed.Tests.Core.Rings;

/// <summary>Rings refuse to be built over no memory: the mistake shows at start-up, not as a crash on the first event.</summary>
public class RingGuardTests
{
    [Fact]
    public unsafe void A_ring_over_a_null_pointer_is_refused()
    {
        var spsc = Assert.Throws<ArgumentNullException>(() => new SpscRing<MarketEvent>(null, 16));
        Assert.Equal("slots", spsc.ParamName);
        var spmc = Assert.Throws<ArgumentNullException>(() => new SpmcBroadcast<MarketEvent>(null, 16, 1));
        Assert.Equal("slots", spmc.ParamName);
    }
}
