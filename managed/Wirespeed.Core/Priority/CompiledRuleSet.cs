using System;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Priority;

/// <summary>Built-in rules of the data-driven table.</summary>
public enum RuleKind : byte
{
    /// <summary>Trading halts and resumptions (H), operational halts (h), MWCB status and levels (W, V), LULD collars (J), system events (S).</summary>
    Halts = 1,
    /// <summary>Net order imbalance (I) near the open or the close.</summary>
    Imbalance = 2,
    /// <summary>Instrument on the watch list.</summary>
    WatchInstruments = 3,
    /// <summary>Instrument in a watched sector.</summary>
    WatchSectors = 4,
    /// <summary>Price more than N bps from the last trade (else the mid).</summary>
    PriceMove = 5,
    /// <summary>Order or trade of at least N shares.</summary>
    Size = 6,
    /// <summary>Book events that changed the best bid or offer (Lane) versus deeper levels (OtherLane).</summary>
    TopOfBook = 7,
}

/// <summary>One compiled rule: a kind, its lanes and one numeric parameter (bps × 100 or shares).</summary>
public readonly struct RuleEntry
{
    public readonly RuleKind Kind;
    public readonly Lane Lane;
    public readonly Lane OtherLane;
    public readonly long Parameter;

    public RuleEntry(RuleKind kind, Lane lane, Lane otherLane, long parameter)
    {
        Kind = kind; Lane = lane; OtherLane = otherLane; Parameter = parameter;
    }
}

/// <summary>
/// An immutable, validated rule set: the rule table plus the parameters of dynamic adjustment. Built on the cold path
/// by <see cref="Compile"/>; the classify stage reads one instance per batch (see <see cref="RuleSetHolder"/>).
/// Everything the hot path touches is an array of primitives: no interface calls, no allocation.
/// </summary>
public sealed class CompiledRuleSet
{
    internal const long DayNs = 86_400L * 1_000_000_000L;

    private CompiledRuleSet(PriorityOptions options, int version) { Options = options; Version = version; }

    /// <summary>The options it was compiled from.</summary>
    public PriorityOptions Options { get; }
    /// <summary>1 for the start-up set, +1 per successful reconfiguration.</summary>
    public int Version { get; }

    internal RuleEntry[] Entries = [];
    /// <summary>
    /// The whole table, decided in advance: entry [kind × 64 + tests] is the lane (-1: no rule decided) of an event of
    /// that kind whose content tests came out as the bits of <c>tests</c> (<see cref="TestBits"/>). Built by running the
    /// ordered rule list over every kind and every combination of test results, so the hot path computes the few
    /// content tests without branching on the rule list and does one load; first-match order, per-kind applicability
    /// (a size rule never looks at a delete) and topOfBook's deeper-level lane are all folded in here.
    /// </summary>
    internal sbyte[] LaneTable = [];
    /// <summary>Parameters of the content tests (long.MaxValue where the rule is absent: the bit is then never set).</summary>
    internal long PriceMoveHundredthsOfBp = long.MaxValue, SizeShares = long.MaxValue;
    /// <summary>Which optional content tests the table can look at (enabled rule and a non-empty list).</summary>
    internal bool TestsPriceMove, TestsWatchInstruments, TestsWatchSectors;
    internal bool[] WatchedInstruments = [];
    internal bool[] WatchedSectors = [];
    internal Lane DefaultLane;
    internal long OpenNs, CloseNs, ImbalanceWindowNs, MidnightEpochNs;
    internal long[] PhaseStart = [], PhaseEnd = [];
    internal int[] PhaseShift = [];
    internal long SurgeThreshold, SurgeWindowNs;
    internal int SurgeShift;
    internal BreakerLevel BreakerPromoteLevel;
    internal int BreakerShift;

    /// <summary>The rule table, in evaluation order (enabled rules only).</summary>
    public ReadOnlySpan<RuleEntry> Rules => Entries;

