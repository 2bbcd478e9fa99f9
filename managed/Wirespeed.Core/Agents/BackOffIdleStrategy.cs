using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Wirespeed.Interop;

namespace Wirespeed.Core.Agents;

/// <summary>Where a <see cref="BackOffIdleStrategy"/> is in its escalation.</summary>
public enum BackOffPhase : byte
{
    /// <summary>Work was just found; the next idle step starts spinning.</summary>
    NotIdle = 0,
    Spinning = 1,
    Yielding = 2,
    Parking = 3,
}

/// <summary>
/// Escalating idle: up to <c>MaxSpins</c> pause-spins, then up to <c>MaxYields</c> yields, then sleeps that start at
/// <c>MinParkUs</c> and double up to <c>MaxParkUs</c>. Any work resets it to <see cref="BackOffPhase.NotIdle"/>.
/// </summary>
/// <remarks>
/// Parks are microsecond sleeps on the monotonic clock (clock_nanosleep), not <see cref="Thread.Sleep(int)"/>, whose
/// whole milliseconds cost a parked worker up to a millisecond of wake-up latency (a pattern worker on a 2-core box
/// measured 256 µs median detection latency that way). Before its first park the thread's timer slack is set to
/// 1 µs: the kernel's default of 50 µs would make every short park at least that long. A park still costs the line its
/// wake-up latency (the sleep plus the scheduler's), which is why a worker on a hot line uses BusySpin instead.
/// </remarks>
public struct BackOffIdleStrategy : IIdleStrategy
{
    private readonly int _maxSpins;
    private readonly int _maxYields;
    private readonly int _minParkUs;
    private readonly int _maxParkUs;
    private int _spins;
    private int _yields;
    private int _parkUs;
    private BackOffPhase _phase;
    private bool _slackSet;

    /// <summary>Timer slack the thread asks for before its first park, in ns (see remarks).</summary>
    public const long TimerSlackNs = 1_000;

    public BackOffIdleStrategy(int maxSpins, int maxYields, int minParkUs, int maxParkUs)
    {
        if (maxSpins < 0) throw new ArgumentOutOfRangeException(nameof(maxSpins), maxSpins, "must be >= 0");
        if (maxYields < 0) throw new ArgumentOutOfRangeException(nameof(maxYields), maxYields, "must be >= 0");
        if (minParkUs < 1) throw new ArgumentOutOfRangeException(nameof(minParkUs), minParkUs, "must be >= 1");
        if (maxParkUs < minParkUs) throw new ArgumentOutOfRangeException(nameof(maxParkUs), maxParkUs, "must be >= minParkUs");
        _maxSpins = maxSpins;
        _maxYields = maxYields;
        _minParkUs = minParkUs;
        _maxParkUs = maxParkUs;
        _spins = 0;
        _yields = 0;
        _parkUs = minParkUs;
        _phase = BackOffPhase.NotIdle;
        _slackSet = false;
        ThreadSleep.Bind();   // cold path: the first park must not resolve the P/Invokes (that allocates)
    }

    /// <summary>Current phase (for tests and diagnostics).</summary>
    public readonly BackOffPhase Phase => _phase;

    /// <summary>Length of the next park in µs.</summary>
    public readonly int NextParkUs => _parkUs;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Idle(int workCount)
    {
        if (workCount > 0)
        {
            if (_phase != BackOffPhase.NotIdle) Reset();
            return;
        }
        Idle();
    }

    public void Idle()
    {
        switch (_phase)
        {
            case BackOffPhase.NotIdle:
                _phase = BackOffPhase.Spinning;
                goto case BackOffPhase.Spinning;
            case BackOffPhase.Spinning:
                if (_spins < _maxSpins)
                {
                    _spins++;
                    Thread.SpinWait(1);
                    return;
                }
                _phase = BackOffPhase.Yielding;
                goto case BackOffPhase.Yielding;
            case BackOffPhase.Yielding:
                if (_yields < _maxYields)
                {
                    _yields++;
                    Thread.Yield();
                    return;
                }
                _phase = BackOffPhase.Parking;
                goto default;
            default:
                if (!_slackSet)
                {
                    // Once per thread; a failure (never seen: PR_SET_TIMERSLACK needs no privilege) only costs slack.
                    ThreadSleep.TrySetTimerSlack(TimerSlackNs);
                    _slackSet = true;
                }
                ThreadSleep.SleepMicroseconds(_parkUs);
                _parkUs = Math.Min(_parkUs * 2, _maxParkUs);
                return;
        }
    }

    public void Reset()
    {
        _spins = 0;
        _yields = 0;
        _parkUs = _minParkUs;
        _phase = BackOffPhase.NotIdle;
    }
}
