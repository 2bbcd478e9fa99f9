using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Wirespeed.Hosting.Metrics;

/// <summary>Prometheus metric types as the exposition format's # TYPE line names them.</summary>
public enum MetricType : byte
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>
/// Writes Prometheus's text exposition format, version 0.0.4 (prometheus.io/docs/instrumenting/exposition_formats):
/// per family one <c># HELP</c> and one <c># TYPE</c> line, then its samples <c>name{label="value",…} number</c>, each
/// family's samples together. Label values escape backslash, double quote and line feed; HELP text backslash and line
/// feed; numbers are Go-style floats (+Inf, -Inf, NaN). Cold path (built on the monitor thread, once per scrape).
/// </summary>
public sealed class PrometheusText
{
    /// <summary>The Content-Type of this format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);
    private string? _current;

    /// <summary>Starts a family (its HELP and TYPE). A family is started once; its samples follow before the next.</summary>
    public PrometheusText Family(string name, MetricType type, string help)
    {
        if (!_families.Add(name)) throw new InvalidOperationException($"metric family {name} written twice");
        _current = name;
        _text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type switch
        {
            MetricType.Counter => "counter",
            MetricType.Gauge => "gauge",
            _ => "histogram",
        }).Append('\n');
        return this;
    }

    /// <summary>One sample of the current family, <paramref name="labels"/> as name/value pairs (may be empty).</summary>
    public PrometheusText Sample(double value, params (string Name, string Value)[] labels) => SampleOf(_current!, value, labels);

    /// <summary>One sample with a suffix on the family's name (a histogram's _bucket, _sum, _count).</summary>
    public PrometheusText SampleOf(string name, double value, params (string Name, string Value)[] labels)
    {
        _text.Append(name);
        if (labels.Length > 0)
        {
            _text.Append('{');
            for (int i = 0; i < labels.Length; i++)
            {
                if (i > 0) _text.Append(',');
                _text.Append(labels[i].Name).Append("=\"").Append(EscapeLabel(labels[i].Value)).Append('"');
            }
            _text.Append('}');
        }
        _text.Append(' ').Append(Number(value)).Append('\n');
        return this;
    }

    /// <summary>
    /// A whole histogram sample set: cumulative <paramref name="bucketCounts"/> at <paramref name="upperBounds"/> (the
    /// last bound +Inf, equal to <paramref name="count"/>), then _sum and _count, under <paramref name="labels"/>.
    /// </summary>
    public PrometheusText Histogram(IReadOnlyList<double> upperBounds, IReadOnlyList<long> bucketCounts, double sum, long count, params (string Name, string Value)[] labels)
    {
        string name = _current!;
        var withLe = new (string, string)[labels.Length + 1];
        Array.Copy(labels, withLe, labels.Length);
        for (int i = 0; i < upperBounds.Count; i++)
        {
            withLe[^1] = ("le", Number(upperBounds[i]));
            SampleOf(name + "_bucket", bucketCounts[i], withLe);
        }
        SampleOf(name + "_sum", sum, labels);
        SampleOf(name + "_count", count, labels);
        return this;
    }

    public override string ToString() => _text.ToString();

    /// <summary>Go's float formatting as Prometheus reads it: shortest round-trip, +Inf, -Inf, NaN.</summary>
    public static string Number(double value)
    {
        if (double.IsPositiveInfinity(value)) return "+Inf";
        if (double.IsNegativeInfinity(value)) return "-Inf";
        if (double.IsNaN(value)) return "NaN";
        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>A label value inside double quotes: \\ \" and \n escaped (0.0.4).</summary>
    public static string EscapeLabel(string value)
        => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string value)
        => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
