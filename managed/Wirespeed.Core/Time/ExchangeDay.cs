using System;

namespace Wirespeed.Core.Time;

/// <summary>
/// Where an exchange's day starts. ITCH 5.0 timestamps are nanoseconds since midnight in the exchange's time zone
/// (NASDAQ: US Eastern), so turning them into epoch nanoseconds needs that midnight, which moves with daylight saving.
/// </summary>
public static class ExchangeDay
{
    /// <summary>
    /// Epoch ns of the most recent midnight, in <paramref name="zone"/>, at or before <paramref name="epochNs"/>
    /// (cold path: once per session or day roll).
    /// </summary>
    public static long MidnightEpochNs(TimeZoneInfo zone, long epochNs)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var utc = new DateTime(DateTime.UnixEpoch.Ticks + epochNs / 100, DateTimeKind.Utc);
        DateTime localMidnight = TimeZoneInfo.ConvertTimeFromUtc(utc, zone).Date;   // Kind Unspecified: a wall-clock time
        DateTime utcMidnight = TimeZoneInfo.ConvertTimeToUtc(localMidnight, zone);
        return (utcMidnight.Ticks - DateTime.UnixEpoch.Ticks) * 100;
    }

    /// <summary>The zone named by an IANA id ("America/New_York") or "UTC"; false when the system has no such zone.</summary>
    public static bool TryFindZone(string id, out TimeZoneInfo zone)
    {
        if (string.Equals(id, "UTC", StringComparison.OrdinalIgnoreCase)) { zone = TimeZoneInfo.Utc; return true; }
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone!);
    }
}
