using System;
using System.Globalization;
using System.IO;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Time;
using Wirespeed.Hosting.Lines;

namespace Wirespeed.Hosting.Reporting;

/// <summary>One line of live progress per monitor interval (monitor thread; cold path).</summary>
public sealed class ProgressPrinter
{
    private readonly TextWriter _output;
    private readonly Func<long> _delivered;
    private readonly ForeignSessionWatch? _foreign;
    private readonly long _startNs;
    private long _last;
    private long _lastNs;

    public ProgressPrinter(TextWriter output, Func<long> delivered)
    {
        _output = output;
        _delivered = delivered;
        _startNs = _lastNs = MonoClock.NowNs();
        _last = delivered();
    }

    /// <summary>Progress of <paramref name="host"/>, with its one-time warnings about foreign sessions on a line's group.</summary>
    public ProgressPrinter(TextWriter output, FeedHost host) : this(output, () => host.Delivered) => _foreign = host.ForeignSessions;

    public void Print(RunMonitor m)
    {
        long now = MonoClock.NowNs();
        long d = _delivered();
        double rate = now > _lastNs ? (d - _last) * 1e9 / (now - _lastNs) : 0;
        _last = d;
        _lastNs = now;
        string p = $"  {(now - _startNs) / 1e9,5:0.0} s  {rate,12:N0} msg/s";
        foreach (var s in m.Stages)
            if (s.Role is StageRole.EndToEnd or StageRole.Service or StageRole.Hiccup)
                p += $"  {Label(s)} p99.9 {Format(s.IntervalP999Ns)}";
        if (!double.IsNaN(m.IntervalStealPercent)) p += $"  steal {m.IntervalStealPercent:0.0}%";
        p += $"  alerts {m.Alerts}";
        _output.WriteLine(p);
        _foreign?.Poll(_output);
    }

    private static string Label(MonitoredStage s) => s.Role switch
    {
        StageRole.EndToEnd => "e2e",
        StageRole.Service => "service",
        StageRole.Hiccup => "hiccup",
        _ => s.Metrics.Name,
    };

    private static string Format(long ns) => ns < 10_000
        ? ns.ToString(CultureInfo.InvariantCulture) + " ns"
        : (ns / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + " us";
}
