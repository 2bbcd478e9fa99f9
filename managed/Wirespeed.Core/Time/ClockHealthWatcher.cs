using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;

namespace Wirespeed.Core.Time;

/// <summary>
/// Watches the local clock on a cold thread of its own (never the hot path): every
/// <see cref="ClockHealthOptions.IntervalMs"/> it reads the time of day (realtime or PTP) bracketed by two monotonic
/// reads and checks three things.
/// <list type="bullet">
/// <item>Step: (time of day − monotonic) changed by more than the step threshold since the last sample. Slewing moves
/// both clocks together, so only a step (clock_settime, ADJ_SETOFFSET, a leap second) changes the difference.</item>
/// <item>Backward jump: the time of day is earlier than at the last sample (a step back larger than the interval).</item>
/// <item>Drift: the last decoded packet's receive time, converted to the time of day, minus its exchange timestamp is
/// beyond the drift threshold either way (exchange and local clocks disagree, or the feed runs that late).</item>
/// </list>
/// On each it raises an alert (one line, <c>wirespeed alert kind=clock_step …</c>), counts it, and publishes the suspect
/// flag in <see cref="ClockHealthState"/>: events decoded from then on carry <c>EventFlags.ClockSuspect</c>, until
/// <see cref="ClockHealthOptions.SuspectHoldMs"/> after the last step or jump and for as long as drift lasts.
/// </summary>
/// <remarks>Drive it with <see cref="Start"/> (its thread) or call <see cref="Sample"/> directly (tests). Not both.</remarks>
public sealed class ClockHealthWatcher : IDisposable
{
    /// <summary>A pair of monotonic reads further apart than this was interrupted (host stall): read again.</summary>
    private const long MaxBracketNs = 50_000;
    private const int MaxBracketTries = 5;

    private readonly ClockHealthOptions _options;
    private readonly IClockReader _clock;
    private readonly Action<string>? _alert;
    private readonly ManualResetEventSlim _stop = new(false);
    private readonly List<string> _events = new();
    private Thread? _thread;
    private bool _hasLast;
    private long _lastOffset, _lastTimeOfDay, _lastObservedReceive;
    private long _suspectUntilMono;
    private bool _drifting, _readFailing;

