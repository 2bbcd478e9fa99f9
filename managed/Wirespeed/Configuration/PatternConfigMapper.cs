using System;
using Wirespeed.Core.Signals;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using Wirespeed.Core.Books;
using Wirespeed.Core.Patterns;
using Wirespeed.Feeds.Sim;
using Wirespeed.Core.Breakers;

namespace Wirespeed.Configuration;

/// <summary>
/// Turns the configuration's <c>patterns</c> section into the pattern library's options and plan (cold path). The
/// library validates the definitions (unknown instrument, window of zero, cyclic sequences …); its messages name
/// <c>patterns[2].legs[0]</c>, which is mapped here to the configuration's path, <c>patterns.definitions[2].legs[0].symbol</c>.
/// </summary>
/// <remarks>
/// Legs name symbols; the books know instruments by ITCH stock locate, which only the feed's stock directory assigns.
/// Symbols are therefore resolved at start-up against <c>patterns.instruments</c> (symbol → locate, from the exchange's
/// daily directory) or, when that is empty, against the simulator's naming rule (<see cref="ExchangeSimulator.SymbolOf"/>).
/// At the end of a run the host compares each leg with what the feed's directory said (a note when they differ).
/// </remarks>
public static partial class PatternConfigMapper
{
    /// <summary>The configurable kinds and their names in configuration (camelCase); the one table the names come from.</summary>
    internal static readonly (string Name, PatternKind Kind)[] KindTable =
    {
        ("pairSpread", PatternKind.PairSpread), ("leadLag", PatternKind.LeadLag), ("arbitrage", PatternKind.Arbitrage),
        ("basket", PatternKind.Basket), ("momentum", PatternKind.Momentum), ("sequence", PatternKind.Sequence),
    };
    internal static readonly string[] Kinds = Array.ConvertAll(KindTable, k => k.Name);

    /// <summary>The kind named in configuration; None when unknown.</summary>
    public static PatternKind Kind(string? name)
    {
        foreach (var (n, k) in KindTable) if (n == name) return k;
        return PatternKind.None;
    }

    /// <summary>The configuration's name of a kind (camelCase), for summaries.</summary>
    public static string KindName(PatternKind kind)
    {
        foreach (var (n, k) in KindTable) if (k == kind) return n;
        return kind.ToString();
    }

    /// <summary>
    /// The instruments legs are resolved against: <c>patterns.instruments</c>, or the simulator's symbols for locates
    /// 1..simulator.instruments. Capacity: books.maxInstruments.
    /// </summary>
    public static InstrumentTable Universe(WirespeedConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var table = new InstrumentTable(c.Books.MaxInstruments);
        if (c.Patterns.Instruments.Count > 0)
        {
            foreach (var (symbol, locate) in c.Patterns.Instruments) table.TrySet(locate, symbol, 100);
            return table;
        }
        int n = Math.Min(c.Simulator.Instruments, c.Books.MaxInstruments - 1);
        for (int locate = 1; locate <= n; locate++) table.TrySet(locate, ExchangeSimulator.SymbolOf(locate, c.Simulator.Sectors), 100);
        return table;
    }

