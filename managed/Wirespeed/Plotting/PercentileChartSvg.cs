using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Wirespeed.Core.Monitoring;

namespace Wirespeed.Plotting;

/// <summary>
/// Writes the classic HdrHistogram percentile-distribution chart as SVG: latency (y, linear from 0, ns/µs/ms/s as
/// <see cref="LatencyAxis"/> picks) against percentile on the "nines" axis (x = log10(1 / (1 - p)): 0%, 90%, 99%,
/// 99.9% … evenly spaced), one polyline per series, a legend with each series' count and maximum, and a title.
/// Cold path (the <c>hdr --plot</c> command). Elements carry classes (x-tick, y-tick, series, legend) so that tests
/// and stylesheets can find them.
/// </summary>
public static class PercentileChartSvg
{
    /// <summary>Canvas size and the plot area's margins, in SVG user units (px).</summary>
    public const double Width = 960, Height = 600, Left = 90, Right = 60, Top = 70, Bottom = 70;

    private static readonly string[] s_colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    /// <summary>The x of <paramref name="nines"/> on an axis running 0 to <paramref name="axisNines"/>.</summary>
    public static double X(double nines, double axisNines) => Left + nines / axisNines * (Width - Left - Right);

    /// <summary>The y of <paramref name="valueNs"/> on <paramref name="axis"/>.</summary>
    public static double Y(double valueNs, LatencyAxis axis) => Height - Bottom - valueNs / axis.NsPerUnit / axis.Top * (Height - Top - Bottom);

    /// <summary>Nines the x axis spans: whole nines, at least 2 (99%), enough for the longest series.</summary>
    public static int AxisNines(IReadOnlyList<PercentileSeries> series)
    {
        double last = 0;
        foreach (var s in series) if (s.Points.Count > 0) last = Math.Max(last, s.Points[^1].Nines);
        return Math.Max(2, (int)Math.Ceiling(last - 1e-9));
    }

    /// <summary>"0%", "90%", "99%", "99.9%" … for whole nines.</summary>
    public static string NinesLabel(int nines) => nines switch
    {
        0 => "0%",
        1 => "90%",
        2 => "99%",
        _ => "99." + new string('9', nines - 2) + "%",
    };

