using System;
using System.Collections.Generic;
using System.Globalization;

namespace Wirespeed.Core.Breakers;

/*
 * Breaker configuration (cold path). Plain settable values only (numbers, strings, lists; not init-only, which the
 * System.Text.Json source generator would reset to default(T) when a key is absent) so the application maps the JSON
 * section "breakers" onto these records one to one; every default is written once, on its property, as "Default: N".
 * Validated() checks everything and throws BreakerConfigException naming the field as it appears in the configuration
 * file (breakers.volatility.restrictedExit) and the fix. Times are exchange-clock ns (event timestamps), so simulated
 * days run accelerated and deterministically.
 */

/// <summary>
/// Entry and exit thresholds of one detector, in the detector's unit (see <see cref="BreakerDetector"/>). A level is
/// entered when the figure reaches its entry threshold and may be left once the figure stayed below its exit
/// threshold (hysteresis: exit &lt; entry) for the recovery window. An entry of 0 means this detector never asks for
/// that level.
/// </summary>
public sealed record LevelThresholds
{
    public LevelThresholds() { }

    public LevelThresholds(double cautionEntry, double cautionExit, double restrictedEntry, double restrictedExit, double haltedEntry, double haltedExit)
    {
        CautionEntry = cautionEntry; CautionExit = cautionExit;
        RestrictedEntry = restrictedEntry; RestrictedExit = restrictedExit;
        HaltedEntry = haltedEntry; HaltedExit = haltedExit;
    }

    public double CautionEntry { get; set; }
    public double CautionExit { get; set; }
    public double RestrictedEntry { get; set; }
    public double RestrictedExit { get; set; }
    public double HaltedEntry { get; set; }
    public double HaltedExit { get; set; }

    internal void Validate(string path)
    {
        Check(path, "caution", CautionEntry, CautionExit);
        Check(path, "restricted", RestrictedEntry, RestrictedExit);
        Check(path, "halted", HaltedEntry, HaltedExit);
        double last = 0;
        string lastName = "";
        foreach (var (name, entry) in new[] { ("caution", CautionEntry), ("restricted", RestrictedEntry), ("halted", HaltedEntry) })
        {
            if (entry == 0) continue;
            if (entry <= last)
                throw BreakerConfigException.Field($"{path}.{name}Entry", entry, $"must be above {path}.{lastName}Entry ({Fmt(last)}): levels rise with the figure");
            last = entry;
            lastName = name;
        }
    }

    private static void Check(string path, string level, double entry, double exit)
    {
        if (!double.IsFinite(entry) || entry < 0) throw BreakerConfigException.Field($"{path}.{level}Entry", entry, "must be a finite number ≥ 0 (0 = this detector never asks for the level)");
        if (!double.IsFinite(exit) || exit < 0) throw BreakerConfigException.Field($"{path}.{level}Exit", exit, "must be a finite number ≥ 0");
        if (entry > 0 && exit >= entry)
            throw BreakerConfigException.Field($"{path}.{level}Exit", exit, $"must be below {path}.{level}Entry ({Fmt(entry)}), e.g. {Fmt(entry * 0.7)}");
    }

