using System;
using Wirespeed.Interop;

namespace Wirespeed.Core.Time;

/// <summary>
/// The two clocks the <see cref="ClockHealthWatcher"/> compares: the local time of day (realtime or a PTP clock, ns
/// since the Unix epoch in UTC) and the monotonic clock. An interface because it is read on the watcher's cold thread
/// only, and tests replace it with a scripted clock that steps, jumps back and drifts on command.
/// </summary>
public interface IClockReader : IDisposable
{
    /// <summary>What is read, for the summary and alerts ("realtime", "ptp /dev/ptp0").</summary>
    string Describe { get; }

    /// <summary>Monotonic ns (the clock of receive timestamps, <see cref="MonoClock"/>).</summary>
    long MonotonicNs();

    /// <summary>Local time of day, ns since the Unix epoch (UTC); false with a reason when the clock cannot be read.</summary>
    bool TryTimeOfDayNs(out long epochNs, out string? error);
}

/// <summary>CLOCK_REALTIME and CLOCK_MONOTONIC of this machine.</summary>
public sealed class RealtimeClockReader : IClockReader
{
    public string Describe => "realtime";
    public long MonotonicNs() => MonoClock.NowNs();

    public bool TryTimeOfDayNs(out long epochNs, out string? error)
    {
        epochNs = RealtimeClock.NowNs();
        error = null;
        return true;
    }

    public void Dispose() { }
}

/// <summary>
/// A PTP hardware clock (<see cref="PtpHardwareClock"/>) as the time of day, corrected from its timescale to UTC by
/// <see cref="ClockHealthOptions.PtpUtcOffsetSeconds"/>; CLOCK_MONOTONIC beside it.
/// </summary>
public sealed class PtpClockReader : IClockReader
{
    private readonly PtpHardwareClock _clock;
    private readonly long _utcOffsetNs;

    private PtpClockReader(PtpHardwareClock clock, int utcOffsetSeconds)
    {
        _clock = clock;
        _utcOffsetNs = utcOffsetSeconds * 1_000_000_000L;
    }

    /// <summary>Opens <paramref name="device"/>; false with the reason (errno named) when it cannot be opened or read as a PTP clock.</summary>
    public static bool TryOpen(string device, int utcOffsetSeconds, out PtpClockReader? reader, out string? error)
    {
        if (!PtpHardwareClock.TryOpen(device, out var clock, out int errno))
        {
            reader = null;
            error = errno switch
            {
                2 => $"{device} does not exist (ENOENT): this machine has no such PTP clock; ls /dev/ptp* and ethtool -T IFACE name the NIC's, or use clock.source realtime",
                13 => $"{device} cannot be opened (EACCES): give the service user read access (a udev rule, or the group of the device)",
                22 => $"{device} is not a PTP clock (EINVAL from clock_gettime on its clock id)",
                _ => $"{device} cannot be read (errno {errno})",
            };
            return false;
        }
        reader = new PtpClockReader(clock!, utcOffsetSeconds);
        error = null;
        return true;
    }

    public string Describe => "ptp " + _clock.Device;
    public long MonotonicNs() => MonoClock.NowNs();

    public bool TryTimeOfDayNs(out long epochNs, out string? error)
    {
        if (!_clock.TryRead(out long ns, out int errno))
        {
            epochNs = 0;
            error = $"clock_gettime({_clock.Device}) failed with errno {errno}";
            return false;
        }
        epochNs = ns - _utcOffsetNs;
        error = null;
        return true;
    }

    public void Dispose() => _clock.Dispose();
}
