using System;
using Wirespeed.Core.Signals;
using System.Collections.Generic;
using Wirespeed.Core.Books;
using Wirespeed.Core.Agents;

namespace Wirespeed.Core.Patterns;

/// <summary>One leg of a pattern: an instrument on one feed line's books.</summary>
public sealed record PatternLegOptions
{
    /// <summary>Symbol as in the instrument table (ITCH Stock, up to 8 characters).</summary>
    public string Symbol { get; init; } = "";
    /// <summary>Feed line whose books the leg reads. Default: 0.</summary>
    public int Line { get; init; }
    /// <summary>Weight of a basket component (ignored elsewhere). Default: 1.</summary>
    public double Weight { get; init; } = 1;
}

/// <summary>One pattern definition (configuration <c>patterns[i]</c>). Which fields a kind uses is on each field.</summary>
public sealed record PatternOptions
{
    /// <summary>Unique name; Sequence patterns refer to others by it.</summary>
    public string Name { get; init; } = "";
    public PatternKind Kind { get; init; }
    /// <summary>Legs. PairSpread: A, B. LeadLag: leader, followers. Arbitrage: the same symbol on two lines. Basket: target, components. Momentum: one. Sequence: none.</summary>
    public IReadOnlyList<PatternLegOptions> Legs { get; init; } = [];
    /// <summary>PairSpread, Basket: rolling window in samples (one per quote of any leg), ≥ 2. Default: 256.</summary>
    public int Window { get; init; } = 256;
    /// <summary>PairSpread, Basket: |z| threshold. Default: 6.</summary>
    public double ThresholdZ { get; init; } = 6;
    /// <summary>PairSpread: hedge ratio β of s = ln A − β·ln B. Default: 1.</summary>
    public double HedgeRatio { get; init; } = 1;
    /// <summary>LeadLag: leader move in bps. Default: 20.</summary>
    public double MoveBps { get; init; } = 20;
    /// <summary>LeadLag: span of the moves; Momentum: span of the run; Sequence: most time from First to Then. µs. Default: 500.</summary>
    public long WithinUs { get; init; } = 500;
    /// <summary>PairSpread, Basket, Arbitrage: the condition must hold this long (0 = fire at once). µs. Default: 0.</summary>
    public long HoldUs { get; init; }
    /// <summary>Momentum: trades in a row in one direction. Default: 8.</summary>
    public int Count { get; init; } = 8;
    /// <summary>Arbitrage: costs of both legs together, Price(4) units (100 = $0.01). Default: 0.</summary>
    public long Cost { get; init; }
    /// <summary>LeadLag: quotes of history kept per leg (should cover WithinUs). Default: 256.</summary>
    public int History { get; init; } = 256;
    /// <summary>Sequence: name of the pattern that must fire first.</summary>
    public string? First { get; init; }
    /// <summary>Sequence: name of the pattern that must fire within WithinUs after First.</summary>
    public string? Then { get; init; }
    /// <summary>Worker that runs the pattern; -1 = by instrument affinity. Default: -1.</summary>
    public int Worker { get; init; } = -1;
}

/// <summary>The pattern stage (configuration section <c>patterns</c>).</summary>
public sealed record PatternsOptions
{
    /// <summary>
    /// Most samples a pattern keeps (window, history, count): each is an array made at start-up, outside the memory
    /// registry, so it is bounded here: 2^20 samples is 8 to 16 MiB per pattern, far beyond any useful window.
    /// </summary>
    public const int MaxSamples = 1 << 20;

    /// <summary>Longest time a pattern spans (withinUs, holdUs): a day, in µs.</summary>
    public const long MaxMicroseconds = 86_400_000_000;

    /// <summary>Pattern workers (threads, one consumer cursor each). Default: 1.</summary>
    public int Workers { get; init; } = 1;
    /// <summary>CPU per worker (-1 = not pinned); empty = none pinned. Default: empty.</summary>
    public IReadOnlyList<int> Cpus { get; init; } = [];
    /// <summary>Slots of the top-of-book broadcast ring; power of two. Default: 65536.</summary>
    public int RingCapacity { get; init; } = 65536;
    /// <summary>Events a worker takes from the ring per duty cycle. Default: 256.</summary>
    public int BatchSize { get; init; } = 256;
    /// <summary>Feed lines (books per line). Default: 2.</summary>
    public int Lines { get; init; } = 2;
    /// <summary>Instrument ids per line (dense ids 0..N-1). Default: 8192.</summary>
    public int MaxInstruments { get; init; } = 8192;
    /// <summary>Detection timestamps: monotonic (live) or virtual (replay, tests). Default: Monotonic.</summary>
    public PatternClock Clock { get; init; } = PatternClock.Monotonic;
    /// <summary>Interval of the Throttle policy per pattern, µs of event time. Default: 1000.</summary>
    public long ThrottleUs { get; init; } = 1000;
    public IReadOnlyList<PatternOptions> Patterns { get; init; } = [];

