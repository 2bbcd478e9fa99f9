using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Wirespeed.Core.Breakers;

/// <summary>Entry and exit thresholds of one detector, compiled from <see cref="LevelThresholds"/>.</summary>
internal readonly struct DetectorThresholds
{
    private readonly double _e1, _e2, _e3, _x1, _x2, _x3;
    public readonly bool Enabled;
    public readonly double LowestEntry;

    public DetectorThresholds(LevelThresholds t, bool enabled)
    {
        _e1 = t.CautionEntry; _e2 = t.RestrictedEntry; _e3 = t.HaltedEntry;
        _x1 = t.CautionExit; _x2 = t.RestrictedExit; _x3 = t.HaltedExit;
        Enabled = enabled && (_e1 > 0 || _e2 > 0 || _e3 > 0);
        LowestEntry = _e1 > 0 ? _e1 : _e2 > 0 ? _e2 : _e3 > 0 ? _e3 : double.MaxValue;
    }

    /// <summary>
    /// The figures between which this detector cannot change the outcome of an evaluation at <paramref name="level"/>:
    /// no entry above the level is reached (figure &lt; every such entry) and whether the detector holds the level
    /// (figure &gt; the exit of the level or one above it) stays as it is for <paramref name="figure"/>. The outcome can
    /// change only once the figure is &lt;= <paramref name="low"/> or &gt;= <paramref name="high"/> (at a bound it may
    /// not yet have: the bounds err towards evaluating). ±double.MaxValue where no bound applies; both when disabled.
    /// </summary>
    public void Steady(int level, double figure, out double low, out double high)
    {
        low = -double.MaxValue;
        high = double.MaxValue;
        if (!Enabled) return;
        if (level < 1 && _e1 > 0) high = _e1;
        else if (level < 2 && _e2 > 0) high = _e2;
        else if (level < 3 && _e3 > 0) high = _e3;
        if (level == 0) return; // hold levels matter only above Normal
        double exit = double.MaxValue; // hold >= level  <=>  figure > the lowest exit of the enabled levels >= level
        if (level <= 3 && _e3 > 0) exit = _x3;
        if (level <= 2 && _e2 > 0) exit = Math.Min(exit, _x2);
        if (level <= 1 && _e1 > 0) exit = Math.Min(exit, _x1);
        if (exit == double.MaxValue) return;
        if (figure > exit) low = exit;
        else high = Math.Min(high, exit);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Entry(double figure, out double threshold)
    {
        if (_e3 > 0 && figure >= _e3) { threshold = _e3; return 3; }
        if (_e2 > 0 && figure >= _e2) { threshold = _e2; return 2; }
        if (_e1 > 0 && figure >= _e1) { threshold = _e1; return 1; }
        threshold = 0;
        return 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Hold(double figure)
    {
        if (_e3 > 0 && figure > _x3) return 3;
        if (_e2 > 0 && figure > _x2) return 2;
        if (_e1 > 0 && figure > _x1) return 1;
        return 0;
    }
}

/// <summary>
/// One validated breaker configuration, compiled for the hot path (thresholds, time constants, exchange levels, the
/// responses of each level). Immutable. Made at start-up and by <see cref="BreakerState.TryPrepare"/> for a run-time
/// reload; the breaker thread copies it into its state at its next event (see <see cref="BreakerState.Reconfigure"/>).
/// </summary>
public sealed class BreakerSettings
{
    internal readonly bool Enabled;
    internal readonly DetectorThresholds Band, Vol, Rate, Spread, OneSided;
    internal readonly long BandTauNs, VolIntervalNs, RateWindowNs, SpreadSustainNs, MinHoldNs, WindowNs, MwcbHoldNs, ThrottleNs;
    internal readonly double VolAlpha1, VolIntervalSeconds, RateAlpha, RateMinBaseline, BandInvTau;
    internal readonly double SectorEntry, SectorExit, MarketEntry, MarketExit;
    internal readonly int MinSectorMembers, MinMarketMembers;
    internal readonly byte HaltLevel, PauseLevel, QuoteLevel, CollarLevel, OpHaltLevel, MwcbLevel;
    /// <summary>Per level (index = level); never written after construction, so readers on other threads see a whole set.</summary>
    internal readonly BreakerResponse[] Responses = new BreakerResponse[4];
    internal readonly double[] Multipliers = new double[4];

    /// <param name="options">Validated here (throws <see cref="BreakerConfigException"/> naming the field).</param>
    /// <param name="version">1 at start-up, +1 per reload that took effect.</param>
    /// <param name="previous">The settings these would replace (for <see cref="Changes"/>); null at start-up.</param>
    internal BreakerSettings(BreakerOptions options, int version, BreakerSettings? previous = null)
    {
        var o = options.Validated();
        Options = o;
        Version = version;
        Enabled = o.Enabled;
        Band = new DetectorThresholds(o.PriceBand.Thresholds, o.PriceBand.Enabled);
        Vol = new DetectorThresholds(o.Volatility.Thresholds, o.Volatility.Enabled);
        Rate = new DetectorThresholds(o.MessageRate.Thresholds, o.MessageRate.Enabled);
        Spread = new DetectorThresholds(o.Spread.Thresholds, o.Spread.Enabled);
        OneSided = new DetectorThresholds(o.OneSidedBook.Thresholds, o.OneSidedBook.Enabled);
        BandTauNs = o.PriceBand.ReferenceWindowNs;
        BandInvTau = 1.0 / BandTauNs;
        VolIntervalNs = o.Volatility.SampleIntervalNs;
        VolIntervalSeconds = VolIntervalNs / 1e9;
        VolAlpha1 = VolIntervalNs / (double)o.Volatility.WindowNs;
        RateWindowNs = o.MessageRate.WindowNs;
        RateAlpha = 1 - Math.Exp(-(double)o.MessageRate.WindowNs / o.MessageRate.BaselineWindowNs);
        RateMinBaseline = o.MessageRate.MinBaselineMessages;
        SpreadSustainNs = o.Spread.SustainNs;
        MinHoldNs = o.MinHoldNs;
        WindowNs = o.StepDownWindowNs;
        MwcbHoldNs = o.Exchange.MwcbHoldNs;
        ThrottleNs = o.ThrottleIntervalNs;
        SectorEntry = o.SectorEntryShare; SectorExit = o.SectorExitShare;
        MarketEntry = o.MarketEntryShare; MarketExit = o.MarketExitShare;
        MinSectorMembers = o.MinSectorMembers;
        MinMarketMembers = o.MinMarketMembers;
        HaltLevel = (byte)BreakerOptions.ParseLevel("breakers.exchange.haltLevel", o.Exchange.HaltLevel);
        PauseLevel = (byte)BreakerOptions.ParseLevel("breakers.exchange.pauseLevel", o.Exchange.PauseLevel);
        QuoteLevel = (byte)BreakerOptions.ParseLevel("breakers.exchange.quoteOnlyLevel", o.Exchange.QuoteOnlyLevel);
        CollarLevel = (byte)BreakerOptions.ParseLevel("breakers.exchange.collarLevel", o.Exchange.CollarLevel);
        OpHaltLevel = (byte)BreakerOptions.ParseLevel("breakers.exchange.operationalHaltLevel", o.Exchange.OperationalHaltLevel);
        MwcbLevel = (byte)BreakerOptions.ParseLevel("breakers.exchange.mwcbLevel", o.Exchange.MwcbLevel);
        Responses[1] = BreakerOptions.ParseResponses("breakers.cautionResponses", o.CautionResponses);
        Responses[2] = BreakerOptions.ParseResponses("breakers.restrictedResponses", o.RestrictedResponses);
        Responses[3] = BreakerOptions.ParseResponses("breakers.haltedResponses", o.HaltedResponses);
        for (int i = 0; i < 4; i++) Multipliers[i] = o.ThresholdMultipliers[i];
        Settings = Flatten(o);
        Changes = previous is null ? [] : ChangesFrom(previous);
    }

    /// <summary>The options it was compiled from.</summary>
    public BreakerOptions Options { get; }

    /// <summary>1 for the start-up settings, +1 per reload that took effect.</summary>
    public int Version { get; }

    /// <summary>What differs from the settings these replace, each as "field old -> new" (empty at start-up): the reason logged with a reload.</summary>
    public IReadOnlyList<string> Changes { get; }

    /// <summary>Every setting as (field as in the configuration file, value), for logs and for <see cref="ChangesFrom"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; }

    /// <summary>The settings that differ from <paramref name="old"/>, each as "field old -> new" (empty when none differ).</summary>
    public IReadOnlyList<string> ChangesFrom(BreakerSettings old)
    {
        ArgumentNullException.ThrowIfNull(old);
        var changes = new List<string>();
        for (int i = 0; i < Settings.Count; i++)
            if (Settings[i].Value != old.Settings[i].Value) changes.Add($"{Settings[i].Key} {old.Settings[i].Value} -> {Settings[i].Value}");
        return changes;
    }

    /// <summary>Level an ITCH H trading state imposes (ITCH 5.0 §4.2.3: 'H' halted, 'P' paused, 'Q' quotation only, 'T' trading).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal byte TradingStateLevel(byte state) => state switch { (byte)'H' => HaltLevel, (byte)'P' => PauseLevel, (byte)'Q' => QuoteLevel, _ => 0 };

    /// <summary>Every setting of <paramref name="o"/> in a fixed order (the same list for any two options, so they compare by index).</summary>
    private static List<KeyValuePair<string, string>> Flatten(BreakerOptions o)
    {
        var list = new List<KeyValuePair<string, string>>(64);
        void Add(string path, object value) => list.Add(new("breakers." + path, value switch
        {
            double d => LevelThresholds.Fmt(d),
            bool b => b ? "true" : "false",
            IReadOnlyList<string> names => "[" + string.Join(", ", names) + "]",
            IReadOnlyList<double> numbers => "[" + string.Join(", ", Array.ConvertAll(ToArray(numbers), LevelThresholds.Fmt)) + "]",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
        }));
        void Levels(string path, LevelThresholds t)
        {
            Add(path + ".cautionEntry", t.CautionEntry); Add(path + ".cautionExit", t.CautionExit);
            Add(path + ".restrictedEntry", t.RestrictedEntry); Add(path + ".restrictedExit", t.RestrictedExit);
            Add(path + ".haltedEntry", t.HaltedEntry); Add(path + ".haltedExit", t.HaltedExit);
        }
        Add("enabled", o.Enabled);
        Add("maxInstruments", o.MaxInstruments);
        Add("maxSectors", o.MaxSectors);
        Add("priceBand.enabled", o.PriceBand.Enabled);
        Add("priceBand.referenceWindowNs", o.PriceBand.ReferenceWindowNs);
        Levels("priceBand.thresholds", o.PriceBand.Thresholds);
        Add("volatility.enabled", o.Volatility.Enabled);
        Add("volatility.sampleIntervalNs", o.Volatility.SampleIntervalNs);
        Add("volatility.windowNs", o.Volatility.WindowNs);
        Levels("volatility.thresholds", o.Volatility.Thresholds);
        Add("messageRate.enabled", o.MessageRate.Enabled);
        Add("messageRate.windowNs", o.MessageRate.WindowNs);
        Add("messageRate.baselineWindowNs", o.MessageRate.BaselineWindowNs);
        Add("messageRate.minBaselineMessages", o.MessageRate.MinBaselineMessages);
        Levels("messageRate.thresholds", o.MessageRate.Thresholds);
        Add("spread.enabled", o.Spread.Enabled);
        Add("spread.sustainNs", o.Spread.SustainNs);
        Levels("spread.thresholds", o.Spread.Thresholds);
        Add("oneSidedBook.enabled", o.OneSidedBook.Enabled);
        Levels("oneSidedBook.thresholds", o.OneSidedBook.Thresholds);
        Add("exchange.haltLevel", o.Exchange.HaltLevel);
        Add("exchange.pauseLevel", o.Exchange.PauseLevel);
        Add("exchange.quoteOnlyLevel", o.Exchange.QuoteOnlyLevel);
        Add("exchange.collarLevel", o.Exchange.CollarLevel);
        Add("exchange.operationalHaltLevel", o.Exchange.OperationalHaltLevel);
        Add("exchange.mwcbLevel", o.Exchange.MwcbLevel);
        Add("exchange.mwcbHoldNs", o.Exchange.MwcbHoldNs);
        Add("minHoldNs", o.MinHoldNs);
        Add("stepDownWindowNs", o.StepDownWindowNs);
        Add("sectorEntryShare", o.SectorEntryShare);
        Add("sectorExitShare", o.SectorExitShare);
        Add("minSectorMembers", o.MinSectorMembers);
        Add("minMarketMembers", o.MinMarketMembers);
        Add("marketEntryShare", o.MarketEntryShare);
        Add("marketExitShare", o.MarketExitShare);
        Add("cautionResponses", o.CautionResponses);
        Add("restrictedResponses", o.RestrictedResponses);
        Add("haltedResponses", o.HaltedResponses);
        Add("thresholdMultipliers", o.ThresholdMultipliers);
        Add("throttleIntervalNs", o.ThrottleIntervalNs);
        Add("transitionLogCapacity", o.TransitionLogCapacity);
        return list;
    }

    private static double[] ToArray(IReadOnlyList<double> list)
    {
        var a = new double[list.Count];
        for (int i = 0; i < a.Length; i++) a[i] = list[i];
        return a;
    }
}
