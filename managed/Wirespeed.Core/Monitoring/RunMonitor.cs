using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using HdrHistogram;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Time;

namespace Wirespeed.Core.Monitoring;

/// <summary>What a registered histogram measures; decides where it lands in the <see cref="RunSummary"/>.</summary>
public enum StageRole : byte
{
    /// <summary>A pipeline stage (summary: stages).</summary>
    Stage,
    /// <summary>Service time, work per event without queueing (summary: service).</summary>
    Service,
    /// <summary>Receive timestamp to the last stage (summary: end_to_end).</summary>
    EndToEnd,
    /// <summary>The hiccup meter (summary: host.hiccup). Registered by the monitor itself.</summary>
    Hiccup,
}

/// <summary>Monitor settings. Checked by the <see cref="RunMonitor"/> constructor.</summary>
public sealed record MonitorOptions
{
    /// <summary>Sampling interval in ms: histograms, budget checks, .hlog lines, progress. Default: 1000.</summary>
    public int IntervalMs { get; init; } = 1000;

    /// <summary>Where to write the interval log (.hlog); null writes none. Default: null.</summary>
    public string? HlogPath { get; init; }

    /// <summary>Where alert lines go. Default: null, meaning standard error.</summary>
    public TextWriter? AlertOutput { get; init; }

    /// <summary>Whether to run the <see cref="HiccupMeter"/> during the run. Default: true.</summary>
    public bool HiccupMeter { get; init; } = true;

    /// <summary>The hiccup meter's sleep per round, ms. Default: 1.</summary>
    public int HiccupIntervalMs { get; init; } = 1;

    /// <summary>Pools and arenas to report. Default: null (none).</summary>
    public MemoryRegistry? Memory { get; init; }

    internal MonitorOptions Validated()
    {
        if (IntervalMs < 10) ThrowHelper.Argument(nameof(IntervalMs), $"{nameof(IntervalMs)}={IntervalMs} must be at least 10 ms, e.g. 1000");
        if (HiccupIntervalMs < 1) ThrowHelper.Argument(nameof(HiccupIntervalMs), $"{nameof(HiccupIntervalMs)}={HiccupIntervalMs} must be at least 1 ms");
        return this;
    }
}

/// <summary>
/// One registered histogram as the monitor sees it. Read it from the progress callback (monitor thread) or after
/// <see cref="RunMonitor.Stop"/>.
/// </summary>
public sealed class MonitoredStage
{
    internal HistogramBase? Interval;
    internal long OverrunsAtStart;
    internal long ClampedAtStart;

    internal MonitoredStage(StageMetrics metrics, StageRole role)
    {
        Metrics = metrics;
        Role = role;
        Total = StageMetrics.CreateCompatibleHistogram();
        // The spare that the first SampleInterval swaps in. Created here, at registration, because a histogram of this
        // range is a large-object-heap array (≈ 200 KB): allocating one per stage on the monitor thread once the run
        // had begun pushed the LOH over its budget and caused a full collection in the measured run.
        Interval = StageMetrics.CreateCompatibleHistogram();
    }

    public StageMetrics Metrics { get; }
    public StageRole Role { get; }

    /// <summary>Every value of the run so far.</summary>
    public HistogramBase Total { get; }

    /// <summary>Values in the last interval.</summary>
    public long IntervalCount { get; internal set; }

    /// <summary>
    /// The last interval's histogram (recycled by the next <see cref="RunMonitor.SampleInterval"/>: read it from the
    /// progress callback or between two samples on the thread that drives them; soak takes its percentiles from it).
    /// </summary>
    public HistogramBase? IntervalHistogram => Interval;

    /// <summary>p99.9 of the last interval, ns (0 when it was empty).</summary>
    public long IntervalP999Ns { get; internal set; }

    /// <summary>Max of the last interval, ns.</summary>
    public long IntervalMaxNs { get; internal set; }

    /// <summary>Intervals whose p99.9 exceeded the stage's budget.</summary>
    public long Alerts { get; internal set; }
}

