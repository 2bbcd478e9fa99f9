using System;

namespace Wirespeed.Core.Time;

/// <summary>Wall-clock nanoseconds since the Unix epoch (CLOCK_REALTIME); for exchange-time comparison only, never for latency.</summary>
public static class RealtimeClock
{
    /// <summary>Now, ns since 1970-01-01T00:00:00Z.</summary>
    public static long NowNs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    /// <summary>Ns since the Unix epoch of the most recent UTC midnight at or before <paramref name="epochNs"/>.</summary>
    public static long MidnightUtcNs(long epochNs) => epochNs - (epochNs % NsPerDay + NsPerDay) % NsPerDay;

    public const long NsPerDay = 86_400L * 1_000_000_000L;
}
