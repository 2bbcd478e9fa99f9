using System;
using Wirespeed.Configuration;
using Wirespeed.Feeds.Sim;

namespace Wirespeed.Hosting.Simulation;

/// <summary>Maps the configuration's simulator section to <see cref="SimulatorOptions"/> (cold path).</summary>
public static class SimulatorPlan
{
    public static SimulatorOptions From(SimulatorConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new SimulatorOptions
        {
            Seed = c.Seed,
            Instruments = c.Instruments,
            Sectors = c.Sectors,
            Scenario = c.Scenario,   // parsed from its name when the file was read (ConfigNames.Scenarios)
            MessagesPerSecond = c.Rate,
            ActivitySkew = c.ActivitySkew,
            DepthLevels = c.DepthLevels,
            MaxLiveOrdersPerInstrument = c.MaxLiveOrders,
        }.Validated();
    }

    /// <summary>Messages a run of the configured rate and length sends.</summary>
    public static long Messages(SimulatorConfig c) => Math.Max(1, (long)(c.Rate * c.Seconds));
}
