using System;
using System.Collections.Generic;
using HdrHistogram;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Monitoring;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Reporting;

namespace Wirespeed.Hosting.Metrics;

/// <summary>
/// The Prometheus exposition of a running feed (<c>monitor.metrics</c>), built on the monitor thread from what the
/// run report already collects: the monitor's whole-run histograms (per stage, in seconds), the counters the hot threads
/// publish (messages, sequencing, malformed input by cause, books, breakers, signals, ring drops, hot-thread
/// allocation), memory accounts, and the process's GC figures. Never touches a hot thread: every figure is a counter
/// read (plain or volatile 64-bit reads, advisory between intervals, as the progress line reads them). Latency
/// histograms cover the measured run (after warm-up, as the summary's); counters count from process start.
/// Names: snake_case, prefix <c>wirespeed_</c>, unit suffixes (_seconds, _bytes, _total) per Prometheus's conventions.
/// </summary>
public static class FeedMetrics
{
    /// <summary>Histogram bucket upper bounds, seconds: 250 ns to 10 s in 1-2.5-5 steps, then +Inf.</summary>
    public static readonly double[] LatencyBucketsSeconds =
    [
        250e-9, 500e-9, 1e-6, 2.5e-6, 5e-6, 10e-6, 25e-6, 50e-6, 100e-6, 250e-6, 500e-6,
        1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 50e-3, 100e-3, 250e-3, 500e-3, 1, 2.5, 5, 10, double.PositiveInfinity,
    ];

    /// <summary>The exposition text of <paramref name="monitor"/> and <paramref name="host"/> (host null: the monitor's figures only). Monitor thread.</summary>
    public static string Build(RunMonitor monitor, FeedHost? host)
    {
        var text = new PrometheusText();
        AddLatency(text, monitor);
        if (host is not null)
        {
            AddLines(text, host.Lines);
            AddBreakers(text, host);
            AddPatterns(text, host);
            AddHotThreads(text, host.HotThreadProbes);
            AddMemoryAccounts(text, host);
        }
        AddRuntime(text, monitor);
        return text.ToString();
    }

    private static void AddLatency(PrometheusText text, RunMonitor monitor)
    {
        text.Family("wirespeed_stage_latency_seconds", MetricType.Histogram,
            "Latency per pipeline stage (per batch), service time, end-to-end (receive to deliver) and the hiccup meter, over the measured run");
        var counts = new long[LatencyBucketsSeconds.Length];
        foreach (var stage in monitor.Stages)
        {
            double sumSeconds = CumulativeBuckets(stage.Total, counts);
            text.Histogram(LatencyBucketsSeconds, counts, sumSeconds, stage.Total.TotalCount, ("stage", stage.Metrics.Name), ("role", RoleName(stage.Role)));
        }
        text.Family("wirespeed_stage_budget_overruns_total", MetricType.Counter, "Values above the stage's latency budget");
        foreach (var stage in monitor.Stages)
            if (stage.Metrics.BudgetNs > 0) text.Sample(stage.Metrics.Overruns, ("stage", stage.Metrics.Name));
        text.Family("wirespeed_stage_budget_alerts_total", MetricType.Counter, "Monitor intervals whose p99.9 exceeded the stage's budget");
        foreach (var stage in monitor.Stages)
            if (stage.Metrics.BudgetNs > 0) text.Sample(stage.Alerts, ("stage", stage.Metrics.Name));
        text.Family("wirespeed_monitor_intervals_total", MetricType.Counter, "Monitor intervals completed").Sample(monitor.Intervals);
    }

    /// <summary>
    /// One pass over the recorded values of <paramref name="h"/>: <paramref name="counts"/>[i] = values at or below
    /// bound i (an HdrHistogram bucket counts at its highest equivalent value, so a bound inside a bucket never counts
    /// values above it), the last = all. Returns the sum in seconds (each bucket at its median equivalent value).
    /// </summary>
    public static double CumulativeBuckets(HistogramBase h, long[] counts)
    {
        Array.Clear(counts);
        double sumNs = 0;
        long cumulative = 0;
        int bound = 0;
        foreach (var v in h.RecordedValues())
        {
            long value = v.ValueIteratedTo;
            while (bound < counts.Length - 1 && value > LatencyBucketsSeconds[bound] * 1e9) counts[bound++] = cumulative;
            cumulative += v.CountAtValueIteratedTo;
            sumNs += (double)h.MedianEquivalentValue(value) * v.CountAtValueIteratedTo;
        }
        while (bound < counts.Length) counts[bound++] = cumulative;
        return sumNs / 1e9;
    }

    private static string RoleName(StageRole role) => role switch
    {
        StageRole.Service => "service",
        StageRole.EndToEnd => "end_to_end",
        StageRole.Hiccup => "hiccup",
        _ => "stage",
    };

