using System;
using Wirespeed.Core.Time;
using Xunit;

namespace Wirespeed.Tests.Core.Time;

public class ExchangeDayTests
{
    private static long Ns(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    [Fact]
    public void Eastern_midnight_is_five_hours_after_utc_midnight_in_winter_and_four_in_summer()
    {
        Assert.True(ExchangeDay.TryFindZone("America/New_York", out var ny), "tzdata must provide America/New_York");
        // 2026-01-15 14:30 UTC is 09:30 EST: the day began at 05:00 UTC.
        Assert.Equal(Ns(new DateTime(2026, 1, 15, 5, 0, 0, DateTimeKind.Utc)), ExchangeDay.MidnightEpochNs(ny, Ns(new DateTime(2026, 1, 15, 14, 30, 0, DateTimeKind.Utc))));
        // 2026-07-15 13:30 UTC is 09:30 EDT: the day began at 04:00 UTC.
        Assert.Equal(Ns(new DateTime(2026, 7, 15, 4, 0, 0, DateTimeKind.Utc)), ExchangeDay.MidnightEpochNs(ny, Ns(new DateTime(2026, 7, 15, 13, 30, 0, DateTimeKind.Utc))));
        // 2026-07-16 02:00 UTC is still 22:00 EDT on the 15th.
        Assert.Equal(Ns(new DateTime(2026, 7, 15, 4, 0, 0, DateTimeKind.Utc)), ExchangeDay.MidnightEpochNs(ny, Ns(new DateTime(2026, 7, 16, 2, 0, 0, DateTimeKind.Utc))));
    }

    [Fact]
    public void Utc_midnight_agrees_with_the_realtime_clock_helper()
    {
        Assert.True(ExchangeDay.TryFindZone("utc", out var utc));
        long now = RealtimeClock.NowNs();
        Assert.Equal(RealtimeClock.MidnightUtcNs(now), ExchangeDay.MidnightEpochNs(utc, now));
        Assert.False(ExchangeDay.TryFindZone("Mars/Olympus_Mons", out _));
    }
}
