using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using HdrHistogram;
using Wirespeed.Commands;
using Wirespeed.Core.Monitoring;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Core.Monitoring;

/// <summary>Our .hlog files against the reference readers, and our reader against a Java-written log.</summary>
public class HlogInteropTests : IDisposable
{
    private const long StartUnixMs = 1_764_000_000_123;
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-hlog-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Writes three intervals of "decode" and "book" and returns the whole-run histogram per tag.</summary>
    private Dictionary<string, HistogramBase> WriteSampleLog(string path)
    {
        var totals = new Dictionary<string, HistogramBase>
        {
            ["decode"] = StageMetrics.CreateCompatibleHistogram(),
            ["book"] = StageMetrics.CreateCompatibleHistogram(),
        };
        using var writer = HlogWriter.Create(path, StartUnixMs);
        for (int interval = 0; interval < 3; interval++)
        {
            foreach (var (tag, total) in totals)
            {
                var h = HdrCodecTests.RandomHistogram(interval * 10 + tag.Length, 3_000);
                if (tag == "decode") h.RecordValueWithCount(250 + interval, 5_000); // a dominant mode, like real stage timings
                writer.Append(tag, StartUnixMs + interval * 1000, StartUnixMs + (interval + 1) * 1000, h);
                total.Add(h);
            }
        }
        return totals;
    }