    /// <summary>
    /// The library's options for a validated configuration. The key space is as small as the legs allow (lines up to
    /// lines[0].id, instruments up to the highest leg's locate), so the per-worker dispatch tables stay a few KiB.
    /// Throttling (breaker response throttleSignals) uses the breakers' throttle interval (<paramref name="breakers"/>,
    /// as mapped and validated), per pattern.
    /// </summary>
    public static PatternsOptions ToOptions(WirespeedConfig c, InstrumentTable universe, BreakerOptions breakers)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(universe);
        ArgumentNullException.ThrowIfNull(breakers);
        var p = c.Patterns;
        int line = c.Lines[0].Id;
        int maxLine = 0;
        foreach (var l in c.Lines) maxLine = Math.Max(maxLine, l.Id);
        int maxId = 0;
        var list = new List<PatternOptions>(p.Definitions.Count);
        foreach (var d in p.Definitions)
        {
            var legs = new List<PatternLegOptions>(d.Legs.Count);
            foreach (var leg in d.Legs)
            {
                if (universe.TryFind(leg.Symbol ?? "", out int id)) maxId = Math.Max(maxId, id);
                legs.Add(new PatternLegOptions { Symbol = leg.Symbol ?? "", Line = leg.Line < 0 ? line : leg.Line, Weight = leg.Weight });
            }
            list.Add(new PatternOptions
            {
                Name = d.Name ?? "", Kind = Kind(d.Kind), Legs = legs, Window = d.Window, ThresholdZ = d.ThresholdZ,
                HedgeRatio = d.HedgeRatio, MoveBps = d.MoveBps, WithinUs = d.WithinUs, HoldUs = d.HoldUs, Count = d.Count,
                Cost = d.Cost, History = d.History, First = string.IsNullOrEmpty(d.First) ? null : d.First,
                Then = string.IsNullOrEmpty(d.Then) ? null : d.Then, Worker = d.Worker,
            });
        }
        return new PatternsOptions
        {
            Workers = p.Workers,
            Cpus = p.Cpus,
            RingCapacity = p.RingCapacity,
            BatchSize = p.BatchSize,
            Lines = maxLine + 1,
            MaxInstruments = maxId + 1,
            Clock = p.Clock,
            ThrottleUs = Math.Max(1, breakers.ThrottleIntervalNs / 1000),
            Patterns = list,
        };
    }

    /// <summary>The validated plan (partition of the definitions over the workers). Throws <see cref="ConfigException"/>.</summary>
    private static PatternPlan Plan(WirespeedConfig c, InstrumentTable universe, BreakerOptions breakers)
    {
        try
        {
            return PatternPlan.Build(ToOptions(c, universe, breakers), universe);
        }
        catch (PatternConfigException e)
        {
            // Symbols come from the simulator's naming rule when patterns.instruments is empty: say so where one is unknown.
            string hint = c.Patterns.Instruments.Count > 0 ? " (not in patterns.instruments)"
                : $" (symbols resolve against the simulator's: locates 1..{c.Simulator.Instruments} in {c.Simulator.Sectors} sectors, AAAA, BAAA …; raise simulator.instruments or set patterns.instruments)";
            throw Named(e.Errors, hint);
        }
    }

    /// <summary>
    /// Checks the section (called by <see cref="ConfigValidator.Resolve"/>, once) and returns what start-up runs: the
    /// instruments legs resolve against and the plan. Throws <see cref="ConfigException"/> on the first problem.
    /// </summary>
    internal static (InstrumentTable Universe, PatternPlan Plan) Validate(WirespeedConfig c, BreakerOptions breakers)
    {
        var p = c.Patterns;
        ConfigValidator.Require(p is not null, "patterns", "section is null; remove it or write { }.");
        ConfigValidator.Require(p!.Cpus is not null, "patterns.cpus", "is null; write [] for no pinning.");
        ConfigValidator.Require(p.Instruments is not null, "patterns.instruments", "is null; write {} to use the simulator's symbols.");
        ConfigValidator.Require(p.Sinks is not null, "patterns.sinks", "section is null; remove it or write { }.");
        ConfigValidator.Require(p.Definitions is not null, "patterns.definitions", "is null; write [] for no patterns.");
        ConfigValidator.Known(p.Idle, ConfigNames.Idles, "patterns.idle");
        ConfigValidator.Known(p.Placement, ConfigNames.Placements, "patterns.placement");
        ConfigValidator.Require(p.Placement != PatternPlacement.Inline || p.Workers == 1, "patterns.placement",
            $"inline runs the patterns on the book worker as one agent, and patterns.workers is {p.Workers}: set workers to 1, or placement to workers or auto.");
        ConfigValidator.Known(p.Partition, ConfigNames.Partitions, "patterns.partition");
        ConfigValidator.Known(p.Overflow, ConfigNames.OverflowPolicies, "patterns.overflow");
        ConfigValidator.Known(p.Clock, ConfigNames.Clocks, "patterns.clock");
        ConfigValidator.Require(p.DetectionBudgetNs > 0, "patterns.detectionBudgetNs", $"{p.DetectionBudgetNs} must be a positive number of ns, e.g. 500000.");
        ConfigValidator.Require(p.Sinks!.JournalBufferRecords is >= 1 and <= 1 << 20, "patterns.sinks.journalBufferRecords", $"{p.Sinks.JournalBufferRecords}: use 1..1048576 (default 512).");
        int cpus = Environment.ProcessorCount;
        for (int i = 0; i < p.Cpus!.Count; i++)
            ConfigValidator.Require(p.Cpus[i] >= -1 && p.Cpus[i] < cpus, $"patterns.cpus[{i}]", $"{p.Cpus[i]}: this machine has {cpus} CPUs (0-{cpus - 1}); use one of them or -1 for no pinning.");
        int maxLocate = c.Books.MaxInstruments - 1;
        foreach (var (symbol, locate) in p.Instruments!)
        {
            ConfigValidator.Require(symbol.Length is >= 1 and <= 8 && IsPrintableAscii(symbol), "patterns.instruments." + symbol,
                "a symbol is 1 to 8 printable ASCII characters (ITCH 5.0 Stock, Alpha(8)).");
            ConfigValidator.Require(locate >= 1 && locate <= maxLocate, "patterns.instruments." + symbol,
                $"stock locate {locate} must be 1..{maxLocate} (books.maxInstruments - 1).");
        }
        int line = c.Lines[0].Id;
        var lineIds = new List<int>(c.Lines.Count);
        foreach (var l in c.Lines) lineIds.Add(l.Id);
        for (int i = 0; i < p.Definitions!.Count; i++)
        {
            var d = p.Definitions[i];
            string at = $"patterns.definitions[{i}]";
            ConfigValidator.Require(d is not null, at, "is null; write an object, e.g. { \"name\": \"m\", \"kind\": \"momentum\", \"legs\": [ { \"symbol\": \"AAAA\" } ] }.");
            ConfigValidator.Require(Kind(d!.Kind) != PatternKind.None, at + ".kind", $"'{d.Kind}' is not one of: {string.Join(", ", Kinds)}.");
            ConfigValidator.Require(d.Legs is not null, at + ".legs", "is null; write [] (sequence) or the legs.");
            ConfigValidator.Require(d.First is not null, at + ".first", "is null; write \"\" when unused.");
            ConfigValidator.Require(d.Then is not null, at + ".then", "is null; write \"\" when unused.");
            for (int l = 0; l < d.Legs!.Count; l++)
            {
                var leg = d.Legs[l];
                ConfigValidator.Require(leg is not null, $"{at}.legs[{l}]", "is null; write an object, e.g. { \"symbol\": \"AAAA\" }.");
                ConfigValidator.Require(leg!.Symbol is not null, $"{at}.legs[{l}].symbol", "is null; name the instrument, e.g. \"AAAA\".");
                ConfigValidator.Require(leg.Line == -1 || lineIds.Contains(leg.Line), $"{at}.legs[{l}].line",
                    $"{leg.Line} is not a line this process receives (lines[].id: {string.Join(", ", lineIds)}); use one of them, or -1 for lines[0] ({line}).");
            }
            // An arbitrage compares one instrument's books on two feed lines: both must be received here.
            ConfigValidator.Require(Kind(d.Kind) != PatternKind.Arbitrage || c.Lines.Count >= 2, at + ".kind",
                $"arbitrage compares one instrument's books on two feed lines, and this process receives one ({c.Lines[0].Name}); add the other line to lines[] (both are received by the first worker).");
            ConfigValidator.Require(p.Partition != PatternPartition.Explicit || d.Worker >= 0, at + ".worker",
                $"{d.Worker}: patterns.partition is 'explicit', so every definition names its worker (0..{p.Workers - 1}).");
        }
        var universe = Universe(c);
        var plan = Plan(c, universe, breakers);   // the library's checks, and the partition (patterns that share state must share a worker)
        // Each worker's pattern instances, made as start-up makes them: what a constructor refuses is said here, by
        // check-config too, instead of aborting run.
        for (int w = 0; w < plan.Workers; w++)
        {
            try
            {
                plan.CreateSets(w);
            }
            catch (ArgumentException e)
            {
                throw new ConfigException("patterns.definitions", $"a pattern of worker {w} cannot be made: {e.Message}");
            }
        }
        return (universe, plan);
    }

    /// <summary>
    /// The library's errors as one <see cref="ConfigException"/> on the configuration's path of the first; the others
    /// follow in its message, each on its own path, so one run of check-config shows every problem.
    /// </summary>
    internal static ConfigException Named(IReadOnlyList<string> errors, string unknownInstrumentHint = "")
    {
        if (errors.Count == 0) return new ConfigException("patterns", "invalid");
        var (field, message) = OnConfigPath(errors[0]);
        if (message.StartsWith("unknown instrument", StringComparison.Ordinal)) message += unknownInstrumentHint;
        if (errors.Count > 1)
        {
            var others = new List<string>(errors.Count - 1);
            for (int i = 1; i < errors.Count; i++)
            {
                var (f, m) = OnConfigPath(errors[i]);
                others.Add(f + ": " + m);
            }
            message += "; also " + string.Join("; ", others);
        }
        return new ConfigException(field, message);
    }

    /// <summary>"patterns[3].legs[1]: unknown instrument 'XYZ'" → ("patterns.definitions[3].legs[1].symbol", "unknown instrument 'XYZ'").</summary>
    private static (string Field, string Message) OnConfigPath(string error)
    {
        int colon = error.IndexOf(": ", StringComparison.Ordinal);
        string field = colon < 0 ? "patterns" : error[..colon];
        string message = colon < 0 ? error : error[(colon + 2)..];
        field = LibraryIndex().Replace(field, "patterns.definitions[$1]");
        if (LegOnly().IsMatch(field)) field += ".symbol";   // a leg's own error is about its instrument
        return (field, message);
    }

    [GeneratedRegex(@"^patterns\[(\d+)\]")]
    private static partial Regex LibraryIndex();

    [GeneratedRegex(@"\.legs\[\d+\]$")]
    private static partial Regex LegOnly();

    private static bool IsPrintableAscii(string s)
    {
        foreach (char ch in s) if (ch is < (char)0x21 or > (char)0x7E) return false;
        return true;
    }

}
