using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using Wirespeed.Core.Signals;
using Wirespeed.Tests.App.Commands;
using Wirespeed.Tests.Core.Signals;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.FaultMatrix;

/// <summary>
/// Fault matrix, journal row: torn tail, kill -9 mid-write, disk full. Each case ends with <c>journal verify</c>
/// telling the truth, an append that repairs the tail, and a verify that finds every record.
/// </summary>
public sealed class JournalFaultTests : IDisposable
{
    private const int R = SignalJournal.RecordSize;
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-journal-fault").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static string JitBinary => Path.Combine(SharedData.RepoRoot, "managed", "Wirespeed", "bin",
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release",
        "net10.0", "wirespeed");

    private static (int Code, string Out) Verify(string path)
    {
        var (code, output, error) = CommandRunner.Run("journal", "verify", path);
        return (code, output + error);
    }

    /// <summary>Appends <paramref name="count"/> records through a fresh writer (which repairs the tail first); returns the bytes it cut.</summary>
    private static long Append(string path, int from, int count)
    {
        using var w = new SignalJournalWriter(path, bufferRecords: 8, new StringWriter());
        for (int i = 0; i < count; i++) w.Append(SignalJournalTests.Make(from + i));
        w.Flush();
        Assert.False(w.Failed, w.FailureCause);
        return w.RepairedBytes;
    }

    private static long GoodRecords(string path)
    {
        using var r = SignalJournalReader.Open(path);
        while (r.TryRead(out _) != JournalReadStatus.End) { }
        return r.GoodRecords;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(36)]
    [InlineData(71)]
    public void Torn_tail_verify_reports_it_append_repairs_it_verify_is_clean(int tornBytes)
    {
        string path = Path.Combine(_dir, "torn.wsj");
        Append(path, 0, 20);
        using (var f = new FileStream(path, FileMode.Open)) f.SetLength(19 * R + tornBytes);
        var before = Verify(path);
        Assert.Equal(1, before.Code);
        Assert.Contains($"19 records, 0 corrupt records (0 bytes skipped), torn tail {tornBytes} bytes: DAMAGED", before.Out);
        Assert.Equal(tornBytes, Append(path, 19, 5));
        var after = Verify(path);
        Assert.Equal(0, after.Code);
        Assert.Contains("24 records, 0 corrupt records (0 bytes skipped), torn tail 0 bytes: clean", after.Out);
    }

    [Fact]
    public void Kill_9_mid_write_leaves_a_journal_that_verify_reads_and_append_repairs()
    {
        Requires.That(File.Exists(JitBinary), $"the wirespeed executable is not built at {JitBinary} (./ws test builds it)");
        string journal = Path.Combine(_dir, "killed.wsj");
        string config = Path.Combine(_dir, "bench.json");
        // bench: simulated packets paced through the full pipeline in-process (no network), patterns on (the
        // correlated-move scenario fires them every few ms), every signal written at once (journalBufferRecords 1), so
        // the kill lands in or between writes of a journal that is being appended to.
        File.WriteAllText(config, $$"""
            { "books": { "maxInstruments": 128, "maxOrders": 262144 },
              "patterns": { "sinks": { "journal": "{{journal}}", "journalBufferRecords": 1 } } }
            """);
        // Output to files through sh's exec (same pid): the test polls on its own thread, with nothing to await (an
        // awaited poll was seen to wake long after the journal had grown while the child kept both cores busy).
        string output = Path.Combine(_dir, "bench.out");
        var psi = new ProcessStartInfo("/bin/sh");
        foreach (var a in new[] { "-c", "exec \"$0\" bench --config \"$1\" --seconds 30 --rate 100000 --passes 1 --scenario correlated-move > \"$2\" 2>&1", JitBinary, config, output })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90) && !p.HasExited && (!File.Exists(journal) || new FileInfo(journal).Length < 10 * R))
            Thread.Sleep(20);
        Assert.False(p.HasExited, "bench ended before the kill: " + File.ReadAllText(output));
        Assert.True(new FileInfo(journal).Length >= 10 * R, "no signals journalled within 90 s: " + File.ReadAllText(output));
        Run("kill", "-9", p.Id.ToString(CultureInfo.InvariantCulture));   // no flush, no dispose
        p.WaitForExit();
        Assert.Equal(137, p.ExitCode);
        Assert.DoesNotContain("bench summary", File.ReadAllText(output));   // it died mid-run

        var killed = Verify(journal);
        Assert.True(killed.Code is 0 or 1, killed.Out);
        Assert.Contains(" 0 corrupt records (0 bytes skipped)", killed.Out);   // at worst a torn tail
        long records = GoodRecords(journal);
        Assert.True(records >= 10);
        long cut = Append(journal, 0, 7);
        Assert.True(cut < R, $"cut {cut} bytes");   // a kill tears at most the record being written
        Assert.Equal(0, new FileInfo(journal).Length % R);
        var after = Verify(journal);
        Assert.Equal(0, after.Code);
        Assert.Contains($"{(records + 7).ToString("N0", CultureInfo.InvariantCulture)} records, 0 corrupt records (0 bytes skipped), torn tail 0 bytes: clean", after.Out);
    }

    [Fact]
    public void Disk_full_disables_the_journal_without_an_exception_and_the_next_append_repairs_the_tail()
    {
        Requires.Root("mounts a 64 KiB tmpfs to fill");
        string mount = Path.Combine(_dir, "small");
        Directory.CreateDirectory(mount);
        Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount);
        try
        {
            string filler = Path.Combine(mount, "filler");
            File.WriteAllBytes(filler, new byte[16 << 10]);
            string journal = Path.Combine(mount, "full.wsj");
            var alerts = new SignalJournalFailureTests.AlertLines();
            var w = new SignalJournalWriter(journal, bufferRecords: 10, alerts);
            int appended = 0;
            while (!w.Failed && appended < 100_000) w.Append(SignalJournalTests.Make(appended++));
            w.Dispose();
            Assert.True(w.Failed, "64 KiB never filled");
            Assert.Equal(28, w.Errno);
            Assert.Equal(1, w.FailedWrites);
            Assert.Equal(appended, w.Records + w.LostRecords);
            Assert.StartsWith($"wirespeed alert kind=journal_failed path={journal} errno=28", alerts.Wait());

            var full = Verify(journal);
            Assert.True(full.Code is 0 or 1, full.Out);   // a partial write leaves a torn tail, nothing worse
            Assert.Contains(" 0 corrupt records", full.Out);
            long records = GoodRecords(journal);
            // The failed write may have landed in part (the kernel writes what fits): those records read too.
            Assert.True(records >= w.Records && records <= w.Records + 10, $"{records} readable, {w.Records} written");

            File.Delete(filler);   // space again: the next run appends after repairing the tail
            Append(journal, appended, 5);
            var after = Verify(journal);
            Assert.Equal(0, after.Code);
            Assert.Contains($"{(records + 5).ToString("N0", CultureInfo.InvariantCulture)} records, 0 corrupt records (0 bytes skipped), torn tail 0 bytes: clean", after.Out);
        }
        finally
        {
            Run("umount", mount);
        }
    }

    private static void Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)}: exit {p.ExitCode}: {error}");
    }
}
