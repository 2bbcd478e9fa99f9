using System.Collections.Generic;
using Wirespeed.Configuration;
using Wirespeed.Core.Breakers;

namespace Wirespeed.Tests.Infrastructure;

/// <summary>
/// A breakers section that maps onto given library options (the inverse of <see cref="BreakersConfig.ToOptions"/>), so
/// a test can write options it made in code (e.g. the simulated day's) into a configuration file.
/// </summary>
public static class BreakerSections
{
    public static BreakersConfig Of(BreakerOptions o) => new()
    {
        Enabled = o.Enabled, MaxInstruments = o.MaxInstruments, MaxSectors = o.MaxSectors,
        PriceBand = new() { Enabled = o.PriceBand.Enabled, ReferenceWindowNs = o.PriceBand.ReferenceWindowNs, Thresholds = Of(o.PriceBand.Thresholds) },
        Volatility = new() { Enabled = o.Volatility.Enabled, SampleIntervalNs = o.Volatility.SampleIntervalNs, WindowNs = o.Volatility.WindowNs, Thresholds = Of(o.Volatility.Thresholds) },
        MessageRate = new()
        {
            Enabled = o.MessageRate.Enabled, WindowNs = o.MessageRate.WindowNs, BaselineWindowNs = o.MessageRate.BaselineWindowNs,
            MinBaselineMessages = o.MessageRate.MinBaselineMessages, Thresholds = Of(o.MessageRate.Thresholds),
        },
        Spread = new() { Enabled = o.Spread.Enabled, SustainNs = o.Spread.SustainNs, Thresholds = Of(o.Spread.Thresholds) },
        OneSidedBook = new() { Enabled = o.OneSidedBook.Enabled, Thresholds = Of(o.OneSidedBook.Thresholds) },
        Exchange = new()
        {
            HaltLevel = o.Exchange.HaltLevel, PauseLevel = o.Exchange.PauseLevel, QuoteOnlyLevel = o.Exchange.QuoteOnlyLevel,
            CollarLevel = o.Exchange.CollarLevel, OperationalHaltLevel = o.Exchange.OperationalHaltLevel, MwcbLevel = o.Exchange.MwcbLevel,
            MwcbHoldNs = o.Exchange.MwcbHoldNs,
        },
        MinHoldNs = o.MinHoldNs, StepDownWindowNs = o.StepDownWindowNs, SectorEntryShare = o.SectorEntryShare, SectorExitShare = o.SectorExitShare,
        MinSectorMembers = o.MinSectorMembers, MinMarketMembers = o.MinMarketMembers, MarketEntryShare = o.MarketEntryShare,
        MarketExitShare = o.MarketExitShare, CautionResponses = new List<string>(o.CautionResponses),
        RestrictedResponses = new List<string>(o.RestrictedResponses), HaltedResponses = new List<string>(o.HaltedResponses),
        ThresholdMultipliers = new List<double>(o.ThresholdMultipliers), ThrottleIntervalNs = o.ThrottleIntervalNs,
        TransitionLogCapacity = o.TransitionLogCapacity,
    };

    public static LevelThresholdsConfig Of(LevelThresholds t) => new()
    {
        CautionEntry = t.CautionEntry, CautionExit = t.CautionExit, RestrictedEntry = t.RestrictedEntry,
        RestrictedExit = t.RestrictedExit, HaltedEntry = t.HaltedEntry, HaltedExit = t.HaltedExit,
    };
}