    private static void AddLines(PrometheusText text, IReadOnlyList<FeedLine> lines)
    {
        text.Family("wirespeed_messages_total", MetricType.Counter, "ITCH messages decoded, by message type");
        foreach (var l in lines)
            foreach (var (type, n) in FeedReport.MessagesByType(l.Decoder.Counters))
                text.Sample(n, ("line", l.Config.Name), ("type", type));
        var m = new List<(string Line, Dictionary<string, long> Sequencing)>();
        foreach (var l in lines) m.Add((l.Config.Name, FeedReport.Sequencing(l.Decoder.MoldCounters)));
        Counter(text, m, "wirespeed_packets_total", "MoldUDP64 packets received", "packets");
        Counter(text, m, "wirespeed_gap_packets_total", "Sequence gaps detected (packets that skipped ahead)", "gap_packets");
        Counter(text, m, "wirespeed_gap_messages_total", "Messages missing in sequence gaps", "gap_messages");
        Counter(text, m, "wirespeed_gap_recoveries_total", "Gaps filled by late (reordered) packets", "late_fills");
        Counter(text, m, "wirespeed_gap_recovered_messages_total", "Missing messages that arrived late and were delivered", "late_messages");
        Counter(text, m, "wirespeed_duplicate_packets_total", "Duplicate MoldUDP64 packets dropped", "duplicate_packets");
        Counter(text, m, "wirespeed_session_changes_total", "MoldUDP64 session changes", "session_changes");
        Counter(text, m, "wirespeed_sequence_jumps_total", "Far sequence jumps held as suspect", "suspect_jumps");

        text.Family("wirespeed_malformed_total", MetricType.Counter, "Rejected input, by cause (framing and message level)");
        foreach (var l in lines)
            foreach (var (cause, n) in FeedReport.Malformed(l.Decoder.MoldCounters, l.Decoder.Counters, null))
                if (cause is not ("quarantined" or "quarantine_overwritten")) text.Sample(n, ("line", l.Config.Name), ("cause", cause));
        text.Family("wirespeed_quarantined_packets_total", MetricType.Counter, "Rejected packets kept in the quarantine ring");
        foreach (var l in lines)
            if (l.Decoder.Quarantine is { } q) text.Sample(q.Captured, ("line", l.Config.Name));

        text.Family("wirespeed_line_stale", MetricType.Gauge, "1 while the line's sequencing is stale (a gap not yet recovered), else 0");
        foreach (var l in lines) text.Sample(l.Decoder.Session.IsStale ? 1 : 0, ("line", l.Config.Name));
        text.Family("wirespeed_stale_books", MetricType.Gauge, "Books a gap marked stale and recovery has not cleared");
        foreach (var l in lines) text.Sample(FeedReport.StaleBooks(l.Books), ("line", l.Config.Name));
        text.Family("wirespeed_live_orders", MetricType.Gauge, "Orders resting in the line's books");
        foreach (var l in lines) text.Sample(l.Books.LiveOrders, ("line", l.Config.Name));
        text.Family("wirespeed_book_events_total", MetricType.Counter, "Book outcomes, by status (pool exhaustion included)");
        foreach (var l in lines)
            foreach (var (status, n) in FeedReport.Books(l.Books))
                if (status is not ("live_orders" or "used_levels" or "stale_books")) text.Sample(n, ("line", l.Config.Name), ("status", status));
    }

    /// <summary>One family of a sequencing counter (its name in the report's "sequencing" section), a sample per line.</summary>
    private static void Counter(PrometheusText text, List<(string Line, Dictionary<string, long> Sequencing)> lines, string name, string help, string key)
    {
        text.Family(name, MetricType.Counter, help);
        foreach (var (line, sequencing) in lines) text.Sample(sequencing[key], ("line", line));
    }

    private static void AddBreakers(PrometheusText text, FeedHost host)
    {
        var b = host.Priority.Breakers;
        text.Family("wirespeed_breaker_trips_total", MetricType.Counter, "Circuit-breaker trips (a level raised), by detector");
        foreach (BreakerDetector d in Enum.GetValues<BreakerDetector>())
            if (d is not (BreakerDetector.Recovery or BreakerDetector.Reconfigured))
                text.Sample(b.TripsBy(d), ("detector", SnakeCase.Of(d.ToString())));
        text.Family("wirespeed_breaker_steps_down_total", MetricType.Counter, "Circuit-breaker levels lowered").Sample(b.StepsDown);
        var instruments = new long[4];
        for (int i = 0; i < b.Options.MaxInstruments; i++) instruments[(int)b.InstrumentLevel(i)]++;
        var sectors = new long[4];
        for (int s = 0; s < b.Options.MaxSectors; s++) sectors[(int)b.SectorLevel(s)]++;
        text.Family("wirespeed_breaker_instruments", MetricType.Gauge, "Instruments at each breaker level above normal");
        for (int l = 1; l < 4; l++) text.Sample(instruments[l], ("level", LevelName(l)));
        text.Family("wirespeed_breaker_sectors", MetricType.Gauge, "Sectors at each breaker level above normal");
        for (int l = 1; l < 4; l++) text.Sample(sectors[l], ("level", LevelName(l)));
        text.Family("wirespeed_breaker_market_level", MetricType.Gauge, "Market-wide breaker level: 0 normal, 1 caution, 2 restricted, 3 halted")
            .Sample((double)b.MarketLevel);
    }

