using System;
using System.Runtime.CompilerServices;

namespace Wirespeed.Core.Patterns;

// Temporal building blocks. All time is event time (exchange ns) passed in by the caller, never a clock read, so a
// replay gives the same answers. Each block is a small struct owned by one pattern instance on one worker thread.

/// <summary>"N events within T": true when the latest <c>Count</c> occurrences span at most <c>WindowNs</c>.</summary>
public struct EventsWithin
{
    private readonly long[] _times;   // ring of the latest Count occurrence times, pre-allocated
    private readonly long _windowNs;
    private int _next;
    private int _filled;

    public EventsWithin(int count, long windowNs)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), $"count={count} must be at least 1");
        if (windowNs <= 0) throw new ArgumentOutOfRangeException(nameof(windowNs), $"windowNs={windowNs} must be > 0");
        _times = new long[count];
        _windowNs = windowNs;
    }

    public int Count => _times.Length;

    /// <summary>Occurrences held (at most Count).</summary>
    public int Filled => _filled;

    /// <summary>Records an occurrence at <paramref name="timeNs"/>; true when it completes Count occurrences within the window.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Add(long timeNs)
    {
        long[] times = _times;
        times[_next] = timeNs;
        _next = _next + 1 == times.Length ? 0 : _next + 1;
        if (_filled < times.Length) _filled++;
        // After the write, _next is the oldest of the latest Count occurrences.
        return _filled == times.Length && timeNs - times[_next == times.Length ? 0 : _next] <= _windowNs;
    }

    /// <summary>Forgets every occurrence (after a detection, or when the run is broken).</summary>
    public void Reset()
    {
        _filled = 0;
        _next = 0;
    }
}

/// <summary>"A then B within T": <see cref="First"/> arms it; <see cref="Then"/> is true when B comes at most T after the latest A.</summary>
public struct ThenWithin
{
    private readonly long _windowNs;
    private long _armedAt;
    private bool _armed;

    public ThenWithin(long windowNs)
    {
        if (windowNs <= 0) throw new ArgumentOutOfRangeException(nameof(windowNs), $"windowNs={windowNs} must be > 0");
        _windowNs = windowNs;
        _armedAt = 0;
        _armed = false;
    }

    public bool IsArmed => _armed;

    /// <summary>A happened at <paramref name="timeNs"/> (a later A replaces an earlier one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void First(long timeNs)
    {
        _armedAt = timeNs;
        _armed = true;
    }

    /// <summary>B happened at <paramref name="timeNs"/>: true when within the window after A (and then disarms, so one A pairs with one B).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Then(long timeNs)
    {
        if (!_armed) return false;
        long dt = timeNs - _armedAt;
        if (dt < 0) return false;               // B before A (event time): not a sequence
        if (dt > _windowNs)
        {
            _armed = false;                       // too late: this A is spent
            return false;
        }
        _armed = false;
        return true;
    }
}

/// <summary>
/// "Condition holds for T": fed the condition at each event, true exactly once per episode, at the first event at least
/// T after the condition became true; a false condition ends the episode. T = 0 fires at the first true.
/// Because time is event time, the detection is at the first event after T has passed.
/// </summary>
public struct HoldsFor
{
    private readonly long _holdNs;
    private long _since;
    private bool _active;
    private bool _fired;

    public HoldsFor(long holdNs)
    {
        if (holdNs < 0) throw new ArgumentOutOfRangeException(nameof(holdNs), $"holdNs={holdNs} must be ≥ 0");
        _holdNs = holdNs;
        _since = 0;
        _active = false;
        _fired = false;
    }

    /// <summary>True while the condition has been true since <see cref="Since"/>.</summary>
    public bool Active => _active;

    /// <summary>Event time the current episode began.</summary>
    public long Since => _since;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Update(bool condition, long timeNs)
    {
        if (!condition)
        {
            _active = false;
            _fired = false;
            return false;
        }
        if (!_active)
        {
            _active = true;
            _fired = false;
            _since = timeNs;
        }
        if (_fired || timeNs - _since < _holdNs) return false;
        _fired = true;
        return true;
    }
}
