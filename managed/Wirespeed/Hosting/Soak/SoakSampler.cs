using System;
using HdrHistogram;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Time;
using Wirespeed.Hosting.Lines;

namespace Wirespeed.Hosting.Soak;

/// <summary>
/// Takes the soak's rows: at each interval's end it closes the monitor's interval (<see cref="RunMonitor.SampleInterval"/>,
/// so the service and end-to-end histograms hold exactly the interval) and reads the process and the feed's counters,
/// keeping each row's counts as the difference from the previous row. The command's thread drives it (the monitor has
/// no thread of its own in a soak). Cold path: a row a simulated hour.
/// </summary>
internal sealed class SoakSampler
{
    private readonly RunMonitor _monitor;
    private readonly FeedHost _host;
    private Snapshot _last;
    private long _lastNs;

    public SoakSampler(RunMonitor monitor, FeedHost host)
    {
        _monitor = monitor;
        _host = host;
        _last = Take();
        _lastNs = MonoClock.NowNs();
    }

    /// <summary>Closes the interval [<paramref name="fromSeconds"/>, <paramref name="toSeconds"/>) of the day (simulated seconds) and returns its row.</summary>
    public SoakInterval Sample(int index, double fromSeconds, double toSeconds, double daySeconds)
    {
        _monitor.SampleInterval();
        long now = MonoClock.NowNs();
        var s = Take();
        MonitoredStage? service = null, e2e = null;
        foreach (var st in _monitor.Stages)
        {
            if (st.Role == StageRole.Service) service ??= st;
            else if (st.Role == StageRole.EndToEnd) e2e ??= st;
        }
        long orders = 0, ordersHw = 0, ordersCap = 0, levels = 0, levelsHw = 0, levelsCap = 0;
        foreach (var line in _host.Lines)
        {
            var b = line.Books;
            orders += b.OrderAccount.Used; ordersHw += b.OrderAccount.HighWater; ordersCap += b.OrderAccount.CapacityUnits;
            levels += b.LevelAccount.Used; levelsHw += b.LevelAccount.HighWater; levelsCap += b.LevelAccount.CapacityUnits;
        }
        double steal = _monitor.IntervalStealPercent;
        var row = new SoakInterval
        {
            Index = index,
            FromSeconds = fromSeconds,
            ToSeconds = toSeconds,
            Phases = SoakDay.Covering(fromSeconds / daySeconds, toSeconds / daySeconds),
            WallSeconds = (now - _lastNs) / 1e9,
            Messages = s.Delivered - _last.Delivered,
            ServiceP50Ns = At(service, 50), ServiceP99Ns = At(service, 99), ServiceP999Ns = At(service, 99.9), ServiceMaxNs = Max(service),
            EndToEndP50Ns = At(e2e, 50), EndToEndP99Ns = At(e2e, 99), EndToEndP999Ns = At(e2e, 99.9), EndToEndMaxNs = Max(e2e),
            RssBytes = Environment.WorkingSet,
            OrdersUsed = orders, OrdersHighWater = ordersHw, OrdersCapacity = ordersCap,
            LevelsUsed = levels, LevelsHighWater = levelsHw, LevelsCapacity = levelsCap,
            PoolExhausted = s.Exhausted - _last.Exhausted,
            Gen0 = s.Gen0 - _last.Gen0, Gen1 = s.Gen1 - _last.Gen1, Gen2 = s.Gen2 - _last.Gen2,
            GcPauseNs = (long)((s.Pause - _last.Pause).TotalMilliseconds * 1e6),
            AllocatedBytes = s.Allocated - _last.Allocated,
            GapMessages = s.Gaps - _last.Gaps,
            Drops = s.Drops - _last.Drops,
            BreakerTrips = s.Trips - _last.Trips,
            Signals = s.Signals - _last.Signals,
            StealBasisPoints = double.IsNaN(steal) ? -1 : (long)Math.Round(steal * 100),
        };
        _last = s;
        _lastNs = now;
        return row;
    }

    private static long At(MonitoredStage? stage, double percentile)
    {
        var h = Interval(stage);
        return h is null || h.TotalCount == 0 ? 0 : HistogramStats.ValueAtPercentile(h, percentile);
    }

    private static long Max(MonitoredStage? stage)
    {
        var h = Interval(stage);
        return h is null || h.TotalCount == 0 ? 0 : HistogramStats.Max(h);
    }

    private static HistogramBase? Interval(MonitoredStage? stage) => stage?.IntervalHistogram;

    private Snapshot Take()
    {
        long exhausted = 0;
        foreach (var line in _host.Lines) exhausted += line.Books.OrderAccount.Exhausted + line.Books.LevelAccount.Exhausted;
        return new Snapshot(
            _host.Delivered,
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(precise: false),
            _host.GapMessages,
            _host.Patterns?.Publish.Dropped ?? 0,
            _host.Priority.Breakers.TripsUp,
            _host.Patterns?.Totals.Detected ?? 0,
            exhausted);
    }

    // GC.CollectionCount(n) as the runtime reports it: a gen2 collection counts in gen1 and gen0 too.
    private readonly record struct Snapshot(long Delivered, long Gen0, long Gen1, long Gen2, TimeSpan Pause, long Allocated,
        long Gaps, long Drops, long Trips, long Signals, long Exhausted);
}