    private static string LevelName(int level) => ((BreakerLevel)level).ToString().ToLowerInvariant();

    private static void AddPatterns(PrometheusText text, FeedHost host)
    {
        text.Family("wirespeed_signals_total", MetricType.Counter, "Pattern signals, by outcome (detected; then delivered, suppressed or throttled by the breakers)");
        var t = host.Patterns?.Totals ?? default;
        text.Sample(t.Detected, ("outcome", "detected")).Sample(t.Delivered, ("outcome", "delivered"))
            .Sample(t.Suppressed, ("outcome", "suppressed")).Sample(t.Throttled, ("outcome", "throttled"));
        text.Family("wirespeed_ring_dropped_total", MetricType.Counter, "Events dropped because a ring was full, by ring and event kind");
        if (host.Patterns is { } p)
        {
            var c = p.Publish;
            text.Sample(System.Threading.Volatile.Read(ref c.DroppedTopOfBook), ("ring", "patterns"), ("kind", "top_of_book"));
            text.Sample(System.Threading.Volatile.Read(ref c.DroppedTrades), ("ring", "patterns"), ("kind", "trade"));
        }
        else
        {
            text.Sample(0, ("ring", "patterns"), ("kind", "top_of_book")).Sample(0, ("ring", "patterns"), ("kind", "trade"));
        }
    }

    private static void AddHotThreads(PrometheusText text, IReadOnlyList<ThreadAllocationProbe> probes)
    {
        text.Family("wirespeed_hot_thread_allocated_bytes", MetricType.Gauge,
            "Bytes a hot thread allocated since its warm-up mark (should stay 0), as it last published them");
        foreach (var p in probes) text.Sample(p.AllocatedSinceMark, ("thread", p.Name));
    }

    private static void AddMemoryAccounts(PrometheusText text, FeedHost host)
    {
        var accounts = host.Registry.Snapshot();
        text.Family("wirespeed_memory_reserved_bytes", MetricType.Gauge, "Memory reserved up front, per pool or arena");
        foreach (var a in accounts) text.Sample(a.ReservedBytes, ("pool", a.Name));
        text.Family("wirespeed_memory_used_units", MetricType.Gauge, "Units in use, per pool or arena (orders, levels, bytes, slots)");
        foreach (var a in accounts) text.Sample(a.Used, ("pool", a.Name));
        text.Family("wirespeed_memory_capacity_units", MetricType.Gauge, "Units a pool or arena holds");
        foreach (var a in accounts) text.Sample(a.CapacityUnits, ("pool", a.Name));
        text.Family("wirespeed_memory_exhausted_total", MetricType.Counter, "Requests a pool or arena refused because it was full");
        foreach (var a in accounts) text.Sample(a.Exhausted, ("pool", a.Name));
    }

    private static void AddRuntime(PrometheusText text, RunMonitor monitor)
    {
        text.Family("wirespeed_gc_collections_total", MetricType.Counter, "Garbage collections since process start, by generation");
        for (int g = 0; g <= 2; g++) text.Sample(GC.CollectionCount(g), ("generation", g.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        text.Family("wirespeed_gc_pause_seconds_total", MetricType.Counter, "Time the GC paused the process since start")
            .Sample(GC.GetTotalPauseDuration().TotalSeconds);
        text.Family("wirespeed_allocated_bytes_total", MetricType.Counter, "Bytes allocated by the process (all threads) since start")
            .Sample(GC.GetTotalAllocatedBytes(precise: false));
        text.Family("wirespeed_gc_heap_bytes", MetricType.Gauge, "Bytes in the managed heap").Sample(GC.GetTotalMemory(forceFullCollection: false));
        text.Family("wirespeed_resident_memory_bytes", MetricType.Gauge, "Resident set size of the process").Sample(Environment.WorkingSet);
        text.Family("wirespeed_cpu_steal_ratio", MetricType.Gauge, "CPU steal during the last monitor interval, 0..1 (NaN where /proc/stat is unavailable)")
            .Sample(monitor.IntervalStealPercent / 100.0);
    }
}
