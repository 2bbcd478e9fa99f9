using System;
using System.Globalization;
using System.IO;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Time;
using Wirespeed.Hosting.Lines;

namespace Wirespeed.Hosting.Reporting;

/// <summary>
/// A replay's progress, once per monitor interval on the monitor thread, on standard output as <c>run</c> and
/// <c>demo</c> print theirs: on a terminal a bar redrawn in place; otherwise (a file, a pipe, a test) one plain line
/// per interval, so logs stay readable. Cold path.
/// </summary>
public sealed class ReplayProgress
{
    private const int BarWidth = 30;

    private readonly TextWriter _output;
    private readonly ReplayLine _replay;
    private readonly bool _terminal;
    private readonly long _startNs;
    private long _lastMessages;
    private long _lastNs;
    private bool _drawn;

    /// <param name="output">Standard output.</param>
    /// <param name="replay">The replay line (its host's counters, its source's position).</param>
    /// <param name="terminal">True to draw a bar in place (standard output is a terminal).</param>
    public ReplayProgress(TextWriter output, ReplayLine replay, bool terminal)
    {
        _output = output;
        _replay = replay;
        _terminal = terminal;
        _startNs = _lastNs = MonoClock.NowNs();
    }

    /// <summary>The monitor's interval callback.</summary>
    public void Print(RunMonitor monitor)
    {
        long now = MonoClock.NowNs();
        long messages = _replay.Host.DecodedMessages;
        double rate = now > _lastNs ? (messages - _lastMessages) * 1e9 / (now - _lastNs) : 0;
        _lastMessages = messages;
        _lastNs = now;
        double? fraction = _replay.Position() is var (done, total) && total > 0 ? Math.Clamp((double)done / total, 0, 1) : null;
        string figures = string.Create(CultureInfo.InvariantCulture,
            $"{(now - _startNs) / 1e9,6:0.0} s  {messages,14:N0} messages  {rate,12:N0} msg/s  signals {_replay.Host.Patterns?.Totals.Delivered ?? 0:N0}");
        if (_terminal)
        {
            string bar = fraction is double f ? new string('#', (int)(f * BarWidth)).PadRight(BarWidth, '.') : new string('?', BarWidth);
            _output.Write($"\r  [{bar}] {(fraction ?? 0) * 100,5:0.0}%  {figures}");
            _output.Flush();
            _drawn = true;
        }
        else
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(fraction is double p ? (p * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "?"),6}  {figures}"));
    }

    /// <summary>Ends the bar's line (terminal) before anything else is printed.</summary>
    public void Finish()
    {
        if (_drawn) _output.WriteLine();
        _drawn = false;
    }
}
