using System;

namespace Wirespeed.Core.Time;

/// <summary>Which clock the clock-health watcher trusts as the local time of day.</summary>
public enum ClockSourceKind : byte
{
    /// <summary>CLOCK_REALTIME, disciplined by chrony or phc2sys (deploy/clock.md).</summary>
    Realtime = 0,
    /// <summary>A PTP hardware clock, /dev/ptpN, disciplined by ptp4l.</summary>
    Ptp = 1,
}

/// <summary>
/// Options of the <see cref="ClockHealthWatcher"/>. Check once at start-up with <see cref="Validated"/>; the defaults
/// suit a box whose clock chrony keeps within a millisecond (deploy/clock.md gives the tighter PTP settings).
/// </summary>
public sealed record ClockHealthOptions
{
    /// <summary>The clock compared with exchange time and with the monotonic clock. Default: Realtime.</summary>
    public ClockSourceKind Source { get; init; } = ClockSourceKind.Realtime;
    /// <summary>PTP hardware clock device when <see cref="Source"/> is Ptp. Default: "/dev/ptp0".</summary>
    public string Device { get; init; } = "/dev/ptp0";
    /// <summary>
    /// Seconds the PTP clock runs ahead of UTC: 37 when ptp4l keeps the PHC in TAI (the PTP timescale, TAI − UTC = 37 s
    /// since 2017); 0 when the PHC is kept in UTC. Default: 37.
    /// </summary>
    public int PtpUtcOffsetSeconds { get; init; } = 37;
    /// <summary>How often the watcher samples the clocks, ms. Default: 100.</summary>
    public int IntervalMs { get; init; } = 100;
    /// <summary>
    /// A change of (local − monotonic) between two samples beyond this is a step, ns. Slewing (chrony, phc2sys,
    /// adjtimex frequency and tick) moves CLOCK_MONOTONIC with CLOCK_REALTIME, so their difference changes only when the
    /// clock is stepped (clock_settime, ADJ_SETOFFSET, a leap second); what remains is read noise, kept under 50 µs
    /// by bracketing each read. Default: 1,000,000 (1 ms).
    /// </summary>
    public long StepThresholdNs { get; init; } = 1_000_000;
    /// <summary>
    /// Receive time (local clock) minus exchange timestamp beyond this, either way, is drift, ns. It includes the
    /// one-way latency from the exchange, so it is a bound on latency plus clock error: 100 ms catches a clock that is
    /// off without flagging a slow network; a colocated PTP box uses about 1 ms. Default: 100,000,000 (100 ms).
    /// </summary>
    public long DriftThresholdNs { get; init; } = 100_000_000;
    /// <summary>Events stay flagged this long after the last step or backward jump, ms. Default: 1000.</summary>
    public int SuspectHoldMs { get; init; } = 1000;

    /// <summary>Returns this when valid; throws <see cref="ArgumentException"/> naming the field and the fix.</summary>
    public ClockHealthOptions Validated()
    {
        if (!Enum.IsDefined(Source)) throw new ArgumentException($"Source={(int)Source} must be realtime or ptp.", nameof(Source));
        if (Source == ClockSourceKind.Ptp && (string.IsNullOrEmpty(Device) || !Device.StartsWith("/dev/ptp", StringComparison.Ordinal)))
            throw new ArgumentException($"Device='{Device}' must name a PTP hardware clock such as /dev/ptp0 (ls /dev/ptp*; ethtool -T IFACE names the NIC's).", nameof(Device));
        if (PtpUtcOffsetSeconds is < 0 or > 100)
            throw new ArgumentException($"PtpUtcOffsetSeconds={PtpUtcOffsetSeconds} must be 0..100: 37 for a PHC in TAI, 0 for one in UTC.", nameof(PtpUtcOffsetSeconds));
        if (IntervalMs is < 1 or > 10_000) throw new ArgumentException($"IntervalMs={IntervalMs} must be 1..10000.", nameof(IntervalMs));
        if (StepThresholdNs is < 1_000 or > 60_000_000_000L)
            throw new ArgumentException($"StepThresholdNs={StepThresholdNs} must be 1 µs..60 s (1000..60000000000).", nameof(StepThresholdNs));
        if (DriftThresholdNs is < 1_000 or > 3_600_000_000_000L)
            throw new ArgumentException($"DriftThresholdNs={DriftThresholdNs} must be 1 µs..1 h (1000..3600000000000).", nameof(DriftThresholdNs));
        if (SuspectHoldMs is < 0 or > 3_600_000) throw new ArgumentException($"SuspectHoldMs={SuspectHoldMs} must be 0..3600000.", nameof(SuspectHoldMs));
        return this;
    }
}