/// <summary>
/// The monitor: a cold background thread that, every interval, samples each registered <see cref="StageMetrics"/>,
/// adds the interval into a whole-run histogram, appends .hlog lines, checks each stage's interval p99.9 against its
/// budget (raising an alert line on standard error when exceeded), and calls <see cref="Progress"/>. Around the run it
/// records host interference (hiccup meter, /proc/stat steal), GC figures, hot-thread allocation and memory accounts,
/// and builds the <see cref="RunSummary"/>.
/// </summary>
/// <remarks>
/// Register stages and probes before <see cref="Start"/>. Without an .hlog file, an interval allocates nothing in
/// steady state (interval histograms are recycled, figures are computed by walking buckets); writing an .hlog line
/// allocates the zlib stream. An alert line is formatted only when an alert fires.
/// </remarks>
public sealed class RunMonitor : IDisposable
{
    private readonly MonitorOptions _options;
    private readonly List<MonitoredStage> _stages = new();
    private readonly List<ThreadAllocationProbe> _probes = new();
    private readonly ManualResetEventSlim _stopSignal = new(false);
    private readonly ProcStatReader _procStat = new();
    private readonly TextWriter _alertOutput;
    private HiccupMeter? _hiccup;
    private HlogWriter? _hlog;
    private Thread? _thread;
    private RuntimeFigures _runtimeStart, _runtimeEnd;
    private CpuTimes _cpuStart, _cpuEnd, _cpuLast;
    private bool _cpuStartValid, _cpuEndValid;
    private long _startUnixMs, _endUnixMs, _intervalStartUnixMs, _startNs, _endNs;
    private bool _started, _stopped;

    public RunMonitor(MonitorOptions options)
    {
        _options = options.Validated();
        _alertOutput = options.AlertOutput ?? Console.Error;
    }

    /// <summary>Called on the monitor thread after each interval (the command prints live progress). Cold path.</summary>
    public Action<RunMonitor>? Progress { get; set; }

    /// <summary>Registered stages, in registration order (the hiccup meter last, once started).</summary>
    public IReadOnlyList<MonitoredStage> Stages => _stages;

    /// <summary>Intervals completed.</summary>
    public long Intervals { get; private set; }

    /// <summary>Steal during the last interval, % of CPU time (NaN where /proc/stat is unavailable).</summary>
    public double IntervalStealPercent { get; private set; } = double.NaN;

    private long _alerts;

    /// <summary>Alerts raised so far: budgets (all stages) and those raised through <see cref="RaiseAlert"/>.</summary>
    public long Alerts => Interlocked.Read(ref _alerts);

    /// <summary>
    /// Counts and prints an alert line raised by another watcher (clock health, worker supervisor). Any thread: the
    /// line is written whole (TextWriter.Synchronized is not assumed; a lock orders the writers).
    /// </summary>
    public void RaiseAlert(string line)
    {
        Interlocked.Increment(ref _alerts);
        WriteAlert(line);
    }

    /// <summary>Registers a stage before <see cref="Start"/>.</summary>
    public MonitoredStage Add(StageMetrics metrics, StageRole role = StageRole.Stage)
    {
        if (_started) ThrowHelper.InvalidOperation("register stages before Start");
        var stage = new MonitoredStage(metrics, role);
        _stages.Add(stage);
        return stage;
    }

    /// <summary>Registers a hot thread's allocation probe.</summary>
    public void AddProbe(ThreadAllocationProbe probe)
    {
        if (_started) ThrowHelper.InvalidOperation("register probes before Start");
        _probes.Add(probe);
    }

    /// <summary>Takes the start figures, starts the hiccup meter, opens the .hlog file and starts the thread.</summary>
    public void Start()
    {
        BeginRun();
        _thread = new Thread(Run) { IsBackground = true, Name = "ws-monitor" };
        _thread.Start();
    }

    /// <summary>
    /// As <see cref="Start"/> without the thread: the caller drives intervals with <see cref="SampleInterval"/>
    /// (tests, and commands that want to sample at their own points).
    /// </summary>
    public void BeginRun()
    {
        if (_started) ThrowHelper.InvalidOperation("monitor already started");
        _started = true;
        if (_options.HiccupMeter)
        {
            _hiccup = new HiccupMeter(_options.HiccupIntervalMs);
            _stages.Add(new MonitoredStage(_hiccup.Metrics, StageRole.Hiccup));
            _hiccup.Start();
        }
        _startUnixMs = _intervalStartUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _startNs = MonoClock.NowNs();
        if (_options.HlogPath is not null) _hlog = HlogWriter.Create(_options.HlogPath, _startUnixMs);
        _cpuStartValid = _procStat.TryRead(out _cpuStart);
        _cpuLast = _cpuStart;
        // Take (and drop) whatever was recorded before the run (warm-up), so the first interval starts now and the
        // summary's counters cover the same values as its histograms.
        for (int i = 0; i < _stages.Count; i++)
        {
            var stage = _stages[i];
            stage.OverrunsAtStart = stage.Metrics.Overruns;
            stage.ClampedAtStart = stage.Metrics.Clamped;
            stage.Interval = stage.Metrics.SampleInterval(stage.Interval);
        }
        // Last, so that the run's GC and allocation figures cover only the run, not the monitor's own start.
        _runtimeStart = RuntimeFigures.Capture();
    }

