using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text.Json;
using Wirespeed.Tests.Infrastructure;
using Wirespeed.Tests.Integration;
using Xunit;

namespace Wirespeed.Tests.FaultMatrix;

/// <summary>The output a fault case writes to.</summary>
public enum OutputKind
{
    /// <summary>--json of a measured command (bench: no network), written whole at the end.</summary>
    Json,
    /// <summary>--hlog of a measured command, written every interval by the monitor.</summary>
    Hlog,
    /// <summary>replay --quarantine-out, written whole at the end.</summary>
    QuarantineOut,
    /// <summary>simulate --out, written as the simulator generates.</summary>
    SimulateOut,
}

/// <summary>What is wrong with the output path.</summary>
public enum OutputFault
{
    MissingDirectory,
    /// <summary>The path names an existing directory.</summary>
    Directory,
    /// <summary>A tmpfs this test mounts and fills (ENOSPC).</summary>
    DiskFull,
    /// <summary>/dev/full: opens, every write fails with ENOSPC.</summary>
    DevFull,
}

/// <summary>
/// Output files × faults, the built executable run as a child: every case ends in one clear line on stderr and the
/// documented exit code (Usage.cs), never a stack trace. What the start-up check can see (a missing directory, a
/// directory, a full disk) is exit 2 with the option named, before any work; a write that fails later (/dev/full,
/// a disk that fills during the run) is exit 1, and the run goes on to its summary.
/// </summary>
public sealed class OutputFaultTests
{
    private static string Binary => Path.Combine(SharedData.RepoRoot, "managed", "Wirespeed", "bin",
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release",
        "net10.0", "wirespeed");

