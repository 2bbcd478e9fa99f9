using Wirespeed.Core.Breakers;
using Wirespeed.Core.Events;
using Wirespeed.Core.Pipeline;
using Xunit;
using static Wirespeed.Tests.Core.Breakers.BreakerDriver;

namespace Wirespeed.Tests.Core.Breakers;

/// <summary>
/// Under the virtual clock (replay) the breaker stage stamps the transition log with the event's recorded receive time,
/// not the stage's monotonic clock: the log is the same run after run. Live, the stamp is the monotonic clock.
/// </summary>
public sealed class BreakerVirtualClockTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_halt_is_stamped_with_the_events_receive_time_only_under_the_virtual_clock(bool virtualClock)
    {
        var d = new BreakerDriver(Only(BreakerDetector.Recovery));
        var stage = new BreakerStage<CountingBreakerActions>(d.State, d.Books, new CountingBreakerActions(new BreakerActionCounters()), virtualClock);
        var ctx = new StageContext { NowNs = 987_654_321 };   // the stage's monotonic clock
        var halt = new MarketEvent { Kind = EventKind.TradingAction, Instrument = 1, Aux = (byte)'H', ExchangeTimestampNs = d.Now, ReceiveTimestampNs = 123_456_789 };
        stage.Process(ref halt, in ctx);
        Assert.Equal(BreakerLevel.Halted, d.State.InstrumentLevel(1));
        var t = Assert.Single(d.State.Transitions.Snapshot());
        Assert.Equal(virtualClock ? 123_456_789 : 987_654_321, t.MonoNs);
        Assert.Equal(d.Now, t.ExchangeNs);
    }
}
