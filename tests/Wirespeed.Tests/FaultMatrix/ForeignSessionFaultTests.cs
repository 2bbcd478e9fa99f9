using System;
using System.IO;
using System.Text.RegularExpressions;
using Wirespeed.Core.Monitoring;
using Wirespeed.Tests.Infrastructure;
using Wirespeed.Tests.Integration;
using Xunit;

namespace Wirespeed.Tests.FaultMatrix;

/// <summary>
/// A second simulator on a demo's multicast group (two demos on one host): each run sends its own MoldUDP64 session,
/// so the demo counts the other's packets as foreign, says so once, and loses nothing of its own.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ForeignSessionFaultTests
{
    private const int Port = 26742;

    private static string Binary => Path.Combine(SharedData.RepoRoot, "managed", "Wirespeed", "bin",
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release",
        "net10.0", "wirespeed");

    [Fact]
    public void A_demo_beside_another_simulator_on_its_group_counts_the_foreign_packets_and_loses_nothing()
    {
        Requires.That(File.Exists(Binary), $"the wirespeed executable is not built at {Binary} (./ws test builds it)");
        string dir = Directory.CreateTempSubdirectory("ws-foreign").FullName;
        try
        {
            string config = Path.Combine(dir, "c.json");
            File.WriteAllText(config, $$"""{ "lines": [ { "port": {{Port}} } ], "books": { "maxInstruments": 128, "maxOrders": 65536 } }""");
            string json = Path.Combine(dir, "demo.json");
            using var demo = new ChildProcess(Binary, "demo", "--config", config, "--seconds", "2", "--rate", "100000", "--json", json);
            Assert.True(demo.WaitForStdout("transport: ", TimeSpan.FromSeconds(30)), "demo did not start:\n" + demo.Output);

            using var other = new ChildProcess(Binary, "simulate", "--config", config, "--messages", "60000", "--rate", "60000");
            Assert.True(other.WaitForExit(TimeSpan.FromSeconds(60)), "simulate did not finish:\n" + other.Output);
            Assert.True(other.ExitCode == 0, other.Output);
            Match sent = Regex.Match(other.Stdout, @"\(session (W[0-9]{7}[0-9A-Z]A)\)");
            Assert.True(sent.Success, "simulate did not name its session:\n" + other.Output);

            Assert.True(demo.WaitForExit(TimeSpan.FromSeconds(60)), "demo did not finish:\n" + demo.Output);
            Assert.True(demo.ExitCode == 0, demo.Output);   // nothing of its own lost
            RunSummary s = RunSummaryJson.Deserialize(File.ReadAllText(json));
            long foreign = s.Counters["sequencing"]["foreign_session_packets"];
            Assert.True(foreign > 0, "no foreign packet counted:\n" + demo.Output);
            Assert.Equal(foreign, s.Counters["malformed"]["wrong_session"]);
            Assert.Equal(0, s.Counters["demo"]["messages_lost"]);
            Assert.Equal(0, s.Counters["sequencing"]["gap_messages"]);
            Assert.Equal(0, s.Counters["sequencing"]["duplicate_messages"]);
            Assert.Equal(s.Counters["demo"]["messages_sent"], s.Counters["demo"]["messages_received"]);
            // Said while it happened (once) and kept in the summary's notes, naming the other run's session.
            string warning = $"warning: line A: packets of another MoldUDP64 session ('{sent.Groups[1].Value}'";
            Assert.Contains(warning, string.Join("\n", s.Notes));
            Assert.Equal(2, Regex.Matches(demo.Stdout, Regex.Escape(warning)).Count);   // the live line and the summary's note
            Assert.DoesNotContain($"expects session '{sent.Groups[1].Value}'", demo.Stdout);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
