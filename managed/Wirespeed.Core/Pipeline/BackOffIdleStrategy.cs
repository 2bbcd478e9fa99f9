using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Wirespeed.Core.Pipeline;

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
/// <c>MinParkMs</c> and double up to <c>MaxParkMs</c>. Any work resets it to <see cref="BackOffPhase.NotIdle"/>.
/// </summary>
/// <remarks>
/// Sleeps are whole milliseconds because that is what <see cref="Thread.Sleep(int)"/> offers; a park costs the
/// line at least that much wake-up latency, which is why a worker on a hot line uses BusySpin instead.
/// </remarks>
public struct BackOffIdleStrategy : IIdleStrategy
{
    private readonly int _maxSpins;
    private readonly int _maxYields;
    private readonly int _minParkMs;
    private readonly int _maxParkMs;
    private int _spins;
    private int _yields;
    private int _parkMs;
    private BackOffPhase _phase;

    public BackOffIdleStrategy(int maxSpins, int maxYields, int minParkMs, int maxParkMs)
    {
        if (maxSpins < 0) throw new ArgumentOutOfRangeException(nameof(maxSpins), maxSpins, "must be >= 0");
        if (maxYields < 0) throw new ArgumentOutOfRangeException(nameof(maxYields), maxYields, "must be >= 0");
        if (minParkMs < 1) throw new ArgumentOutOfRangeException(nameof(minParkMs), minParkMs, "must be >= 1");
        if (maxParkMs < minParkMs) throw new ArgumentOutOfRangeException(nameof(maxParkMs), maxParkMs, "must be >= minParkMs");
        _maxSpins = maxSpins;
        _maxYields = maxYields;
        _minParkMs = minParkMs;
        _maxParkMs = maxParkMs;
        _spins = 0;
        _yields = 0;
        _parkMs = minParkMs;
        _phase = BackOffPhase.NotIdle;
    }

    /// <summary>Current phase (for tests and diagnostics).</summary>
    public readonly BackOffPhase Phase => _phase;

    /// <summary>Length of the next park in ms.</summary>
    public readonly int NextParkMs => _parkMs;

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
                Thread.Sleep(_parkMs);
                _parkMs = Math.Min(_parkMs * 2, _maxParkMs);
                return;
        }
    }

    public void Reset()
    {
        _spins = 0;
        _yields = 0;
        _parkMs = _minParkMs;
        _phase = BackOffPhase.NotIdle;
    }
}
