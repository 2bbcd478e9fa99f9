using System;
using System.Runtime.CompilerServices;

namespace Wirespeed.Core.Patterns;

/// <summary>
/// Mean and standard deviation of the latest N samples, over a fixed ring. Sums are kept around a shift (the first
/// sample) so that log spreads near a large constant do not lose precision, and are recomputed from the ring every
/// N pushes so floating-point drift cannot build up.
/// </summary>
public struct RollingStats
{
    private readonly double[] _ring;
    private int _next;
    private int _count;
    private int _sinceRecompute;
    private double _shift;
    private double _sum;
    private double _sumSq;

    public RollingStats(int window)
    {
        if (window < 2) throw new ArgumentOutOfRangeException(nameof(window), $"window={window} must be at least 2");
        _ring = new double[window];
        _next = 0;
        _count = 0;
        _sinceRecompute = 0;
        _shift = 0;
        _sum = 0;
        _sumSq = 0;
    }

    public int Window => _ring.Length;
    public int Count => _count;
    public bool IsFull => _count == _ring.Length;

    public double Mean => _count == 0 ? 0 : _shift + _sum / _count;

    /// <summary>Population standard deviation of the samples held.</summary>
    public double StdDev
    {
        get
        {
            if (_count < 2) return 0;
            double m = _sum / _count;
            double v = _sumSq / _count - m * m;
            return v > 0 ? Math.Sqrt(v) : 0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(double value)
    {
        if (_count == 0 && _sinceRecompute == 0) _shift = value;
        double x = value - _shift;
        double[] ring = _ring;
        if (_count == ring.Length)
        {
            double old = ring[_next];
            _sum -= old;
            _sumSq -= old * old;
        }
        else _count++;
        ring[_next] = x;
        _sum += x;
        _sumSq += x * x;
        _next = _next + 1 == ring.Length ? 0 : _next + 1;
        if (++_sinceRecompute == ring.Length) Recompute();
    }

    private void Recompute()
    {
        _sinceRecompute = 1;
        double s = 0, q = 0;
        for (int i = 0; i < _count; i++)
        {
            double x = _ring[i];
            s += x;
            q += x * x;
        }
        _sum = s;
        _sumSq = q;
    }
}

/// <summary>
/// The latest values of one series with their event times, in a fixed ring: answers "what was the value at time t"
/// (the newest sample at or before t). When the ring does not reach back to t, the oldest sample is the answer, so a
/// move over T is measured over a shorter span: size the ring for the update rate (capacity ≥ updates per T).
/// </summary>
public struct TimedSeries
{
    private readonly long[] _times;
    private readonly double[] _values;
    private int _next;
    private int _count;

    public TimedSeries(int capacity)
    {
        if (capacity < 2) throw new ArgumentOutOfRangeException(nameof(capacity), $"capacity={capacity} must be at least 2");
        _times = new long[capacity];
        _values = new double[capacity];
        _next = 0;
        _count = 0;
    }

    public int Count => _count;

    /// <summary>Newest value (0 when empty).</summary>
    public double Latest => _count == 0 ? 0 : _values[_next == 0 ? _values.Length - 1 : _next - 1];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(long timeNs, double value)
    {
        _times[_next] = timeNs;
        _values[_next] = value;
        _next = _next + 1 == _times.Length ? 0 : _next + 1;
        if (_count < _times.Length) _count++;
    }

    /// <summary>Value of the newest sample at or before <paramref name="timeNs"/>, else the oldest; 0 when empty.</summary>
    public double ValueAt(long timeNs)
    {
        int cap = _times.Length;
        int i = _next;
        for (int k = 0; k < _count; k++)
        {
            i = i == 0 ? cap - 1 : i - 1;
            if (_times[i] <= timeNs) return _values[i];
        }
        return _count == 0 ? 0 : _values[i];
    }
}