    /// <summary>Validates <paramref name="options"/> completely and compiles it; throws <see cref="PriorityConfigException"/> naming the field.</summary>
    public static CompiledRuleSet Compile(PriorityOptions options, int version)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string P = PriorityOptions.P;
        options.ValidateStructure();
        var set = new CompiledRuleSet(options, version);
        if (options.Rules is null) throw PriorityConfigException.Field($"{P}.rules", "null", "must be a list of rules (may be empty)");
        var entries = new RuleEntry[options.Rules.Count];
        int n = 0;
        var seen = new bool[8];
        for (int i = 0; i < options.Rules.Count; i++)
        {
            var r = options.Rules[i];
            string path = $"{P}.rules[{i}]";
            if (r is null) throw PriorityConfigException.Field(path, "null", "must be a rule object");
            var kind = ParseKind($"{path}.type", r.Type);
            if (seen[(int)kind]) throw PriorityConfigException.Field($"{path}.type", r.Type, "appears twice: list each rule once and order the list");
            seen[(int)kind] = true;
            var lane = PriorityOptions.ParseLane($"{path}.lane", r.Lane);
            var other = PriorityOptions.ParseLane($"{path}.otherLane", r.OtherLane);
            long parameter = 0;
            if (kind == RuleKind.PriceMove)
            {
                if (!(r.Bps > 0 && r.Bps <= 10_000)) throw PriorityConfigException.Field($"{path}.bps", r.Bps, "must be in (0, 10000], e.g. 50");
                parameter = (long)Math.Round(r.Bps * 100); // hundredths of a bp: integer compare on the hot path
            }
            else if (kind == RuleKind.Size)
            {
                if (r.Shares < 1) throw PriorityConfigException.Field($"{path}.shares", r.Shares, "must be ≥ 1, e.g. 10000");
                parameter = r.Shares;
            }
            if (r.Enabled) entries[n++] = new RuleEntry(kind, lane, other, parameter);
        }
        set.Entries = entries.AsSpan(0, n).ToArray();
        set.DefaultLane = PriorityOptions.ParseLane($"{P}.defaultLane", options.DefaultLane);
        bool anyInstrument = (options.WatchInstruments ?? []).Count > 0, anySector = (options.WatchSectors ?? []).Count > 0;
        set.LaneTable = BuildLaneTable(set.Entries, anyInstrument, anySector);
        foreach (var e in set.Entries)
        {
            if (e.Kind == RuleKind.PriceMove) { set.PriceMoveHundredthsOfBp = e.Parameter; set.TestsPriceMove = true; }
            else if (e.Kind == RuleKind.Size) set.SizeShares = e.Parameter;
            else if (e.Kind == RuleKind.WatchInstruments) set.TestsWatchInstruments = anyInstrument;
            else if (e.Kind == RuleKind.WatchSectors) set.TestsWatchSectors = anySector;
        }

        set.WatchedInstruments = new bool[options.MaxInstruments];
        var wi = options.WatchInstruments ?? [];
        for (int i = 0; i < wi.Count; i++)
        {
            if ((uint)wi[i] >= (uint)options.MaxInstruments)
                throw PriorityConfigException.Field($"{P}.watchInstruments[{i}]", wi[i], $"must be an instrument id 0..{options.MaxInstruments - 1}");
            set.WatchedInstruments[wi[i]] = true;
        }
        var ws = options.WatchSectors ?? [];
        int maxSector = 0;
        for (int i = 0; i < ws.Count; i++)
        {
            if (ws[i] < 0 || ws[i] > 65_535) throw PriorityConfigException.Field($"{P}.watchSectors[{i}]", ws[i], "must be a sector id 0..65535");
            maxSector = Math.Max(maxSector, ws[i]);
        }
        set.WatchedSectors = new bool[maxSector + 1];
        for (int i = 0; i < ws.Count; i++) set.WatchedSectors[ws[i]] = true;

        set.OpenNs = PriorityOptions.ParseTimeOfDay($"{P}.openTime", options.OpenTime);
        set.CloseNs = PriorityOptions.ParseTimeOfDay($"{P}.closeTime", options.CloseTime);
        if (set.CloseNs <= set.OpenNs) throw PriorityConfigException.Field($"{P}.closeTime", options.CloseTime, $"must be after priority.openTime ({options.OpenTime})");
        if (!(options.ImbalanceWindowSeconds >= 0 && options.ImbalanceWindowSeconds <= 86_400))
            throw PriorityConfigException.Field($"{P}.imbalanceWindowSeconds", options.ImbalanceWindowSeconds, "must be 0..86400, e.g. 600");
        set.ImbalanceWindowNs = (long)(options.ImbalanceWindowSeconds * 1e9);
        set.MidnightEpochNs = options.MidnightEpochNs;

        var phases = options.Phases ?? [];
        set.PhaseStart = new long[phases.Count];
        set.PhaseEnd = new long[phases.Count];
        set.PhaseShift = new int[phases.Count];
        for (int i = 0; i < phases.Count; i++)
        {
            var ph = phases[i];
            string path = $"{P}.phases[{i}]";
            if (ph is null) throw PriorityConfigException.Field(path, "null", "must be a phase object");
            set.PhaseStart[i] = PriorityOptions.ParseTimeOfDay($"{path}.start", ph.Start);
            set.PhaseEnd[i] = PriorityOptions.ParseTimeOfDay($"{path}.end", ph.End);
            if (set.PhaseEnd[i] <= set.PhaseStart[i]) throw PriorityConfigException.Field($"{path}.end", ph.End, $"must be after {path}.start ({ph.Start})");
            if (ph.Shift < -2 || ph.Shift > 2 || ph.Shift == 0) throw PriorityConfigException.Field($"{path}.shift", ph.Shift, "must be -2..2 and not 0 (negative promotes), e.g. -1");
            set.PhaseShift[i] = ph.Shift;
        }

