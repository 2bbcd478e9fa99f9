using System.Collections.Generic;
using Wirespeed.Core.Breakers;

namespace Wirespeed.Configuration;

// The "breakers" section (issue 4): detectors, scopes, recovery and the responses of each level. Keys and shapes are
// those of the library's BreakerOptions, whose defaults these take (from one static instance of each library record: no
// number is written twice); ToOptions() in CoreOptionsMapping.cs maps the section onto it and BreakerOptions.Validated()
// holds the rules. Times are exchange-clock ns. Level names: normal, caution, restricted, halted. Response names:
// widenThresholds, throttleSignals, suppressSignals, cancelAll, conservativePatterns, alert.

/// <summary>Circuit breakers (configuration section <c>breakers</c>).</summary>
public sealed partial class BreakersConfig
{
    private static readonly BreakerOptions s_library = new();

    /// <summary>False keeps every scope normal. Default: true.</summary>
    public bool Enabled { get; set; } = s_library.Enabled;
    /// <summary>Instrument ids 0..N-1 are tracked; others are ignored. Default: 16384.</summary>
    public int MaxInstruments { get; set; } = s_library.MaxInstruments;
    /// <summary>Sector ids 0..N-1; others count as sector 0. Default: 64.</summary>
    public int MaxSectors { get; set; } = s_library.MaxSectors;
    /// <summary>LULD-style price band. Default: see <see cref="PriceBandConfig"/>.</summary>
    public PriceBandConfig PriceBand { get; set; } = new();
    /// <summary>Realised volatility. Default: see <see cref="VolatilityConfig"/>.</summary>
    public VolatilityConfig Volatility { get; set; } = new();
    /// <summary>Message-rate surge. Default: see <see cref="MessageRateConfig"/>.</summary>
    public MessageRateConfig MessageRate { get; set; } = new();
    /// <summary>Spread blow-out. Default: see <see cref="SpreadConfig"/>.</summary>
    public SpreadConfig Spread { get; set; } = new();
    /// <summary>One-sided book. Default: see <see cref="OneSidedBookConfig"/>.</summary>
    public OneSidedBookConfig OneSidedBook { get; set; } = new();
    /// <summary>Levels imposed by exchange-declared states. Default: see <see cref="ExchangeStateConfig"/>.</summary>
    public ExchangeStateConfig Exchange { get; set; } = new();
    /// <summary>Least time in a level before stepping down, exchange ns. Default: 5000000000 (5 s).</summary>
    public long MinHoldNs { get; set; } = s_library.MinHoldNs;
    /// <summary>Conditions must stay below the level's exit thresholds this long before one step down, exchange ns. Default: 30000000000 (30 s).</summary>
    public long StepDownWindowNs { get; set; } = s_library.StepDownWindowNs;
    /// <summary>A sector enters a level when this share of its instruments is at or above it. Default: 0.5.</summary>
    public double SectorEntryShare { get; set; } = s_library.SectorEntryShare;
    /// <summary>… and may leave it once the share is below this. Default: 0.25.</summary>
    public double SectorExitShare { get; set; } = s_library.SectorExitShare;
    /// <summary>Sectors with fewer active instruments never trip on their own. Default: 2.</summary>
    public int MinSectorMembers { get; set; } = s_library.MinSectorMembers;
    /// <summary>The market never trips on shares with fewer active instruments (MWCB still applies). Default: 4.</summary>
    public int MinMarketMembers { get; set; } = s_library.MinMarketMembers;
    /// <summary>The market enters a level when this share of all instruments is at or above it. Default: 0.5.</summary>
    public double MarketEntryShare { get; set; } = s_library.MarketEntryShare;
    /// <summary>… and may leave it once the share is below this. Default: 0.25.</summary>
    public double MarketExitShare { get; set; } = s_library.MarketExitShare;
    /// <summary>Responses of caution. Default: ["widenThresholds"].</summary>
    public List<string> CautionResponses { get; set; } = new(s_library.CautionResponses);
    /// <summary>Responses of restricted. Default: ["widenThresholds", "throttleSignals", "alert"].</summary>
    public List<string> RestrictedResponses { get; set; } = new(s_library.RestrictedResponses);
    /// <summary>Responses of halted. Default: ["suppressSignals", "cancelAll", "conservativePatterns", "alert"].</summary>
    public List<string> HaltedResponses { get; set; } = new(s_library.HaltedResponses);
    /// <summary>Pattern threshold multiplier per level (normal, caution, restricted, halted). Default: [1, 1.5, 2, 3].</summary>
    public List<double> ThresholdMultipliers { get; set; } = new(s_library.ThresholdMultipliers);
    /// <summary>Throttled instruments pass at most one signal per this interval, exchange ns. Default: 1000000000 (1 s).</summary>
    public long ThrottleIntervalNs { get; set; } = s_library.ThrottleIntervalNs;
    /// <summary>Transitions kept in the log. Default: 4096.</summary>
    public int TransitionLogCapacity { get; set; } = s_library.TransitionLogCapacity;
}

