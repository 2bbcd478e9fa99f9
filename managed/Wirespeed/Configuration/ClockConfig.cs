using System.Text.Json.Serialization;
using Wirespeed.Core.Time;

namespace Wirespeed.Configuration;

/// <summary>
/// The <c>clock</c> section: the clock-health watcher of <c>run</c> and <c>demo</c> (replay runs on the recorded
/// clock and has none). Defaults from <see cref="ClockHealthOptions"/>; deploy/clock.md says which to use with chrony
/// or linuxptp.
/// </summary>
public sealed class ClockConfig
{
    private static readonly ClockHealthOptions s_library = new();

    /// <summary>Watch the clock and flag events while it is distrusted. Default: true.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>realtime | ptp: the clock compared with exchange time. Default: realtime.</summary>
    [JsonConverter(typeof(ClockSourceJsonConverter))]
    public ClockSourceKind Source { get; set; } = s_library.Source;
    /// <summary>PTP hardware clock when source is ptp. Default: "/dev/ptp0".</summary>
    public string Device { get; set; } = s_library.Device;
    /// <summary>Seconds the PTP clock runs ahead of UTC: 37 for a PHC in TAI (ptp4l's default), 0 for one in UTC. Default: 37.</summary>
    public int PtpUtcOffsetSeconds { get; set; } = s_library.PtpUtcOffsetSeconds;
    /// <summary>Sampling interval, ms. Default: 100.</summary>
    public int IntervalMs { get; set; } = s_library.IntervalMs;
    /// <summary>A change of (clock − monotonic) beyond this is a step, ns. Default: 1000000.</summary>
    public long StepThresholdNs { get; set; } = s_library.StepThresholdNs;
    /// <summary>|receive time − exchange timestamp| beyond this is drift, ns. Default: 100000000.</summary>
    public long DriftThresholdNs { get; set; } = s_library.DriftThresholdNs;
    /// <summary>Events stay flagged this long after a step or backward jump, ms. Default: 1000.</summary>
    public int SuspectHoldMs { get; set; } = s_library.SuspectHoldMs;

    /// <summary>The watcher's options.</summary>
    public ClockHealthOptions ToOptions() => new()
    {
        Source = Source, Device = Device, PtpUtcOffsetSeconds = PtpUtcOffsetSeconds, IntervalMs = IntervalMs,
        StepThresholdNs = StepThresholdNs, DriftThresholdNs = DriftThresholdNs, SuspectHoldMs = SuspectHoldMs,
    };
}
