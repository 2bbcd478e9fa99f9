using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Wirespeed.Tests.App.Commands;
using Wirespeed.Tests.Infrastructure;
using Wirespeed.Tests.Integration;
using Xunit;

namespace Wirespeed.Tests.FaultMatrix;

/// <summary>
/// The configuration fault matrix: every bad file × {check-config, run, SIGHUP}. check-config and run refuse it with
/// exit 3 and one line naming the field (never a stack trace, never a .NET type); a running feed refuses it on SIGHUP
/// with the same reason, keeps its settings and ends with its summary on SIGTERM.
/// </summary>
public class ConfigFaultTests
{
    private const int Port = 26951;

    private static string Good(string lines = "", string rest = "", int port = Port) =>
        $$"""{ "lines": [ { "port": {{port}}{{lines}} } ], "books": { "maxInstruments": 128, "maxOrders": 65536 }{{rest}} }""";

    /// <summary>A bad configuration: how to make it at a path, the field the message must name, and a phrase of the reason.</summary>
    public sealed record Fault(Action<string> Make, string Field, string Reason);

    private static Action<string> Text(string json) => path => File.WriteAllText(path, json);

    public static readonly Dictionary<string, Fault> Faults = new()
    {
        ["null lines[].device"] = new(Text(Good(", \"device\": null")), "lines[0].device", "is null"),
        ["null lines[].group"] = new(Text(Good(", \"group\": null")), "lines[0].group", "is null"),
        ["null lines[].session"] = new(Text(Good(", \"session\": null")), "lines[0].session", "is null"),
        ["null simulator.session"] = new(Text(Good(rest: ", \"simulator\": { \"session\": null }")), "simulator.session", "is null"),
        ["empty file"] = new(Text(""), "(document)", "is empty"),
        ["whitespace only"] = new(Text("  \n\t\n"), "(document)", "is empty"),
        ["duplicate key"] = new(Text(Good(rest: ", \"monitor\": { \"intervalMs\": 500, \"intervalMs\": 700 }")), "monitor.intervalMs", "appears twice"),
        ["duplicate dictionary key"] = new(Text(Good(rest: ", \"pipeline\": { \"budgetsNs\": { \"book\": 1000, \"book\": 2000 } }")), "pipeline.budgetsNs.book", "appears twice"),
        ["oversized"] = new(path => File.WriteAllText(path, Good() + new string(' ', 1 << 20)), "--config", "at most 1,048,576 bytes"),
        ["wrong type"] = new(Text(Good(rest: ", \"monitor\": { \"intervalMs\": \"fast\" }")), "monitor.intervalMs", "\"fast\" is a string; write a whole number"),
        ["wrong type boolean"] = new(Text(Good(rest: ", \"memory\": { \"prefault\": 1 }")), "memory.prefault", "1 is a number; write true or false"),
        ["number for a list"] = new(Text(Good(rest: ", \"patterns\": { \"cpus\": 5 }")), "patterns.cpus", "5 is a number; write a list"),
        ["number for an object"] = new(Text(Good(rest: ", \"patterns\": { \"instruments\": 5 }")), "patterns.instruments", "5 is a number; write an object"),
        ["beyond Int32"] = new(Text(Good().Replace($"\"port\": {Port}", "\"port\": 99999999999", StringComparison.Ordinal)), "lines[0].port", "99999999999 is out of range 1..65535."),
        ["beyond Int32, a key twice"] = new(Text(Good(", \"port\": 99999999999")), "lines[0].port", "99999999999 is out of range -2147483648..2147483647."),
        ["fraction"] = new(Text(Good(rest: ", \"monitor\": { \"intervalMs\": 1.5 }")), "monitor.intervalMs", "1.5 is not a whole number"),
        ["books.maxOrders out of range"] = new(Text(Good(rest: ", \"quarantine\": { \"capacity\": 16 }").Replace("65536 }", "2147483647 }", StringComparison.Ordinal)), "books.maxOrders", "2147483647 is out of range 1024..536870912"),
        ["patterns.ringCapacity over the ceiling"] = new(Text(Good(rest: ", \"patterns\": { \"ringCapacity\": 1073741824 }")), "memory.ceilingBytes", "sized by patterns.ringCapacity"),
        ["quarantine over one store"] = new(Text(Good(rest: ", \"quarantine\": { \"capacity\": 1048576, \"maxBytes\": 65536 }")), "quarantine.capacity", "lower either"),
        ["pattern window beyond memory"] = new(Text(Good(rest: ", \"patterns\": { \"definitions\": [ { \"name\": \"p\", \"kind\": \"pairSpread\", \"window\": 2147483647, \"legs\": [ { \"symbol\": \"AAAA\" }, { \"symbol\": \"AAAB\" } ] } ] }")), "patterns.definitions[0].window", "2147483647 is out of range 2..1048576"),
        ["pattern time beyond a day"] = new(Text(Good(rest: ", \"patterns\": { \"definitions\": [ { \"name\": \"m\", \"kind\": \"momentum\", \"withinUs\": 9223372036854775807, \"legs\": [ { \"symbol\": \"AAAA\" } ] } ] }")), "patterns.definitions[0].withinUs", "9223372036854775807 is out of range 1..86400000000"),
        ["lines[0].receiveBufferBytes over 1 GiB"] = new(Text(Good(", \"receiveBufferBytes\": 2147483647")), "lines[0].receiveBufferBytes", "64 KiB..1 GiB"),
        ["non-ASCII session"] = new(Text(Good(", \"session\": \"ÄÖÜäöüßéèê\"")), "lines[0].session", "printable ASCII"),
        ["IPv6 interface"] = new(Text(Good(", \"interface\": \"::1\"")), "lines[0].interface", "IPv4"),
        ["interface not local"] = new(Text(Good(", \"interface\": \"198.51.100.254\"")), "lines[0].interface", "is not an address of this host"),
        ["xdp on a missing device"] = new(Text(Good(", \"transport\": \"xdp\", \"device\": \"nosuchdev0\"")), "lines[0].transport", "interface nosuchdev0 does not exist"),
        ["unknown transport"] = new(Text(Good(", \"transport\": \"recvx\"")), "lines[0].transport", "'recvx' is not one of: auto, xdp, uring, socket, recv"),
        ["hlog in a missing directory"] = new(Text(Good(rest: ", \"monitor\": { \"hlog\": \"/nonexistent-ws/dir/run.hlog\" }")), "monitor.hlog", "/nonexistent-ws/dir"),
        ["hlog name too long"] = new(Text(Good(rest: $", \"monitor\": {{ \"hlog\": \"/tmp/{new string('h', 300)}.hlog\" }}")), "monitor.hlog", "File name too long"),
        ["hlog is a directory"] = new(Text(Good(rest: ", \"monitor\": { \"hlog\": \"/tmp\" }")), "monitor.hlog", "exists and is not a regular file"),
        ["journal in a missing directory"] = new(Text(Good(rest: ", \"patterns\": { \"sinks\": { \"journal\": \"/nonexistent-ws/dir/j.bin\" } }")), "patterns.sinks.journal", "/nonexistent-ws/dir"),
        ["truncated JSON"] = new(Text(Good()[..^2]), "(document)", "not valid JSON: the text ends before every { and [ is closed"),
        ["truncated in a string"] = new(Text(Good()[..40]), "(document)", "not valid JSON: the text ends inside a string"),
        ["not JSON"] = new(Text(Good(rest: ", \"monitor\": { \"intervalMs\": x }")), "monitor.intervalMs", "not valid JSON: 'x' is an invalid start of a value"),
        ["FIFO"] = new(path => MakeFifo(path), "--config", "FIFO"),
        ["directory"] = new(path => Directory.CreateDirectory(path), "--config", "is a directory"),
        ["/dev/zero"] = new(path => File.CreateSymbolicLink(path, "/dev/zero"), "--config", "character device"),
        ["missing file"] = new(_ => { }, "--config", "does not exist"),
    };

