using System;
using System.Collections.Generic;
using Wirespeed.Core.Signals;
using System.Linq;
using Wirespeed.Core.Books;
using Wirespeed.Core.Patterns;
using Xunit;
using Wirespeed.Core.Agents;

namespace Wirespeed.Tests.Core.Patterns;

public class PatternOptionsTests
{
    private static InstrumentTable Table()
    {
        var t = new InstrumentTable(64);
        string[] symbols = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"];
        for (int i = 0; i < symbols.Length; i++) t.TrySet(i + 1, symbols[i], 100);
        return t;
    }

    private static PatternLegOptions L(string s, int line = 0, double w = 1) => new() { Symbol = s, Line = line, Weight = w };

    private static List<PatternOptions> Good() =>
    [
        new() { Name = "p0", Kind = PatternKind.PairSpread, Legs = [L("AAA"), L("BBB")] },
        new() { Name = "p1", Kind = PatternKind.LeadLag, Legs = [L("CCC"), L("DDD")] },
        new() { Name = "p2", Kind = PatternKind.Arbitrage, Legs = [L("EEE", 0), L("EEE", 1)], Cost = 100 },
        new() { Name = "p3", Kind = PatternKind.Basket, Legs = [L("FFF"), L("AAA", w: 0.5), L("BBB", w: 0.5)] },
        new() { Name = "p4", Kind = PatternKind.Momentum, Legs = [L("CCC")] },
        new() { Name = "p5", Kind = PatternKind.Sequence, First = "p1", Then = "p4", WithinUs = 1000 },
    ];

    private static IReadOnlyList<string> Errors(List<PatternOptions> patterns, int workers = 1)
    {
        var ex = Assert.Throws<PatternConfigException>(() => new PatternsOptions { Workers = workers, Patterns = patterns }.Validated(Table()));
        return ex.Errors;
    }

    [Fact]
    public void A_good_configuration_validates()
    {
        var o = new PatternsOptions { Patterns = Good() };
        Assert.Same(o, o.Validated(Table()));
    }

    [Fact]
    public void An_unknown_instrument_fails_naming_the_pattern_and_leg()
    {
        var p = Good();
        p[3] = p[3] with { Legs = [L("FFF"), L("XYZ"), L("BBB")] };
        Assert.Contains("patterns[3].legs[1]: unknown instrument 'XYZ'", Errors(p));
    }

    [Fact]
    public void A_window_of_zero_fails_naming_the_field()
    {
        var p = Good();
        p[0] = p[0] with { Window = 0 };
        p[4] = p[4] with { WithinUs = 0 };
        var errors = Errors(p);
        Assert.Contains(errors, e => e.StartsWith("patterns[0].window: 0"));
        Assert.Contains(errors, e => e.StartsWith("patterns[4].withinUs: 0"));
    }

    [Fact]
    public void Cyclic_sequence_references_fail_naming_the_field()
    {
        var p = Good();
        p.Add(new() { Name = "a", Kind = PatternKind.Sequence, First = "b", Then = "p0", WithinUs = 10 });
        p.Add(new() { Name = "b", Kind = PatternKind.Sequence, First = "a", Then = "p0", WithinUs = 10 });
        var errors = Errors(p);
        Assert.Contains("patterns[7].first: cyclic reference a -> b -> a", errors);   // the field that closes the loop
    }

    [Fact]
    public void A_sequence_naming_an_unknown_pattern_fails()
    {
        var p = Good();
        p[5] = p[5] with { Then = "nope" };
        Assert.Contains("patterns[5].then: unknown pattern 'nope'", Errors(p));
    }

    [Fact]
    public void Arbitrage_needs_the_same_instrument_on_two_lines()
    {
        var p = Good();
        p[2] = p[2] with { Legs = [L("EEE", 0), L("EEE", 0)] };
        Assert.Contains(Errors(p), e => e.StartsWith("patterns[2].legs[1].line: 0 must differ"));
        p[2] = p[2] with { Legs = [L("EEE", 0), L("AAA", 1)] };
        Assert.Contains(Errors(p), e => e.StartsWith("patterns[2].legs[1]: 'AAA' must be the same instrument"));
    }