    /// <summary>Checks everything, resolving symbols in <paramref name="instruments"/>; throws <see cref="PatternConfigException"/>
    /// listing every problem as <c>patterns[3].legs[1]: unknown instrument 'XYZ'</c>.</summary>
    public PatternsOptions Validated(InstrumentTable instruments)
    {
        var errors = new List<string>();
        Validate(instruments, errors);
        if (errors.Count > 0) throw new PatternConfigException(errors);
        return this;
    }

    /// <summary>Appends one line per problem to <paramref name="errors"/>.</summary>
    public void Validate(InstrumentTable instruments, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(instruments);
        if (Workers < 1 || Workers > PatternRoutes.MaxWorkers) errors.Add($"patterns.workers: {Workers} must be 1..{PatternRoutes.MaxWorkers} (the publish stage routes each event to its workers by a 64-bit mask)");
        if (Cpus.Count != 0 && Cpus.Count != Workers) errors.Add($"patterns.cpus: {Cpus.Count} entries, must be empty or one per worker ({Workers})");
        if (RingCapacity < 2 || (RingCapacity & (RingCapacity - 1)) != 0) errors.Add($"patterns.ringCapacity: {RingCapacity} must be a power of two ≥ 2, e.g. 65536");
        if (BatchSize < 1) errors.Add($"patterns.batchSize: {BatchSize} must be ≥ 1, e.g. 256");
        if (Lines < 1 || Lines > 256) errors.Add($"patterns.lines: {Lines} must be 1..256");
        if (MaxInstruments < 1) errors.Add($"patterns.maxInstruments: {MaxInstruments} must be ≥ 1");
        if (ThrottleUs < 0) errors.Add($"patterns.throttleUs: {ThrottleUs} must be ≥ 0");
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Patterns.Count; i++)
        {
            string name = Patterns[i]?.Name ?? "";
            if (name.Length == 0) errors.Add($"patterns[{i}].name: empty; every pattern needs a unique name");
            else if (!names.TryAdd(name, i)) errors.Add($"patterns[{i}].name: '{name}' is already the name of patterns[{names[name]}]");
        }
        for (int i = 0; i < Patterns.Count; i++)
        {
            PatternOptions? p = Patterns[i];
            if (p is null)
            {
                errors.Add($"patterns[{i}]: missing");
                continue;
            }
            ValidateOne(p, $"patterns[{i}]", instruments, names, errors);
        }
        FindCycles(names, errors);
    }

    private void ValidateOne(PatternOptions p, string at, InstrumentTable instruments, Dictionary<string, int> names, List<string> errors)
    {
        (int min, int max) legs = p.Kind switch
        {
            PatternKind.PairSpread => (2, 2),
            PatternKind.LeadLag => (2, 64),
            PatternKind.Arbitrage => (2, 2),
            PatternKind.Basket => (2, 64),
            PatternKind.Momentum => (1, 1),
            PatternKind.Sequence => (0, 0),
            _ => (-1, -1),
        };
        if (legs.min < 0)
        {
            errors.Add($"{at}.kind: '{p.Kind}' is not a configurable kind (PairSpread, LeadLag, Arbitrage, Basket, Momentum, Sequence)");
            return;
        }
        if (p.Legs.Count < legs.min || p.Legs.Count > legs.max)
            errors.Add($"{at}.legs: {p.Kind} needs {(legs.min == legs.max ? legs.min.ToString() : $"{legs.min}..{legs.max}")} legs, has {p.Legs.Count}");
        for (int l = 0; l < p.Legs.Count; l++)
        {
            PatternLegOptions leg = p.Legs[l];
            string la = $"{at}.legs[{l}]";
            if (!instruments.TryFind(leg.Symbol ?? "", out int id)) errors.Add($"{la}: unknown instrument '{leg.Symbol}'");
            else if (id >= MaxInstruments) errors.Add($"{la}: instrument '{leg.Symbol}' has id {id}, beyond patterns.maxInstruments ({MaxInstruments})");
            if (leg.Line < 0 || leg.Line >= Lines) errors.Add($"{la}.line: {leg.Line} must be 0..{Lines - 1} (patterns.lines)");
            if (p.Kind == PatternKind.Basket && l > 0 && (!double.IsFinite(leg.Weight) || leg.Weight <= 0))
                errors.Add($"{la}.weight: {leg.Weight} must be a positive number");
        }
        switch (p.Kind)
        {
            case PatternKind.PairSpread:
            case PatternKind.Basket:
                if (p.Window < 2 || p.Window > MaxSamples) errors.Add($"{at}.window: {p.Window} is out of range 2..{MaxSamples} samples, e.g. 256");
                if (!(p.ThresholdZ > 0)) errors.Add($"{at}.thresholdZ: {p.ThresholdZ} must be > 0, e.g. 6");
                if (p.Kind == PatternKind.PairSpread && (!double.IsFinite(p.HedgeRatio) || p.HedgeRatio == 0))
                    errors.Add($"{at}.hedgeRatio: {p.HedgeRatio} must be a non-zero number, e.g. 1");
                if (p.HoldUs < 0) errors.Add($"{at}.holdUs: {p.HoldUs} must be ≥ 0");
                break;
            case PatternKind.LeadLag:
                if (!(p.MoveBps > 0)) errors.Add($"{at}.moveBps: {p.MoveBps} must be > 0, e.g. 20");
                if (p.WithinUs <= 0) errors.Add($"{at}.withinUs: {p.WithinUs} must be > 0, e.g. 500");
                if (p.History < 2 || p.History > MaxSamples) errors.Add($"{at}.history: {p.History} is out of range 2..{MaxSamples}, e.g. 256");
                break;
            case PatternKind.Arbitrage:
                if (p.Cost < 0) errors.Add($"{at}.cost: {p.Cost} must be ≥ 0");
                if (p.HoldUs < 0) errors.Add($"{at}.holdUs: {p.HoldUs} must be ≥ 0");
                if (p.Legs.Count == 2)
                {
                    if (!string.Equals(p.Legs[0].Symbol, p.Legs[1].Symbol, StringComparison.Ordinal))
                        errors.Add($"{at}.legs[1]: '{p.Legs[1].Symbol}' must be the same instrument as legs[0] ('{p.Legs[0].Symbol}') on another line");
                    else if (p.Legs[0].Line == p.Legs[1].Line)
                        errors.Add($"{at}.legs[1].line: {p.Legs[1].Line} must differ from legs[0].line: arbitrage compares two books");
                }
                break;
            case PatternKind.Momentum:
                if (p.Count < 2 || p.Count > MaxSamples) errors.Add($"{at}.count: {p.Count} is out of range 2..{MaxSamples}, e.g. 8");
                if (p.WithinUs <= 0) errors.Add($"{at}.withinUs: {p.WithinUs} must be > 0, e.g. 100");
                break;
            case PatternKind.Sequence:
                if (p.WithinUs <= 0) errors.Add($"{at}.withinUs: {p.WithinUs} must be > 0, e.g. 1000");
                if (string.IsNullOrEmpty(p.First) || !names.ContainsKey(p.First)) errors.Add($"{at}.first: unknown pattern '{p.First}'");
                if (string.IsNullOrEmpty(p.Then) || !names.ContainsKey(p.Then)) errors.Add($"{at}.then: unknown pattern '{p.Then}'");
                break;
        }
        // Times are kept in ns (µs x 1000): a day bounds them well inside a long.
        if (p.WithinUs > MaxMicroseconds) errors.Add($"{at}.withinUs: {p.WithinUs} is out of range 1..{MaxMicroseconds} (a day in µs)");
        if (p.HoldUs > MaxMicroseconds) errors.Add($"{at}.holdUs: {p.HoldUs} is out of range 0..{MaxMicroseconds} (a day in µs)");
        if (p.Worker < -1 || p.Worker >= Workers) errors.Add($"{at}.worker: {p.Worker} must be -1 (by affinity) or 0..{Workers - 1}");
    }

    /// <summary>Sequence patterns refer to patterns by name; a loop (A then B, B then A …) could never be evaluated.</summary>
    private void FindCycles(Dictionary<string, int> names, List<string> errors)
    {
        int n = Patterns.Count;
        var state = new byte[n];   // 0 new, 1 on the path, 2 done
        for (int i = 0; i < n; i++)
        {
            if (state[i] != 0) continue;
            var path = new List<int>();
            if (Visit(i, names, state, path, out string? cycle)) errors.Add(cycle!);
        }
    }

    private bool Visit(int i, Dictionary<string, int> names, byte[] state, List<int> path, out string? cycle)
    {
        cycle = null;
        state[i] = 1;
        path.Add(i);
        PatternOptions? p = Patterns[i];
        if (p is not null && p.Kind == PatternKind.Sequence)
        {
            foreach (string? refName in new[] { p.First, p.Then })
            {
                if (refName is null || !names.TryGetValue(refName, out int j)) continue;
                if (state[j] == 1)
                {
                    int from = path.IndexOf(j);
                    var loop = new List<string>();
                    for (int k = from; k < path.Count; k++) loop.Add(Patterns[path[k]]!.Name);
                    loop.Add(Patterns[j]!.Name);
                    cycle = $"patterns[{i}].{(refName == p.First ? "first" : "then")}: cyclic reference {string.Join(" -> ", loop)}";
                    return true;
                }
                if (state[j] == 0 && Visit(j, names, state, path, out cycle)) return true;
            }
        }
        state[i] = 2;
        path.RemoveAt(path.Count - 1);
        return false;
    }
}

/// <summary>The pattern configuration is invalid. <see cref="Errors"/> holds one line per problem, each naming the field.</summary>
public sealed class PatternConfigException : Exception
{
    public PatternConfigException(IReadOnlyList<string> errors)
        : base("invalid pattern configuration:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }
}
