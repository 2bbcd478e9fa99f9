using Wirespeed.Core.Time;

namespace Wirespeed.Tests.Infrastructure;

/// <summary>
/// A clock pair a test moves by hand: <see cref="Advance"/> moves both (time passing, slewing included), <see cref="Step"/>
/// moves only the time of day (clock_settime), <see cref="Failing"/> makes the time of day unreadable (a PTP device gone).
/// </summary>
public sealed class ScriptedClock : IClockReader
{
    /// <summary>Monotonic ns.</summary>
    public long Mono = 1_000_000_000;
    /// <summary>Time of day, ns since the epoch (2026-12-07T14:00:00Z).</summary>
    public long TimeOfDay = 1_796_652_000_000_000_000;
    /// <summary>When true, the time of day cannot be read.</summary>
    public bool Failing;
    /// <summary>Reads taken of the time of day.</summary>
    public int Reads;

    public string Describe => "scripted";

    public void Advance(long ns)
    {
        Mono += ns;
        TimeOfDay += ns;
    }

    public void Step(long ns) => TimeOfDay += ns;

    public long MonotonicNs() => Mono;

    public bool TryTimeOfDayNs(out long epochNs, out string? error)
    {
        Reads++;
        epochNs = TimeOfDay;
        error = Failing ? "scripted failure" : null;
        return !Failing;
    }

    public void Dispose() { }
}
