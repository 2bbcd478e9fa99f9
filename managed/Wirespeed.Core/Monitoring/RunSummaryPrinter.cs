using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace Wirespeed.Core.Monitoring;

/// <summary>
/// The human rendering of <see cref="RunSummary"/>: a compact, aligned table for an 80–120 column terminal; latencies
/// in ns below 10 µs and µs above (<see cref="LatencyFormat"/>).
/// </summary>
public static class RunSummaryPrinter
{
    private static readonly string[] s_latencyHeader =
        { "stage", "count", "min", "p50", "p99", "p99.9", "p99.99", "max", "mean", "budget", "over", "alerts" };

    /// <summary>Writes the summary to <paramref name="output"/>.</summary>
    public static void Print(RunSummary summary, TextWriter output)
    {
        output.WriteLine($"== {summary.Command} summary: {F(summary.DurationSeconds, "F1")} s");

        var rows = new List<string[]> { s_latencyHeader };
        foreach (var s in summary.Stages) rows.Add(LatencyRow(s.Name, s));
        if (summary.Service is { } service) rows.Add(LatencyRow("service", service));
        if (summary.EndToEnd is { } e2e) rows.Add(LatencyRow("end-to-end", e2e));
        if (summary.Host.Hiccup is { } hiccup) rows.Add(LatencyRow("host hiccup", hiccup));
        WriteTable(output, rows);

        string steal = summary.Host.StealPercent is { } st ? F(st, "F2") + " %" : "n/a";
        output.WriteLine($"host: steal {steal}, {summary.Host.ProcessorCount} cpus, hiccup meter {summary.Host.HiccupIntervalMs} ms sleeps; alerts {summary.Alerts}");
        output.WriteLine($"gc: gen0 {summary.Gc.Gen0}  gen1 {summary.Gc.Gen1}  gen2 {summary.Gc.Gen2}  pause {F(summary.Gc.PauseTotalMs, "F2")} ms  process allocated {Bytes(summary.Gc.AllocatedBytes)}");

        if (summary.HotThreads.Count > 0)
        {
            var sb = new StringBuilder("hot threads allocated after warm-up:");
            foreach (var t in summary.HotThreads)
                sb.Append("  ").Append(t.Name).Append(' ').Append(t.Marked ? Bytes(t.AllocatedBytes) : "(not marked)");
            output.WriteLine(sb.ToString());
        }

        if (summary.Memory.Count > 0)
        {
            var mem = new List<string[]> { new[] { "memory", "reserved", "used", "high-water", "capacity", "exhausted" } };
            foreach (var m in summary.Memory)
                mem.Add(new[] { m.Name, Bytes(m.ReservedBytes), N(m.UsedUnits), N(m.HighWaterUnits), N(m.CapacityUnits), N(m.Exhausted) });
            WriteTable(output, mem);
        }

        foreach (var (section, values) in summary.Counters)
        {
            var sb = new StringBuilder(section).Append(':');
            foreach (var (k, v) in values) sb.Append("  ").Append(k).Append('=').Append(N(v));
            output.WriteLine(sb.ToString());
        }
        foreach (string note in summary.Notes) output.WriteLine("note: " + note);
    }

    private static string[] LatencyRow(string name, LatencySummary s) => new[]
    {
        name, N(s.Count), LatencyFormat.Ns(s.MinNs), LatencyFormat.Ns(s.P50Ns), LatencyFormat.Ns(s.P99Ns),
        LatencyFormat.Ns(s.P999Ns), LatencyFormat.Ns(s.P9999Ns), LatencyFormat.Ns(s.MaxNs), LatencyFormat.Ns(s.MeanNs),
        s.BudgetNs > 0 ? LatencyFormat.Ns(s.BudgetNs) : "-", N(s.Overruns), N(s.Alerts),
    };

    /// <summary>First column left-aligned, the others right-aligned, two spaces apart.</summary>
    private static void WriteTable(TextWriter output, List<string[]> rows)
    {
        int columns = rows[0].Length;
        var width = new int[columns];
        foreach (var r in rows)
            for (int c = 0; c < columns; c++) width[c] = System.Math.Max(width[c], r[c].Length);
        var sb = new StringBuilder();
        foreach (var r in rows)
        {
            sb.Clear();
            for (int c = 0; c < columns; c++)
            {
                if (c > 0) sb.Append("  ");
                sb.Append(c == 0 ? r[c].PadRight(width[c]) : r[c].PadLeft(width[c]));
            }
            output.WriteLine(sb.ToString().TrimEnd());
        }
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    private static string Bytes(long b) => b switch
    {
        < 10 * 1024 => b.ToString(CultureInfo.InvariantCulture) + " B",
        < 10L * 1024 * 1024 => F(b / 1024.0, "F1") + " KiB",
        < 10L * 1024 * 1024 * 1024 => F(b / (1024.0 * 1024), "F1") + " MiB",
        _ => F(b / (1024.0 * 1024 * 1024), "F1") + " GiB",
    };
}
