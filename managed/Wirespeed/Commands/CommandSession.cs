using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using Wirespeed.Configuration;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Time;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Metrics;
using Wirespeed.Hosting.Reporting;

namespace Wirespeed.Commands;

/// <summary>How <see cref="CommandSession.Wait"/> ended.</summary>
internal enum SessionEnd : byte
{
    /// <summary>SIGINT or SIGTERM.</summary>
    Signal,
    /// <summary>--seconds elapsed.</summary>
    Seconds,
    /// <summary>The command's own end (bench: every packet released).</summary>
    Done,
}

/// <summary>
/// The skeleton the measured commands share (run, demo, bench): the output files checked before anything is built
/// (<see cref="OutputFile"/>), SIGINT and SIGTERM turned into a request to stop (the command drains and reports; the
/// process is never cut short), the monitor, the wait for the end, and the report: built from its sections
/// (<see cref="RunReport"/>), printed, and written as JSON. Replay, which has no monitor, shares the output checks.
/// </summary>
/// <remarks>
/// Exit codes: a path that cannot be written is refused at start-up (exit 2, the option named; 3 for monitor.hlog from
/// the configuration file). A write that fails later is one line on stderr and exit 1, and never stops market data:
/// the .hlog writer stops with an alert (kind=hlog_failed) and the run goes on; a --json file that cannot be written
/// at the end is reported after the printed summary.
/// </remarks>
internal sealed class CommandSession : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;
    private readonly OutputFile? _json;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private RunMonitor? _monitor;
    private MetricsEndpoint? _metrics;
    private FeedHost? _metricsHost;   // set before the monitor thread starts (Thread.Start publishes it)
    private string? _hlogPath;
    private string? _hlogChecked;   // --hlog, checked by Open
    private volatile string _stopReason = "";

    private CommandSession(string command, OutputFile? json, TextWriter output, TextWriter error)
    {
        Command = command;
        _json = json;
        _output = output;
        _error = error;
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnStopSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnStopSignal);
    }

    /// <summary>
    /// Checks --json and --hlog of <paramref name="args"/> (before the configuration is loaded, so that the option is
    /// what the message names) and takes over SIGINT and SIGTERM.
    /// </summary>
    public static CommandSession Open(string command, CommandArgs args, TextWriter output, TextWriter error)
    {
        var json = OutputFile.Check(args.String("json"), "--json", OutputMode.Replace);
        try
        {
            string? hlog = args.String("hlog");
            using (OutputFile.Check(hlog, "--hlog", OutputMode.InPlace)) { }   // written by the monitor
            return new CommandSession(command, json, output, error) { _hlogChecked = hlog };
        }
        catch
        {
            json?.Dispose();
            throw;
        }
    }

    /// <summary>The command's name, as the summary's title says it ("run", "demo", "bench").</summary>
    public string Command { get; }

    /// <summary>The monitor (<see cref="CreateMonitor"/>).</summary>
    public RunMonitor Monitor => _monitor ?? throw new InvalidOperationException("CreateMonitor first");

    /// <summary>Cancelled by SIGINT or SIGTERM: whatever feeds the run (demo's simulator) ends on it.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>True once SIGINT or SIGTERM arrived.</summary>
    public bool StopRequested => _stop.IsCancellationRequested;

    /// <summary>Why the run failed (the supervisor's fail policy); null while it has not. The summary says it and the exit code is 1.</summary>
    public string? FailureCause => _failure;

    private volatile string? _failure;

    /// <summary>
    /// Any thread: the run cannot go on correctly (a worker faulted or stalled under the fail policy). Stops the session
    /// as a signal would (the command drains and reports); <see cref="Finish"/> then names the cause and returns 1.
    /// </summary>
    public void Fail(string cause)
    {
        _failure ??= cause;
        _stopReason = "worker failure";
        try { _stop.Cancel(); }
        catch (ObjectDisposedException) { }   // the session already ended
    }

    /// <summary>"SIGINT", "SIGTERM", or what <see cref="Wait"/> ended on; empty before.</summary>
    public string StopReason => _stopReason;

    /// <summary>
    /// The monitor the configuration asks for (interval, .hlog, hiccup meter), reporting <paramref name="registry"/>'s
    /// pools. A monitor.hlog from the configuration file is checked here (exit 3 naming the field).
    /// </summary>
    public RunMonitor CreateMonitor(WirespeedConfig config, MemoryRegistry registry)
    {
        _hlogPath = string.IsNullOrEmpty(config.Monitor.Hlog) ? null : config.Monitor.Hlog;
        if (_hlogPath != _hlogChecked)
            using (OutputFile.Check(_hlogPath, "monitor.hlog", OutputMode.InPlace, configField: true)) { }
        _monitor = new RunMonitor(new MonitorOptions
        {
            IntervalMs = config.Monitor.IntervalMs,
            HlogPath = _hlogPath,
            HiccupMeter = config.Monitor.Hiccup,
            Memory = registry,
        });
        _metrics = OpenMetrics(config.Monitor);
        return _monitor;
    }

    /// <summary>
    /// monitor.metrics: binds the Prometheus endpoint at start-up (exit 3 naming the field when the address cannot be
    /// bound) and says where it serves; null when off.
    /// </summary>
    private MetricsEndpoint? OpenMetrics(MonitorConfig monitor)
    {
        if (string.IsNullOrEmpty(monitor.Metrics)) return null;
        if (!ConfigValidator.TryParseMetricsAddress(monitor.Metrics, out var address))
            throw new ConfigException("monitor.metrics", $"'{monitor.Metrics}' is not HOST:PORT, e.g. \"127.0.0.1:9464\".");
        try
        {
            var endpoint = MetricsEndpoint.Start(address, m => FeedMetrics.Build(m, _metricsHost), monitor.IntervalMs);
            _output.WriteLine($"wirespeed {Command}: metrics on http://{endpoint.Address}/metrics (Prometheus text format)");
            return endpoint;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new ConfigException("monitor.metrics", $"'{monitor.Metrics}': cannot listen there: {e.Message}; choose a free port or an address of this host.");
        }
    }

    /// <summary>
    /// Starts the monitor with <paramref name="progress"/> called after each interval (monitor thread), if any; the
    /// metrics endpoint, when configured, serves <paramref name="host"/>'s figures from then on.
    /// </summary>
    public void StartMonitor(Action<RunMonitor>? progress, FeedHost? host = null)
    {
        _metricsHost = host;
        Action<RunMonitor>? printer = progress;
        if (_metrics is { } metrics)
            progress = printer is null ? metrics.OnInterval : m => { metrics.OnInterval(m); printer(m); };
        Monitor.Progress = progress;
        try
        {
            Monitor.Start();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Checked at start-up; this is the path changing under us since (removed, made read-only).
            throw new UsageException($"{Command}: the interval log {_hlogPath} could not be created: {OutputFile.Reason(e)}; check the path");
        }
    }

    /// <summary>
    /// Blocks until SIGINT or SIGTERM, <paramref name="seconds"/> (null: no limit), or <paramref name="done"/> (polled
    /// every 10 ms). <paramref name="poke"/>, when set, runs <paramref name="onPoke"/> on this thread and waits on
    /// (run: SIGUSR1 prints the histograms so far).
    /// </summary>
    public SessionEnd Wait(double? seconds, Func<bool>? done = null, WaitHandle? poke = null, Action? onPoke = null)
    {
        long deadline = seconds is double s ? MonoClock.NowNs() + (long)(s * 1e9) : long.MaxValue;
        var handles = poke is null ? new[] { _stop.Token.WaitHandle } : new[] { _stop.Token.WaitHandle, poke };
        while (true)
        {
            if (_stop.IsCancellationRequested) return SessionEnd.Signal;
            if (done is not null && done()) return Ended(SessionEnd.Done, "done");
            long left = deadline - MonoClock.NowNs();
            if (left <= 0) return Ended(SessionEnd.Seconds, $"--seconds {seconds}");
            int timeoutMs = deadline == long.MaxValue ? Timeout.Infinite : (int)Math.Min(int.MaxValue, left / 1_000_000);
            if (done is not null) timeoutMs = timeoutMs == Timeout.Infinite ? 10 : Math.Min(timeoutMs, 10);
            if (WaitHandle.WaitAny(handles, timeoutMs) == 1) onPoke?.Invoke();
        }
    }

    /// <summary>The monitor's figures so far, printed (no feed sections: the workers are running).</summary>
    public void PrintSoFar() => RunSummaryPrinter.Print(new RunReport().Build(Monitor, Command + " (so far)"), _output);

    /// <summary>
    /// Builds <paramref name="report"/> (call after the workers and the monitor stopped), prints it after a blank line,
    /// then <paramref name="trailer"/>'s lines, then writes the --json file. Returns 0, or 1 when an output failed:
    /// the .hlog during the run (its alert said when), or the --json file now (one line on stderr).
    /// </summary>
    public int Finish(RunReport report, Action<RunSummary>? trailer = null)
    {
        var summary = report.Build(Monitor, Command);
        if (Monitor.HlogFailed)
            summary.Notes.Add($"hlog: writing {_hlogPath} failed during the run (alert kind=hlog_failed): the interval log is incomplete; the run went on");
        _output.WriteLine();
        RunSummaryPrinter.Print(summary, _output);
        trailer?.Invoke(summary);
        int code = Monitor.HlogFailed || _failure is not null ? 1 : 0;
        if (_failure is not null) _error.WriteLine($"wirespeed: {Command} failed: {_failure}");
        if (_json is null) return code;
        if (!_json.TryWrite(Encoding.UTF8.GetBytes(RunSummaryJson.Serialize(summary)), out string? error))
        {
            _error.WriteLine(error);
            return 1;
        }
        _output.WriteLine($"summary written to {_json.Path}");
        return code;
    }

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _monitor?.Dispose();
        _metrics?.Dispose();
        _json?.Dispose();
        _stop.Dispose();
    }

    private SessionEnd Ended(SessionEnd end, string reason)
    {
        _stopReason = reason;
        return end;
    }

    private void OnStopSignal(PosixSignalContext context)
    {
        context.Cancel = true;   // the command drains and reports, then exits itself
        _stopReason = context.Signal.ToString();
        _stop.Cancel();
    }
}
