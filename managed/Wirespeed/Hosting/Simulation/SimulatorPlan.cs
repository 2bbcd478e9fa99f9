using System;
using Wirespeed.Configuration;
using Wirespeed.Feeds.Sim;

namespace Wirespeed.Hosting.Simulation;

/// <summary>Maps the configuration's simulator section to <see cref="SimulatorOptions"/> (cold path).</summary>
public static class SimulatorPlan
{
    public static SimScenario Scenario(string name) => name switch
    {
        "normal" => SimScenario.Normal,
        "flash-crash" => SimScenario.FlashCrash,
        "news-spike" => SimScenario.NewsSpike,
        "open-close" => SimScenario.OpenClose,
        "correlated-move" => SimScenario.CorrelatedMove,
        _ => throw new ConfigException("simulator.scenario", $"'{name}' is not one of: normal, flash-crash, news-spike, open-close, correlated-move."),
    };

    public static SimulatorOptions From(SimulatorConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new SimulatorOptions
        {
            Seed = c.Seed,
            Instruments = c.Instruments,
            Sectors = c.Sectors,
            Scenario = Scenario(c.Scenario),
            MessagesPerSecond = c.Rate,
        }.Validated();
    }

    /// <summary>Messages a run of the configured rate and length sends.</summary>
    public static long Messages(SimulatorConfig c) => Math.Max(1, (long)(c.Rate * c.Seconds));
}
