using System;
using System.Collections.Generic;

namespace Wirespeed.Hosting.Soak;

/// <summary>
/// One report row of the soak: an interval of the simulated day (an hour by default). Latencies in ns from the
/// interval's HdrHistograms; memory as sampled at the interval's end; every count is the interval's own (a delta).
/// </summary>
public sealed record SoakInterval
{
    /// <summary>1-based row number.</summary>
    public int Index { get; init; }
    /// <summary>Start and end of the interval, simulated seconds since the day's start.</summary>
    public double FromSeconds { get; init; }
    public double ToSeconds { get; init; }
    /// <summary>The phases the interval covers (<see cref="SoakDay.Covering"/>).</summary>
    public string Phases { get; init; } = "";
    /// <summary>Wall seconds the interval took.</summary>
    public double WallSeconds { get; init; }
    /// <summary>Events delivered in the interval.</summary>
    public long Messages { get; init; }

    public long ServiceP50Ns { get; init; }
    public long ServiceP99Ns { get; init; }
    public long ServiceP999Ns { get; init; }
    public long ServiceMaxNs { get; init; }
    public long EndToEndP50Ns { get; init; }
    public long EndToEndP99Ns { get; init; }
    public long EndToEndP999Ns { get; init; }
    public long EndToEndMaxNs { get; init; }

    /// <summary>Resident set size at the interval's end, bytes.</summary>
    public long RssBytes { get; init; }
    /// <summary>Live orders and their high-water mark, all lines' order pools; capacity for scale.</summary>
    public long OrdersUsed { get; init; }
    public long OrdersHighWater { get; init; }
    public long OrdersCapacity { get; init; }
    /// <summary>Price levels in use and their high-water mark, all lines' level pools.</summary>
    public long LevelsUsed { get; init; }
    public long LevelsHighWater { get; init; }
    public long LevelsCapacity { get; init; }
    /// <summary>Times a pool was found empty in the interval (orders and levels).</summary>
    public long PoolExhausted { get; init; }

    public long Gen0 { get; init; }
    public long Gen1 { get; init; }
    public long Gen2 { get; init; }
    /// <summary>GC pause time in the interval (GC.GetTotalPauseDuration), ns.</summary>
    public long GcPauseNs { get; init; }
    /// <summary>Bytes allocated by the whole process in the interval (GC.GetTotalAllocatedBytes), every thread.</summary>
    public long AllocatedBytes { get; init; }

    /// <summary>Messages the lines' sequencing found missing.</summary>
    public long GapMessages { get; init; }
    /// <summary>Events dropped on a full ring (the top-of-book broadcast to the pattern workers).</summary>
    public long Drops { get; init; }
    public long BreakerTrips { get; init; }
    public long Signals { get; init; }
    /// <summary>Host steal over the interval, hundredths of a percent of CPU time (-1 where /proc/stat is unreadable).</summary>
    public long StealBasisPoints { get; init; }

    /// <summary>Collections of any generation (GC.CollectionCount(0) counts the gen1 and gen2 ones too; the max guards rows made by hand).</summary>
    public long Collections => Math.Max(Gen0, Math.Max(Gen1, Gen2));

    /// <summary>The row as snake_case counters (the --json file's "intervals" entries).</summary>
    public Dictionary<string, long> ToCounters() => new()
    {
        ["index"] = Index,
        ["from_s"] = (long)FromSeconds,
        ["to_s"] = (long)ToSeconds,
        ["wall_ms"] = (long)(WallSeconds * 1000),
        ["messages"] = Messages,
        ["service_p50_ns"] = ServiceP50Ns,
        ["service_p99_ns"] = ServiceP99Ns,
        ["service_p999_ns"] = ServiceP999Ns,
        ["service_max_ns"] = ServiceMaxNs,
        ["end_to_end_p50_ns"] = EndToEndP50Ns,
        ["end_to_end_p99_ns"] = EndToEndP99Ns,
        ["end_to_end_p999_ns"] = EndToEndP999Ns,
        ["end_to_end_max_ns"] = EndToEndMaxNs,
        ["rss_bytes"] = RssBytes,
        ["orders_used"] = OrdersUsed,
        ["orders_high_water"] = OrdersHighWater,
        ["orders_capacity"] = OrdersCapacity,
        ["levels_used"] = LevelsUsed,
        ["levels_high_water"] = LevelsHighWater,
        ["levels_capacity"] = LevelsCapacity,
        ["pool_exhausted"] = PoolExhausted,
        ["gc_gen0"] = Gen0,
        ["gc_gen1"] = Gen1,
        ["gc_gen2"] = Gen2,
        ["gc_pause_ns"] = GcPauseNs,
        ["allocated_bytes"] = AllocatedBytes,
        ["gap_messages"] = GapMessages,
        ["drops"] = Drops,
        ["breaker_trips"] = BreakerTrips,
        ["signals"] = Signals,
        ["steal_basis_points"] = StealBasisPoints,
    };
}