    internal static string Fmt(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}

/// <summary>LULD-style band: move of the last price (mid, else trade) from a reference price that follows the price slowly.</summary>
public sealed record PriceBandOptions
{
    /// <summary>Default: true.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Time constant of the reference price's exponential average, exchange ns (LULD uses a 5-minute mean). Default: 300000000000 (5 min).</summary>
    public long ReferenceWindowNs { get; set; } = 300_000_000_000;
    /// <summary>Fractions of the reference. Default: caution 0.03/0.02, restricted 0.05/0.035, halted 0.10/0.07 (entry/exit).</summary>
    public LevelThresholds Thresholds { get; set; } = new(0.03, 0.02, 0.05, 0.035, 0.10, 0.07);
}

/// <summary>Realised volatility: EWMA of squared log returns of the price sampled on a fixed exchange-time grid (so bursts of messages do not inflate it).</summary>
public sealed record VolatilityOptions
{
    /// <summary>Default: true.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Sampling interval, exchange ns. Default: 1000000000 (1 s).</summary>
    public long SampleIntervalNs { get; set; } = 1_000_000_000;
    /// <summary>Time constant of the EWMA, exchange ns. Default: 60000000000 (60 s).</summary>
    public long WindowNs { get; set; } = 60_000_000_000;
    /// <summary>σ of log returns per √second (a 2 %-a-day stock is about 0.00013). Default: caution 0.0015/0.001, restricted 0.003/0.002, halted 0.006/0.004.</summary>
    public LevelThresholds Thresholds { get; set; } = new(0.0015, 0.001, 0.003, 0.002, 0.006, 0.004);
}

/// <summary>Message-rate surge: messages of an instrument in the current window against its baseline per window.</summary>
public sealed record MessageRateOptions
{
    /// <summary>Default: true.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Counting window, exchange ns. Default: 1000000000 (1 s).</summary>
    public long WindowNs { get; set; } = 1_000_000_000;
    /// <summary>Time constant of the baseline (EWMA of per-window counts), exchange ns. Default: 300000000000 (5 min).</summary>
    public long BaselineWindowNs { get; set; } = 300_000_000_000;
    /// <summary>The baseline is never taken below this many messages per window, so a quiet instrument does not "surge" on a handful. Default: 20.</summary>
    public double MinBaselineMessages { get; set; } = 20;
    /// <summary>Ratios to the baseline. Default: caution 5/3, restricted 10/6, halted not used.</summary>
    public LevelThresholds Thresholds { get; set; } = new(5, 3, 10, 6, 0, 0);
}

/// <summary>Spread blow-out: (ask − bid) / mid in basis points, counted once it has lasted <see cref="SustainNs"/>.</summary>
public sealed record SpreadOptions
{
    /// <summary>Default: true.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>How long a spread must stay at a threshold before it counts, exchange ns. Default: 500000000 (0.5 s).</summary>
    public long SustainNs { get; set; } = 500_000_000;
    /// <summary>Basis points. Default: caution 50/30, restricted 200/120, halted not used.</summary>
    public LevelThresholds Thresholds { get; set; } = new(50, 30, 200, 120, 0, 0);
}

/// <summary>One-sided book (liquidity withdrawal or quote stuffing on one side): seconds with one side empty, after the book had both sides.</summary>
public sealed record OneSidedBookOptions
{
    /// <summary>Default: true.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Seconds of exchange time (thin names go one-sided for seconds in ordinary trading). Default: caution 10/5, restricted 60/30, halted not used.</summary>
    public LevelThresholds Thresholds { get; set; } = new(10, 5, 60, 30, 0, 0);
}

/// <summary>Levels imposed by exchange-declared states; level names are "normal", "caution", "restricted", "halted".</summary>
public sealed record ExchangeStateOptions
{
    /// <summary>ITCH H trading state 'H' (halted). Default: "halted".</summary>
    public string HaltLevel { get; set; } = "halted";
    /// <summary>ITCH H trading state 'P' (paused, e.g. LULD pause "LUDP"). Default: "halted".</summary>
    public string PauseLevel { get; set; } = "halted";
    /// <summary>ITCH H trading state 'Q' (quotation only). Default: "restricted".</summary>
    public string QuoteOnlyLevel { get; set; } = "restricted";
    /// <summary>ITCH J LULD auction collar published. Default: "restricted".</summary>
    public string CollarLevel { get; set; } = "restricted";
    /// <summary>ITCH h operational halt with action 'H'. Default: "halted".</summary>
    public string OperationalHaltLevel { get; set; } = "halted";
    /// <summary>ITCH W MWCB level breached: market scope. Default: "halted".</summary>
    public string MwcbLevel { get; set; } = "halted";
    /// <summary>How long an MWCB breach holds the market level, exchange ns (NASDAQ halts 15 minutes for levels 1 and 2). Default: 900000000000.</summary>
    public long MwcbHoldNs { get; set; } = 900_000_000_000;
}

/// <summary>Configuration of <see cref="BreakerState"/>: detectors, scopes, recovery and the responses of each level.</summary>
public sealed record BreakerOptions
{
    /// <summary>Default: true. False keeps every scope Normal (the stage still records nothing and costs a branch).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Instrument ids 0..N-1 are tracked; others are ignored. Default: 16384.</summary>
    public int MaxInstruments { get; set; } = 16_384;
    /// <summary>Sector ids 0..N-1 (from the instrument table); others count as sector 0. Default: 64.</summary>
    public int MaxSectors { get; set; } = 64;
    /// <summary>Default: see <see cref="PriceBandOptions"/>.</summary>
    public PriceBandOptions PriceBand { get; set; } = new();
    /// <summary>Default: see <see cref="VolatilityOptions"/>.</summary>
    public VolatilityOptions Volatility { get; set; } = new();
    /// <summary>Default: see <see cref="MessageRateOptions"/>.</summary>
    public MessageRateOptions MessageRate { get; set; } = new();
    /// <summary>Default: see <see cref="SpreadOptions"/>.</summary>
    public SpreadOptions Spread { get; set; } = new();
    /// <summary>Default: see <see cref="OneSidedBookOptions"/>.</summary>
    public OneSidedBookOptions OneSidedBook { get; set; } = new();
    /// <summary>Default: see <see cref="ExchangeStateOptions"/>.</summary>
    public ExchangeStateOptions Exchange { get; set; } = new();
    /// <summary>Least time in a level before stepping down, exchange ns. Default: 5000000000 (5 s).</summary>
    public long MinHoldNs { get; set; } = 5_000_000_000;
    /// <summary>Conditions must stay below the current level's exit thresholds this long before one step down, exchange ns. Default: 30000000000 (30 s).</summary>
    public long StepDownWindowNs { get; set; } = 30_000_000_000;
    /// <summary>A sector enters a level when this share of its instruments is at or above it. Default: 0.5.</summary>
    public double SectorEntryShare { get; set; } = 0.5;
    /// <summary>… and may leave it once the share is below this. Default: 0.25.</summary>
    public double SectorExitShare { get; set; } = 0.25;
    /// <summary>Sectors with fewer active instruments never trip on their own. Default: 2.</summary>
    public int MinSectorMembers { get; set; } = 2;
    /// <summary>The market never trips on shares with fewer active instruments (MWCB still applies). Default: 4.</summary>
    public int MinMarketMembers { get; set; } = 4;
    /// <summary>The market enters a level when this share of all instruments is at or above it. Default: 0.5.</summary>
    public double MarketEntryShare { get; set; } = 0.5;
    /// <summary>… and may leave it once the share is below this. Default: 0.25.</summary>
    public double MarketExitShare { get; set; } = 0.25;
    /// <summary>Responses of Caution. Default: ["widenThresholds"].</summary>
    public IReadOnlyList<string> CautionResponses { get; set; } = ["widenThresholds"];
    /// <summary>Responses of Restricted. Default: ["widenThresholds", "throttleSignals", "alert"].</summary>
    public IReadOnlyList<string> RestrictedResponses { get; set; } = ["widenThresholds", "throttleSignals", "alert"];
    /// <summary>Responses of Halted. Default: ["suppressSignals", "cancelAll", "conservativePatterns", "alert"].</summary>
    public IReadOnlyList<string> HaltedResponses { get; set; } = ["suppressSignals", "cancelAll", "conservativePatterns", "alert"];
    /// <summary>Pattern threshold multiplier per level (Normal, Caution, Restricted, Halted), applied where the level widens thresholds. Default: [1, 1.5, 2, 3].</summary>
    public IReadOnlyList<double> ThresholdMultipliers { get; set; } = [1, 1.5, 2, 3];
    /// <summary>Throttled instruments pass at most one signal per this interval, exchange ns. Default: 1000000000 (1 s).</summary>
    public long ThrottleIntervalNs { get; set; } = 1_000_000_000;
    /// <summary>Transitions kept in the log. Default: 4096.</summary>
    public int TransitionLogCapacity { get; set; } = 4096;

