using System;
using System.Collections.Generic;
using System.Globalization;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Priority;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Pipeline.Topology;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Reporting;

namespace Wirespeed.Hosting.Detection;

/// <summary>
/// The feed line's circuit breakers and priority lanes (issue 4), built from the "breakers" and "priority" sections:
/// the objects the stages share, and the summary sections they report. Cold path; the stages are made by
/// <see cref="FeedHost"/> and composed by <see cref="ChainBuilder.Feed"/>.
/// </summary>
public sealed class FeedPriority : IDisposable
{
    /// <summary>Transitions and priority changes listed in the summary's notes (the newest).</summary>
    public const int RecentInNotes = 8;

    private static readonly string[] s_lanes = ["critical", "high", "normal", "bulk"];

    /// <param name="priority">The "priority" section; a MidnightEpochNs of 0 takes <paramref name="midnightEpochNs"/> (the line's ITCH midnight).</param>
    /// <param name="breakers">The "breakers" section.</param>
    /// <param name="books">The line's books (sectors come from its instrument table).</param>
    /// <param name="split">True for two workers: lane rings and their scheduler are made.</param>
    /// <param name="midnightEpochNs">The line's ITCH midnight, for the priority section's times of day.</param>
    /// <param name="registry">Where the lane rings' memory is accounted.</param>
    /// <param name="virtualClock">True (replay): the breaker and priority logs are stamped with recorded receive times.</param>
    public FeedPriority(PriorityOptions priority, BreakerOptions breakers, OrderBookSet books, bool split, long midnightEpochNs, MemoryRegistry? registry,
        bool virtualClock = false)
    {
        _virtualClock = virtualClock;
        ArgumentNullException.ThrowIfNull(priority);
        ArgumentNullException.ThrowIfNull(books);
        _midnightEpochNs = midnightEpochNs;
        if (priority.MidnightEpochNs == 0) priority = priority with { MidnightEpochNs = midnightEpochNs };
        Breakers = new BreakerState(breakers, books.Instruments);
        RuleSets = new RuleSetHolder(priority);
        var classify = new ClassifyStage<TableRule>(RuleSets, default, books, books.Instruments, Breakers, virtualClock);
        Classify = classify;
        _classify.Add(classify);
        ClassifyState = classify.State;
        Adjuster = classify.Adjuster;
        if (split)
        {
            Lanes = new LaneQueues(priority.LaneCapacity, registry);
            Scheduler = new LaneScheduler(Lanes, priority);
        }
    }

    private readonly long _midnightEpochNs;
    private readonly bool _virtualClock;

    public BreakerState Breakers { get; }
    public RuleSetHolder RuleSets { get; }
    /// <summary>The classify stage as built (a struct: the worker runs its own copy; State and Adjuster are shared objects).</summary>
    public ClassifyStage<TableRule> Classify { get; }
    public ClassifyState ClassifyState { get; }
    public PriorityAdjuster Adjuster { get; }
    public BreakerActionCounters Actions { get; } = new();
    /// <summary>Lane rings (topology split only).</summary>
    public LaneQueues? Lanes { get; }
    /// <summary>The second worker's source (topology split only).</summary>
    public LaneScheduler? Scheduler { get; }

    /// <summary>
    /// Run-time reconfiguration (SIGHUP) of the "priority" and "breakers" sections, all or nothing: both are validated
    /// and compiled first (the breakers also against what cannot change at run time), and nothing is swapped unless both
    /// are usable; false with <paramref name="error"/> naming the field, and everything in force keeps running. Then
    /// the new rule set is swapped in (the classify stage takes it at the end of its batch) and the new breaker settings
    /// are handed to the breaker stage (taken at its next event; levels and detector state carry over, see
    /// <see cref="BreakerState.Reconfigure"/>). <paramref name="breakers"/> is those settings with their
    /// <see cref="BreakerSettings.Changes"/>, or null when the breakers section did not change. Any thread, cold path.
    /// </summary>
    public bool TryReconfigure(PriorityOptions priority, BreakerOptions breakerOptions, out string? error, out BreakerSettings? breakers)
    {
        ArgumentNullException.ThrowIfNull(priority);
        ArgumentNullException.ThrowIfNull(breakerOptions);
        breakers = null;
        if (priority.MidnightEpochNs == 0) priority = priority with { MidnightEpochNs = _midnightEpochNs };
        if (!Breakers.TryPrepare(breakerOptions, out var next, out error)) return false;
        if (!RuleSets.TryReconfigure(priority, out error)) return false;
        if (next is not null) Breakers.Reconfigure(next);
        breakers = next;
        return true;
    }

    /// <summary>The breaker stage over <paramref name="books"/>, calling the counting actions. Lines of one process share the breakers (levels are per instrument, across lines).</summary>
    public BreakerStage<CountingBreakerActions> BreakerStage(OrderBookSet books) => new(Breakers, books, new CountingBreakerActions(Actions), _virtualClock);

    private readonly List<ClassifyStage<TableRule>> _classify = new();   // every line's, lines[0]'s first

    /// <summary>
    /// A classify stage for another line of the process, over its <paramref name="books"/>: the same rule sets (so a
    /// reload reaches every line) and breakers, its own per-instrument state; its lane counts join the summary's.
    /// </summary>
    public ClassifyStage<TableRule> ClassifyFor(OrderBookSet books)
    {
        var stage = new ClassifyStage<TableRule>(RuleSets, default, books, books.Instruments, Breakers, _virtualClock);
        _classify.Add(stage);
        return stage;
    }

