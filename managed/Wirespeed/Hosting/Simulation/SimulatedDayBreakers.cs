using System;
using Wirespeed.Core.Breakers;

namespace Wirespeed.Hosting.Simulation;

/// <summary>
/// Breaker time constants and thresholds matched to the simulator's compressed day, for demo and bench
/// (simulator.breakerProfile = "compressed"). The defaults of the "breakers" section are for a real session: 5-minute
/// reference prices, 60-second volatility windows, 30-second step-down windows, σ of a 2 %-a-day stock. The simulator
/// compresses a day into seconds (σ 0.02 per √s by default, a flash crash that falls for 100 ms and recovers in
/// 300 ms), so under the real-session defaults its ordinary noise reads as a crash and nothing recovers within a demo.
/// </summary>
/// <remarks>
/// Each threshold sits several standard deviations of the simulator's normal noise above it (volatility: an EWMA over
/// ten 10 ms samples, 3× the normal σ for Caution; price band: 4.5 σ over the 1 s reference window), and the crash
/// (8 % in 100 ms, about 0.25 per √s, with LULD pauses from the exchange) crosses all of them. Responses, enabled flags,
/// scope shares and capacities are kept from the configuration.
/// </remarks>
public static class SimulatedDayBreakers
{
    private const long Ms = 1_000_000;

    /// <summary><paramref name="configured"/> with the compressed-day time constants and thresholds.</summary>
    public static BreakerOptions For(BreakerOptions configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        return configured with
        {
            PriceBand = configured.PriceBand with
            {
                ReferenceWindowNs = 1000 * Ms,
                Thresholds = new LevelThresholds(0.09, 0.06, 0.12, 0.08, 0, 0),
            },
            Volatility = configured.Volatility with
            {
                SampleIntervalNs = 10 * Ms,
                WindowNs = 100 * Ms,
                Thresholds = new LevelThresholds(0.06, 0.04, 0.12, 0.08, 0.2, 0.14),
            },
            MessageRate = configured.MessageRate with { WindowNs = 100 * Ms, BaselineWindowNs = 2000 * Ms },
            Spread = configured.Spread with { SustainNs = 50 * Ms },
            OneSidedBook = configured.OneSidedBook with { Thresholds = new LevelThresholds(0.2, 0.1, 1, 0.5, 0, 0) },
            Exchange = configured.Exchange with { MwcbHoldNs = 1000 * Ms },
            MinHoldNs = 100 * Ms,
            StepDownWindowNs = 200 * Ms,
            ThrottleIntervalNs = 100 * Ms,
        };
    }
}