    /// <summary>
    /// One interval: sample, total, log, check budgets, report progress. Called by the monitor thread, or by the
    /// caller after <see cref="BeginRun"/>. Never call it concurrently with the thread.
    /// </summary>
    public void SampleInterval()
    {
        long nowUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (int i = 0; i < _stages.Count; i++)
        {
            var stage = _stages[i];
            var interval = stage.Metrics.SampleInterval(stage.Interval);
            stage.Interval = interval;
            stage.Total.Add(interval);
            long count = interval.TotalCount;
            stage.IntervalCount = count;
            HistogramStats.PercentileAndMax(interval, 99.9, out long p999, out long max);
            stage.IntervalP999Ns = p999;
            stage.IntervalMaxNs = max;
            long budget = stage.Metrics.BudgetNs;
            if (budget > 0 && count > 0 && stage.IntervalP999Ns > budget) RaiseBudgetAlert(stage, budget);
        }
        if (_hlog is not null) AppendHlog(nowUnixMs);
        if (_procStat.TryRead(out var cpu))
        {
            IntervalStealPercent = CpuTimes.StealPercent(_cpuLast, cpu);
            _cpuLast = cpu;
        }
        _intervalStartUnixMs = nowUnixMs;
        Intervals++;
        if (Progress is { } progress)
        {
            // A failing progress printer must not take the monitor thread (and with it the process) down.
            try { progress(this); }
            catch (Exception e)
            {
                Progress = null;
                WriteAlert($"wirespeed alert kind=progress_failed error={OneWord(e.GetType().Name)} interval={Intervals - 1}");
            }
        }
    }

    private void AppendHlog(long nowUnixMs)
    {
        try
        {
            for (int i = 0; i < _stages.Count; i++)
                _hlog!.Append(_stages[i].Metrics.Name, _intervalStartUnixMs, nowUnixMs, _stages[i].Interval!);
            _hlog!.Flush();
        }
        catch (IOException e)
        {
            // Disk full or gone: the run goes on without its interval log, and says so once.
            WriteAlert($"wirespeed alert kind=hlog_failed path={OneWord(_options.HlogPath ?? "")} error={OneWord(Reason(e))} interval={Intervals}");
            try { _hlog!.Dispose(); } catch (IOException) { }
            _hlog = null;
            HlogFailed = true;
        }
    }

    /// <summary>True when writing the .hlog file failed and the monitor stopped writing it.</summary>
    public bool HlogFailed { get; private set; }

    /// <summary>Stops the thread, samples the last partial interval, stops the hiccup meter, closes the .hlog file.</summary>
    public void Stop()
    {
        if (!_started || _stopped) return;
        _stopped = true;
        _stopSignal.Set();
        _thread?.Join();
        _hiccup?.Stop();
        SampleInterval();
        _endNs = MonoClock.NowNs();
        _endUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _runtimeEnd = RuntimeFigures.Capture();
        _cpuEndValid = _procStat.TryRead(out _cpuEnd);
        try { _hlog?.Dispose(); }
        catch (IOException e)
        {
            WriteAlert($"wirespeed alert kind=hlog_failed path={OneWord(_options.HlogPath ?? "")} error={OneWord(Reason(e))} interval={Intervals}");
            HlogFailed = true;
        }
        _hlog = null;
    }