    /// <summary>Adds the "breakers" and "priority" sections and notes on recent transitions and changes.</summary>
    public void AddTo(RunSummary summary, DeliverCounters deliver)
    {
        var b = Breakers;
        var o = b.Options;
        var br = new Dictionary<string, long>
        {
            ["trips"] = b.TripsUp,
            ["steps_down"] = b.StepsDown,
            ["transitions"] = b.Transitions.Written,
            ["settings_version"] = b.Settings.Version,
            ["reconfigurations_rejected"] = b.Rejected,
        };
        foreach (BreakerDetector d in Enum.GetValues<BreakerDetector>())
            if (d is not (BreakerDetector.Recovery or BreakerDetector.Reconfigured)) br["trips_" + SnakeCase.Of(d.ToString())] = b.TripsBy(d);
        var inst = new long[4];
        for (int i = 0; i < o.MaxInstruments; i++) inst[(int)b.InstrumentLevel(i)]++;
        var sect = new long[4];
        for (int s = 0; s < o.MaxSectors; s++) sect[(int)b.SectorLevel(s)]++;
        for (int l = 1; l < 4; l++)
        {
            string name = ((BreakerLevel)l).ToString().ToLowerInvariant();
            br["instruments_" + name + "_at_end"] = inst[l];
            br["sectors_" + name + "_at_end"] = sect[l];
        }
        br["market_level_at_end"] = (long)b.MarketLevel;
        br["cancel_all_requests"] = Actions.CancelAll;
        br["alerts"] = Actions.Alerts;
        br["signals_would_suppress"] = deliver.WouldSuppress;
        br["signals_would_throttle"] = deliver.WouldThrottle;
        summary.SetCounters("breakers", br);

        var pr = new Dictionary<string, long>
        {
            ["rule_set_version"] = RuleSets.Current.Version,
            ["reconfigurations_rejected"] = RuleSets.Rejected,
            ["priority_changes"] = SumLines(c => c.Adjuster.Changes.Written),
        };
        for (int l = 0; l < 4; l++)
        {
            var lane = (Lane)l;
            pr["classified_" + s_lanes[l]] = SumLines(c => c.State.LaneCount(lane));
            pr["delivered_" + s_lanes[l]] = deliver.ByLane[l];
            if (Scheduler is { } sch)
            {
                pr["served_" + s_lanes[l]] = sch.State.Served(lane);
                pr["aged_serves_" + s_lanes[l]] = sch.State.AgedServes(lane);
                pr["max_wait_" + s_lanes[l]] = sch.State.MaxWait(lane);
                pr["aging_bound_" + s_lanes[l]] = sch.State.AgingBound(lane);
            }
            if (Lanes is not null)
            {
                pr["overflow_" + s_lanes[l]] = Lanes.Overflow(lane);
                pr["back_pressure_" + s_lanes[l]] = Lanes.Link(lane).BackPressureEvents;
            }
        }
        summary.SetCounters("priority", pr);

        var recent = new BreakerTransition[RecentInNotes];
        int n = b.Transitions.CopyRecent(recent);
        if (n > 0) summary.Notes.Add($"breakers: last {n} of {b.Transitions.Written} transitions:");
        for (int i = 0; i < n; i++) summary.Notes.Add("  " + Describe(recent[i]));
        var changes = new PriorityChange[RecentInNotes];
        for (int line = 0; line < _classify.Count; line++)
        {
            var adjuster = _classify[line].Adjuster;
            int m = adjuster.Changes.CopyRecent(changes);
            if (m > 0) summary.Notes.Add($"priority: last {m} of {adjuster.Changes.Written} changes" + (_classify.Count > 1 ? $" (lines[{line}])" : "") + ":");
            for (int i = 0; i < m; i++) summary.Notes.Add("  " + changes[i].ToString());
        }
    }

    private long SumLines(Func<ClassifyStage<TableRule>, long> figure)
    {
        long n = 0;
        foreach (var c in _classify) n += figure(c);
        return n;
    }

    /// <summary>One transition for people: scope, levels, detector, figure against threshold, exchange time of day.</summary>
    public static string Describe(in BreakerTransition t)
        => string.Create(CultureInfo.InvariantCulture,
            $"{t.Scope.ToString().ToLowerInvariant()} {t.Id}: {t.From} -> {t.To} by {t.Detector} (figure {t.Figure:G4}, threshold {t.Threshold:G4}) at {ExchangeTime(t.ExchangeNs)}");

    /// <summary>Exchange ns (since the epoch, or since midnight for small values) as HH:MM:SS.fffffffff UTC.</summary>
    public static string ExchangeTime(long ns)
    {
        long ofDay = ((ns % 86_400_000_000_000L) + 86_400_000_000_000L) % 86_400_000_000_000L;
        long s = ofDay / 1_000_000_000;
        return string.Create(CultureInfo.InvariantCulture, $"{s / 3600:00}:{s / 60 % 60:00}:{s % 60:00}.{ofDay % 1_000_000_000:000000000}");
    }

    /// <summary>Frees the lane rings; only after the workers stopped.</summary>
    public void Dispose() => Lanes?.Dispose();
}