    public static TheoryData<string, Func<PatternsOptions, PatternsOptions>, string> BadSection() => new()
    {
        { "no lines", o => o with { Lines = 0 }, "patterns.lines: 0 must be 1..256" },
        { "too many lines", o => o with { Lines = 257 }, "patterns.lines: 257 must be 1..256" },
        { "no instruments", o => o with { MaxInstruments = 0 }, "patterns.maxInstruments: 0 must be ≥ 1" },
        { "negative throttle", o => o with { ThrottleUs = -1 }, "patterns.throttleUs: -1 must be ≥ 0" },
        { "instrument beyond the table", o => o with { MaxInstruments = 3 }, "patterns[1].legs[0]: instrument 'CCC' has id 3, beyond patterns.maxInstruments (3)" },
        { "negative cost", o => o with { Patterns = With(2, p => p with { Cost = -1 }) }, "patterns[2].cost: -1 must be ≥ 0" },
        { "negative hold", o => o with { Patterns = With(2, p => p with { HoldUs = -1 }) }, "patterns[2].holdUs: -1 must be ≥ 0" },
        { "hold past a day", o => o with { Patterns = With(2, p => p with { HoldUs = 86_400_000_001 }) }, "patterns[2].holdUs: 86400000001 is out of range" },
        { "sequence window of zero", o => o with { Patterns = With(5, p => p with { WithinUs = 0 }) }, "patterns[5].withinUs: 0 must be > 0" },
        { "a leg without a symbol", o => o with { Patterns = With(4, p => p with { Legs = [new PatternLegOptions()] }) }, "patterns[4].legs[0]: unknown instrument ''" },
        { "a leg with a null symbol", o => o with { Patterns = With(4, p => p with { Legs = [new PatternLegOptions { Symbol = null! }] }) }, "patterns[4].legs[0]: unknown instrument ''" },
    };

    private static List<PatternOptions> With(int i, Func<PatternOptions, PatternOptions> change)
    {
        var p = Good();
        p[i] = change(p[i]);
        return p;
    }

    [Theory]
    [MemberData(nameof(BadSection))]
    public void A_bad_section_setting_or_pattern_field_is_named(string name, Func<PatternsOptions, PatternsOptions> spoil, string expected)
    {
        var ex = Assert.Throws<PatternConfigException>(() => spoil(new PatternsOptions { Patterns = Good() }).Validated(Table()));
        Assert.True(ex.Errors.Any(e => e.StartsWith(expected, StringComparison.Ordinal)), $"{name}: {string.Join(" | ", ex.Errors)}");
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var p = Good();
        p[1] = p[1] with { Name = "p0", MoveBps = 0 };
        p[4] = p[4] with { Count = 1, Legs = [L("CCC", line: 5)] };
        var errors = Errors(p);
        Assert.Contains("patterns[1].name: 'p0' is already the name of patterns[0]", errors);
        Assert.Contains(errors, e => e.StartsWith("patterns[1].moveBps: 0"));
        Assert.Contains(errors, e => e.StartsWith("patterns[4].count: 1"));
        Assert.Contains(errors, e => e.StartsWith("patterns[4].legs[0].line: 5"));
    }

    [Fact]
    public void Patterns_sharing_an_instrument_or_a_sequence_are_planned_on_one_worker()
    {
        var plan = PatternPlan.Build(new PatternsOptions { Workers = 3, Patterns = Good() }, Table());
        Assert.Equal(plan.WorkerOf(0), plan.WorkerOf(3));   // AAA, BBB shared by pair and basket
        Assert.Equal(plan.WorkerOf(1), plan.WorkerOf(4));   // CCC
        Assert.Equal(plan.WorkerOf(1), plan.WorkerOf(5));   // the sequence with its patterns
        var used = Enumerable.Range(0, 6).Select(plan.WorkerOf).Distinct().Count();
        Assert.Equal(3, used);                              // three independent groups on three workers
    }

    [Fact]
    public void A_configured_worker_that_splits_shared_state_fails()
    {
        var p = Good();
        p[0] = p[0] with { Worker = 0 };
        p[3] = p[3] with { Worker = 1 };
        var ex = Assert.Throws<PatternConfigException>(() => PatternPlan.Build(new PatternsOptions { Workers = 2, Patterns = p }, Table()));
        Assert.Contains(ex.Errors, e => e.StartsWith("patterns[3].worker: 1 conflicts"));
    }
}
