using System.Collections.Generic;
using System.Text.Json.Serialization;
using HdrHistogram;

namespace Wirespeed.Core.Monitoring;

/// <summary>
/// Everything a long-running command reports at the end: the human summary (<see cref="RunSummaryPrinter"/>) and the
/// <c>--json</c> file (<see cref="RunSummaryJson"/>) are two renderings of this one model. JSON names are the
/// snake_case forms of the property names (documented on each property as <c>json: name</c>). All latencies are ns.
/// </summary>
public sealed class RunSummary
{
    /// <summary>json: <c>command</c>. The command that ran ("demo", "replay", …).</summary>
    public string Command { get; set; } = "";

    /// <summary>json: <c>started_unix_ms</c>. Start of the run, ms since the Unix epoch.</summary>
    public long StartedUnixMs { get; set; }

    /// <summary>json: <c>duration_seconds</c>. Wall-clock length of the run.</summary>
    public double DurationSeconds { get; set; }

    /// <summary>json: <c>stages</c>. Latency per pipeline stage, in registration order.</summary>
    public List<LatencySummary> Stages { get; set; } = new();

    /// <summary>json: <c>service</c>. Service time: work per event, excluding queueing (null when not measured).</summary>
    public LatencySummary? Service { get; set; }

    /// <summary>json: <c>end_to_end</c>. Receive timestamp to the last stage (null when not measured).</summary>
    public LatencySummary? EndToEnd { get; set; }

    /// <summary>json: <c>host</c>. Interference from the host: hiccup meter and steal.</summary>
    public HostSummary Host { get; set; } = new();

    /// <summary>json: <c>gc</c>. Garbage collector activity during the run.</summary>
    public GcSummary Gc { get; set; } = new();

    /// <summary>json: <c>hot_threads</c>. Bytes allocated on each hot thread after its warm-up mark (should be 0).</summary>
    public List<ThreadAllocationSummary> HotThreads { get; set; } = new();

    /// <summary>json: <c>memory</c>. Footprint per registered pool or arena.</summary>
    public List<MemoryAccountSummary> Memory { get; set; } = new();

    /// <summary>json: <c>alerts</c>. Budget alerts raised during the run, all stages.</summary>
    public long Alerts { get; set; }

    /// <summary>
    /// json: <c>counters</c>. Named sections of named counts, e.g. "messages_by_type" → { "A": 120, "D": 80 },
    /// "malformed", "gaps". Filled by the command; printed in insertion order.
    /// </summary>
    public Dictionary<string, Dictionary<string, long>> Counters { get; set; } = new();

    /// <summary>
    /// json: <c>intervals</c>. Per-interval rows of a command that reports by interval (soak: one per simulated hour), each
    /// named counts as in <see cref="Counters"/>; left out of the JSON when null (every other command). Not printed by
    /// <see cref="RunSummaryPrinter"/>: the command prints its rows as they come.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<Dictionary<string, long>>? Intervals { get; set; }

    /// <summary>json: <c>input</c>. The recorded input a replay read (null for a live line).</summary>
    public InputSummary? Input { get; set; }

    /// <summary>json: <c>notes</c>. Free-form lines, e.g. which idle strategies ran.</summary>
    public List<string> Notes { get; set; } = new();

    /// <summary>Adds (or replaces) a counter section.</summary>
    public void SetCounters(string section, IDictionary<string, long> values) => Counters[section] = new Dictionary<string, long>(values);
}

/// <summary>Latency of one stage over the run. json names in parentheses.</summary>
public sealed class LatencySummary
{
    /// <summary>(<c>name</c>) Stage name.</summary>
    public string Name { get; set; } = "";
    /// <summary>(<c>count</c>) Values recorded.</summary>
    public long Count { get; set; }
    /// <summary>(<c>min_ns</c>)</summary>
    public long MinNs { get; set; }
    /// <summary>(<c>p50_ns</c>)</summary>
    public long P50Ns { get; set; }
    /// <summary>(<c>p90_ns</c>)</summary>
    public long P90Ns { get; set; }
    /// <summary>(<c>p99_ns</c>)</summary>
    public long P99Ns { get; set; }
    /// <summary>(<c>p999_ns</c>) 99.9th percentile.</summary>
    public long P999Ns { get; set; }
    /// <summary>(<c>p9999_ns</c>) 99.99th percentile.</summary>
    public long P9999Ns { get; set; }
    /// <summary>(<c>max_ns</c>)</summary>
    public long MaxNs { get; set; }
    /// <summary>(<c>mean_ns</c>)</summary>
    public double MeanNs { get; set; }
    /// <summary>(<c>budget_ns</c>) 0 when the stage has no budget.</summary>
    public long BudgetNs { get; set; }
    /// <summary>(<c>overruns</c>) Values above the budget.</summary>
    public long Overruns { get; set; }
    /// <summary>(<c>alerts</c>) Intervals whose p99.9 exceeded the budget.</summary>
    public long Alerts { get; set; }
    /// <summary>(<c>clamped</c>) Values above the histogram's range, recorded as its maximum.</summary>
    public long Clamped { get; set; }

