using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using Wirespeed.Core.Recording;
using Wirespeed.Core.Time;
using Wirespeed.Tests.App.Commands;
using Wirespeed.Tests.Infrastructure;
using Xunit;
using Child = Wirespeed.RecorderChild.Program;

namespace Wirespeed.Tests.FaultMatrix;

/// <summary>
/// Fault matrix, recording row: a recording process (tests/Wirespeed.RecorderChild: the production tap, ring, recorder
/// thread and writer, fed as fast as the recorder takes) killed with SIGKILL at random moments, 100 times, into one
/// directory. After every kill, the run's records read back as its line sequence 1..M with every byte intact, M at least
/// what the process last reported durable; damage only ever at the very end (the torn tail); and the next run's open
/// cuts that tail off and says how much. At the end the whole directory verifies clean.
/// </summary>
/// <remarks>
/// A kill -9 ends the process, not the machine: what was written to the kernel survives it, so this proves that no
/// record the recorder wrote is lost or damaged and that the torn tail is found and repaired. What fsync adds (surviving a
/// power loss) cannot be shown without pulling the power; JOURNAL-FORMAT.md says what each policy promises.
/// </remarks>
public sealed class RecordingKillTests : IDisposable
{
    private const int Kills = 100;
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-rec-kill").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void Killed_100_times_at_random_moments_every_durable_record_is_intact_and_every_torn_tail_is_repaired()
    {
        string child = Path.Combine(AppContext.BaseDirectory, "Wirespeed.RecorderChild");
        Requires.That(File.Exists(child), $"the recorder child is not built at {child} (it is a project reference of the tests)");
        var random = new Random(20261207);
        string[] policies = ["interval", "record", "segment"];
        int tornRepairs = 0, cutHeaders = 0, killedBeforeRecording = 0;
        long recordsTotal = 0;
        var clock = Stopwatch.StartNew();
        for (int kill = 0; kill < Kills; kill++)
        {
            string policy = policies[kill % policies.Length];
            var psi = new ProcessStartInfo(child) { RedirectStandardOutput = true, UseShellExecute = false };
            psi.ArgumentList.Add(_dir);
            psi.ArgumentList.Add(policy);
            long runStartNs = RealtimeClock.NowNs();   // this run's segments are the ones its recorder started after this
            using var p = Process.Start(psi)!;
            long durable = 0;
            string? repaired = null;
            var reader = new Thread(() =>
            {
                for (string? line; (line = p.StandardOutput.ReadLine()) is not null;)
                {
                    if (line.StartsWith("durable ", StringComparison.Ordinal)) Volatile.Write(ref durable, long.Parse(line.AsSpan(8), CultureInfo.InvariantCulture));
                    else if (line.StartsWith("repaired ", StringComparison.Ordinal)) Volatile.Write(ref repaired, line);
                }
            }) { IsBackground = true };
            reader.Start();
            // One kill in ten lands anywhere in start-up (repair included); the others while records flow.
            if (kill % 10 != 9)
                while (Volatile.Read(ref repaired) is null && !p.HasExited && clock.Elapsed < TimeSpan.FromSeconds(100)) Thread.Sleep(1);
            Thread.Sleep(random.Next(0, 60));
            Assert.False(p.HasExited, $"kill {kill}: the child exited by itself (exit {(p.HasExited ? p.ExitCode : 0)})");
            p.Kill();                                  // SIGKILL: no flush, no dispose
            p.WaitForExit();
            reader.Join();                             // every line it printed before it died
            Assert.Equal(137, p.ExitCode);

            // The previous run's tail, as this run's open saw it (counted and reported by the child).
            if (repaired is { } r && r.EndsWith(" tail", StringComparison.Ordinal))
            {
                if (r == "repaired 0 tail" || long.Parse(r.Split(' ')[1], CultureInfo.InvariantCulture) < SegmentHeader.SizeFor(1)) cutHeaders++;
                else tornRepairs++;
            }
            if (repaired is null) killedBeforeRecording++;

            // This run's segments: contiguous records 1..M, bytes intact, damage only as the last segment's tail.
            var segments = JournalWriter.ListSegments(_dir);
            ulong next = 1;
            for (int s = 0; s < segments.Count; s++)
            {
                var (number, path) = segments[s];
                bool last = s == segments.Count - 1;
                using var seg = SegmentReader.TryOpen(path, out string? problem, out long length);
                if (seg is null)
                {
                    Assert.True(last && SegmentReader.IsCutOff(path), $"kill {kill}: segment {number} unreadable ({problem}, {length} bytes) and not the cut-off last one");
                    continue;
                }
                // Not by number: a run whose open deleted the only (cut-off) segment numbers its first one 1 again.
                if (seg.Header.StartRealtimeNs < runStartNs) continue;
                while (seg.Next() == SegmentReadStatus.Ok)
                {
                    var rec = seg.Record;
                    Assert.True(next == rec.Sequence, $"kill {kill} ({policy}): segment {number} holds record {rec.Sequence} where {next} was due");
                    var expected = new byte[1400];
                    int n = Child.Payload(rec.Sequence, expected);
                    Assert.True(rec.Payload.SequenceEqual(expected.AsSpan(0, n)), $"kill {kill}: record {rec.Sequence} bytes differ");
                    Assert.Equal(rec.Sequence % 97 == 0 ? RecordFlags.Rejected : RecordFlags.None, rec.Flags);
                    next++;
                }
                Assert.Equal(0, seg.CorruptRecords);
                Assert.True(last || seg.TornTailBytes == 0, $"kill {kill}: segment {number} (not the last) has a torn tail of {seg.TornTailBytes} bytes");
            }
            long recorded = (long)next - 1;
            Assert.True(recorded >= Volatile.Read(ref durable), $"kill {kill} ({policy}): {recorded} records read back, {durable} were reported durable");
            recordsTotal += recorded;
        }
        // The last kill's tail: repaired by an open, as the next run would.
        using (var w = new JournalWriter(new RecordingOptions { Directory = _dir }, (n, a, b) => new SegmentHeader { Segment = n }))
            if (w.RepairNote is not null) tornRepairs++;
        // Whether a kill tears a record depends on the machine: the recorder writes whole records whenever its ring runs
        // dry, so where the producer is slow (a slow host, coverage instrumentation) every write ends on a record and a
        // kill tears only by landing inside a write(2). Then the repair is shown on the tail a kill inside a write leaves:
        // a run's last record cut short on the disk.
        if (tornRepairs == 0) recordsTotal += TearLastRecordAndRepair();

        var (code, output, error) = CommandRunner.Run("journal", "verify", _dir);
        Assert.True(code == 0, output + error);
        Assert.Contains($"{recordsTotal.ToString("N0", CultureInfo.InvariantCulture)} records", output);
        Assert.Contains("0 corrupt records (0 bytes skipped), torn tail 0 bytes in 0 segment(s), 0 unreadable segment(s): clean", output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(100), $"{Kills} kills took {clock.Elapsed.TotalSeconds:F0} s ({tornRepairs} torn tails and {cutHeaders} cut headers repaired)");
    }

