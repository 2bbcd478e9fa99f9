using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;

namespace Wirespeed.Core.Priority;

/*
 * Priority configuration (cold path). Plain values only, settable (System.Text.Json's source generator would reset
 * init-only properties missing from the file to default(T) instead of keeping the defaults written here), so the application maps the JSON section "priority" onto these
 * records one to one; every default is written once, on its property ("Default: N"). Validated() throws
 * PriorityConfigException naming the field as in the configuration file (priority.rules[2].bps) and the fix.
 * Rule names: "halts", "imbalance", "watchInstruments", "watchSectors", "priceMove", "size", "topOfBook".
 * Lane names: "critical", "high", "normal", "bulk". Times of day: "HH:MM:SS" (exchange local time, since midnight).
 */

/// <summary>One entry of the rule table: which built-in rule, whether it runs, and its parameters. Rules run in list order; the first that decides sets the lane.</summary>
public sealed record RuleOptions
{
    /// <summary>Built-in rule name (see the file comment).</summary>
    public string Type { get; set; } = "";
    /// <summary>Default: true.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Lane this rule assigns when it matches.</summary>
    public string Lane { get; set; } = "high";
    /// <summary>topOfBook only: lane of book events that did not change the best bid or offer. Default: "bulk".</summary>
    public string OtherLane { get; set; } = "bulk";
    /// <summary>priceMove only: basis points from the last trade (else the mid). Default: 50.</summary>
    public double Bps { get; set; } = 50;
    /// <summary>size only: shares at or above which an order or trade matches. Default: 10000.</summary>
    public long Shares { get; set; } = 10_000;

    /// <summary>A rule with <paramref name="type"/> and <paramref name="lane"/>.</summary>
    public static RuleOptions Of(string type, string lane) => new() { Type = type, Lane = lane };
}

/// <summary>A market phase by time of day that shifts every non-Critical lane while it lasts (negative = promote).</summary>
public sealed record PhaseOptions
{
    /// <summary>Name for logs.</summary>
    public string Name { get; set; } = "";
    /// <summary>Start, "HH:MM:SS".</summary>
    public string Start { get; set; } = "09:30:00";
    /// <summary>End (exclusive), "HH:MM:SS"; after Start.</summary>
    public string End { get; set; } = "09:35:00";
    /// <summary>Lanes to shift by, -2..2 (-1: Normal becomes High). Default: -1.</summary>
    public int Shift { get; set; } = -1;
}

/// <summary>Classification rules, dynamic adjustment and lane scheduling.</summary>
public sealed record PriorityOptions
{
    /// <summary>Rule table in evaluation order. Default: halts→critical, imbalance→high, watchInstruments→high, watchSectors→high, priceMove(50 bps)→high, size(10000)→high, topOfBook→normal (deeper book events→bulk).</summary>
    public IReadOnlyList<RuleOptions> Rules { get; set; } =
    [
        RuleOptions.Of("halts", "critical"),
        RuleOptions.Of("imbalance", "high"),
        RuleOptions.Of("watchInstruments", "high"),
        RuleOptions.Of("watchSectors", "high"),
        RuleOptions.Of("priceMove", "high"),
        RuleOptions.Of("size", "high"),
        new RuleOptions { Type = "topOfBook", Lane = "normal", OtherLane = "bulk" },
    ];
    /// <summary>Lane of events no rule decided. Default: "normal".</summary>
    public string DefaultLane { get; set; } = "normal";
    /// <summary>Instrument ids the watchInstruments rule matches. Default: none.</summary>
    public IReadOnlyList<int> WatchInstruments { get; set; } = [];
    /// <summary>Sector ids the watchSectors rule matches. Default: none.</summary>
    public IReadOnlyList<int> WatchSectors { get; set; } = [];
    /// <summary>Opening time (imbalance rule). Default: "09:30:00".</summary>
    public string OpenTime { get; set; } = "09:30:00";
    /// <summary>Closing time (imbalance rule). Default: "16:00:00".</summary>
    public string CloseTime { get; set; } = "16:00:00";
    /// <summary>Imbalance messages within this many seconds before the open or close (or after the open) match. Default: 600.</summary>
    public double ImbalanceWindowSeconds { get; set; } = 600;
    /// <summary>Exchange timestamp of local midnight (ns since the Unix epoch) for times of day; 0 when timestamps are ns since midnight. Default: 0.</summary>
    public long MidnightEpochNs { get; set; }
    /// <summary>Market phases that re-weight lanes. Default: none.</summary>
    public IReadOnlyList<PhaseOptions> Phases { get; set; } = [];
    /// <summary>Messages (all instruments) per surge window at which a volume surge starts; 0 disables. Default: 200000.</summary>
    public long SurgeMessagesPerWindow { get; set; } = 200_000;
    /// <summary>Surge window, exchange ns. Default: 100000000 (100 ms).</summary>
    public long SurgeWindowNs { get; set; } = 100_000_000;
    /// <summary>Shift of events the rules put in Normal or Bulk during a surge (1: Normal sinks to Bulk, leaving room for High). Default: 1.</summary>
    public int SurgeShift { get; set; } = 1;
    /// <summary>Instruments whose breaker level is at or above this are shifted by <see cref="BreakerShift"/>; "normal" disables. Default: "caution".</summary>
    public string BreakerPromoteLevel { get; set; } = "caution";
    /// <summary>Shift for instruments under a breaker. Default: -1 (one lane up).</summary>
    public int BreakerShift { get; set; } = -1;
    /// <summary>Most instrument ids (0..N-1) with per-instrument state. Default: 16384.</summary>
    public int MaxInstruments { get; set; } = 16_384;
    /// <summary>Slots of each lane ring; a power of two. Not reconfigurable at run time. Default: 4096.</summary>
    public int LaneCapacity { get; set; } = 4096;
    /// <summary>Aging bound per lane (critical, high, normal, bulk): events of other lanes served while this lane waits before it is served anyway; 0 = no aging (critical). Default: [0, 64, 256, 1024].</summary>
    public IReadOnlyList<int> AgingBound { get; set; } = [0, 64, 256, 1024];
    /// <summary>Events of lanes below Critical the scheduler puts in one batch, so Critical is looked at again soon. Default: 32.</summary>
    public int LowerLaneBatchLimit { get; set; } = 32;
    /// <summary>Priority changes kept in the change log. Default: 1024.</summary>
    public int ChangeLogCapacity { get; set; } = 1024;