/// <summary>
/// Entry and exit thresholds of one detector, in its unit. An object written in the file replaces the default whole:
/// a key left out is 0 (an entry of 0: the detector never asks for that level). Default: the detector's.
/// </summary>
public sealed class LevelThresholdsConfig
{
    public double CautionEntry { get; set; }
    public double CautionExit { get; set; }
    public double RestrictedEntry { get; set; }
    public double RestrictedExit { get; set; }
    public double HaltedEntry { get; set; }
    public double HaltedExit { get; set; }

    /// <summary>The section equal to the library's <paramref name="t"/> (where the defaults come from).</summary>
    internal static LevelThresholdsConfig Of(LevelThresholds t) => new()
    {
        CautionEntry = t.CautionEntry, CautionExit = t.CautionExit, RestrictedEntry = t.RestrictedEntry,
        RestrictedExit = t.RestrictedExit, HaltedEntry = t.HaltedEntry, HaltedExit = t.HaltedExit,
    };

    /// <summary>The library's thresholds.</summary>
    public LevelThresholds ToOptions() => new(CautionEntry, CautionExit, RestrictedEntry, RestrictedExit, HaltedEntry, HaltedExit);
}

/// <summary><c>breakers.priceBand</c>: move of the last price from a slowly following reference (LULD-style).</summary>
public sealed class PriceBandConfig
{
    private static readonly PriceBandOptions s_library = new();

    /// <summary>Default: true.</summary>
    public bool Enabled { get; set; } = s_library.Enabled;
    /// <summary>Time constant of the reference price's average, exchange ns. Default: 300000000000 (5 min).</summary>
    public long ReferenceWindowNs { get; set; } = s_library.ReferenceWindowNs;
    /// <summary>Fractions of the reference. Default: caution 0.03/0.02, restricted 0.05/0.035, halted 0.10/0.07 (entry/exit).</summary>
    public LevelThresholdsConfig Thresholds { get; set; } = LevelThresholdsConfig.Of(s_library.Thresholds);

    public PriceBandOptions ToOptions() => new() { Enabled = Enabled, ReferenceWindowNs = ReferenceWindowNs, Thresholds = Thresholds.ToOptions() };
}

/// <summary><c>breakers.volatility</c>: EWMA of squared log returns sampled on a fixed exchange-time grid.</summary>
public sealed class VolatilityConfig
{
    private static readonly VolatilityOptions s_library = new();

    /// <summary>Default: true.</summary>
    public bool Enabled { get; set; } = s_library.Enabled;
    /// <summary>Sampling interval, exchange ns. Default: 1000000000 (1 s).</summary>
    public long SampleIntervalNs { get; set; } = s_library.SampleIntervalNs;
    /// <summary>Time constant of the EWMA, exchange ns. Default: 60000000000 (60 s).</summary>
    public long WindowNs { get; set; } = s_library.WindowNs;
    /// <summary>σ of log returns per √second. Default: caution 0.0015/0.001, restricted 0.003/0.002, halted 0.006/0.004.</summary>
    public LevelThresholdsConfig Thresholds { get; set; } = LevelThresholdsConfig.Of(s_library.Thresholds);

    public VolatilityOptions ToOptions() => new()
    {
        Enabled = Enabled, SampleIntervalNs = SampleIntervalNs, WindowNs = WindowNs, Thresholds = Thresholds.ToOptions(),
    };
}

/// <summary><c>breakers.messageRate</c>: messages of an instrument in the current window against its baseline.</summary>
public sealed class MessageRateConfig
{
    private static readonly MessageRateOptions s_library = new();

