using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Signals;
using Wirespeed.Feeds.Sim;
using Xunit;

namespace Wirespeed.Tests.Scenarios.Patterns;

public class PatternAccuracyTests
{
    /// <summary>Stated bound: at most one false positive per 100,000 events (and the run has 200,000).</summary>
    private const double MaxFalsePositivesPerEvent = 1e-5;

    [Theory]
    [InlineData(7UL)]
    [InlineData(2026UL)]
    public void Every_planted_opportunity_is_found_within_its_window_and_false_positives_stay_below_the_bound(ulong seed)
    {
        using var s = new PatternScenario(seed);
        var signals = PatternScenario.Merge(s.RunInline(workers: 1));
        var names = PlantedMarket.PatternDefinitions().Select(p => p.Name).ToList();
        var truth = s.Market.Truth;

        foreach (PatternKind kind in new[] { PatternKind.PairSpread, PatternKind.LeadLag, PatternKind.Arbitrage, PatternKind.Basket, PatternKind.Momentum })
            Assert.True(truth.Count(t => t.Kind == kind) >= 10, $"{kind}: only {truth.Count(t => t.Kind == kind)} plants");

        var matched = new bool[signals.Length];
        var missed = new List<PlantedOpportunity>();
        foreach (var t in truth)
        {
            int id = names.IndexOf(t.Pattern);
            bool found = false;
            for (int i = 0; i < signals.Length; i++)
            {
                ref readonly Signal sig = ref signals[i];
                if (sig.PatternId != id || sig.ExchangeTimestampNs < t.StartNs || sig.ExchangeTimestampNs > t.DeadlineNs) continue;
                Assert.Equal(t.Kind, sig.Kind);
                Assert.True(t.Direction == sig.Direction, $"{t}: direction {sig.Direction}");
                matched[i] = true;
                found = true;
            }
            if (!found) missed.Add(t);
        }
        Assert.True(missed.Count == 0, $"recall {truth.Count - missed.Count}/{truth.Count}; missed: {string.Join(", ", missed.Take(5))}");

        int falsePositives = matched.Count(m => !m);
        double perEvent = (double)falsePositives / s.Events.Length;
        Assert.True(perEvent <= MaxFalsePositivesPerEvent,
            $"{falsePositives} false positives in {s.Events.Length} events ({signals.Length} signals): {string.Join(", ", signals.Where((x, i) => !matched[i]).Take(5).Select(x => $"{x.Kind}@{x.ExchangeTimestampNs - PlantedMarket.StartNs}"))}");
    }

    [Fact]
    public void Signals_are_identical_byte_for_byte_across_runs_and_across_one_and_two_workers()
    {
        using var s = new PatternScenario(seed: 11, events: 100_000);
        byte[] first = Bytes(PatternScenario.Merge(s.RunInline(workers: 1)));
        byte[] again = Bytes(PatternScenario.Merge(s.RunInline(workers: 1)));
        byte[] twoInline = Bytes(PatternScenario.Merge(s.RunInline(workers: 2)));
        byte[] twoThreads = Bytes(PatternScenario.Merge(s.RunThreaded(workers: 2)));
        Assert.True(first.Length >= 40 * Signal.Size, $"only {first.Length / Signal.Size} signals");
        Assert.Equal(first, again);
        Assert.Equal(first, twoInline);
        Assert.Equal(first, twoThreads);
    }

    [Fact]
    public void Two_workers_split_the_patterns_and_each_reads_only_its_instruments()
    {
        using var s = new PatternScenario(seed: 3, events: 50_000);
        var logs = PatternScenario.NewLogs(2);
        var options = s.Options(2);
        var rt = s.Runtime(options, logs, s.Ring(options.RingCapacity, 2));
        var plan = rt.Plan;
        Assert.Contains(plan.WorkerOf(0), new[] { 0, 1 });
        int onZero = Enumerable.Range(0, options.Patterns.Count).Count(i => plan.WorkerOf(i) == 0);
        Assert.InRange(onZero, 1, options.Patterns.Count - 1);
        for (int i = 0; i < options.Patterns.Count; i++)
        {
            int w = plan.WorkerOf(i);
            foreach (var leg in options.Patterns[i].Legs)
            {
                s.Instruments.TryFind(leg.Symbol, out int id);
                Assert.True(rt.Agent(w).Subscribes((byte)leg.Line, id));
                Assert.False(rt.Agent(1 - w).Subscribes((byte)leg.Line, id));
            }
        }
        Assert.False(rt.Agent(0).Subscribes(0, s.Market.InstrumentCount - 1)); // a noise instrument
    }

    [Fact]
    public void Pattern_workers_allocate_nothing_per_event_after_warm_up()
    {
        using var s = new PatternScenario(seed: 5, events: 120_000);
        long mark = 0;
        bool marked = false;
        var logs = s.RunInline(workers: 2, afterEvent: i =>
        {
            if (i == 20_000)
            {
                mark = GC.GetAllocatedBytesForCurrentThread();
                marked = true;
            }
        });
        Assert.True(marked);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - mark;
        Assert.True(logs[0].Count + logs[1].Count > 0);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Worker_threads_report_zero_allocated_bytes_after_warm_up()
    {
        using var s = new PatternScenario(seed: 9, events: 80_000);
        var probes = new[] { new ThreadAllocationProbe("patterns.0"), new ThreadAllocationProbe("patterns.1") };
        var logs = s.RunThreaded(2, probes);
        Assert.All(probes, p => Assert.True(p.IsMarked, p.Name));
        Assert.All(probes, p => Assert.Equal(0, p.AllocatedSinceMark));
        Assert.True(logs[0].Count + logs[1].Count > 0);
    }

    private static byte[] Bytes(Signal[] signals) => MemoryMarshal.AsBytes(signals.AsSpan()).ToArray();
}
