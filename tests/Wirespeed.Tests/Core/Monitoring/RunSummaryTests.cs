using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Wirespeed.Core.Monitoring;
using Xunit;

namespace Wirespeed.Tests.Core.Monitoring;

public class RunSummaryTests
{
    private static RunSummary Sample()
    {
        var s = new RunSummary { Command = "demo", StartedUnixMs = 1_764_000_000_000, DurationSeconds = 12.5, Alerts = 3 };
        s.Stages.Add(new LatencySummary { Name = "decode", Count = 1_000_000, MinNs = 40, P50Ns = 120, P90Ns = 300, P99Ns = 900, P999Ns = 9_999, P9999Ns = 15_000, MaxNs = 2_500_000, MeanNs = 150.5, BudgetNs = 5_000, Overruns = 12, Alerts = 3 });
        s.Service = new LatencySummary { Name = "service", Count = 10, P50Ns = 80 };
        s.EndToEnd = new LatencySummary { Name = "end_to_end", Count = 10, P99Ns = 12_345 };
        s.Host.Hiccup = new LatencySummary { Name = "hiccup", Count = 5000, P50Ns = 55_000 };
        s.Host.StealPercent = 4.25;
        s.Host.ProcessorCount = 2;
        s.Host.HiccupIntervalMs = 1;
        s.Gc = new GcSummary { Gen0 = 1, Gen1 = 0, Gen2 = 0, PauseTotalMs = 0.5, AllocatedBytes = 123_456 };
        s.HotThreads.Add(new ThreadAllocationSummary { Name = "worker.0", AllocatedBytes = 0, Marked = true });
        s.Memory.Add(new MemoryAccountSummary { Name = "ring.decode->book", ReservedBytes = 1 << 20, CapacityUnits = 16384, UsedUnits = 10, HighWaterUnits = 900, Exhausted = 0 });
        s.SetCounters("messages_by_type", new Dictionary<string, long> { ["A"] = 120, ["D"] = 80 });
        s.SetCounters("malformed", new Dictionary<string, long> { ["bad_length"] = 2 });
        s.Notes.Add("idle strategy: busy-spin on worker.0");
        return s;
    }

    [Fact]
    public void Json_round_trips_the_whole_summary()
    {
        var original = Sample();
        string json = RunSummaryJson.Serialize(original);
        var back = RunSummaryJson.Deserialize(json);
        Assert.Equal(json, RunSummaryJson.Serialize(back));
        Assert.Equal(9_999, back.Stages[0].P999Ns);
        Assert.Equal(80, back.Counters["messages_by_type"]["D"]);
        Assert.Equal(4.25, back.Host.StealPercent);
    }

    [Fact]
    public void Json_uses_the_documented_snake_case_names()
    {
        using var doc = JsonDocument.Parse(RunSummaryJson.Serialize(Sample()));
        var root = doc.RootElement;
        foreach (string name in new[] { "command", "started_unix_ms", "duration_seconds", "stages", "service", "end_to_end", "host", "gc", "hot_threads", "memory", "alerts", "counters", "notes" })
            Assert.True(root.TryGetProperty(name, out _), name);
        var stage = root.GetProperty("stages")[0];
        foreach (string name in new[] { "name", "count", "min_ns", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "p9999_ns", "max_ns", "mean_ns", "budget_ns", "overruns", "alerts", "clamped" })
            Assert.True(stage.TryGetProperty(name, out _), name);
        Assert.Equal(9_999, stage.GetProperty("p999_ns").GetInt64());
        var host = root.GetProperty("host");
        Assert.Equal(4.25, host.GetProperty("steal_percent").GetDouble());
        Assert.Equal(55_000, host.GetProperty("hiccup").GetProperty("p50_ns").GetInt64());
        Assert.Equal(1, host.GetProperty("hiccup_interval_ms").GetInt32());
        var gc = root.GetProperty("gc");
        foreach (string name in new[] { "gen0", "gen1", "gen2", "pause_total_ms", "allocated_bytes" })
            Assert.True(gc.TryGetProperty(name, out _), name);
        Assert.Equal(0, root.GetProperty("hot_threads")[0].GetProperty("allocated_bytes").GetInt64());
        var mem = root.GetProperty("memory")[0];
        foreach (string name in new[] { "reserved_bytes", "capacity_units", "used_units", "high_water_units", "exhausted" })
            Assert.True(mem.TryGetProperty(name, out _), name);
        Assert.Equal(2, root.GetProperty("counters").GetProperty("malformed").GetProperty("bad_length").GetInt64());
    }

    [Fact]
    public void Printer_renders_an_aligned_table_in_ns_below_10_us_and_us_above()
    {
        var output = new StringWriter();
        RunSummaryPrinter.Print(Sample(), output);
        string[] lines = output.ToString().Split('\n');
        string header = System.Array.Find(lines, l => l.StartsWith("stage", System.StringComparison.Ordinal))!;
        string decode = System.Array.Find(lines, l => l.StartsWith("decode", System.StringComparison.Ordinal))!;
        Assert.Equal(header.Length, decode.Length); // right-aligned columns end together
        Assert.Contains("9999 ns", decode);
        Assert.Contains("15.0 µs", decode);
        Assert.Contains("2500.0 µs", decode);
        Assert.Contains("120 ns", decode);
        string text = output.ToString();
        Assert.Contains("host hiccup", text);
        Assert.Contains("steal 4.25 %", text);
        Assert.Contains("messages_by_type:  A=120  D=80", text);
        Assert.Contains("note: idle strategy: busy-spin on worker.0", text);
        Assert.Contains("ring.decode->book", text);
        Assert.Contains("worker.0 0 B", text);
    }

    [Fact]
    public void Latency_format_switches_unit_at_10_us()
    {
        Assert.Equal("850 ns", LatencyFormat.Ns(850));
        Assert.Equal("9999 ns", LatencyFormat.Ns(9_999));
        Assert.Equal("10.0 µs", LatencyFormat.Ns(10_000));
        Assert.Equal("1234.6 µs", LatencyFormat.Ns(1_234_567));
    }
}