        if (options.SurgeMessagesPerWindow < 0) throw PriorityConfigException.Field($"{P}.surgeMessagesPerWindow", options.SurgeMessagesPerWindow, "must be ≥ 0 (0 disables)");
        if (options.SurgeWindowNs <= 0) throw PriorityConfigException.Field($"{P}.surgeWindowNs", options.SurgeWindowNs, "must be > 0, e.g. 100000000");
        if (options.SurgeShift < -2 || options.SurgeShift > 2) throw PriorityConfigException.Field($"{P}.surgeShift", options.SurgeShift, "must be -2..2, e.g. 1");
        set.SurgeThreshold = options.SurgeMessagesPerWindow;
        set.SurgeWindowNs = options.SurgeWindowNs;
        set.SurgeShift = options.SurgeShift;

        try { set.BreakerPromoteLevel = BreakerOptions.ParseLevel($"{P}.breakerPromoteLevel", options.BreakerPromoteLevel); }
        catch (BreakerConfigException e) { throw new PriorityConfigException(e.FieldPath, e.Message); }
        if (options.BreakerShift < -2 || options.BreakerShift > 2) throw PriorityConfigException.Field($"{P}.breakerShift", options.BreakerShift, "must be -2..2, e.g. -1");
        set.BreakerShift = options.BreakerShift;
        return set;
    }

    internal const int KindCount = 256; // EventKind is a byte: any value indexes the table

    /// <summary>Bits of the content tests that index <see cref="LaneTable"/> (with the event's kind).</summary>
    internal static class TestBits
    {
        /// <summary>The book stage flagged a change of the best bid or offer (EventFlags.TopChanged, bit 7 of the packed byte).</summary>
        public const int TopChanged = 1;
        public const int Size = 2;
        public const int PriceMove = 4;
        public const int WatchedInstrument = 8;
        public const int WatchedSector = 16;
        public const int ImbalanceNearCross = 32;
        public const int Count = 64;
    }

    /// <summary>Runs the ordered rule list once per (kind, test results): the first rule that applies to the kind and matches decides.</summary>
    private static sbyte[] BuildLaneTable(RuleEntry[] entries, bool anyInstrument, bool anySector)
    {
        var table = new sbyte[KindCount * TestBits.Count];
        for (int k = 0; k < KindCount; k++)
        {
            var kind = (EventKind)k;
            for (int m = 0; m < TestBits.Count; m++)
            {
                int lane = -1;
                foreach (var e in entries)
                {
                    if (!CanMatch(e.Kind, kind, anyInstrument, anySector)) continue;
                    bool top = (m & TestBits.TopChanged) != 0;
                    lane = e.Kind switch
                    {
                        RuleKind.Halts => (int)e.Lane, // listed only for exchange-state kinds
                        RuleKind.Imbalance => (m & TestBits.ImbalanceNearCross) != 0 ? (int)e.Lane : -1,
                        RuleKind.WatchInstruments => (m & TestBits.WatchedInstrument) != 0 ? (int)e.Lane : -1,
                        RuleKind.WatchSectors => (m & TestBits.WatchedSector) != 0 ? (int)e.Lane : -1,
                        RuleKind.PriceMove => (m & TestBits.PriceMove) != 0 ? (int)e.Lane : -1,
                        RuleKind.Size => (m & TestBits.Size) != 0 ? (int)e.Lane : -1,
                        // Top-of-book changes take Lane; book events that did not change it are the deeper levels.
                        RuleKind.TopOfBook => top ? (int)e.Lane : BuiltInRules.IsBookKind(kind) ? (int)e.OtherLane : -1,
                        _ => -1,
                    };
                    if (lane >= 0) break;
                }
                table[k * TestBits.Count + m] = (sbyte)lane;
            }
        }
        return table;
    }

    private static bool CanMatch(RuleKind rule, EventKind kind, bool anyInstrument, bool anySector) => rule switch
    {
        RuleKind.Halts => BuiltInRules.IsExchangeState(kind),
        RuleKind.Imbalance => kind == EventKind.Imbalance,
        RuleKind.WatchInstruments => anyInstrument,
        RuleKind.WatchSectors => anySector,
        RuleKind.PriceMove => BuiltInRules.HasTradeOrOrderPrice(kind),
        RuleKind.Size => BuiltInRules.HasTradeOrOrderPrice(kind) || kind == EventKind.OrderCancel,
        RuleKind.TopOfBook => true, // any kind: the TopChanged flag decides, and book kinds without it are the deeper levels
        _ => false,
    };

    private static RuleKind ParseKind(string path, string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "halts" => RuleKind.Halts,
        "imbalance" => RuleKind.Imbalance,
        "watchinstruments" => RuleKind.WatchInstruments,
        "watchsectors" => RuleKind.WatchSectors,
        "pricemove" => RuleKind.PriceMove,
        "size" => RuleKind.Size,
        "topofbook" => RuleKind.TopOfBook,
        _ => throw PriorityConfigException.Field(path, text ?? "null", "must be one of halts, imbalance, watchInstruments, watchSectors, priceMove, size, topOfBook"),
    };
}
