using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Wirespeed.Tests.Infrastructure;
using Wirespeed.Tests.Integration;
using Xunit;

namespace Wirespeed.Tests.App.Commands;

/// <summary>
/// The skeleton run, demo and bench share (CommandSession): SIGINT and SIGTERM end demo gracefully, with its summary
/// and JSON, as they end run; run's summary carries the sequencing figures of every line. Loopback multicast: each
/// test on ports of its own.
/// </summary>
public sealed class CommandSessionTests
{
    private static string Binary => Path.Combine(SharedData.RepoRoot, "managed", "Wirespeed", "bin",
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release",
        "net10.0", "wirespeed");

    private static string Config(string dir, int port, double seconds)
    {
        string f = Path.Combine(dir, "c.json");
        File.WriteAllText(f, $$"""{ "lines": [ { "port": {{port}} } ], "books": { "maxInstruments": 128, "maxOrders": 65536 }, "simulator": { "rate": 100000, "seconds": {{seconds}} } }""");
        return f;
    }

    [Theory]
    [InlineData(2, "SIGINT", 26651)]
    [InlineData(15, "SIGTERM", 26652)]
    public void Demo_stops_on_a_signal_with_its_summary_and_json_and_exit_0(int signal, string name, int port)
    {
        Requires.That(File.Exists(Binary), $"the wirespeed executable is not built at {Binary} (./ws test builds it)");
        string dir = Directory.CreateTempSubdirectory("ws-demostop").FullName;
        try
        {
            string json = Path.Combine(dir, "s.json");
            // A 60 s demo, stopped two seconds into its measured run.
            using var demo = new ChildProcess(Binary, "demo", "--config", Config(dir, port, 60), "--json", json);
            Assert.True(demo.WaitForStdout("msg/s  ", TimeSpan.FromSeconds(60)), "no progress line:\n" + demo.Output);
            System.Threading.Thread.Sleep(2000);
            demo.Signal(signal);
            Assert.True(demo.WaitForExit(TimeSpan.FromSeconds(30)), $"demo did not stop on {name}:\n" + demo.Output);
            Assert.True(demo.ExitCode == 0, demo.Output);
            Assert.Contains($"wirespeed demo: stopping ({name}): the simulator stopped; draining what it sent", demo.Stdout);
            Assert.Contains("== demo summary", demo.Stdout);
            Assert.Contains("ended by Stopped", demo.Stdout);
            Assert.Contains("summary written to " + json, demo.Stdout);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var counters = doc.RootElement.GetProperty("counters").GetProperty("demo");
            long sent = counters.GetProperty("messages_sent").GetInt64();
            Assert.InRange(sent, 100_000, 100_000 * 30);   // the warm-up and some of the run, far from the 60 s asked for
            Assert.Equal(sent, counters.GetProperty("messages_received").GetInt64());
            Assert.Equal(0, counters.GetProperty("messages_lost").GetInt64());
            Assert.True(doc.RootElement.GetProperty("duration_seconds").GetDouble() < 30);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Run_summary_shows_late_fills_sequence_jumps_and_stale_books_in_text_and_json()
    {
        string dir = Directory.CreateTempSubdirectory("ws-runline").FullName;
        try
        {
            string json = Path.Combine(dir, "s.json");
            var (code, output, err) = CommandRunner.Run("run", "--config", Config(dir, 26653, 1), "--seconds", "1", "--json", json);
            Assert.True(code == 0, output + err);
            string[] figures = ["late_fills", "suspect_jumps", "confirmed_jumps", "stale_lines", "stale_books"];
            string lineRow = output.Split('\n').Single(l => l.StartsWith("line: ", StringComparison.Ordinal));
            foreach (string f in figures) Assert.Contains($"  {f}=0", lineRow);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var counters = doc.RootElement.GetProperty("counters");
            var line = counters.GetProperty("line");
            Assert.Equal(["packets_received", "malformed", "gap_messages", .. figures], line.EnumerateObject().Select(p => p.Name).ToArray());
            foreach (string f in new[] { "late_fills", "late_messages", "suspect_jumps", "confirmed_jumps", "malformed_sequence" })
                Assert.Equal(0, counters.GetProperty("sequencing").GetProperty(f).GetInt64());
            Assert.Equal(0, counters.GetProperty("books").GetProperty("stale_books").GetInt64());
        }
        finally { Directory.Delete(dir, true); }
    }
}
