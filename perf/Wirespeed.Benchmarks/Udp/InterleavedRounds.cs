using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using Wirespeed.Core.Monitoring;

namespace Wirespeed.Benchmarks.Udp;

/// <summary>One latency measurement of one variant (ns), with a free-form note (kernel stamp split, system calls).</summary>
public readonly record struct LatencyFigures(int Count, long MinNs, long P50Ns, long P99Ns, long P999Ns, string Note = "")
{
    /// <summary>Percentiles of the first <paramref name="n"/> values (sorted in place).</summary>
    public static LatencyFigures Of(long[] values, int n, string note = "")
    {
        if (n == 0) return new LatencyFigures(0, 0, 0, 0, 0, note + " (no samples)");
        Array.Sort(values, 0, n);
        return new LatencyFigures(n, values[0], values[n / 2], values[(int)(n * 0.99)], values[(int)(n * 0.999)], note);
    }
}

/// <summary>
/// Runs variants interleaved (A B C … A B C …) for several rounds, each beside a hiccup meter (a thread that sleeps 1 ms
/// and records how late it wakes), and summarises each variant by the median over rounds of its per-round figures.
/// On a shared, noisy VM (PLATFORM.md) a drift in load then hits every variant alike instead of the one that ran during
/// it, and the hiccup figures beside each round say how disturbed the host was.
/// </summary>
public static class InterleavedRounds
{
    private readonly record struct Round(LatencyFigures F, long HiccupP50Ns, long HiccupP999Ns, double StealPercent);

    /// <summary>Prints one line per variant per round to <paramref name="progress"/>; returns the summary table.</summary>
    public static string Run(int rounds, IReadOnlyList<(string Name, Func<LatencyFigures> Measure)> variants, TextWriter progress)
    {
        var results = new List<Round>[variants.Count];
        for (int i = 0; i < variants.Count; i++) results[i] = new List<Round>();
        for (int r = 1; r <= rounds; r++)
        {
            for (int i = 0; i < variants.Count; i++)
            {
                var (name, measure) = variants[i];
                CpuTimes.TryParse(File.ReadAllText("/proc/stat"), out var cpu0);   // zeros where /proc/stat is missing: steal reads 0
                using var meter = new HiccupMeter(1);
                meter.Start();
                LatencyFigures f;
                try { f = measure(); }
                catch (Exception e) { progress.WriteLine($"round {r} {name}: failed: {e.Message}"); continue; }
                finally { meter.Stop(); }
                var h = meter.Metrics.SampleInterval();
                var round = new Round(f, HistogramStats.ValueAtPercentile(h, 50), HistogramStats.ValueAtPercentile(h, 99.9),
                    CpuTimes.TryParse(File.ReadAllText("/proc/stat"), out var cpu1) ? CpuTimes.StealPercent(cpu0, cpu1) : 0);
                results[i].Add(round);
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {r} {name,-18} n={f.Count} min {f.MinNs} p50 {f.P50Ns} p99 {f.P99Ns} p99.9 {f.P999Ns} ns | hiccup p50 {round.HiccupP50Ns / 1000} p99.9 {round.HiccupP999Ns / 1000} us steal {round.StealPercent:F1}% | {f.Note}"));
            }
        }
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"medians over {rounds} interleaved rounds (ns; hiccup in us):"));
        sb.AppendLine("variant             rounds     min     p50     p99    p99.9  p50/first  hiccup p50 p99.9  steal  per-round p50s");
        double first = 0;
        for (int i = 0; i < variants.Count; i++)
        {
            var rs = results[i];
            if (rs.Count == 0) { sb.AppendLine($"{variants[i].Name,-18}  no result"); continue; }
            double p50 = Median(rs, x => x.F.P50Ns);
            if (i == 0) first = p50;
            var p50s = new StringBuilder();
            foreach (var x in rs) p50s.Append(x.F.P50Ns).Append(' ');
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{variants[i].Name,-18} {rs.Count,7} {Median(rs, x => x.F.MinNs),7:F0} {p50,7:F0} {Median(rs, x => x.F.P99Ns),7:F0} {Median(rs, x => x.F.P999Ns),8:F0} {(first > 0 ? p50 / first : 0),10:F3} {Median(rs, x => x.HiccupP50Ns) / 1000,10:F0} {Median(rs, x => x.HiccupP999Ns) / 1000,5:F0} {Median(rs, x => x.StealPercent),5:F1}%  {p50s}"));
        }
        return sb.ToString();
    }

    private static double Median(List<Round> rs, Func<Round, double> f)
    {
        var v = new double[rs.Count];
        for (int i = 0; i < v.Length; i++) v[i] = f(rs[i]);
        Array.Sort(v);
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
