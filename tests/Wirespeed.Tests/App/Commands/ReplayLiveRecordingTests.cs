using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Wirespeed.Core.Recording;
using Wirespeed.Tests.Core.Recording;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.App.Commands;

/// <summary>
/// ISSUE 12, deterministic replay: a recording of a live run (a simulated flash crash received over loopback, breakers
/// tripping, patterns firing on the virtual clock) replays to the live run's signal journal byte for byte, and to its
/// book checksum, run after run. Run through the built executable, as an operator would; the live demo has a port of its
/// own, so no other test's traffic reaches it.
/// </summary>
public sealed class ReplayLiveRecordingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-replay-live").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static string Executable
    {
        get
        {
            string config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            string exe = Path.Combine(SharedData.RepoRoot, "managed", "Wirespeed", "bin", config, "net10.0", "wirespeed");
            Requires.That(File.Exists(exe), $"the wirespeed executable is not built at {exe} (./ws test builds it)");
            return exe;
        }
    }

    /// <summary>Runs the executable and returns its exit code and output.</summary>
    private static async Task<(int Code, string Out)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var ct = TestContext.Current.CancellationToken;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw;
        }
        return (p.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task A_replay_of_a_live_recording_reproduces_its_signal_journal_byte_for_byte_and_its_book_checksum()
    {
        string live = Path.Combine(_dir, "live.sig"), rec = Path.Combine(_dir, "rec"), cfg = Path.Combine(_dir, "c.json");
        string liveJson = Path.Combine(_dir, "live.json");
        // Its own port; books small enough to start fast; a rate the loopback takes without loss on a busy 2-core box.
        File.WriteAllText(cfg, $$"""
            { "lines": [ { "port": 26934 } ], "books": { "maxInstruments": 128, "maxOrders": 262144 }, "simulator": { "rate": 200000 },
              "patterns": { "clock": "virtual", "sinks": { "journal": "{{live}}" } } }
            """);
        var demo = await RunAsync("demo", "--seconds", "2", "--scenario", "flash-crash", "--config", cfg, "--record", rec, "--json", liveJson);
        // Loss on an overloaded machine makes the demo exit 1; what was received was recorded, and the replay must still match.
        Assert.True(demo.Code == 0 || (demo.Code == 1 && demo.Out.Contains("messages lost", StringComparison.Ordinal)), demo.Out);
        string liveChecksum = Regex.Match(demo.Out, @"books: checksum ([0-9a-f]{16})").Groups[1].Value;
        Assert.True(liveChecksum.Length == 16, demo.Out);
        using (var doc = JsonDocument.Parse(File.ReadAllText(liveJson)))
        {
            var counters = doc.RootElement.GetProperty("counters");
            Assert.True(counters.GetProperty("breakers").GetProperty("trips").GetInt64() > 0, "the flash crash tripped no breaker: the gate's levels would not be exercised");
            Assert.True(counters.GetProperty("patterns").GetProperty("journal_records").GetInt64() > 0, "no signal: the comparison would prove nothing");
        }
        Assert.True(BatchStarts(rec) > 1, "the recording marks no batch boundary");

        var replays = new (string Journal, string Checksum)[2];
        for (int i = 0; i < replays.Length; i++)
        {
            string journal = Path.Combine(_dir, $"replay{i}.sig"), json = Path.Combine(_dir, $"replay{i}.json");
            var replay = await RunAsync("replay", rec, "--signals", journal, "--json", json);
            Assert.True(replay.Code == 0, replay.Out);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            replays[i] = (journal, doc.RootElement.GetProperty("input").GetProperty("book_checksum").GetString()!);
        }

        byte[] liveBytes = File.ReadAllBytes(live);
        Assert.Equal(File.ReadAllBytes(replays[0].Journal), File.ReadAllBytes(replays[1].Journal));
        Assert.Equal(liveBytes, File.ReadAllBytes(replays[0].Journal));
        Assert.Equal(liveChecksum, replays[0].Checksum);
        Assert.Equal(liveChecksum, replays[1].Checksum);
    }

    /// <summary>Records flagged <see cref="RecordFlags.BatchStart"/> in the recording.</summary>
    private static long BatchStarts(string dir)
    {
        long n = 0;
        foreach (var (_, path) in JournalWriter.ListSegments(dir))
        {
            using var r = SegmentReader.TryOpen(path, out string? problem, out _) ?? throw new InvalidDataException(path + ": " + problem);
            while (r.Next() != SegmentReadStatus.End)
                if ((r.Record.Flags & RecordFlags.BatchStart) != 0) n++;
        }
        return n;
    }

    [Fact]
    public void A_directory_without_segments_is_refused_with_exit_2_and_says_what_a_recording_is()
    {
        string empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        var (code, output, error) = CommandRunner.Run("replay", empty);
        Assert.Equal(2, code);
        Assert.Contains($"replay: {empty} holds no journal segment (*.wsj); is it the directory given to --record?", output + error);
    }

    [Fact]
    public void A_multi_line_recording_is_refused_with_exit_2_and_says_why()
    {
        string multi = Path.Combine(_dir, "multi");
        RecordingFixture.Write(multi, 0, 4);   // lines A (id 3) and B (id 9)
        var (code, output, error) = CommandRunner.Run("replay", multi);
        Assert.Equal(2, code);
        Assert.Contains("replay: the recording holds 2 lines; replay feeds one line per run for now", output + error);
    }
}