    /// <summary>
    /// A run that appends three records and stops with its last record cut 5 bytes short (as a SIGKILL inside the
    /// write(2) of that record leaves it); the next open must cut exactly that record off and keep the two before it.
    /// </summary>
    /// <returns>The records that remain.</returns>
    private long TearLastRecordAndRepair()
    {
        var options = new RecordingOptions { Directory = _dir };
        Func<uint, long, long, SegmentHeader> header = (n, a, b) => new SegmentHeader { Segment = n, Lines = [new JournalLine(Child.Line, 0xEFC00001, 26477, "kill")] };
        string segment;
        int lastLength = 0;
        using (var w = new JournalWriter(options, header))
        {
            var record = new byte[JournalLayout.RecordHeaderSize + 1400];
            for (ulong sequence = 1; sequence <= 3; sequence++)
            {
                int n = Child.Payload(sequence, record.AsSpan(JournalLayout.RecordHeaderSize));
                JournalLayout.WriteHeader(record, n, Child.Line, RecordFlags.None, 0, 1, (long)sequence * 1_000, sequence);
                w.Append(record, (long)sequence * 1_000);
                lastLength = JournalLayout.RecordHeaderSize + n;
            }
            w.Sync();
            segment = w.SegmentPath;
        }
        using (var file = new FileStream(segment, FileMode.Open, FileAccess.Write)) file.SetLength(file.Length - 5);
        using (var w = new JournalWriter(options, header))
        {
            Assert.NotNull(w.RepairNote);
            Assert.Equal(lastLength - 5, w.RepairedBytes);
            Assert.Contains("after record 2 cut off", w.RepairNote);
        }
        return 2;
    }
}
