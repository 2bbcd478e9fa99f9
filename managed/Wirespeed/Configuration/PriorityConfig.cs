using System.Collections.Generic;
using Wirespeed.Core.Priority;

namespace Wirespeed.Configuration;

// The "priority" section (issue 4): lane classification, dynamic re-weighting and lane scheduling. Keys and shapes are
// those of the library's PriorityOptions, whose defaults these take (from one static instance: no number is written
// twice); ToOptions() in CoreOptionsMapping.cs maps the section onto it, and PriorityOptions.Validated() holds the rules
// (rule and lane names, times of day, ranges). Rule names: halts, imbalance, watchInstruments, watchSectors, priceMove,
// size, topOfBook. Lane names: critical, high, normal, bulk. Times of day: "HH:MM:SS", exchange local time.

/// <summary>Lane classification, dynamic re-weighting and lane scheduling (configuration section <c>priority</c>).</summary>
public sealed partial class PriorityConfig
{
    private static readonly PriorityOptions s_library = new();

    /// <summary>Rule table in evaluation order; the first rule that decides sets the lane. Default: halts→critical,
    /// imbalance→high, watchInstruments→high, watchSectors→high, priceMove(50 bps)→high, size(10000)→high,
    /// topOfBook→normal (deeper book events→bulk).</summary>
    public List<PriorityRuleConfig> Rules { get; set; } = PriorityRuleConfig.ListOf(s_library.Rules);
    /// <summary>Lane of events no rule decided. Default: normal.</summary>
    public string DefaultLane { get; set; } = s_library.DefaultLane;
    /// <summary>Instrument ids the watchInstruments rule matches. Default: none.</summary>
    public List<int> WatchInstruments { get; set; } = new(s_library.WatchInstruments);
    /// <summary>Sector ids the watchSectors rule matches. Default: none.</summary>
    public List<int> WatchSectors { get; set; } = new(s_library.WatchSectors);
    /// <summary>Opening time (imbalance rule), "HH:MM:SS". Default: 09:30:00.</summary>
    public string OpenTime { get; set; } = s_library.OpenTime;
    /// <summary>Closing time (imbalance rule), "HH:MM:SS". Default: 16:00:00.</summary>
    public string CloseTime { get; set; } = s_library.CloseTime;
    /// <summary>Imbalance messages within this many seconds before the open or close (or after the open) match. Default: 600.</summary>
    public double ImbalanceWindowSeconds { get; set; } = s_library.ImbalanceWindowSeconds;
    /// <summary>Exchange timestamp of local midnight (ns since the Unix epoch) for times of day; 0 when timestamps are ns since midnight. Default: 0.</summary>
    public long MidnightEpochNs { get; set; } = s_library.MidnightEpochNs;
    /// <summary>Market phases by time of day that shift every non-critical lane while they last. Default: none.</summary>
    public List<PriorityPhaseConfig> Phases { get; set; } = PriorityPhaseConfig.ListOf(s_library.Phases);
    /// <summary>Messages (all instruments) per surge window at which a volume surge starts; 0 disables. Default: 200000.</summary>
    public long SurgeMessagesPerWindow { get; set; } = s_library.SurgeMessagesPerWindow;
    /// <summary>Surge window, exchange ns. Default: 100000000 (100 ms).</summary>
    public long SurgeWindowNs { get; set; } = s_library.SurgeWindowNs;
    /// <summary>Shift of events the rules put in normal or bulk during a surge. Default: 1.</summary>
    public int SurgeShift { get; set; } = s_library.SurgeShift;
    /// <summary>Instruments whose breaker level is at or above this are shifted by breakerShift; "normal" disables. Default: caution.</summary>
    public string BreakerPromoteLevel { get; set; } = s_library.BreakerPromoteLevel;
    /// <summary>Shift for instruments under a breaker. Default: -1 (one lane up).</summary>
    public int BreakerShift { get; set; } = s_library.BreakerShift;
    /// <summary>Most instrument ids (0..N-1) with per-instrument state. Default: 16384.</summary>
    public int MaxInstruments { get; set; } = s_library.MaxInstruments;
    /// <summary>Slots of each lane ring; a power of two. Not reloadable (SIGHUP). Default: 4096.</summary>
    public int LaneCapacity { get; set; } = s_library.LaneCapacity;
    /// <summary>Aging bound per lane (critical, high, normal, bulk); 0 = never aged. Default: [0, 64, 256, 1024].</summary>
    public List<int> AgingBound { get; set; } = new(s_library.AgingBound);
    /// <summary>Events of lanes below critical the scheduler puts in one batch. Default: 32.</summary>
    public int LowerLaneBatchLimit { get; set; } = s_library.LowerLaneBatchLimit;
    /// <summary>Priority changes kept in the change log. Default: 1024.</summary>
    public int ChangeLogCapacity { get; set; } = s_library.ChangeLogCapacity;
}

/// <summary>One entry of <c>priority.rules</c>: which built-in rule, whether it runs, and its parameters.</summary>
public sealed partial class PriorityRuleConfig
{
    private static readonly RuleOptions s_library = new();

    /// <summary>Built-in rule name (halts, imbalance, watchInstruments, watchSectors, priceMove, size, topOfBook). Required.</summary>
    public string Type { get; set; } = s_library.Type;
    /// <summary>Default: true.</summary>
    public bool Enabled { get; set; } = s_library.Enabled;
    /// <summary>Lane this rule assigns when it matches. Default: high.</summary>
    public string Lane { get; set; } = s_library.Lane;
    /// <summary>topOfBook only: lane of book events that did not change the best bid or offer. Default: bulk.</summary>
    public string OtherLane { get; set; } = s_library.OtherLane;
    /// <summary>priceMove only: basis points from the last trade (else the mid). Default: 50.</summary>
    public double Bps { get; set; } = s_library.Bps;
    /// <summary>size only: shares at or above which an order or trade matches. Default: 10000.</summary>
    public long Shares { get; set; } = s_library.Shares;

    /// <summary>Sections equal to the library's rules (the section's defaults come from the library's rule table).</summary>
    internal static List<PriorityRuleConfig> ListOf(IReadOnlyList<RuleOptions> rules)
    {
        var list = new List<PriorityRuleConfig>(rules.Count);
        foreach (var r in rules)
            list.Add(new PriorityRuleConfig { Type = r.Type, Enabled = r.Enabled, Lane = r.Lane, OtherLane = r.OtherLane, Bps = r.Bps, Shares = r.Shares });
        return list;
    }
}

/// <summary>One entry of <c>priority.phases</c>: a market phase by time of day that shifts every non-critical lane while it lasts.</summary>
public sealed partial class PriorityPhaseConfig
{
    private static readonly PhaseOptions s_library = new();

    /// <summary>Name for logs. Default: empty.</summary>
    public string Name { get; set; } = s_library.Name;
    /// <summary>Start, "HH:MM:SS". Default: 09:30:00.</summary>
    public string Start { get; set; } = s_library.Start;
    /// <summary>End (exclusive), "HH:MM:SS"; after start. Default: 09:35:00.</summary>
    public string End { get; set; } = s_library.End;
    /// <summary>Lanes to shift by, -2..2 (-1: normal becomes high). Default: -1.</summary>
    public int Shift { get; set; } = s_library.Shift;

    internal static List<PriorityPhaseConfig> ListOf(IReadOnlyList<PhaseOptions> phases)
    {
        var list = new List<PriorityPhaseConfig>(phases.Count);
        foreach (var p in phases) list.Add(new PriorityPhaseConfig { Name = p.Name, Start = p.Start, End = p.End, Shift = p.Shift });
        return list;
    }
}