    /// <summary>The run's summary (call after <see cref="Stop"/>; before it, figures are up to the last interval).</summary>
    public RunSummary BuildSummary(string command)
    {
        long endNs = _stopped ? _endNs : MonoClock.NowNs();
        var runtime = (_stopped ? _runtimeEnd : RuntimeFigures.Capture()).Since(_runtimeStart);
        var summary = new RunSummary
        {
            Command = command,
            StartedUnixMs = _startUnixMs,
            DurationSeconds = (endNs - _startNs) / 1e9,
            Alerts = Alerts,
            Gc = new GcSummary
            {
                Gen0 = runtime.Gen0, Gen1 = runtime.Gen1, Gen2 = runtime.Gen2,
                PauseTotalMs = runtime.PauseTotal.TotalMilliseconds, AllocatedBytes = runtime.AllocatedBytes,
            },
        };
        summary.Host.ProcessorCount = Environment.ProcessorCount;
        summary.Host.HiccupIntervalMs = _hiccup is null ? 0 : _options.HiccupIntervalMs;
        CpuTimes end = default;
        bool endValid = _stopped ? _cpuEndValid : _procStat.TryRead(out end);
        if (_stopped) end = _cpuEnd;
        if (_cpuStartValid && endValid) summary.Host.StealPercent = CpuTimes.StealPercent(_cpuStart, end);

        foreach (var stage in _stages)
        {
            var s = LatencySummary.From(stage.Metrics.Name, stage.Total);
            s.BudgetNs = stage.Metrics.BudgetNs;
            s.Overruns = stage.Metrics.Overruns - stage.OverrunsAtStart;
            s.Clamped = stage.Metrics.Clamped - stage.ClampedAtStart;
            s.Alerts = stage.Alerts;
            switch (stage.Role)
            {
                case StageRole.Service: summary.Service = s; break;
                case StageRole.EndToEnd: summary.EndToEnd = s; break;
                case StageRole.Hiccup: summary.Host.Hiccup = s; break;
                default: summary.Stages.Add(s); break;
            }
        }
        foreach (var p in _probes)
            summary.HotThreads.Add(new ThreadAllocationSummary { Name = p.Name, AllocatedBytes = p.AllocatedSinceMark, Marked = p.IsMarked });
        if (_options.Memory is { } registry)
            foreach (var a in registry.Snapshot())
                summary.Memory.Add(new MemoryAccountSummary
                {
                    Name = a.Name, ReservedBytes = a.ReservedBytes, CapacityUnits = a.CapacityUnits,
                    UsedUnits = a.Used, HighWaterUnits = a.HighWater, Exhausted = a.Exhausted,
                });
        return summary;
    }

    public void Dispose()
    {
        Stop();
        _hiccup?.Dispose();
        _procStat.Dispose();
        _stopSignal.Dispose();
    }

    private void Run()
    {
        long intervalNs = _options.IntervalMs * 1_000_000L;
        long next = _startNs + intervalNs;
        while (true)
        {
            long waitMs = (next - MonoClock.NowNs() + 999_999) / 1_000_000;
            if (waitMs > 0 && _stopSignal.Wait((int)waitMs)) return; // Stop samples the final partial interval
            if (_stopSignal.IsSet) return;
            SampleInterval();
            next += intervalNs;
            long now = MonoClock.NowNs();
            if (next < now) next = now + intervalNs; // a stalled host skipped intervals: do not burst to catch up
        }
    }

    /// <summary>
    /// One line, key=value, journald-friendly (interval counts from 0 at the start of the run):
    /// <c>wirespeed alert stage=decode kind=budget p999_ns=1520 budget_ns=1000 max_ns=8800 count=1000 interval=17</c>.
    /// </summary>
    private void RaiseBudgetAlert(MonitoredStage stage, long budget)
    {
        stage.Alerts++;
        Interlocked.Increment(ref _alerts);
        WriteAlert(string.Create(CultureInfo.InvariantCulture,
            $"wirespeed alert stage={OneWord(stage.Metrics.Name)} kind=budget p999_ns={stage.IntervalP999Ns} budget_ns={budget} max_ns={stage.IntervalMaxNs} count={stage.IntervalCount} interval={Intervals}"));
    }

    private void WriteAlert(string line)
    {
        lock (_alertOutput)
        {
            _alertOutput.WriteLine(line);
            _alertOutput.Flush();
        }
    }

    /// <summary>The system's reason ("No space left on device") without the " : 'path'" .NET appends: the line names the path once.</summary>
    private static string Reason(IOException e)
    {
        int quote = e.Message.IndexOf(" : '", StringComparison.Ordinal);
        return quote > 0 ? e.Message.Substring(0, quote) : e.Message;
    }

    /// <summary>A value safe inside a key=value line: no spaces or line breaks.</summary>
    private static string OneWord(string value)
    {
        foreach (char c in value)
            if (char.IsWhiteSpace(c) || c == '=') return string.Create(value.Length, value, static (span, v) =>
            {
                for (int i = 0; i < v.Length; i++) span[i] = char.IsWhiteSpace(v[i]) || v[i] == '=' ? '_' : v[i];
            });
        return value;
    }
}
