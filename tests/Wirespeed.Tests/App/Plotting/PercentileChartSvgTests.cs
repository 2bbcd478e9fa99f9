using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using HdrHistogram;
using Wirespeed.Commands;
using Wirespeed.Core.Monitoring;
using Wirespeed.Plotting;
using Xunit;

namespace Wirespeed.Tests.App.Plotting;

/// <summary>
/// The percentile-distribution chart of <c>wirespeed hdr --plot</c>: a well-formed SVG with both axes, a series per
/// file, curves that never go down, and percentiles where the nines axis puts them for a histogram whose percentiles
/// are known (10,000 values 100 ns apart: p90 = 900 µs, p99 = 990 µs, p99.9 = 999 µs).
/// </summary>
public class PercentileChartSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static LongHistogram Uniform(long step = 100, int count = 10_000)
    {
        var h = new LongHistogram(1, StageMetrics.HighestTrackableNs, 3);
        for (int i = 1; i <= count; i++) h.RecordValue(i * step);
        return h;
    }

    private static string WriteHlog(string dir, string name, params (string Tag, LongHistogram H)[] tags)
    {
        string path = Path.Combine(dir, name);
        using (var w = HlogWriter.Create(path, 1_700_000_000_000))
            foreach (var (tag, h) in tags) w.Append(tag, 1_700_000_000_000, 1_700_000_001_000, h);
        return path;
    }

    private static (int Code, string Output, XDocument? Svg) Plot(string dir, string? tag, params string[] hlogs)
    {
        string svgPath = Path.Combine(dir, "out.svg");
        var output = new StringWriter();
        using var svg = OutputFile.Check(svgPath, "--plot", OutputMode.Replace)!;
        int code = HdrCommand.Plot(hlogs, tag, svg, output);
        return (code, output.ToString(), File.Exists(svgPath) ? XDocument.Load(svgPath) : null);
    }

    private static List<(double X, double Y)> PointsOf(XElement polyline)
        => polyline.Attribute("points")!.Value.Split(' ')
            .Select(p => p.Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))
            .ToList();

    [Fact]
    public void The_series_follows_the_known_percentiles_on_the_nines_axis()
    {
        var series = PercentileSeries.Of("u", Uniform());
        Assert.Equal(10_000, series.Count);
        Assert.Equal(0, series.Points[0].Nines);
        Assert.Equal(4.0, series.Points[^1].Nines, 9);            // log10(10,000): one value left above
        Assert.Equal(series.MaxNs, series.Points[^1].ValueNs);
        foreach (var (nines, expected) in new[] { (1, 900_000.0), (2, 990_000.0), (3, 999_000.0) })
        {
            var p = series.Points.Single(p => Math.Abs(p.Nines - nines) < 1e-9);
            Assert.InRange(p.ValueNs, expected, expected * 1.001);   // 3 significant digits: within 0.1% above
            Assert.Equal(100 - 100 * Math.Pow(10, -nines), p.Percentile, 9);
        }
    }

    [Theory]
    [InlineData(850, "850 ns")]
    [InlineData(12_300, "12.3 µs")]
    [InlineData(530_055_200, "530.1 ms")]
    [InlineData(12_000_000_000, "12.00 s")]
    public void Legend_latencies_use_a_unit_that_keeps_them_short(long ns, string text) => Assert.Equal(text, PercentileChartSvg.Latency(ns));

    [Fact]
    public void Percentile_positions_map_to_nines()
    {
        Assert.Equal(0, PercentileSeries.NinesOf(0));
        Assert.Equal(1, PercentileSeries.NinesOf(90), 9);
        Assert.Equal(3, PercentileSeries.NinesOf(99.9), 9);
        Assert.Equal(5, PercentileSeries.NinesOf(99.999), 6);
        Assert.Equal(new[] { "0%", "90%", "99%", "99.9%", "99.99%", "99.999%" }, Enumerable.Range(0, 6).Select(PercentileChartSvg.NinesLabel));
    }

    [Theory]
    [InlineData(850, "ns", 1000)]
    [InlineData(9_999, "ns", 10_000)]
    [InlineData(540_000, "µs", 600)]
    [InlineData(40_075_300, "ms", 50)]
    [InlineData(535_560_200, "ms", 600)]
    [InlineData(12_000_000_000, "s", 12)]
    public void The_latency_axis_picks_a_readable_unit_and_covers_the_maximum(long maxNs, string unit, double top)
    {
        var axis = LatencyAxis.For(maxNs);
        Assert.Equal(unit, axis.Unit);
        Assert.Equal(top, axis.Top, 6);
        Assert.True(axis.Top * axis.NsPerUnit >= maxNs);
        Assert.InRange(axis.Ticks().Count, 5, 11);
    }

    [Fact]
    public void The_chart_is_well_formed_svg_with_axes_legend_and_a_monotone_curve_per_file()
    {
        string dir = Directory.CreateTempSubdirectory("ws-plot-").FullName;
        try
        {
            string a = WriteHlog(dir, "a.hlog", ("decode", Uniform(50)), ("end-to-end", Uniform(100)));
            string b = WriteHlog(dir, "b.hlog", ("end-to-end", Uniform(200)));
            var (code, output, doc) = Plot(dir, null, a, b);
            Assert.Equal(0, code);
            Assert.Contains("plotted end-to-end of a.hlog, b.hlog", output);
            Assert.NotNull(doc);
            Assert.Equal(Svg + "svg", doc!.Root!.Name);
            Assert.Contains("end-to-end", doc.Descendants(Svg + "text").Single(t => (string?)t.Attribute("class") == "title").Value);
            Assert.Equal(new[] { "0%", "90%", "99%", "99.9%", "99.99%" },
                doc.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "x-tick").Select(t => t.Value));
            Assert.Contains("Latency (µs)", doc.Descendants(Svg + "text").Single(t => (string?)t.Attribute("class") == "y-label").Value);
            var legend = doc.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "legend-entry").Select(t => t.Value).ToList();
            Assert.Equal(2, legend.Count);
            Assert.StartsWith("a.hlog: 10,000 values", legend[0]);
            Assert.StartsWith("b.hlog: 10,000 values", legend[1]);

            var polylines = doc.Descendants(Svg + "polyline").Where(p => (string?)p.Attribute("class") == "series").ToList();
            Assert.Equal(new[] { "a.hlog", "b.hlog" }, polylines.Select(p => (string)p.Attribute("data-name")!));
            foreach (var line in polylines)
            {
                var pts = PointsOf(line);
                for (int i = 1; i < pts.Count; i++)
                {
                    Assert.True(pts[i].X > pts[i - 1].X, "x increases");
                    Assert.True(pts[i].Y <= pts[i - 1].Y, "latency never decreases (SVG y grows downwards)");
                }
            }

            // Read b's latency at the 99% tick back through the y ticks: 990 × 200 ns = 1.98 ms.
            var tick99 = doc.Descendants(Svg + "text").Single(t => (string?)t.Attribute("class") == "x-tick" && t.Value == "99%");
            double x99 = double.Parse(tick99.Attribute("x")!.Value, CultureInfo.InvariantCulture);
            var yTicks = doc.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "y-tick")
                .Select(t => (Ns: double.Parse(t.Attribute("data-ns")!.Value, CultureInfo.InvariantCulture), Y: double.Parse(t.Attribute("y")!.Value, CultureInfo.InvariantCulture) - 4))
                .ToList();
            double nsPerPx = (yTicks[^1].Ns - yTicks[0].Ns) / (yTicks[0].Y - yTicks[^1].Y);
            var at99 = PointsOf(polylines[1]).Single(p => Math.Abs(p.X - x99) < 0.01);
            double ns = yTicks[0].Ns + (yTicks[0].Y - at99.Y) * nsPerPx;
            Assert.InRange(ns, 1_980_000 * 0.995, 1_980_000 * 1.005);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void A_tag_is_chosen_with_tag_and_a_file_without_it_is_refused_naming_its_tags()
    {
        string dir = Directory.CreateTempSubdirectory("ws-plot-").FullName;
        try
        {
            string a = WriteHlog(dir, "a.hlog", ("decode", Uniform(50)), ("book", Uniform(100)));
            var (code, output, _) = Plot(dir, null, a);
            Assert.Equal(1, code);
            Assert.Contains("its tags: book, decode; choose one with --tag", output);

            (code, output, var doc) = Plot(dir, "book", a);
            Assert.Equal(0, code);
            Assert.Contains("Latency by percentile: book", doc!.Descendants(Svg + "text").First(t => (string?)t.Attribute("class") == "title").Value);
            Assert.Contains("µs", doc.Descendants(Svg + "text").Single(t => (string?)t.Attribute("class") == "y-label").Value);

            (code, output, _) = Plot(dir, "missing", a);
            Assert.Equal(1, code);
            Assert.Contains("no values tagged 'missing'", output);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void The_command_refuses_several_files_without_plot()
    {
        var args = CommandArgs.Parse("hdr", new[] { "a.hlog", "b.hlog" });
        var e = Assert.Throws<UsageException>(() => HdrCommand.Run(args, TextWriter.Null));
        Assert.Contains("several only with --plot", e.Message);
    }
}
