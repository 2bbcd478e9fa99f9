using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using Wirespeed.Core.Signals;
using Wirespeed.Tests.Core.Signals;
using Xunit;

namespace Wirespeed.Tests.App.Commands;

/// <summary><c>wirespeed journal verify|dump F</c>: exit 0 clean, 1 damaged, 2 unreadable or usage.</summary>
public sealed class JournalCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-journal-cmd").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string Journal(int records, string name = "s.wsj")
    {
        string path = Path.Combine(_dir, name);
        using var w = new SignalJournalWriter(path);
        for (int i = 0; i < records; i++) w.Append(SignalJournalTests.Make(i));
        return path;
    }

    [Fact]
    public void Verify_of_a_clean_journal_counts_its_records_and_exits_0()
    {
        string path = Journal(12);
        var (code, output, _) = CommandRunner.Run("journal", "verify", path);
        Assert.Equal(0, code);
        Assert.Equal($"journal {path}: 12 records, 0 corrupt records (0 bytes skipped), torn tail 0 bytes: clean", output.Trim());
    }

    [Fact]
    public void Verify_of_a_damaged_journal_counts_the_damage_and_exits_1()
    {
        string path = Journal(12);
        byte[] data = File.ReadAllBytes(path);
        data[5 * SignalJournal.RecordSize + 3] ^= 0xFF;   // record 5's payload: its CRC no longer matches
        File.WriteAllBytes(path, data.AsSpan(0, data.Length - 20).ToArray());   // and the last record torn
        var (code, output, _) = CommandRunner.Run("journal", "verify", path);
        Assert.Equal(1, code);
        Assert.Contains($"journal {path}: 10 records, 1 corrupt records (72 bytes skipped), torn tail 52 bytes: DAMAGED", output);
        Assert.Contains("torn tail: the last write was cut short", output);
    }

    [Fact]
    public void Dump_prints_one_line_per_record_and_marks_damage()
    {
        string path = Journal(3);
        File.AppendAllText(path, "garbage that is longer than one whole journal record, so it is no torn tail but damage!!");
        File.AppendAllBytes(path, File.ReadAllBytes(Journal(1, "one.wsj")));
        var (code, output, _) = CommandRunner.Run("journal", "dump", path);
        Assert.Equal(1, code);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);   // 3 records, the damage, 1 record, the verdict
        Assert.StartsWith("@0          pos=5000 PairSpread pattern=0 instrument=0/line1 other=-1/line0 dir=buy strength=0 seq=4000", lines[0]);
        Assert.StartsWith("@216        CORRUPT: 88 bytes are not a record", lines[3]);
        Assert.StartsWith("@304        pos=5000", lines[4]);
        Assert.StartsWith($"journal {path}: 4 records, 1 corrupt records (88 bytes skipped)", lines[5]);
    }

    [Fact]
    public void Dump_as_json_writes_one_object_per_line_and_the_verdict_to_stderr()
    {
        string path = Journal(4);
        var (code, output, error) = CommandRunner.Run("journal", "dump", path, "--json");
        Assert.Equal(0, code);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        for (int i = 0; i < 4; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            var e = doc.RootElement;
            var expected = SignalJournalTests.Make(i);
            Assert.Equal(i * SignalJournal.RecordSize, e.GetProperty("offset").GetInt64());
            Assert.Equal(expected.StreamPosition, e.GetProperty("stream_position").GetInt64());
            Assert.Equal(expected.Kind.ToString(), e.GetProperty("kind").GetString());
            Assert.Equal(expected.Strength, e.GetProperty("strength").GetDouble());
        }
        Assert.Contains("4 records", error);
    }

    [Fact]
    public void Unreadable_paths_and_bad_usage_exit_2_with_the_reason()
    {
        string fifo = Path.Combine(_dir, "pipe");
        using (var p = Process.Start("mkfifo", [fifo])) p.WaitForExit();
        var r = CommandRunner.Run("journal", "verify", fifo);
        Assert.Equal(2, r.Code);
        Assert.Contains($"journal '{fifo}': is a FIFO (named pipe), not a regular file", r.Err);
        r = CommandRunner.Run("journal", "dump", Path.Combine(_dir, "missing"));
        Assert.Equal(2, r.Code);
        Assert.Contains("does not exist", r.Err);
        r = CommandRunner.Run("journal", "check", "x");
        Assert.Equal(2, r.Code);
        Assert.Contains("journal: give verify or dump and one file", r.Err);
        r = CommandRunner.Run("journal", "verify", Journal(1), "--json");
        Assert.Equal(2, r.Code);
        Assert.Contains("--json goes with dump", r.Err);
    }
}