    /// <summary>Returns this if every field is usable; otherwise throws <see cref="BreakerConfigException"/> naming the field and the fix.</summary>
    public BreakerOptions Validated()
    {
        const string P = "breakers";
        if (MaxInstruments < 1 || MaxInstruments > 1 << 22) throw BreakerConfigException.Field($"{P}.maxInstruments", MaxInstruments, "must be 1..4194304, e.g. 16384");
        if (MaxSectors < 1 || MaxSectors > 65_536) throw BreakerConfigException.Field($"{P}.maxSectors", MaxSectors, "must be 1..65536, e.g. 64");
        Positive($"{P}.priceBand.referenceWindowNs", PriceBand.ReferenceWindowNs);
        PriceBand.Thresholds.Validate($"{P}.priceBand");
        Positive($"{P}.volatility.sampleIntervalNs", Volatility.SampleIntervalNs);
        Positive($"{P}.volatility.windowNs", Volatility.WindowNs);
        if (Volatility.WindowNs < Volatility.SampleIntervalNs)
            throw BreakerConfigException.Field($"{P}.volatility.windowNs", Volatility.WindowNs, $"must be at least breakers.volatility.sampleIntervalNs ({Volatility.SampleIntervalNs})");
        Volatility.Thresholds.Validate($"{P}.volatility");
        Positive($"{P}.messageRate.windowNs", MessageRate.WindowNs);
        if (MessageRate.BaselineWindowNs < MessageRate.WindowNs)
            throw BreakerConfigException.Field($"{P}.messageRate.baselineWindowNs", MessageRate.BaselineWindowNs, $"must be at least breakers.messageRate.windowNs ({MessageRate.WindowNs})");
        if (!(MessageRate.MinBaselineMessages >= 1) || !double.IsFinite(MessageRate.MinBaselineMessages))
            throw BreakerConfigException.Field($"{P}.messageRate.minBaselineMessages", MessageRate.MinBaselineMessages, "must be ≥ 1, e.g. 20");
        MessageRate.Thresholds.Validate($"{P}.messageRate");
        if (Spread.SustainNs < 0) throw BreakerConfigException.Field($"{P}.spread.sustainNs", Spread.SustainNs, "must be ≥ 0");
        Spread.Thresholds.Validate($"{P}.spread");
        OneSidedBook.Thresholds.Validate($"{P}.oneSidedBook");
        ParseLevel($"{P}.exchange.haltLevel", Exchange.HaltLevel);
        ParseLevel($"{P}.exchange.pauseLevel", Exchange.PauseLevel);
        ParseLevel($"{P}.exchange.quoteOnlyLevel", Exchange.QuoteOnlyLevel);
        ParseLevel($"{P}.exchange.collarLevel", Exchange.CollarLevel);
        ParseLevel($"{P}.exchange.operationalHaltLevel", Exchange.OperationalHaltLevel);
        ParseLevel($"{P}.exchange.mwcbLevel", Exchange.MwcbLevel);
        if (Exchange.MwcbHoldNs < 0) throw BreakerConfigException.Field($"{P}.exchange.mwcbHoldNs", Exchange.MwcbHoldNs, "must be ≥ 0");
        if (MinHoldNs < 0) throw BreakerConfigException.Field($"{P}.minHoldNs", MinHoldNs, "must be ≥ 0, e.g. 5000000000");
        if (StepDownWindowNs < 0) throw BreakerConfigException.Field($"{P}.stepDownWindowNs", StepDownWindowNs, "must be ≥ 0, e.g. 30000000000");
        Shares($"{P}.sectorEntryShare", SectorEntryShare, $"{P}.sectorExitShare", SectorExitShare);
        Shares($"{P}.marketEntryShare", MarketEntryShare, $"{P}.marketExitShare", MarketExitShare);
        if (MinMarketMembers < 1) throw BreakerConfigException.Field($"{P}.minMarketMembers", MinMarketMembers, "must be ≥ 1, e.g. 4");
        if (MinSectorMembers < 1) throw BreakerConfigException.Field($"{P}.minSectorMembers", MinSectorMembers, "must be ≥ 1, e.g. 2");
        ParseResponses($"{P}.cautionResponses", CautionResponses);
        ParseResponses($"{P}.restrictedResponses", RestrictedResponses);
        ParseResponses($"{P}.haltedResponses", HaltedResponses);
        if (ThresholdMultipliers is null || ThresholdMultipliers.Count != 4)
            throw BreakerConfigException.Field($"{P}.thresholdMultipliers", ThresholdMultipliers?.Count ?? 0, "must list 4 numbers (normal, caution, restricted, halted), e.g. [1, 1.5, 2, 3]");
        for (int i = 0; i < 4; i++)
            if (!(ThresholdMultipliers[i] >= 1) || !double.IsFinite(ThresholdMultipliers[i]))
                throw BreakerConfigException.Field($"{P}.thresholdMultipliers[{i}]", ThresholdMultipliers[i], "must be a finite number ≥ 1 (thresholds only widen)");
        Positive($"{P}.throttleIntervalNs", ThrottleIntervalNs);
        if (TransitionLogCapacity < 16 || TransitionLogCapacity > 1 << 20)
            throw BreakerConfigException.Field($"{P}.transitionLogCapacity", TransitionLogCapacity, "must be 16..1048576, e.g. 4096");
        return this;
    }