    /// <summary>Returns this if usable; otherwise throws <see cref="PriorityConfigException"/> naming the field and the fix.</summary>
    public PriorityOptions Validated()
    {
        _ = CompiledRuleSet.Compile(this, 0);
        return this;
    }

    internal const string P = "priority";

    internal static Events.Lane ParseLane(string path, string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "critical" => Events.Lane.Critical,
        "high" => Events.Lane.High,
        "normal" => Events.Lane.Normal,
        "bulk" => Events.Lane.Bulk,
        _ => throw PriorityConfigException.Field(path, text ?? "null", "must be one of critical, high, normal, bulk"),
    };

    internal static long ParseTimeOfDay(string path, string? text)
    {
        if (text is not null && TimeSpan.TryParseExact(text.Trim(), @"hh\:mm\:ss", CultureInfo.InvariantCulture, out var t) && t.TotalHours < 24)
            return t.Ticks * 100;
        throw PriorityConfigException.Field(path, text ?? "null", "must be a time of day \"HH:MM:SS\", e.g. \"09:30:00\"");
    }

    internal void ValidateStructure()
    {
        if (LaneCapacity < 2 || !BitOperations.IsPow2(LaneCapacity) || LaneCapacity > 1 << 24)
            throw PriorityConfigException.Field($"{P}.laneCapacity", LaneCapacity, $"must be a power of two 2..16777216, e.g. {BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(LaneCapacity, 2, 1 << 24))}");
        if (AgingBound is null || AgingBound.Count != 4)
            throw PriorityConfigException.Field($"{P}.agingBound", AgingBound?.Count ?? 0, "must list 4 numbers (critical, high, normal, bulk), e.g. [0, 64, 256, 1024]");
        for (int i = 0; i < 4; i++)
            if (AgingBound[i] < 0) throw PriorityConfigException.Field($"{P}.agingBound[{i}]", AgingBound[i], "must be ≥ 0 (0 = never aged)");
        if (LowerLaneBatchLimit < 1) throw PriorityConfigException.Field($"{P}.lowerLaneBatchLimit", LowerLaneBatchLimit, "must be ≥ 1, e.g. 32");
        if (ChangeLogCapacity < 16 || ChangeLogCapacity > 1 << 20) throw PriorityConfigException.Field($"{P}.changeLogCapacity", ChangeLogCapacity, "must be 16..1048576, e.g. 1024");
        if (MaxInstruments < 1 || MaxInstruments > 1 << 22) throw PriorityConfigException.Field($"{P}.maxInstruments", MaxInstruments, "must be 1..4194304, e.g. 16384");
    }
}

/// <summary>Priority configuration is invalid; <see cref="FieldPath"/> names the setting as in the configuration file.</summary>
public sealed class PriorityConfigException : Exception
{
    public PriorityConfigException(string field, string message) : base(message) => FieldPath = field;

    /// <summary>The offending setting, e.g. "priority.rules[4].bps".</summary>
    public string FieldPath { get; }

    internal static PriorityConfigException Field(string path, object value, string fix)
        => new(path, $"{path}={Convert.ToString(value, CultureInfo.InvariantCulture)}: {fix}.");
}
