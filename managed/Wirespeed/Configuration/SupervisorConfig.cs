using System.Text.Json.Serialization;
using Wirespeed.Core.Agents;

namespace Wirespeed.Configuration;

/// <summary>
/// The <c>supervisor</c> section: how <c>run</c> and <c>demo</c> watch their workers (the receiving/book worker, the
/// pipeline's others, the pattern workers) and what they do with one that faults or stalls. Defaults from
/// <see cref="SupervisorOptions"/>.
/// </summary>
public sealed class SupervisorConfig
{
    private static readonly SupervisorOptions s_library = new();

    /// <summary>
    /// restart | fail. restart replaces a pattern worker from consistent state (its instruments' pattern state reset,
    /// the ring slots it missed counted); the receiving/book worker cannot be restarted (its books would miss the
    /// events in flight: wrong data), so it fails. fail stops the feed, prints the summary with the cause and exits 1
    /// for systemd to restart the service. Default: restart.
    /// </summary>
    [JsonConverter(typeof(WorkerFailurePolicyJsonConverter))]
    public WorkerFailurePolicy Policy { get; set; } = s_library.Policy;
    /// <summary>No duty cycle, or no work while input waits, for longer than this is a stall, ms. Default: 2000.</summary>
    public int DeadlineMs { get; set; } = s_library.DeadlineMs;
    /// <summary>How often the workers are checked, ms. Default: 250.</summary>
    public int IntervalMs { get; set; } = s_library.IntervalMs;
    /// <summary>How long a restart waits for the old thread to end, ms. Default: 1000.</summary>
    public int RestartGraceMs { get; set; } = s_library.RestartGraceMs;

    /// <summary>The supervisor's options.</summary>
    public SupervisorOptions ToOptions() => new() { Policy = Policy, DeadlineMs = DeadlineMs, IntervalMs = IntervalMs, RestartGraceMs = RestartGraceMs };
}
