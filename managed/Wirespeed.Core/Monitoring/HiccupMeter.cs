using System;
using System.Threading;
using Wirespeed.Core.Time;

namespace Wirespeed.Core.Monitoring;

/// <summary>
/// Host interference meter in the style of jHiccup: a background thread that does nothing but sleep a fixed short
/// interval, again and again, and records how much later than asked it woke up. Code cannot explain those gaps, so they
/// measure the host (steal, scheduling, timer slack); a latency tail that matches the hiccup tail is the machine, not
/// the pipeline (PLATFORM.md). It sleeps, never spins, so it costs no core.
/// </summary>
/// <remarks>
/// The recorded value is <c>woke − (went to sleep + interval)</c> in ns (at least 1). An idle Linux box still shows
/// the kernel's timer slack (about 50 µs) plus the wake-up path; the tail above that is interference.
/// As jHiccup does, a stall longer than the interval also records the samples the stall swallowed (stall − interval,
/// stall − 2 × interval, …), so the histogram is weighted by time, not by wake-ups: a 30 ms stall in a 1 ms meter is
/// 30 samples, as it would be for a pipeline that handles an event every millisecond. Without that correction one
/// long stall would look like a single outlier among thousands.
/// </remarks>
public sealed class HiccupMeter : IDisposable
{
    private readonly int _intervalMs;
    private Thread? _thread;
    private volatile bool _stop;

    /// <param name="intervalMs">Sleep per round in ms. Default: 1.</param>
    public HiccupMeter(int intervalMs = 1)
    {
        if (intervalMs < 1) ThrowHelper.Argument(nameof(intervalMs), "must be at least 1 ms");
        _intervalMs = intervalMs;
        Metrics = new StageMetrics("hiccup", 0);
    }

    /// <summary>The hiccups, in ns: sample and total it like any stage (tag "hiccup" in .hlog files).</summary>
    public StageMetrics Metrics { get; }

    /// <summary>Whether the thread is running.</summary>
    public bool IsRunning => _thread is not null;

    /// <summary>Starts the thread (once).</summary>
    public void Start()
    {
        if (_thread is not null) return;
        _stop = false;
        _thread = new Thread(Run) { IsBackground = true, Name = "ws-hiccup" };
        _thread.Start();
    }

    /// <summary>Stops the thread and waits for it (at most one sleep interval plus scheduling).</summary>
    public void Stop()
    {
        var t = _thread;
        if (t is null) return;
        _stop = true;
        t.Join();
        _thread = null;
    }

    public void Dispose() => Stop();

    private void Run()
    {
        long intervalNs = _intervalMs * 1_000_000L;
        while (!_stop)
        {
            long before = MonoClock.NowNs();
            Thread.Sleep(_intervalMs);
            RecordWake(Metrics, MonoClock.NowNs() - before - intervalNs, intervalNs);
        }
    }

    /// <summary>Records one wake-up <paramref name="lateNs"/> late, back-filling the samples a long stall swallowed.</summary>
    internal static void RecordWake(StageMetrics metrics, long lateNs, long intervalNs)
    {
        metrics.Record(lateNs);
        for (long missed = lateNs - intervalNs; missed >= intervalNs; missed -= intervalNs) metrics.Record(missed);
    }
}