    private static void Positive(string path, long value)
    {
        if (value <= 0) throw BreakerConfigException.Field(path, value, "must be > 0");
    }

    private static void Shares(string entryPath, double entry, string exitPath, double exit)
    {
        if (!(entry > 0 && entry <= 1)) throw BreakerConfigException.Field(entryPath, entry, "must be in (0, 1], e.g. 0.5");
        if (!(exit >= 0 && exit < entry)) throw BreakerConfigException.Field(exitPath, exit, $"must be ≥ 0 and below {entryPath} ({LevelThresholds.Fmt(entry)}), e.g. {LevelThresholds.Fmt(entry / 2)}");
    }

    /// <summary>Parses a level name ("normal", "caution", "restricted", "halted"; case-insensitive).</summary>
    public static BreakerLevel ParseLevel(string path, string? text)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "normal": return BreakerLevel.Normal;
            case "caution": return BreakerLevel.Caution;
            case "restricted": return BreakerLevel.Restricted;
            case "halted": return BreakerLevel.Halted;
            default: throw BreakerConfigException.Field(path, text ?? "null", "must be one of normal, caution, restricted, halted");
        }
    }

    /// <summary>Parses response names ("widenThresholds", "throttleSignals", "suppressSignals", "cancelAll", "conservativePatterns", "alert").</summary>
    public static BreakerResponse ParseResponses(string path, IReadOnlyList<string>? names)
    {
        var r = BreakerResponse.None;
        if (names is null) return r;
        for (int i = 0; i < names.Count; i++)
        {
            r |= names[i]?.Trim().ToLowerInvariant() switch
            {
                "widenthresholds" => BreakerResponse.WidenThresholds,
                "throttlesignals" => BreakerResponse.ThrottleSignals,
                "suppresssignals" => BreakerResponse.SuppressSignals,
                "cancelall" => BreakerResponse.CancelAll,
                "conservativepatterns" => BreakerResponse.ConservativePatterns,
                "alert" => BreakerResponse.Alert,
                _ => throw BreakerConfigException.Field($"{path}[{i}]", names[i] ?? "null",
                    "must be one of widenThresholds, throttleSignals, suppressSignals, cancelAll, conservativePatterns, alert"),
            };
        }
        return r;
    }
}

/// <summary>Breaker or priority configuration is invalid; <see cref="Field"/> names the setting as in the configuration file.</summary>
public sealed class BreakerConfigException : Exception
{
    public BreakerConfigException(string field, string message) : base(message) => FieldPath = field;

    /// <summary>The offending setting, e.g. "breakers.volatility.haltedExit".</summary>
    public string FieldPath { get; }

    internal static BreakerConfigException Field(string path, object value, string fix)
        => new(path, $"{path}={Format(value)}: {fix}.");

    private static string Format(object value) => value is double d ? LevelThresholds.Fmt(d) : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null";
}