    /// <summary>Default: true.</summary>
    public bool Enabled { get; set; } = s_library.Enabled;
    /// <summary>Counting window, exchange ns. Default: 1000000000 (1 s).</summary>
    public long WindowNs { get; set; } = s_library.WindowNs;
    /// <summary>Time constant of the baseline, exchange ns. Default: 300000000000 (5 min).</summary>
    public long BaselineWindowNs { get; set; } = s_library.BaselineWindowNs;
    /// <summary>The baseline is never taken below this many messages per window. Default: 20.</summary>
    public double MinBaselineMessages { get; set; } = s_library.MinBaselineMessages;
    /// <summary>Ratios to the baseline. Default: caution 5/3, restricted 10/6, halted not used.</summary>
    public LevelThresholdsConfig Thresholds { get; set; } = LevelThresholdsConfig.Of(s_library.Thresholds);

    public MessageRateOptions ToOptions() => new()
    {
        Enabled = Enabled, WindowNs = WindowNs, BaselineWindowNs = BaselineWindowNs, MinBaselineMessages = MinBaselineMessages,
        Thresholds = Thresholds.ToOptions(),
    };
}

/// <summary><c>breakers.spread</c>: (ask − bid) / mid in bps, counted once it has lasted sustainNs.</summary>
public sealed class SpreadConfig
{
    private static readonly SpreadOptions s_library = new();

    /// <summary>Default: true.</summary>
    public bool Enabled { get; set; } = s_library.Enabled;
    /// <summary>How long a spread must stay at a threshold before it counts, exchange ns. Default: 500000000 (0.5 s).</summary>
    public long SustainNs { get; set; } = s_library.SustainNs;
    /// <summary>Basis points. Default: caution 50/30, restricted 200/120, halted not used.</summary>
    public LevelThresholdsConfig Thresholds { get; set; } = LevelThresholdsConfig.Of(s_library.Thresholds);

    public SpreadOptions ToOptions() => new() { Enabled = Enabled, SustainNs = SustainNs, Thresholds = Thresholds.ToOptions() };
}

/// <summary><c>breakers.oneSidedBook</c>: seconds with one side of the book empty, after it had both.</summary>
public sealed class OneSidedBookConfig
{
    private static readonly OneSidedBookOptions s_library = new();

    /// <summary>Default: true.</summary>
    public bool Enabled { get; set; } = s_library.Enabled;
    /// <summary>Seconds of exchange time. Default: caution 10/5, restricted 60/30, halted not used.</summary>
    public LevelThresholdsConfig Thresholds { get; set; } = LevelThresholdsConfig.Of(s_library.Thresholds);

    public OneSidedBookOptions ToOptions() => new() { Enabled = Enabled, Thresholds = Thresholds.ToOptions() };
}

/// <summary><c>breakers.exchange</c>: levels imposed by exchange-declared states (ITCH H, J, h, W).</summary>
public sealed class ExchangeStateConfig
{
    private static readonly ExchangeStateOptions s_library = new();

    /// <summary>Trading state 'H' (halted). Default: halted.</summary>
    public string HaltLevel { get; set; } = s_library.HaltLevel;
    /// <summary>Trading state 'P' (paused). Default: halted.</summary>
    public string PauseLevel { get; set; } = s_library.PauseLevel;
    /// <summary>Trading state 'Q' (quotation only). Default: restricted.</summary>
    public string QuoteOnlyLevel { get; set; } = s_library.QuoteOnlyLevel;
    /// <summary>LULD auction collar published. Default: restricted.</summary>
    public string CollarLevel { get; set; } = s_library.CollarLevel;
    /// <summary>Operational halt with action 'H'. Default: halted.</summary>
    public string OperationalHaltLevel { get; set; } = s_library.OperationalHaltLevel;
    /// <summary>MWCB level breached: market scope. Default: halted.</summary>
    public string MwcbLevel { get; set; } = s_library.MwcbLevel;
    /// <summary>How long an MWCB breach holds the market level, exchange ns. Default: 900000000000 (15 min).</summary>
    public long MwcbHoldNs { get; set; } = s_library.MwcbHoldNs;

    public ExchangeStateOptions ToOptions() => new()
    {
        HaltLevel = HaltLevel, PauseLevel = PauseLevel, QuoteOnlyLevel = QuoteOnlyLevel, CollarLevel = CollarLevel,
        OperationalHaltLevel = OperationalHaltLevel, MwcbLevel = MwcbLevel, MwcbHoldNs = MwcbHoldNs,
    };
}
