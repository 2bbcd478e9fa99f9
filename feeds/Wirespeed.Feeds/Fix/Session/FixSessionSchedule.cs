using System;

namespace Wirespeed.Feeds.Fix.Session;

/// <summary>
/// When a session may be up, in UTC: a daily window from <see cref="StartTime"/> to <see cref="EndTime"/> (a window
/// that ends before it starts runs over midnight), or always when both are null. With <see cref="DailyReset"/> each
/// window is a new FIX session: sequence numbers start again at 1 (FIX Session Layer, "FIX session" spans a day).
/// </summary>
public sealed record FixSessionSchedule
{
    public static FixSessionSchedule Always { get; } = new();

    /// <summary>Start of the daily window, UTC. Default: null (always).</summary>
    public TimeOnly? StartTime { get; init; }
    /// <summary>End of the daily window, UTC. Default: null (always).</summary>
    public TimeOnly? EndTime { get; init; }
    /// <summary>Reset both sequence numbers to 1 when a new window (or, always up, a new UTC day) starts. Default: false.</summary>
    public bool DailyReset { get; init; }

    public FixSessionSchedule Validated()
    {
        if ((StartTime is null) != (EndTime is null))
            FixSessionOptions.Fail("Schedule." + (StartTime is null ? nameof(StartTime) : nameof(EndTime)), "set both StartTime and EndTime, or neither (always up)");
        if (StartTime is not null && StartTime == EndTime)
            FixSessionOptions.Fail("Schedule." + nameof(EndTime), $"equals StartTime ({StartTime}): leave both unset for a session that is always up");
        return this;
    }

    /// <summary>True when <paramref name="utc"/> lies inside a window.</summary>
    public bool IsActive(DateTime utc) => StartTime is null || WindowStart(utc) is not null;

    /// <summary>Start of the window holding <paramref name="utc"/> (UTC midnight when always up), or null outside.</summary>
    public DateTime? WindowStart(DateTime utc)
    {
        if (StartTime is null || EndTime is null) return utc.Date;
        var time = TimeOnly.FromDateTime(utc);
        TimeOnly start = StartTime.Value, end = EndTime.Value;
        if (start < end)
            return time >= start && time < end ? utc.Date + start.ToTimeSpan() : null;
        if (time >= start) return utc.Date + start.ToTimeSpan();          // over midnight: the evening part
        if (time < end) return utc.Date.AddDays(-1) + start.ToTimeSpan(); // the morning part began yesterday
        return null;
    }
}