    public static TheoryData<string> FaultNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Faults.Keys) data.Add(name);
        return data;
    }

    private static void MakeFifo(string path)
    {
        using var p = Process.Start("mkfifo", [path])!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    private static void Clear(string path)
    {
        if (Directory.Exists(path) && !File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint)) Directory.Delete(path, true);
        else File.Delete(path);   // a file, a FIFO or a symbolic link
    }

    /// <summary>One line, exit 3, the field and the reason; nothing of .NET.</summary>
    private static void AssertRefused(int code, string stdout, string stderr, Fault fault)
    {
        Assert.True(code == 3, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains($"wirespeed: configuration error: {fault.Field}: ", stderr);
        Assert.Contains(fault.Reason, stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        AssertNoInternals(stderr);
    }

    private static void AssertNoInternals(string text)
    {
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("Exception", text);
        Assert.DoesNotContain("System.", text);
        Assert.DoesNotContain("isFinalBlock", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("LineNumber:", text);
    }

    [Theory]
    [MemberData(nameof(FaultNames))]
    public void Check_config_refuses_the_file_naming_the_field_with_exit_3(string name)
    {
        var fault = Faults[name];
        string dir = Directory.CreateTempSubdirectory("ws-cfgfault").FullName;
        try
        {
            string path = Path.Combine(dir, "c.json");
            fault.Make(path);
            var (code, o, e) = CommandRunner.Run("check-config", path);
            AssertRefused(code, o, e, fault);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [MemberData(nameof(FaultNames))]
    public void Run_refuses_the_file_at_start_up_as_check_config_does(string name)
    {
        var fault = Faults[name];
        string dir = Directory.CreateTempSubdirectory("ws-cfgfault").FullName;
        try
        {
            string path = Path.Combine(dir, "c.json");
            fault.Make(path);
            // Refused before anything is reserved or opened: no socket, so no lock is needed.
            var (code, o, e) = CommandRunner.Run("run", "--config", path, "--seconds", "1");
            AssertRefused(code, o, e, fault);
            Assert.DoesNotContain("wirespeed run: line", o);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Check_config_accepts_the_samples_and_the_default_as_before()
    {
        foreach (string sample in new[] { "wirespeed.json", "two-venues.json" })
        {
            var (code, o, e) = CommandRunner.Run("check-config", Path.Combine(SharedData.RepoRoot, "deploy", sample));
            Assert.True(code == 0, o + e);
        }
        var (c, _, err) = CommandRunner.Run("check-config");
        Assert.True(c == 0, err);
    }

    [Fact]
    public void A_path_through_a_regular_file_is_refused_with_the_system_s_reason()
    {
        string dir = Directory.CreateTempSubdirectory("ws-cfgfault").FullName;
        try
        {
            string file = Path.Combine(dir, "plain");
            File.WriteAllText(file, "{}");
            // As root every permission check passes; a path that runs into a regular file is unreadable for anyone.
            var (code, o, e) = CommandRunner.Run("check-config", Path.Combine(file, "c.json"));
            AssertRefused(code, o, e, new Fault(_ => { }, "--config", "Not a directory"));
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>The executable run as user nobody (setpriv), so that a file mode can refuse it: root reads any file.</summary>
    private static ChildProcess AsNobody(params string[] args)
    {
        Requires.Root("changes user to nobody (setpriv) so that a 0600 file of another user is unreadable");
        Requires.That(File.Exists("/usr/bin/setpriv"), "needs setpriv (util-linux) to run as another user");
        Requires.That(File.Exists(Executable), $"the wirespeed executable is not built at {Executable} (./ws test builds it)");
        var all = new List<string> { "--reuid=65534", "--regid=65534", "--clear-groups", NobodyExecutable.For(Executable) };
        all.AddRange(args);
        return new ChildProcess("/usr/bin/setpriv", all.ToArray());
    }

    private static void Tool(string name, params string[] args)
    {
        using var p = Process.Start(name, args)!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    private static void Chown(string path, string owner) => Tool("chown", owner, path);

    [Fact]
    public void A_0600_file_of_another_user_is_refused_by_check_config_and_on_sighup_while_the_feed_runs_on()
    {
        string dir = Directory.CreateTempSubdirectory("ws-cfgfault-perm").FullName;
        try
        {
            Tool("chmod", "0755", dir);   // nobody may enter
            string path = Path.Combine(dir, "c.json");
            File.WriteAllText(path, Good(", \"group\": \"\", \"session\": \"FAULTMATRX\"", ", \"patterns\": { \"enabled\": false }, \"memory\": { \"prefault\": false }", port: 26953));
            Tool("chmod", "0600", path);   // root's
            using (var check = AsNobody("check-config", path))
            {
                Assert.True(check.WaitForExit(TimeSpan.FromSeconds(20)), check.Output);
                Assert.True(check.ExitCode == 3, check.Output);
                Assert.Contains($"wirespeed: configuration error: --config: cannot read '{path}': permission denied for user nobody", check.Stderr);
                AssertNoInternals(check.Stderr);
            }

            Chown(path, "nobody");   // readable at start-up …
            using var run = AsNobody("run", "--config", path);
            Assert.True(run.WaitForStdout("wirespeed run: line", TimeSpan.FromSeconds(20)), "run did not start:\n" + run.Output);
            Chown(path, "root");     // … then 0600 of another user
            run.Signal(1);
            Assert.True(WaitForHangups(run, 1, TimeSpan.FromSeconds(5)), "no answer to SIGHUP:\n" + run.Output);
            Assert.False(run.HasExited, "SIGHUP ended the process:\n" + run.Output);
            run.Signal(15);
            Assert.True(run.WaitForExit(TimeSpan.FromSeconds(20)), "run did not stop on SIGTERM:\n" + run.Output);
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("rejected, rule set v1 and breaker settings v1 keep running: --config: cannot read", run.Stderr);
            Assert.Contains("permission denied for user nobody", run.Stderr);
            Assert.Contains("== run summary", run.Stdout);
            AssertNoInternals(run.Stderr);
        }
        finally { Directory.Delete(dir, true); }
    }

    private static string Executable => Path.Combine(SharedData.RepoRoot, "managed", "Wirespeed", "bin",
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release",
        "net10.0", "wirespeed");

    /// <summary>Waits until stderr holds <paramref name="count"/> SIGHUP lines (rejections); false when the time ran out.</summary>
    private static bool WaitForHangups(ChildProcess p, int count, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            if (Regex.Count(p.Stderr, "wirespeed: SIGHUP: ") >= count || p.HasExited) return Regex.Count(p.Stderr, "wirespeed: SIGHUP: ") >= count;
            Thread.Sleep(10);
        }
        return false;
    }

    [Fact]
    public void Sighup_with_each_bad_file_is_rejected_naming_the_field_while_the_feed_keeps_running_to_its_summary()
    {
        string exe = Executable;
        Requires.That(File.Exists(exe), $"the wirespeed executable is not built at {exe} (./ws test builds it)");
        string dir = Directory.CreateTempSubdirectory("ws-cfgfault-hup").FullName;
        try
        {
            // The file lives in a folder of its own, so that the folder can become a regular file (the path then runs
            // into a non-directory: unreadable even for root).
            string folder = Path.Combine(dir, "conf");
            Directory.CreateDirectory(folder);
            string path = Path.Combine(folder, "c.json");
            File.WriteAllText(path, Good(", \"group\": \"\", \"session\": \"FAULTMATRX\"", ", \"patterns\": { \"enabled\": false }"));
            using var run = new ChildProcess(exe, "run", "--config", path);
            Assert.True(run.WaitForStdout("wirespeed run: line", TimeSpan.FromSeconds(20)), "run did not start:\n" + run.Output);

            int sent = 0;
            var order = new List<string>();
            foreach (var (name, fault) in Faults)
            {
                Clear(path);
                fault.Make(path);
                run.Signal(1);
                sent++;
                order.Add(name);
                Assert.True(WaitForHangups(run, sent, TimeSpan.FromSeconds(5)), $"no answer to SIGHUP with '{name}':\n" + run.Output);
                Assert.False(run.HasExited, $"SIGHUP with '{name}' ended the process:\n" + run.Output);
            }
            // The folder becomes a regular file: the path cannot be read.
            Clear(path);
            Directory.Delete(folder);
            File.WriteAllText(folder, "not a folder");
            run.Signal(1);
            sent++;
            Assert.True(WaitForHangups(run, sent, TimeSpan.FromSeconds(5)), "no answer to SIGHUP through a file:\n" + run.Output);
            File.Delete(folder);

            run.Signal(15);
            Assert.True(run.WaitForExit(TimeSpan.FromSeconds(20)), "run did not stop on SIGTERM:\n" + run.Output);
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("== run summary", run.Stdout);
            Assert.Contains("rule_set_version=1", run.Stdout);
            AssertNoInternals(run.Stderr);
            var lines = Array.FindAll(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("wirespeed: SIGHUP: ", StringComparison.Ordinal));
            Assert.Equal(sent, lines.Length);
            for (int i = 0; i < order.Count; i++)
            {
                var fault = Faults[order[i]];
                Assert.Contains("rejected, rule set v1 and breaker settings v1 keep running: ", lines[i]);
                Assert.True(lines[i].Contains($": {fault.Field}: ", StringComparison.Ordinal) && lines[i].Contains(fault.Reason, StringComparison.Ordinal),
                    $"'{order[i]}': expected {fault.Field} and '{fault.Reason}' in: {lines[i]}");
            }
            Assert.Contains("Not a directory", lines[^1]);
        }
        finally { Directory.Delete(dir, true); }
    }
}
