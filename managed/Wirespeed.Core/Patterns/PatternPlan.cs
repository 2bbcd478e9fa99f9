using System;
using Wirespeed.Core.Signals;
using System.Collections.Generic;
using Wirespeed.Core.Books;
using Wirespeed.Core.Agents;

namespace Wirespeed.Core.Patterns;

/// <summary>
/// Start-up: which worker runs each pattern, and the pattern instances of each worker. Patterns that share an
/// instrument key (line, instrument), and a Sequence with the two patterns it refers to, form one affinity group and
/// always sit on the same worker, so no pattern state is shared between workers. Groups with a configured worker go
/// there; the others go, largest first, to the least-loaded worker (load = legs). Deterministic for a configuration.
/// </summary>
public sealed class PatternPlan
{
    private readonly PatternsOptions _options;
    private readonly InstrumentTable _instruments;
    private readonly int[] _workerOf;

    private PatternPlan(PatternsOptions options, InstrumentTable instruments, int[] workerOf)
    {
        _options = options;
        _instruments = instruments;
        _workerOf = workerOf;
        Keys = new KeySpace(options.Lines, options.MaxInstruments);
    }

    public PatternsOptions Options => _options;
    public KeySpace Keys { get; }
    public int Workers => _options.Workers;

    /// <summary>Worker of pattern id <paramref name="patternId"/> (index in the configuration).</summary>
    public int WorkerOf(int patternId) => _workerOf[patternId];

    /// <summary>Validates <paramref name="options"/> and partitions the patterns; throws <see cref="PatternConfigException"/>.</summary>
    public static PatternPlan Build(PatternsOptions options, InstrumentTable instruments)
    {
        options.Validated(instruments);
        var ps = options.Patterns;
        int n = ps.Count;
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++) names[ps[i].Name] = i;

        var parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        int Find(int x)
        {
            while (parent[x] != x) x = parent[x] = parent[parent[x]];
            return x;
        }
        void Union(int a, int b)
        {
            a = Find(a);
            b = Find(b);
            if (a != b) parent[Math.Max(a, b)] = Math.Min(a, b);
        }

        var ownerOfKey = new Dictionary<(int Line, int Id), int>();
        for (int i = 0; i < n; i++)
        {
            foreach (var leg in ps[i].Legs)
            {
                instruments.TryFind(leg.Symbol, out int id);
                if (ownerOfKey.TryGetValue((leg.Line, id), out int other)) Union(i, other);
                else ownerOfKey[(leg.Line, id)] = i;
            }
            if (ps[i].Kind == PatternKind.Sequence)
            {
                Union(i, names[ps[i].First!]);
                Union(i, names[ps[i].Then!]);
            }
        }

        var groups = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < n; i++)
        {
            int r = Find(i);
            if (!groups.TryGetValue(r, out var members)) groups[r] = members = new List<int>();
            members.Add(i);
        }

        var errors = new List<string>();
        var load = new long[options.Workers];
        var workerOf = new int[n];
        var auto = new List<(int Root, long Load)>();
        foreach (var (root, members) in groups)
        {
            int fixedWorker = -1;
            long groupLoad = 0;
            foreach (int m in members)
            {
                groupLoad += Math.Max(1, ps[m].Legs.Count);
                int w = ps[m].Worker;
                if (w < 0) continue;
                if (fixedWorker >= 0 && w != fixedWorker)
                    errors.Add($"patterns[{m}].worker: {w} conflicts with worker {fixedWorker} of a pattern sharing its instruments or sequence ({ps[members[0]].Name}); patterns that share state must run on one worker");
                else fixedWorker = w;
            }
            if (fixedWorker >= 0)
            {
                foreach (int m in members) workerOf[m] = fixedWorker;
                load[fixedWorker] += groupLoad;
            }
            else auto.Add((root, groupLoad));
        }
        if (errors.Count > 0) throw new PatternConfigException(errors);

        auto.Sort((a, b) => a.Load != b.Load ? b.Load.CompareTo(a.Load) : a.Root.CompareTo(b.Root));
        foreach (var (root, groupLoad) in auto)
        {
            int best = 0;
            for (int w = 1; w < load.Length; w++) if (load[w] < load[best]) best = w;
            foreach (int m in groups[root]) workerOf[m] = best;
            load[best] += groupLoad;
        }
        return new PatternPlan(options, instruments, workerOf);
    }

    /// <summary>Builds the built-in pattern instances of worker <paramref name="worker"/>.</summary>
    public BuiltInSets CreateSets(int worker)
    {
        var sets = new BuiltInSets(Keys);
        var ps = _options.Patterns;
        for (int i = 0; i < ps.Count; i++)
        {
            if (_workerOf[i] != worker) continue;
            PatternOptions p = ps[i];
            var legs = new InstrumentKey[p.Legs.Count];
            var weights = new double[Math.Max(0, p.Legs.Count - 1)];
            for (int l = 0; l < legs.Length; l++)
            {
                _instruments.TryFind(p.Legs[l].Symbol, out int id);
                legs[l] = new InstrumentKey((byte)p.Legs[l].Line, id);
                if (l > 0) weights[l - 1] = p.Legs[l].Weight;
            }
            long holdNs = p.HoldUs * 1000, withinNs = p.WithinUs * 1000;
            switch (p.Kind)
            {
                case PatternKind.PairSpread: sets.Pairs.Add(i, new PairSpreadPattern(legs[0], legs[1], p.HedgeRatio, p.Window, p.ThresholdZ, holdNs)); break;
                case PatternKind.Basket: sets.Baskets.Add(i, new BasketPattern(legs[0], legs.AsSpan(1), weights, p.Window, p.ThresholdZ, holdNs)); break;
                case PatternKind.LeadLag: sets.LeadLags.Add(i, new LeadLagPattern(legs[0], legs.AsSpan(1), p.MoveBps, withinNs, p.History)); break;
                case PatternKind.Arbitrage: sets.Arbitrages.Add(i, new ArbitragePattern(legs[0], legs[1], p.Cost, holdNs)); break;
                case PatternKind.Momentum: sets.Momentums.Add(i, new MomentumPattern(legs[0], p.Count, withinNs)); break;
            }
        }
        sets.Seal();
        return sets;
    }

    /// <summary>The Sequence patterns of worker <paramref name="worker"/> as (id, first id, then id, within ns).</summary>
    public (int Id, int First, int Then, long WithinNs)[] SequencesOf(int worker)
    {
        var ps = _options.Patterns;
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < ps.Count; i++) names[ps[i].Name] = i;
        var list = new List<(int, int, int, long)>();
        for (int i = 0; i < ps.Count; i++)
            if (_workerOf[i] == worker && ps[i].Kind == PatternKind.Sequence)
                list.Add((i, names[ps[i].First!], names[ps[i].Then!], ps[i].WithinUs * 1000));
        return list.ToArray();
    }
}
