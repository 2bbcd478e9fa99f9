using System;
using System.Linq;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Events;
using Xunit;
using static Wirespeed.Tests.Core.Breakers.BreakerDriver;

namespace Wirespeed.Tests.Core.Breakers;

public class BoundedLogTests
{
    [Fact]
    public void Log_keeps_the_newest_records_oldest_first_once_it_wraps()
    {
        var log = new BoundedLog<long>(8);
        for (long i = 1; i <= 20; i++) log.Append(i);
        Assert.Equal(20, log.Written);
        Assert.Equal([13L, 14, 15, 16, 17, 18, 19, 20], log.Snapshot());
        var few = new long[3];
        Assert.Equal(3, log.CopyRecent(few));
        Assert.Equal([18L, 19, 20], few);
    }

    [Fact]
    public void Transition_records_the_detector_the_figure_against_its_threshold_and_both_clocks()
    {
        var d = new BreakerDriver(Only(BreakerDetector.PriceBand));
        d.Trades(1, 100 * Dollar, Second);
        long when = d.Now;
        d.Trade(1, 106 * Dollar);
        var t = d.State.Transitions.Snapshot().Single(x => x.Scope == BreakerScope.Instrument);
        Assert.Equal((BreakerLevel.Normal, BreakerLevel.Restricted, BreakerDetector.PriceBand), (t.From, t.To, t.Detector));
        Assert.Equal(0.05, t.Threshold);
        Assert.InRange(t.Figure, 0.055, 0.061);
        Assert.Equal(when, t.ExchangeNs);
        Assert.Equal(when, t.MonoNs); // the driver passes its exchange clock as the monotonic time too
        Assert.Equal(1, d.State.TripsUp);
        Assert.Equal(1, d.State.TripsBy(BreakerDetector.PriceBand));
    }
}