    /// <summary>The SVG document: <paramref name="title"/> on top, <paramref name="series"/> overlaid.</summary>
    public static string Render(string title, string subtitle, IReadOnlyList<PercentileSeries> series)
    {
        long maxNs = 1;
        foreach (var s in series) maxNs = Math.Max(maxNs, s.MaxNs);
        // Headroom above the highest curve for the legend (top left), so that no curve runs behind it.
        double legendShare = (series.Count * 20 + 24) / (Height - Top - Bottom);
        var axis = LatencyAxis.For((long)Math.Ceiling(maxNs / Math.Max(0.2, 1 - legendShare)));
        int nines = AxisNines(series);
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"));
        svg.Append(Inv($"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Inv($"<text class=\"title\" x=\"{Width / 2}\" y=\"28\" text-anchor=\"middle\" font-size=\"18\" font-weight=\"bold\">{Escape(title)}</text>\n"));
        svg.Append(Inv($"<text class=\"subtitle\" x=\"{Width / 2}\" y=\"50\" text-anchor=\"middle\" font-size=\"13\" fill=\"#444\">{Escape(subtitle)}</text>\n"));
        AppendXAxis(svg, nines);
        AppendYAxis(svg, axis);
        for (int i = 0; i < series.Count; i++) AppendSeries(svg, series[i], s_colors[i % s_colors.Length], axis, nines);
        AppendLegend(svg, series);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void AppendXAxis(StringBuilder svg, int nines)
    {
        double y0 = Height - Bottom;
        svg.Append("<g class=\"x-axis\" font-size=\"12\">\n");
        for (int n = 0; n <= nines; n++)
        {
            double x = X(n, nines);
            svg.Append(Inv($"  <line class=\"grid\" x1=\"{F(x)}\" y1=\"{F(Top)}\" x2=\"{F(x)}\" y2=\"{F(y0)}\" stroke=\"#ddd\"/>\n"));
            svg.Append(Inv($"  <line x1=\"{F(x)}\" y1=\"{F(y0)}\" x2=\"{F(x)}\" y2=\"{F(y0 + 6)}\" stroke=\"black\"/>\n"));
            svg.Append(Inv($"  <text class=\"x-tick\" data-nines=\"{n}\" x=\"{F(x)}\" y=\"{F(y0 + 20)}\" text-anchor=\"middle\">{NinesLabel(n)}</text>\n"));
        }
        svg.Append(Inv($"  <line x1=\"{F(Left)}\" y1=\"{F(y0)}\" x2=\"{F(Width - Right)}\" y2=\"{F(y0)}\" stroke=\"black\"/>\n"));
        svg.Append(Inv($"  <text class=\"x-label\" x=\"{F((Left + Width - Right) / 2)}\" y=\"{F(Height - 22)}\" text-anchor=\"middle\" font-size=\"14\">Percentile (log scale of 1/(1-p): each step one more nine)</text>\n"));
        svg.Append("</g>\n");
    }

    private static void AppendYAxis(StringBuilder svg, LatencyAxis axis)
    {
        svg.Append("<g class=\"y-axis\" font-size=\"12\">\n");
        foreach (double t in axis.Ticks())
        {
            double y = Y(t * axis.NsPerUnit, axis);
            svg.Append(Inv($"  <line class=\"grid\" x1=\"{F(Left)}\" y1=\"{F(y)}\" x2=\"{F(Width - Right)}\" y2=\"{F(y)}\" stroke=\"#eee\"/>\n"));
            svg.Append(Inv($"  <line x1=\"{F(Left - 6)}\" y1=\"{F(y)}\" x2=\"{F(Left)}\" y2=\"{F(y)}\" stroke=\"black\"/>\n"));
            svg.Append(Inv($"  <text class=\"y-tick\" data-ns=\"{F(t * axis.NsPerUnit)}\" x=\"{F(Left - 10)}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{Number(t)}</text>\n"));
        }
        svg.Append(Inv($"  <line x1=\"{F(Left)}\" y1=\"{F(Top)}\" x2=\"{F(Left)}\" y2=\"{F(Height - Bottom)}\" stroke=\"black\"/>\n"));
        double mid = (Top + Height - Bottom) / 2;
        svg.Append(Inv($"  <text class=\"y-label\" x=\"22\" y=\"{F(mid)}\" text-anchor=\"middle\" font-size=\"14\" transform=\"rotate(-90 22 {F(mid)})\">Latency ({axis.Unit})</text>\n"));
        svg.Append("</g>\n");
    }

    private static void AppendSeries(StringBuilder svg, PercentileSeries s, string color, LatencyAxis axis, int nines)
    {
        var points = new StringBuilder();
        foreach (var p in s.Points)
        {
            if (points.Length > 0) points.Append(' ');
            points.Append(F(X(p.Nines, nines))).Append(',').Append(F(Y(p.ValueNs, axis)));
        }
        svg.Append(Inv($"<polyline class=\"series\" data-name=\"{Escape(s.Name)}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"{points}\"/>\n"));
    }

    private static void AppendLegend(StringBuilder svg, IReadOnlyList<PercentileSeries> series)
    {
        double x = Left + 16, y = Top + 14;
        svg.Append("<g class=\"legend\" font-size=\"13\">\n");
        double boxWidth = 0;
        foreach (var s in series) boxWidth = Math.Max(boxWidth, 40 + 7.2 * LegendText(s).Length);
        svg.Append(Inv($"  <rect x=\"{F(x - 8)}\" y=\"{F(y - 14)}\" width=\"{F(boxWidth)}\" height=\"{F(series.Count * 20 + 8)}\" fill=\"white\" fill-opacity=\"0.9\" stroke=\"#bbb\"/>\n"));
        for (int i = 0; i < series.Count; i++)
        {
            double ly = y + i * 20;
            string color = s_colors[i % s_colors.Length];
            svg.Append(Inv($"  <line x1=\"{F(x)}\" y1=\"{F(ly - 4)}\" x2=\"{F(x + 24)}\" y2=\"{F(ly - 4)}\" stroke=\"{color}\" stroke-width=\"3\"/>\n"));
            svg.Append(Inv($"  <text class=\"legend-entry\" x=\"{F(x + 32)}\" y=\"{F(ly)}\">{Escape(LegendText(series[i]))}</text>\n"));
        }
        svg.Append("</g>\n");
    }

    private static string LegendText(PercentileSeries s)
        => $"{s.Name}: {s.Count.ToString("N0", CultureInfo.InvariantCulture)} values, p99 {Latency(ValueAt(s, 2))}, p99.9 {Latency(ValueAt(s, 3))}, max {Latency(s.MaxNs)}";

    /// <summary>As <see cref="LatencyFormat.Ns(long)"/> (ns, µs), then ms from 10 ms and s from 10 s: a legend stays short at any scale.</summary>
    public static string Latency(long ns) => ns switch
    {
        < 10_000_000 => LatencyFormat.Ns(ns),
        < 10_000_000_000 => (ns / 1e6).ToString("F1", CultureInfo.InvariantCulture) + " ms",
        _ => (ns / 1e9).ToString("F2", CultureInfo.InvariantCulture) + " s",
    };

    /// <summary>The value at whole nines <paramref name="nines"/> (the point sampled there), or the max when the curve ends before.</summary>
    private static long ValueAt(PercentileSeries s, int nines)
    {
        foreach (var p in s.Points) if (p.Nines >= nines - 1e-9) return p.ValueNs;
        return s.MaxNs;
    }

    private static string Number(double v) => v.ToString(v == Math.Floor(v) ? "0" : "0.###", CultureInfo.InvariantCulture);
    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string text)
        => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
               .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
}