    /// <summary>Fills the distribution fields from <paramref name="histogram"/> (allocation-free reads).</summary>
    public static LatencySummary From(string name, HistogramBase histogram) => new()
    {
        Name = name,
        Count = histogram.TotalCount,
        MinNs = HistogramStats.Min(histogram),
        P50Ns = HistogramStats.ValueAtPercentile(histogram, 50),
        P90Ns = HistogramStats.ValueAtPercentile(histogram, 90),
        P99Ns = HistogramStats.ValueAtPercentile(histogram, 99),
        P999Ns = HistogramStats.ValueAtPercentile(histogram, 99.9),
        P9999Ns = HistogramStats.ValueAtPercentile(histogram, 99.99),
        MaxNs = HistogramStats.Max(histogram),
        MeanNs = HistogramStats.Mean(histogram),
    };
}

/// <summary>Host interference. json names in parentheses.</summary>
public sealed class HostSummary
{
    /// <summary>(<c>hiccup</c>) How late the hiccup meter woke from its fixed sleeps (null when it did not run).</summary>
    public LatencySummary? Hiccup { get; set; }
    /// <summary>(<c>hiccup_interval_ms</c>) The meter's sleep per round.</summary>
    public int HiccupIntervalMs { get; set; }
    /// <summary>(<c>steal_percent</c>) /proc/stat steal over the run as % of all CPU time (null where unavailable).</summary>
    public double? StealPercent { get; set; }
    /// <summary>(<c>processor_count</c>) CPUs the process sees.</summary>
    public int ProcessorCount { get; set; }
}

/// <summary>Garbage collector activity during the run. json names in parentheses.</summary>
public sealed class GcSummary
{
    /// <summary>(<c>gen0</c>) Gen-0 collections (the runtime counts every collection here, whatever its generation).</summary>
    public int Gen0 { get; set; }
    /// <summary>(<c>gen1</c>) Gen-1 collections (including gen-2 ones).</summary>
    public int Gen1 { get; set; }
    /// <summary>(<c>gen2</c>) Gen-2 (full) collections.</summary>
    public int Gen2 { get; set; }
    /// <summary>(<c>pause_total_ms</c>) Total time the GC paused the process.</summary>
    public double PauseTotalMs { get; set; }
    /// <summary>(<c>allocated_bytes</c>) Bytes the whole process allocated (all threads).</summary>
    public long AllocatedBytes { get; set; }
}

/// <summary>Allocation on one hot thread. json names in parentheses.</summary>
public sealed class ThreadAllocationSummary
{
    /// <summary>(<c>name</c>)</summary>
    public string Name { get; set; } = "";
    /// <summary>(<c>allocated_bytes</c>) Bytes since the warm-up mark, as last published by the thread.</summary>
    public long AllocatedBytes { get; set; }
    /// <summary>(<c>marked</c>) False when the thread never reached its warm-up mark (figure meaningless).</summary>
    public bool Marked { get; set; }
}

/// <summary>One pool or arena. json names in parentheses.</summary>
public sealed class MemoryAccountSummary
{
    /// <summary>(<c>name</c>)</summary>
    public string Name { get; set; } = "";
    /// <summary>(<c>reserved_bytes</c>)</summary>
    public long ReservedBytes { get; set; }
    /// <summary>(<c>capacity_units</c>)</summary>
    public long CapacityUnits { get; set; }
    /// <summary>(<c>used_units</c>)</summary>
    public long UsedUnits { get; set; }
    /// <summary>(<c>high_water_units</c>)</summary>
    public long HighWaterUnits { get; set; }
    /// <summary>(<c>exhausted</c>) Requests refused because the pool was full.</summary>
    public long Exhausted { get; set; }
}
