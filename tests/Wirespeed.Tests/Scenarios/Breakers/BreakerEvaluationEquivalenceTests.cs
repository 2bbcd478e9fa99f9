using System;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Events;
using Wirespeed.Feeds.Sim;
using Wirespeed.Tests.Core.Breakers;
using Xunit;

namespace Wirespeed.Tests.Scenarios.Breakers;

/// <summary>
/// The breakers evaluate an instrument only when a trigger says its outcome may have changed (SetTriggers in
/// BreakerState). That is an optimisation, not a behaviour: on every scenario the transitions (time, scope, levels,
/// detector, figure, threshold), the figures and the lanes must be exactly those of evaluating every instrument at
/// every event.
/// </summary>
public class BreakerEvaluationEquivalenceTests
{
    private const long Ms = 1_000_000;

    /// <summary>The compressed-day settings with every detector on, the message rate included.</summary>
    private static BreakerOptions AllDetectors => BreakerScenarioTests.Compressed with
    {
        MessageRate = new MessageRateOptions { WindowNs = 50 * Ms, BaselineWindowNs = 1000 * Ms },
    };

    [Theory]
    [InlineData(SimScenario.FlashCrash, 3UL)]
    [InlineData(SimScenario.NewsSpike, 5UL)]
    [InlineData(SimScenario.OpenClose, 7UL)]
    [InlineData(SimScenario.CorrelatedMove, 11UL)]
    [InlineData(SimScenario.Normal, 13UL)]
    public void Triggered_evaluation_gives_exactly_the_transitions_of_evaluating_every_event(SimScenario scenario, ulong seed)
    {
        var sim = new SimulatorOptions
        {
            Seed = seed,
            Scenario = scenario,
            Instruments = 32,
            Sectors = 4,
            MessagesPerSecond = 200_000,
            SessionDurationNs = 2_000 * Ms,
        };
        var triggered = new SimBreakerRun(sim, AllDetectors);
        var everyEvent = new SimBreakerRun(sim, AllDetectors);
        everyEvent.Breakers.EvaluateEveryEvent = true;
        triggered.RunToEnd();
        everyEvent.RunToEnd();

        var a = triggered.Breakers.Transitions.Snapshot();
        var b = everyEvent.Breakers.Transitions.Snapshot();
        Assert.True(b.Length > 0, "the scenario moves some level (else the comparison says little)");
        Assert.Equal(b.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(BreakerDriver.Same(a[i], b[i]), $"transition {i}: triggered {a[i]}, every event {b[i]}");
        for (int id = 1; id <= sim.Instruments; id++)
        {
            Assert.Equal(everyEvent.Breakers.InstrumentLevel(id), triggered.Breakers.InstrumentLevel(id));
            foreach (var d in new[] { BreakerDetector.PriceBand, BreakerDetector.Volatility, BreakerDetector.MessageRate, BreakerDetector.Spread })
                Assert.Equal(everyEvent.Breakers.Figure(id, d), triggered.Breakers.Figure(id, d));
        }
        for (int l = 0; l < 4; l++) Assert.Equal(everyEvent.Classify.State.LaneCount((Lane)l), triggered.Classify.State.LaneCount((Lane)l));
        Assert.Equal(everyEvent.Breakers.StepsDown, triggered.Breakers.StepsDown);
        TestContext.Current.TestOutputHelper?.WriteLine($"{scenario}: {triggered.Events} events, {a.Length} transitions, {triggered.Breakers.StepsDown} steps down, identical");
    }
}