    /// <param name="options">Thresholds (validated here).</param>
    /// <param name="clock">The clocks to read; owned by the watcher from now on.</param>
    /// <param name="state">Where the flag is published and the decoder's observations are read.</param>
    /// <param name="alert">Receives each alert line (the monitor counts and prints it); null prints to stderr.</param>
    public ClockHealthWatcher(ClockHealthOptions options, IClockReader clock, ClockHealthState state, Action<string>? alert)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(state);
        _options = options.Validated();
        _clock = clock;
        State = state;
        _alert = alert;
    }

    public ClockHealthState State { get; }
    public ClockHealthOptions Options => _options;
    /// <summary>What is read ("realtime", "ptp /dev/ptp0").</summary>
    public string Source => _clock.Describe;

    /// <summary>Samples taken.</summary>
    public long Samples { get; private set; }
    /// <summary>Steps of (time of day − monotonic) beyond the threshold, not counting backward jumps.</summary>
    public long Steps { get; private set; }
    /// <summary>Samples at which the time of day went backwards.</summary>
    public long BackwardJumps { get; private set; }
    /// <summary>Times the exchange-vs-local difference went beyond the drift threshold.</summary>
    public long DriftEpisodes { get; private set; }
    /// <summary>Samples at which the time of day could not be read (PTP device gone).</summary>
    public long ReadFailures { get; private set; }
    /// <summary>Times the suspect flag was raised.</summary>
    public long SuspectPeriods { get; private set; }
    /// <summary>Largest step seen (absolute), ns.</summary>
    public long MaxStepNs { get; private set; }
    /// <summary>Last exchange-vs-local difference measured (receive time on the local clock − exchange time), ns.</summary>
    public long LastDriftNs { get; private set; }
    /// <summary>Largest absolute exchange-vs-local difference measured, ns.</summary>
    public long MaxAbsDriftNs { get; private set; }
    /// <summary>Exchange-vs-local differences measured (packets observed).</summary>
    public long DriftSamples { get; private set; }

    /// <summary>What happened, one line each (at most 32 kept), for the summary's notes.</summary>
    public IReadOnlyList<string> Events
    {
        get { lock (_events) return _events.ToArray(); }
    }

    /// <summary>Starts the thread (one sample at once, then one per interval).</summary>
    public void Start()
    {
        if (_thread is not null) throw new InvalidOperationException("clock-health watcher already started");
        _thread = new Thread(Run) { IsBackground = true, Name = "ws-clock" };
        _thread.Start();
    }

    /// <summary>Stops the thread (idempotent).</summary>
    public void Stop()
    {
        _stop.Set();
        _thread?.Join();
    }

    public void Dispose()
    {
        Stop();
        _clock.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        do Sample();
        while (!_stop.Wait(_options.IntervalMs));
    }

    /// <summary>One check: reads the clocks, detects steps, backward jumps and drift, raises alerts, publishes the flag.</summary>
    public void Sample()
    {
        if (!TryRead(out long mono, out long timeOfDay, out string? error))
        {
            ReadFailures++;
            // A clock that cannot be read cannot be trusted: flag until it reads again.
            if (!_readFailing) Raise($"kind=clock_read_failed source={OneWord(Source)} error={OneWord(error ?? "")}", $"clock: {Source} could not be read: {error}");
            _readFailing = true;
            Publish(mono);
            return;
        }
        _readFailing = false;
        Samples++;
        long offset = timeOfDay - mono;
        if (_hasLast)
        {
            long step = offset - _lastOffset;
            if (timeOfDay < _lastTimeOfDay)
            {
                BackwardJumps++;
                MaxStepNs = Math.Max(MaxStepNs, Math.Abs(step));
                _suspectUntilMono = mono + _options.SuspectHoldMs * 1_000_000L;
                Raise(Line("clock_backward_jump", $"step_ns={step} back_ns={_lastTimeOfDay - timeOfDay}"),
                      $"clock: {Source} went back {(_lastTimeOfDay - timeOfDay) / 1e6:F3} ms (step {step / 1e6:F3} ms)");
            }
            else if (Math.Abs(step) > _options.StepThresholdNs)
            {
                Steps++;
                MaxStepNs = Math.Max(MaxStepNs, Math.Abs(step));
                _suspectUntilMono = mono + _options.SuspectHoldMs * 1_000_000L;
                Raise(Line("clock_step", $"step_ns={step} threshold_ns={_options.StepThresholdNs}"),
                      $"clock: {Source} stepped {step / 1e6:F3} ms against the monotonic clock (threshold {_options.StepThresholdNs / 1e6:F3} ms)");
            }
        }
        _hasLast = true;
        _lastOffset = offset;
        _lastTimeOfDay = timeOfDay;
        CheckDrift(offset);
        Publish(mono);
    }

    /// <summary>The decoder's last packet: its receive time on the local clock against its exchange timestamp.</summary>
    private void CheckDrift(long offset)
    {
        long receive = Volatile.Read(ref State.LastReceiveNs);   // plain stores by the decoder; a stale pair is harmless (see ClockHealthState)
        long exchange = Volatile.Read(ref State.LastExchangeNs);
        if (receive == 0 || receive == _lastObservedReceive) return;   // no packet since the last sample: the feed is quiet, nothing to compare
        _lastObservedReceive = receive;
        long drift = receive + offset - exchange;
        DriftSamples++;
        LastDriftNs = drift;
        MaxAbsDriftNs = Math.Max(MaxAbsDriftNs, Math.Abs(drift));
        bool over = Math.Abs(drift) > _options.DriftThresholdNs;
        if (over && !_drifting)
        {
            DriftEpisodes++;
            Raise(Line("clock_drift", $"drift_ns={drift} threshold_ns={_options.DriftThresholdNs}"),
                  $"clock: exchange time and {Source} differ by {drift / 1e6:F3} ms (receive − exchange; threshold {_options.DriftThresholdNs / 1e6:F3} ms)");
        }
        else if (!over && _drifting)
            Note($"clock: exchange time and {Source} agree again ({drift / 1e6:F3} ms)");
        _drifting = over;
    }

    private void Publish(long mono)
    {
        bool suspect = _readFailing || _drifting || mono < _suspectUntilMono;
        if (State.Publish(suspect) && suspect) SuspectPeriods++;
    }

    /// <summary>Time of day between two monotonic reads that are close together (a host stall between them would look like a step).</summary>
    private bool TryRead(out long mono, out long timeOfDay, out string? error)
    {
        long before = 0, after = 0;
        timeOfDay = 0;
        error = null;
        for (int i = 0; i < MaxBracketTries; i++)
        {
            before = _clock.MonotonicNs();
            if (!_clock.TryTimeOfDayNs(out timeOfDay, out error))
            {
                mono = before;
                return false;
            }
            after = _clock.MonotonicNs();
            if (after - before <= MaxBracketNs) break;
        }
        mono = before + (after - before) / 2;
        return true;
    }

    private string Line(string kind, string fields)
        => string.Create(CultureInfo.InvariantCulture, $"kind={kind} source={OneWord(Source)} {fields} sample={Samples}");

    private void Raise(string alertFields, string note)
    {
        string line = "wirespeed alert " + alertFields;
        if (_alert is not null) _alert(line);
        else Console.Error.WriteLine(line);
        Note(note);
    }

    private void Note(string note)
    {
        lock (_events) if (_events.Count < 32) _events.Add(note);
    }

    private static string OneWord(string s) => s.Replace(' ', '_').Replace('=', '_');

    /// <summary>Figures for the summary's <c>clock</c> section.</summary>
    public Dictionary<string, long> Counters() => new()
    {
        ["source_ptp"] = _options.Source == ClockSourceKind.Ptp ? 1 : 0,
        ["samples"] = Samples,
        ["steps"] = Steps,
        ["backward_jumps"] = BackwardJumps,
        ["max_step_ns"] = MaxStepNs,
        ["drift_episodes"] = DriftEpisodes,
        ["drift_samples"] = DriftSamples,
        ["last_drift_ns"] = LastDriftNs,
        ["max_abs_drift_ns"] = MaxAbsDriftNs,
        ["read_failures"] = ReadFailures,
        ["suspect_periods"] = SuspectPeriods,
        ["suspect_now"] = State.IsSuspect ? 1 : 0,
        ["suspect_events"] = Volatile.Read(ref State.SuspectEvents),
        ["step_threshold_ns"] = _options.StepThresholdNs,
        ["drift_threshold_ns"] = _options.DriftThresholdNs,
    };
}
