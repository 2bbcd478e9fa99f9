using System.Linq;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Events;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Priority;
using Xunit;

namespace Wirespeed.Tests.Core.Priority;

/// <summary>Market phases, volume surges and breaker levels re-weight lanes at run time, each change logged with its reason.</summary>
public class PriorityAdjusterTests
{
    private const long Second = 1_000_000_000;
    private const long NineThirty = 34_200 * Second;

    private static Lane Run(ref ClassifyStage<TableRule> stage, EventKind kind, long ts, int instrument = 1, EventFlags flags = EventFlags.TopChanged)
    {
        var e = ClassifyRuleTests.Event(kind, instrument, flags: flags, ts: ts);
        var ctx = new StageContext();
        stage.Process(ref e, in ctx);
        return e.Lane;
    }

    [Fact]
    public void Open_phase_promotes_normal_events_while_it_lasts_and_logs_both_edges()
    {
        var o = new PriorityOptions { MaxInstruments = 16, SurgeMessagesPerWindow = 0, Phases = [new PhaseOptions { Name = "open", Start = "09:30:00", End = "09:35:00", Shift = -1 }] };
        var stage = new ClassifyStage<TableRule>(new RuleSetHolder(o), default);
        Assert.Equal(Lane.Normal, Run(ref stage, EventKind.AddOrder, NineThirty - Second));
        Assert.Equal(Lane.High, Run(ref stage, EventKind.AddOrder, NineThirty));
        Assert.Equal(Lane.Normal, Run(ref stage, EventKind.AddOrder, NineThirty, flags: EventFlags.None)); // bulk shifted to normal
        Assert.Equal(Lane.Critical, Run(ref stage, EventKind.TradingAction, NineThirty + Second));          // critical is never shifted
        Assert.Equal(Lane.Normal, Run(ref stage, EventKind.AddOrder, NineThirty + 300 * Second));
        var log = stage.Adjuster.Changes.Snapshot();
        Assert.Equal(2, log.Length);
        Assert.Equal((PriorityChangeReason.Phase, 0, -1), (log[0].Reason, log[0].Id, (int)log[0].NewShift));
        Assert.Equal((PriorityChangeReason.Phase, -1, 0), (log[1].Reason, log[1].Id, (int)log[1].NewShift));
        Assert.Equal(NineThirty + 300 * Second, log[1].ExchangeNs);
    }

    [Fact]
    public void Volume_surge_demotes_normal_to_bulk_until_the_rate_falls()
    {
        var o = new PriorityOptions { MaxInstruments = 16, SurgeMessagesPerWindow = 100, SurgeWindowNs = Second / 10 };
        var stage = new ClassifyStage<TableRule>(new RuleSetHolder(o), default);
        long t = NineThirty;
        Lane last = Lane.Normal;
        for (int i = 0; i < 100; i++) last = Run(ref stage, EventKind.AddOrder, t + i * 1000); // 100 in 0.1 ms
        Assert.Equal(Lane.Bulk, last);
        Assert.True(stage.Adjuster.Surging);
        Assert.Equal(Lane.High, Run(ref stage, EventKind.Imbalance, t + 200_000)); // an imbalance at the open stays high
        Assert.Equal(Lane.Normal, Run(ref stage, EventKind.AddOrder, t + Second)); // quiet window: surge ends
        Assert.False(stage.Adjuster.Surging);
        var log = stage.Adjuster.Changes.Snapshot();
        Assert.Equal(2, log.Count(c => c.Reason == PriorityChangeReason.VolumeSurge));
        Assert.Equal(100, log.First(c => c.Reason == PriorityChangeReason.VolumeSurge).Figure);
    }

    [Fact]
    public void Breaker_level_promotes_the_instrument_and_the_change_is_logged()
    {
        var breakers = new BreakerState(new BreakerOptions { MaxInstruments = 16, MaxSectors = 2 });
        var o = new PriorityOptions { MaxInstruments = 16, SurgeMessagesPerWindow = 0 };
        var stage = new ClassifyStage<TableRule>(new RuleSetHolder(o), default, breakers: breakers);
        Assert.Equal(Lane.Bulk, Run(ref stage, EventKind.OrderDelete, NineThirty, 3, EventFlags.None));
        var halt = new MarketEvent { Kind = EventKind.TradingAction, Instrument = 3, Aux = 'H', ExchangeTimestampNs = NineThirty };
        var none = new NoBreakerActions();
        breakers.OnEvent(ref halt, 0, null, ref none);
        Assert.Equal(Lane.Normal, Run(ref stage, EventKind.OrderDelete, NineThirty + 1, 3, EventFlags.None));
        Assert.Equal(Lane.High, Run(ref stage, EventKind.AddOrder, NineThirty + 2, 3));
        Assert.Equal(Lane.Bulk, Run(ref stage, EventKind.OrderDelete, NineThirty + 3, 4, EventFlags.None)); // other instrument untouched
        var change = Assert.Single(stage.Adjuster.Changes.Snapshot());
        Assert.Equal((PriorityChangeReason.BreakerLevel, 3, (double)BreakerLevel.Halted), (change.Reason, change.Id, change.Figure));
    }
}
