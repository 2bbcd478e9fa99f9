using System;
using System.IO;
using System.Threading;
using Wirespeed.Tests.Infrastructure;
using Wirespeed.Tests.Integration;
using Xunit;

namespace Wirespeed.Tests.App.Commands;

/// <summary><c>wirespeed run</c> reloads its configuration file on SIGHUP (the built executable as a subprocess): priority rules and breaker settings.</summary>
public class ReloadCommandTests
{
    private static string Config(string priority, string breakers = "") =>
        $$"""{ "lines": [ { "port": 26617 } ], "books": { "maxInstruments": 128, "maxOrders": 65536 }, "priority": { {{priority}} }, "breakers": { {{breakers}} } }""";

    private static string BuildConfiguration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    private static int Count(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    /// <summary>
    /// Sends SIGHUP and waits until the run has answered it (one more "rejected" line on stderr or one more "reloaded"
    /// line on stdout): the handler runs on the runtime's signal thread, and under load that can take seconds, so a fixed
    /// sleep would let the next write of the file overtake the reload it was meant for.
    /// </summary>
    private static void Hangup(ChildProcess p)
    {
        int answered = Count(p.Stderr, "SIGHUP: ") + Count(p.Stdout, "reloaded: ");
        p.Signal(1);
        long deadline = Environment.TickCount64 + 30_000;
        while (Count(p.Stderr, "SIGHUP: ") + Count(p.Stdout, "reloaded: ") == answered)
        {
            Assert.False(p.HasExited, "SIGHUP ended the process:\n" + p.Output);
            Assert.True(Environment.TickCount64 < deadline, "no answer to SIGHUP within 30 s:\n" + p.Output);
            Thread.Sleep(20);
        }
    }

    [Fact]
    public void Sighup_swaps_good_rules_and_breaker_settings_and_rejects_bad_ones_naming_the_field_while_the_old_keep_running()
    {
        string exe = Path.Combine(SharedData.RepoRoot, "managed", "Wirespeed", "bin", BuildConfiguration, "net10.0", "wirespeed");
        Requires.That(File.Exists(exe), $"the wirespeed executable is not built at {exe} (./ws test builds it)");
        string dir = Directory.CreateTempSubdirectory("ws-hup").FullName;
        try
        {
            string cfg = Path.Combine(dir, "c.json");
            File.WriteAllText(cfg, Config("\"defaultLane\": \"normal\""));
            using var p = new ChildProcess(exe, "run", "--config", cfg);
            // The banner is written after the SIGHUP handler is registered: from then on a SIGHUP reloads.
            Assert.True(p.WaitForStdout("wirespeed run: ", TimeSpan.FromSeconds(60)), "run did not start:\n" + p.Output);

            // 1. A file the validator refuses: the field is named, v1 keeps running.
            File.WriteAllText(cfg, Config("""
                "rules": [ { "type": "halts", "lane": "critical" }, { "type": "size" }, { "type": "priceMove", "bps": 0 } ]
                """));
            Hangup(p);
            // 2. A file only the running system can refuse: lane capacity is fixed at start-up.
            File.WriteAllText(cfg, Config("\"laneCapacity\": 8192"));
            Hangup(p);
            // 3. A breakers section the validator refuses, and 4. one the running breakers refuse (table sizes are fixed).
            File.WriteAllText(cfg, Config("\"defaultLane\": \"normal\"", "\"spread\": { \"thresholds\": { \"cautionEntry\": 50, \"cautionExit\": 60 } }"));
            Hangup(p);
            File.WriteAllText(cfg, Config("\"defaultLane\": \"normal\"", "\"maxSectors\": 32"));
            Hangup(p);
            // 5. A good file: a new rule set, version 2, and new breaker settings, version 2.
            File.WriteAllText(cfg, Config("""
                "rules": [ { "type": "halts", "lane": "critical" }, { "type": "size", "lane": "high", "shares": 500 } ], "defaultLane": "bulk"
                """, """ "minHoldNs": 1000000000, "volatility": { "windowNs": 30000000000 } """));
            Hangup(p);

            p.Signal(15);
            Assert.True(p.WaitForExit(TimeSpan.FromSeconds(30)), "run did not end on SIGTERM:\n" + p.Output);
            string o = p.Stdout, e = p.Stderr;
            Assert.True(p.ExitCode == 0, o + e);
            Assert.Contains("rejected, rule set v1 and breaker settings v1 keep running: priority.rules[2].bps:", e);
            Assert.Contains("rejected, rule set v1 and breaker settings v1 keep running: priority.laneCapacity=8192", e);
            Assert.Contains("rejected, rule set v1 and breaker settings v1 keep running: breakers.spread.cautionExit: value 60", e);
            Assert.Contains("rejected, rule set v1 and breaker settings v1 keep running: breakers.maxSectors=32: cannot change at run time (running with 64)", e);
            Assert.Contains("reloaded: priority rule set v2 (2 rules) replaces v1; breaker settings v2 replace v1 at the breaker stage's next event (2 changed)", o);
            Assert.Contains("breakers v2: breakers.volatility.windowNs 60000000000 -> 30000000000", o);
            Assert.Contains("breakers v2: breakers.minHoldNs 5000000000 -> 1000000000", o);
            Assert.DoesNotContain("rule set v3", o + e);
            Assert.Contains("rule_set_version=2", o);
            Assert.Contains("reconfigurations_rejected=1", o);   // the holder refused the lane capacity, the breakers the sectors; the validator the rest
            Assert.Contains("== run summary", o);
        }
        finally { Directory.Delete(dir, true); }
    }
}
