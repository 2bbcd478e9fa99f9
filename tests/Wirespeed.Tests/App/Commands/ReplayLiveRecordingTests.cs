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
    public Task A_replay_of_a_live_recording_reproduces_its_signal_journal_byte_for_byte_and_its_book_checksum()
        // Its own port; books small enough to start fast; a rate the loopback takes without loss on a busy 2-core box.
        => LiveThenReplayTwice("""[ { "port": 26934 } ]""", lineCount: 1);

    /// <summary>
    /// Two lines (two venues of the simulated market, each its own MoldUDP64 session, group and port) received by one
    /// worker and recorded into one journal, a line id on each record: the replay demultiplexes the records by line id into
    /// the live run's chain for several lines, and reproduces the signal journal and both lines' book checksums.
    /// </summary>
    [Fact]
    public Task A_replay_of_a_live_two_line_recording_reproduces_its_signal_journal_and_both_books()
        => LiveThenReplayTwice("""[ { "name": "A", "id": 0, "port": 26935 }, { "name": "B", "id": 1, "port": 26936 } ]""", lineCount: 2);

    /// <summary>
    /// A lossy A/B line (issue 11's arbitration and re-request, 1% random loss on each side independently): the recording
    /// holds what arbitration handed the decoder, so its replay gives the live run's books and signals although a
    /// different copy of each packet won live, and some were recovered from the retransmission server.
    /// </summary>
    [Fact]
    public Task A_replay_of_a_lossy_A_B_recording_reproduces_its_signal_journal_and_books()
        => LiveThenReplayTwice("""[ { "port": 26937, "b": { "group": "239.192.0.2", "port": 26937 }, "retransmit": { "server": "127.0.0.1:0" } } ]""",
            lineCount: 1, "--loss", "1%");

    private async Task LiveThenReplayTwice(string lines, int lineCount, params string[] demoArgs)
    {
        string live = Path.Combine(_dir, "live.sig"), rec = Path.Combine(_dir, "rec"), cfg = Path.Combine(_dir, "c.json");
        string liveJson = Path.Combine(_dir, "live.json");
        File.WriteAllText(cfg, $$"""
            { "lines": {{lines}}, "books": { "maxInstruments": 128, "maxOrders": 262144 }, "simulator": { "rate": 200000 },
              "patterns": { "clock": "virtual", "sinks": { "journal": "{{live}}" } } }
            """);
        var demo = await RunAsync(["demo", "--seconds", "2", "--scenario", "flash-crash", "--config", cfg, "--record", rec, "--json", liveJson, .. demoArgs]);
        // Loss on an overloaded machine makes the demo exit 1; what was received was recorded, and the replay must still match.
        Assert.True(demo.Code == 0 || (demo.Code == 1 && demo.Out.Contains("messages lost", StringComparison.Ordinal)), demo.Out);
        string[] liveChecksums;
        using (var doc = JsonDocument.Parse(File.ReadAllText(liveJson)))
        {
            var counters = doc.RootElement.GetProperty("counters");
            Assert.True(counters.GetProperty("breakers").GetProperty("trips").GetInt64() > 0, "the flash crash tripped no breaker: the gate's levels would not be exercised");
            Assert.True(counters.GetProperty("patterns").GetProperty("journal_records").GetInt64() > 0, "no signal: the comparison would prove nothing");
            liveChecksums = Checksums(doc);
            if (demoArgs.Length > 0)
            {
                // The loss was made and arbitration covered it: both sides won packets, and the lost ones are accounted for.
                var arbitration = counters.GetProperty("arbitration");
                Assert.True(arbitration.GetProperty("a_wins").GetInt64() > 0 && arbitration.GetProperty("b_wins").GetInt64() > 0, "one side won every packet");
                Assert.True(arbitration.GetProperty("a_misses").GetInt64() > 0, "side A lost nothing: the loss was not made");
                Assert.Equal(counters.GetProperty("demo").GetProperty("messages_received").GetInt64(),
                    arbitration.GetProperty("messages_live_a").GetInt64() + arbitration.GetProperty("messages_live_b").GetInt64() + arbitration.GetProperty("messages_recovered").GetInt64());
            }
        }
        Assert.Equal(lineCount, liveChecksums.Length);
        Assert.True(BatchStarts(rec) > 1, "the recording marks no batch boundary");
        Assert.Equal(lineCount, RecordedLines(rec));

        var replays = new (string Journal, string Checksum, string[] Books)[2];
        for (int i = 0; i < replays.Length; i++)
        {
            string journal = Path.Combine(_dir, $"replay{i}.sig"), json = Path.Combine(_dir, $"replay{i}.json");
            var replay = await RunAsync("replay", rec, "--signals", journal, "--json", json);
            Assert.True(replay.Code == 0, replay.Out);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            replays[i] = (journal, doc.RootElement.GetProperty("input").GetProperty("book_checksum").GetString()!, Checksums(doc));
        }

        byte[] liveBytes = File.ReadAllBytes(live);
        Assert.Equal(File.ReadAllBytes(replays[0].Journal), File.ReadAllBytes(replays[1].Journal));
        Assert.Equal(liveBytes, File.ReadAllBytes(replays[0].Journal));
        foreach (var r in replays)
        {
            Assert.Equal(liveChecksums, r.Books);                                 // every line's books
            Assert.EndsWith(r.Checksum, liveChecksums[0], StringComparison.Ordinal);   // the first line's, in the input section
        }
    }

    /// <summary>The summary's "books: checksum X" notes, one per line ("books B: checksum Y" for line B).</summary>
    private static string[] Checksums(JsonDocument summary)
    {
        var list = new System.Collections.Generic.List<string>();
        foreach (var note in summary.RootElement.GetProperty("notes").EnumerateArray())
            if (Regex.IsMatch(note.GetString()!, "^books( [A-Za-z0-9]+)?: checksum [0-9a-f]{16}$")) list.Add(note.GetString()!);
        return list.ToArray();
    }

    /// <summary>Lines in the first segment's header, and every one of them has records.</summary>
    private static int RecordedLines(string dir)
    {
        var seen = new System.Collections.Generic.HashSet<byte>();
        int listed = -1;
        foreach (var (_, path) in JournalWriter.ListSegments(dir))
        {
            using var r = SegmentReader.TryOpen(path, out string? problem, out _) ?? throw new InvalidDataException(path + ": " + problem);
            if (listed < 0) listed = r.Header.Lines.Count;
            while (r.Next() != SegmentReadStatus.End) seen.Add(r.Record.LineId);
        }
        Assert.Equal(listed, seen.Count);
        return listed;
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
    public void A_multi_line_recording_whose_lineCountthe_configuration_lacks_is_refused_with_exit_2_and_says_why()
    {
        string multi = Path.Combine(_dir, "multi");
        RecordingFixture.Write(multi, 0, 4);   // lines A (id 3) and B (id 9); no config.json: the default configuration (line id 0)
        var (code, output, error) = CommandRunner.Run("replay", multi);
        Assert.Equal(2, code);
        Assert.Contains("replay: the recording's line A (id 3) is not in the configuration's lines[]", output + error);
    }
}
