using System;
using System.Globalization;
using System.IO;
using Wirespeed.Core.Time;

namespace Wirespeed.Hosting.Reporting;

/// <summary>
/// Progress of a long job that counts towards a known total (simulate to a file): at most once per interval, on a
/// terminal a bar redrawn in place, otherwise one plain line, so that a log or a pipe stays readable. The job calls
/// <see cref="Update"/> as often as it likes; the clock is read once every <see cref="CheckEvery"/> calls. Cold path.
/// </summary>
public sealed class CountProgress
{
    private const int BarWidth = 30;
    /// <summary>Calls between two clock reads: cheap enough for a per-packet loop.</summary>
    public const int CheckEvery = 1024;

    private readonly TextWriter _output;
    private readonly bool _terminal;
    private readonly long _total;
    private readonly string _unit;
    private readonly long _intervalNs;
    private readonly Func<long> _nowNs;
    private readonly long _startNs;
    private long _lastNs;
    private long _lastDone;
    private int _calls;
    private bool _drawn;

    /// <param name="output">Where to print (standard output).</param>
    /// <param name="terminal">True to redraw a bar in place (standard output is a terminal).</param>
    /// <param name="total">The count at which the job is done (at least 1).</param>
    /// <param name="unit">What is counted, plural ("messages").</param>
    /// <param name="intervalNs">Least time between two prints.</param>
    /// <param name="nowNs">The clock (monotonic ns); tests pass their own.</param>
    public CountProgress(TextWriter output, bool terminal, long total, string unit, long intervalNs = 1_000_000_000, Func<long>? nowNs = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(total, 1);
        _output = output;
        _terminal = terminal;
        _total = total;
        _unit = unit;
        _intervalNs = intervalNs;
        _nowNs = nowNs ?? MonoClock.NowNs;
        _startNs = _lastNs = _nowNs();
    }

    /// <summary>Lines or redraws printed so far.</summary>
    public int Printed { get; private set; }

    /// <summary>The job has done <paramref name="done"/>; prints when an interval has passed since the last print.</summary>
    public void Update(long done)
    {
        if (++_calls < CheckEvery) return;
        _calls = 0;
        long now = _nowNs();
        if (now - _lastNs < _intervalNs) return;
        double rate = (done - _lastDone) * 1e9 / (now - _lastNs);
        _lastDone = done;
        _lastNs = now;
        double fraction = Math.Clamp((double)done / _total, 0, 1);
        string figures = string.Create(CultureInfo.InvariantCulture,
            $"{(now - _startNs) / 1e9,6:0.0} s  {done,14:N0} of {_total:N0} {_unit}  {rate,12:N0} {_unit}/s");
        if (_terminal)
        {
            _output.Write(string.Create(CultureInfo.InvariantCulture, $"\r  [{new string('#', (int)(fraction * BarWidth)).PadRight(BarWidth, '.')}] {fraction * 100,5:0.0}%  {figures}"));
            _output.Flush();
            _drawn = true;
        }
        else
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {fraction * 100,5:0.0}%  {figures}"));
        Printed++;
    }

    /// <summary>Ends the bar's line (terminal) before anything else is printed.</summary>
    public void Finish()
    {
        if (_drawn) _output.WriteLine();
        _drawn = false;
    }
}