    [Fact]
    public void Log_is_ascii_without_byte_order_mark_and_has_the_reference_header()
    {
        string path = Path.Combine(_dir, "a.hlog");
        WriteSampleLog(path);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.NotEqual(0xEF, bytes[0]);
        Assert.All(bytes, b => Assert.True(b is < 0x80 and not 0, $"byte 0x{b:x2} is not ASCII"));
        string[] lines = Encoding.ASCII.GetString(bytes).Split('\n');
        Assert.Equal("#[Histogram log format version 1.3]", lines[0]);
        Assert.StartsWith("#[StartTime: 1764000000.123 (seconds since epoch), ", lines[1]);
        Assert.Equal("#[BaseTime: 1764000000.123 (seconds since epoch)]", lines[2]);
        Assert.Equal("\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"", lines[3]);
        Assert.StartsWith("Tag=decode,0.000,1.000,", lines[4]);
        Assert.StartsWith("Tag=decode,2.000,1.000,", lines[8]);
        Assert.Equal(6, Array.FindAll(lines, l => l.StartsWith("Tag=", StringComparison.Ordinal)).Length);
    }

    [Fact]
    public void Max_column_is_the_interval_max_in_ms_as_the_reference_writer_writes_it()
    {
        string path = Path.Combine(_dir, "max.hlog");
        var h = StageMetrics.CreateCompatibleHistogram();
        h.RecordValue(1_234_567); // ns; highest equivalent at 3 digits is 1_234_943
        using (var w = HlogWriter.Create(path, StartUnixMs)) w.Append("x", StartUnixMs, StartUnixMs + 500, h);
        string line = File.ReadAllLines(path)[4];
        string[] f = line.Split(',');
        Assert.Equal("Tag=x", f[0]);
        Assert.Equal("0.500", f[2]);
        Assert.Equal((HistogramStats.Max(h) / 1e6).ToString("F3", CultureInfo.InvariantCulture), f[3]);
        Assert.Equal("1.235", f[3]);
    }

    [Fact]
    public void Our_reader_reads_our_log_back_per_tag()
    {
        string path = Path.Combine(_dir, "b.hlog");
        var totals = WriteSampleLog(path);
        var intervals = HlogReader.ReadFile(path);
        Assert.Equal(6, intervals.Count);
        Assert.Equal(StartUnixMs / 1000.0 + 1, intervals[2].StartSeconds, 3);
        var merged = HlogReader.MergeByTag(intervals);
        foreach (var (tag, total) in totals)
        {
            Assert.Equal(total.TotalCount, merged[tag].TotalCount);
            Assert.Equal(HistogramStats.Max(total), HistogramStats.Max(merged[tag]));
            foreach (double p in HlogReport.SummaryPercentiles)
                Assert.Equal(HistogramStats.ValueAtPercentile(total, p), HistogramStats.ValueAtPercentile(merged[tag], p));
        }
    }

    [Fact]
    public void Java_HistogramLogProcessor_reads_our_log_and_its_percentiles_match_ours()
    {
        string jar = ReferenceTools.RequireJar();
        string java = ReferenceTools.RequireExecutable("java", "apt-get install default-jre-headless");
        string path = Path.Combine(_dir, "c.hlog");
        var totals = WriteSampleLog(path);

        foreach (var (tag, total) in totals)
        {
            var (rc, stdout, stderr) = ReferenceTools.Run(java, _dir, "-cp", jar, "org.HdrHistogram.HistogramLogProcessor",
                "-i", path, "-tag", tag, "-outputValueUnitRatio", "1");
            Assert.True(rc == 0, $"HistogramLogProcessor exit {rc}: {stderr}");
            Assert.DoesNotContain("Exception", stderr + stdout, StringComparison.Ordinal);

            int rows = 0;
            double javaMean = double.NaN, javaMax = double.NaN;
            long javaTotal = -1;
            foreach (string raw in stdout.Split('\n'))
            {
                string line = raw.Trim();
                if (line.StartsWith("#[Mean", StringComparison.Ordinal)) javaMean = FooterNumber(line, "Mean");
                if (line.StartsWith("#[Max", StringComparison.Ordinal))
                {
                    javaMax = FooterNumber(line, "Max");
                    javaTotal = (long)FooterNumber(line, "Total count");
                }
                string[] t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (t.Length < 3 || t.Length > 4 || line.Contains(':') || !t[1].StartsWith("0.") && !t[1].StartsWith("1.")) continue;
                if (!double.TryParse(t[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double value)) continue;
                double percentile = double.Parse(t[1], CultureInfo.InvariantCulture);
                long cumulative = long.Parse(t[2], CultureInfo.InvariantCulture);
                // Every row: the same number of values lie at or below the reported value in our histogram, and that
                // count reaches the row's percentile level (HdrHistogram's percentile iteration).
                Assert.Equal(cumulative, HistogramStats.CountAtOrBelow(total, (long)value));
                Assert.True((double)cumulative / total.TotalCount >= percentile - 1e-9, $"row {line}");
                rows++;
            }
            Assert.True(rows > 20, $"expected a percentile table from HistogramLogProcessor, got:\n{stdout}\n{stderr}");
            Assert.Equal(total.TotalCount, javaTotal);
            Assert.Equal(HistogramStats.Max(total), (long)javaMax);
            Assert.Equal(HistogramStats.Mean(total), javaMean, 0.01);
        }
    }

    [Fact]
    public void Hdr_histogram_js_reads_our_log_and_its_figures_match_ours()
    {
        string modules = ReferenceTools.RequireHdrHistogramJs();
        string node = ReferenceTools.RequireExecutable("node", "apt-get install nodejs");
        string path = Path.Combine(_dir, "d.hlog");
        var totals = WriteSampleLog(path);
        string script = Path.Combine(_dir, "read.js");
        File.WriteAllText(script, """
            const path = require('path');
            const fs = require('fs');
            const hdr = require(path.join(process.argv[2], 'hdr-histogram-js'));
            const reader = new hdr.HistogramLogReader(fs.readFileSync(process.argv[3], 'utf8'));
            const acc = {};
            let lines = 0;
            for (let h; (h = reader.nextIntervalHistogram()) !== null; lines++) {
              if (!acc[h.tag]) acc[h.tag] = hdr.build({ bitBucketSize: 64, numberOfSignificantValueDigits: 3 });
              acc[h.tag].add(h);
            }
            const out = { lines, tags: {} };
            for (const t of Object.keys(acc)) {
              const a = acc[t];
              out.tags[t] = { total: a.totalCount, max: a.maxValue, mean: a.mean,
                p: [50, 90, 99, 99.9, 99.99].map(p => a.getValueAtPercentile(p)) };
            }
            console.log(JSON.stringify(out));
            """);
        var (rc, stdout, stderr) = ReferenceTools.Run(node, _dir, script, modules, path);
        Assert.True(rc == 0, $"node exit {rc}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(6, doc.RootElement.GetProperty("lines").GetInt32());
        foreach (var (tag, total) in totals)
        {
            var js = doc.RootElement.GetProperty("tags").GetProperty(tag);
            Assert.Equal(total.TotalCount, js.GetProperty("total").GetInt64());
            var layout = new HdrLayout(1, StageMetrics.HighestTrackableNs, 3);
            // hdr-histogram-js keeps the lowest value of the top bucket as its max: same bucket as ours.
            Assert.Equal(HistogramStats.Max(total), layout.HighestEquivalentValue(js.GetProperty("max").GetInt64()));
            Assert.Equal(HistogramStats.Mean(total), js.GetProperty("mean").GetDouble(), 0.01);
            int i = 0;
            foreach (var p in js.GetProperty("p").EnumerateArray())
                Assert.Equal(HistogramStats.ValueAtPercentile(total, HlogReport.SummaryPercentiles[i++]), p.GetInt64());
        }
    }

    [Fact]
    public void Our_reader_reads_a_log_written_by_Java_at_test_time()
    {
        // ./ws installs a JRE only, so a missing compiler skips even under CI; the committed fixture (next test)
        // keeps a Java-written log under test everywhere.
        string? javac = FindOnPath("javac");
        if (javac is null) Assert.Skip("javac not on PATH (apt-get install default-jdk-headless); the committed Java-written fixture is still tested");
        string jar = ReferenceTools.RequireJar();
        string java = ReferenceTools.RequireExecutable("java", "apt-get install default-jre-headless");
        File.WriteAllText(Path.Combine(_dir, "WriteLog.java"), """
            import org.HdrHistogram.*;
            import java.io.*;
            public class WriteLog {
              public static void main(String[] args) throws Exception {
                PrintStream out = new PrintStream(new FileOutputStream(args[0]));
                HistogramLogWriter w = new HistogramLogWriter(out);
                long start = 1700000000000L;
                w.outputLogFormatVersion(); w.outputStartTime(start); w.setBaseTime(start); w.outputBaseTime(start); w.outputLegend();
                Histogram alpha = new Histogram(3), beta = new Histogram(3);
                long seed = 12345;
                for (int i = 0; i < 4; i++) for (String tag : new String[] { "alpha", "beta" }) {
                  Histogram h = new Histogram(3); // auto-resizing, the way applications usually create them
                  for (int k = 0; k < 5000; k++) {
                    seed = seed * 6364136223846793005L + 1442695040888963407L;
                    long v = 1 + ((seed >>> 20) % (tag.equals("alpha") ? 100000L : 50000000000L));
                    h.recordValue(v);
                    (tag.equals("alpha") ? alpha : beta).recordValue(v);
                  }
                  h.setTag(tag); h.setStartTimeStamp(start + i * 1000L); h.setEndTimeStamp(start + (i + 1) * 1000L);
                  w.outputIntervalHistogram(h);
                }
                out.close();
                for (Histogram t : new Histogram[] { alpha, beta })
                  System.out.println(t.getTotalCount() + " " + t.getMaxValue() + " " + t.getValueAtPercentile(50.0) + " "
                    + t.getValueAtPercentile(99.0) + " " + t.getValueAtPercentile(99.9));
              }
            }
            """);
        var (crc, _, cerr) = ReferenceTools.Run(javac, _dir, "-cp", jar, "WriteLog.java");
        Assert.True(crc == 0, $"javac exit {crc}: {cerr}");
        string path = Path.Combine(_dir, "java.hlog");
        var (rc, stdout, stderr) = ReferenceTools.Run(java, _dir, "-cp", jar + ":" + _dir, "WriteLog", path);
        Assert.True(rc == 0, $"java exit {rc}: {stderr}");

        AssertReadsJavaLog(path, stdout);
    }

    [Fact]
    public void Our_reader_reads_a_committed_log_written_by_Java_HdrHistogram_2_1_11()
    {
        // Written by the WriteLog program above with Debian's libhdrhistogram-java 2.1.11; the .expected.txt beside it
        // is that program's own output (count, max, p50, p99, p99.9 per tag, computed by Java's Histogram).
        string dir = Path.Combine(SharedData.RepoRoot, "tests", "Wirespeed.Tests", "Core", "Monitoring", "Fixtures");
        AssertReadsJavaLog(Path.Combine(dir, "java-hdrhistogram-2.1.11.hlog"),
            File.ReadAllText(Path.Combine(dir, "java-hdrhistogram-2.1.11.expected.txt")));
    }

    private static void AssertReadsJavaLog(string path, string javaFigures)
    {
        var intervals = HlogReader.ReadFile(path);
        Assert.Equal(8, intervals.Count);
        Assert.Equal(1_700_000_003.0, intervals[7].StartSeconds, 3);
        Assert.Equal(1.0, intervals[7].LengthSeconds, 3);
        var merged = HlogReader.MergeByTag(intervals);
        string[] expected = javaFigures.Trim().Split('\n');
        int row = 0;
        foreach (string tag in new[] { "alpha", "beta" })
        {
            long[] f = Array.ConvertAll(expected[row++].Trim().Split(' '), s => long.Parse(s, CultureInfo.InvariantCulture));
            var h = merged[tag];
            Assert.Equal(f[0], h.TotalCount);
            Assert.Equal(f[1], HistogramStats.Max(h));
            Assert.Equal(f[2], HistogramStats.ValueAtPercentile(h, 50));
            Assert.Equal(f[3], HistogramStats.ValueAtPercentile(h, 99));
            Assert.Equal(f[4], HistogramStats.ValueAtPercentile(h, 99.9));
        }
    }

    private static string? FindOnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        return null;
    }

    [Fact]
    public void Our_reader_also_reads_logs_written_by_HdrHistogram_net()
    {
        // HdrHistogram.NET 2.5.0 writes UTF-16 with a BOM and zlib streams without their end (PLATFORM.md): the
        // reference readers reject such files, ours reads what they hold so old logs stay usable.
        string path = Path.Combine(_dir, "net.hlog");
        var h = HdrCodecTests.RandomHistogram(9, 3_000);
        h.Tag = "decode";
        using (var fs = File.Create(path)) HistogramLogWriter.Write(fs, DateTime.UtcNow, h);
        Assert.Equal(0xFF, File.ReadAllBytes(path)[0]);
        var merged = HlogReader.MergeByTag(HlogReader.ReadFile(path));
        Assert.Equal(h.TotalCount, merged["decode"].TotalCount);
        Assert.Equal(HistogramStats.Max(h), HistogramStats.Max(merged["decode"]));
        Assert.Equal(HistogramStats.ValueAtPercentile(h, 99.9), HistogramStats.ValueAtPercentile(merged["decode"], 99.9));
    }

    [Fact]
    public void Hdr_command_prints_a_percentile_table_and_a_compact_summary()
    {
        string path = Path.Combine(_dir, "e.hlog");
        var totals = WriteSampleLog(path);
        var output = new StringWriter();
        Assert.Equal(0, HdrCommand.Run(path, output, "decode"));
        string text = output.ToString();
        Assert.Contains("== decode: 3 intervals", text);
        Assert.Contains("Percentile", text);
        Assert.Contains("Total count", text);
        Assert.DoesNotContain("== book", text);
        Assert.Contains($"count={totals["decode"].TotalCount}", text);
        Assert.Contains($"p50={LatencyFormat.Ns(HistogramStats.ValueAtPercentile(totals["decode"], 50))}", text);

        var all = new StringWriter();
        Assert.Equal(0, HdrCommand.Run(path, all, null));
        Assert.Contains("== book", all.ToString());
        Assert.Equal(1, HdrCommand.Run(path, new StringWriter(), "nosuchtag"));
        Assert.Equal(2, HdrCommand.Run(Path.Combine(_dir, "missing.hlog"), new StringWriter(), null));
    }

    [Fact]
    public void Hdr_command_reports_a_corrupt_line_with_its_number()
    {
        string path = Path.Combine(_dir, "bad.hlog");
        WriteSampleLog(path);
        File.AppendAllText(path, "Tag=decode,3.000,1.000,0.100,HISTFAAAnotbase64!!\n");
        var output = new StringWriter();
        Assert.Equal(1, HdrCommand.Run(path, output, null));
        Assert.Contains("line 11", output.ToString());
    }

    private static double FooterNumber(string line, string key)
    {
        int at = line.IndexOf(key, StringComparison.Ordinal);
        int eq = line.IndexOf('=', at) + 1;
        int end = line.IndexOfAny(new[] { ',', ']' }, eq);
        return double.Parse(line.AsSpan(eq, end - eq).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