    public static TheoryData<OutputKind, OutputFault> Cases()
    {
        var data = new TheoryData<OutputKind, OutputFault>();
        foreach (var output in Enum.GetValues<OutputKind>())
            foreach (var fault in Enum.GetValues<OutputFault>()) data.Add(output, fault);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_output_fault_ends_in_one_clear_line_and_the_documented_exit_code(OutputKind output, OutputFault fault)
    {
        Requires.That(File.Exists(Binary), $"the wirespeed executable is not built at {Binary} (./ws test builds it)");
        if (fault == OutputFault.DiskFull) Requires.Root("mounts a small tmpfs and fills it");
        string dir = Directory.CreateTempSubdirectory("ws-outfault").FullName;
        using var tmpfs = fault == OutputFault.DiskFull ? SmallTmpfs.Mount(128) : null;
        try
        {
            tmpfs?.Fill();
            string path = fault switch
            {
                OutputFault.MissingDirectory => Path.Combine(dir, "no-such-dir", "out"),
                OutputFault.Directory => dir,
                OutputFault.DiskFull => Path.Combine(tmpfs!.Path, "out"),
                _ => "/dev/full",
            };
            var (option, args) = Command(output, path, dir);
            using var app = new ChildProcess(Binary, args);
            Assert.True(app.WaitForExit(TimeSpan.FromSeconds(90)), "did not finish:\n" + app.Output);

            string line = OneLine(app.Stderr, app.Output);
            int expected = fault == OutputFault.DevFull ? 1 : 2;
            Assert.True(app.ExitCode == expected, $"exit {app.ExitCode}, expected {expected}:\n{app.Output}");
            switch (fault)
            {
                case OutputFault.MissingDirectory:
                    Assert.Equal($"wirespeed: {option} {path}: directory {Path.GetDirectoryName(path)} does not exist; create it, or give a path in an existing directory.", line);
                    break;
                case OutputFault.Directory:
                    Assert.StartsWith($"wirespeed: {option} {path}: is a directory; give a file name inside it", line);
                    break;
                case OutputFault.DiskFull:
                    Assert.StartsWith($"wirespeed: {option} {path}: cannot write there: No space left on device;", line);
                    Assert.Single(Directory.GetFiles(tmpfs!.Path));   // the filler only: the probe is gone
                    break;
                default:
                    Assert.Equal(output == OutputKind.Hlog
                        ? "wirespeed alert kind=hlog_failed path=/dev/full error=No_space_left_on_device interval=0"
                        : $"wirespeed: {option} /dev/full: write failed: No space left on device; the file was not written (free space or choose another path)", line);
                    // The work was done and reported: only the file is missing.
                    if (output is OutputKind.Json or OutputKind.Hlog) Assert.Contains("== bench summary", app.Stdout);
                    break;
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void An_hlog_that_fills_the_disk_mid_run_alerts_once_and_the_run_reports_to_the_end()
    {
        Requires.That(File.Exists(Binary), $"the wirespeed executable is not built at {Binary} (./ws test builds it)");
        Requires.Root("mounts a small tmpfs and fills it");
        string dir = Directory.CreateTempSubdirectory("ws-hlogfull").FullName;
        using var tmpfs = SmallTmpfs.Mount(160);
        try
        {
            // The start-up probe (64 KiB) passes; 20 ms intervals of about 12 lines of 200 bytes fill the rest in a second
            // (this bench writes about 110 KiB over its 3 s without the limit).
            tmpfs.Fill(leaveBytes: 68 * 1024);
            string hlog = Path.Combine(tmpfs.Path, "bench.hlog"), json = Path.Combine(dir, "s.json");
            using var app = new ChildProcess(Binary, "bench", "--config", BenchConfig(dir, intervalMs: 20), "--passes", "1", "--seconds", "3",
                "--hlog", hlog, "--json", json);
            Assert.True(app.WaitForExit(TimeSpan.FromSeconds(90)), "did not finish:\n" + app.Output);
            Assert.True(app.ExitCode == 1, app.Output);
            Assert.Matches($"^wirespeed alert kind=hlog_failed path={hlog} error=No_space_left_on_device interval=[1-9][0-9]*$", OneLine(app.Stderr, app.Output));
            Assert.Contains("note: hlog: writing " + hlog + " failed during the run", app.Stdout);
            // The run went on: every packet released, the summary complete on disk.
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var bench = doc.RootElement.GetProperty("counters").GetProperty("bench");
            Assert.Equal(bench.GetProperty("packets").GetInt64(), bench.GetProperty("packets_released").GetInt64());
            Assert.True(new FileInfo(hlog).Length > 0);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_simulated_file_that_fills_the_disk_midway_is_one_line_exit_1_and_leaves_no_partial_file()
    {
        Requires.That(File.Exists(Binary), $"the wirespeed executable is not built at {Binary} (./ws test builds it)");
        Requires.Root("mounts a small tmpfs and fills it");
        using var tmpfs = SmallTmpfs.Mount(160);
        tmpfs.Fill(leaveBytes: 72 * 1024);
        string file = Path.Combine(tmpfs.Path, "day.itch50");
        using var app = new ChildProcess(Binary, "simulate", "--out", file, "--messages", "200000");   // about 5 MB
        Assert.True(app.WaitForExit(TimeSpan.FromSeconds(90)), "did not finish:\n" + app.Output);
        Assert.True(app.ExitCode == 1, app.Output);
        Assert.Equal($"wirespeed: --out {file}: write failed: No space left on device; the file was not written (free space or choose another path)",
            OneLine(app.Stderr, app.Output));
        Assert.Equal(["filler"], Directory.GetFiles(tmpfs.Path).Select(Path.GetFileName).ToArray());   // no half file, no temporary one
    }

    /// <summary>The option the case names, and a command line that writes <paramref name="path"/> through it.</summary>
    private static (string Option, string[] Args) Command(OutputKind output, string path, string dir) => output switch
    {
        OutputKind.Json => ("--json", ["bench", "--config", BenchConfig(dir), "--passes", "1", "--seconds", "1", "--json", path]),
        OutputKind.Hlog => ("--hlog", ["bench", "--config", BenchConfig(dir), "--passes", "1", "--seconds", "1", "--hlog", path]),
        OutputKind.QuarantineOut => ("--quarantine-out", ["replay", "--format", "itch50", MalformedItchFile(dir), "--quarantine-out", path]),
        _ => ("--out", ["simulate", "--out", path, "--messages", "20000"]),
    };

    /// <summary>A bench small enough for a test: 128 instruments, 100k msg/s.</summary>
    private static string BenchConfig(string dir, int intervalMs = 1000)
    {
        string f = Path.Combine(dir, "bench.json");
        File.WriteAllText(f, $$"""{ "books": { "maxInstruments": 128, "maxOrders": 65536 }, "simulator": { "rate": 100000 }, "monitor": { "intervalMs": {{intervalMs}} } }""");
        return f;
    }

    /// <summary>An ITCH file of two messages the decoder quarantines: an unknown type, and an Add Order cut short.</summary>
    private static string MalformedItchFile(string dir)
    {
        string f = Path.Combine(dir, "bad.itch50");
        byte[] unknown = "zABCD"u8.ToArray(), shortAdd = [(byte)'A', 0, 1];
        using var s = File.Create(f);
        Span<byte> length = stackalloc byte[2];
        foreach (byte[] m in new[] { unknown, shortAdd })
        {
            BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)m.Length);
            s.Write(length);
            s.Write(m);
        }
        return f;
    }

    /// <summary>
    /// The one line stderr holds, budget alerts aside (a loaded test host may raise them during a bench); fails when
    /// there is more, or a stack trace.
    /// </summary>
    private static string OneLine(string stderr, string all)
    {
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.Contains(" kind=budget ", StringComparison.Ordinal)).ToArray();
        Assert.True(lines.Length == 1, $"expected one line on stderr, got {lines.Length}:\n{all}");
        return lines[0];
    }
}
