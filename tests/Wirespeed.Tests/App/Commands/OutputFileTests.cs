using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Wirespeed.Commands;
using Wirespeed.Configuration;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.App.Commands;

/// <summary>How an output file is checked at start-up and written at the end (<see cref="OutputFile"/>).</summary>
public sealed class OutputFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-output").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void A_file_is_replaced_only_when_its_content_is_complete()
    {
        string target = Path.Combine(_dir, "s.json");
        File.WriteAllText(target, "previous run");
        using var file = OutputFile.Check(target, "--json", OutputMode.Replace)!;
        // Until the end, the previous file stands, and the space for the new one is taken beside it.
        Assert.Equal("previous run", File.ReadAllText(target));
        string temp = Assert.Single(Directory.GetFiles(_dir, ".s.json.wirespeed-*.tmp"));
        Assert.Equal(64 * 1024, new FileInfo(temp).Length);
        Assert.True(file.TryWrite("{ \"command\": \"demo\" }"u8, out string? error), error);
        Assert.Equal("{ \"command\": \"demo\" }", File.ReadAllText(target));
        Assert.Equal(["s.json"], Directory.GetFiles(_dir).Select(Path.GetFileName).ToArray());
    }

    [Fact]
    public void A_symbolic_link_is_followed_and_kept()
    {
        string real = Path.Combine(_dir, "real.json"), link = Path.Combine(_dir, "link.json");
        File.WriteAllText(real, "old");
        File.CreateSymbolicLink(link, real);
        using var file = OutputFile.Check(link, "--json", OutputMode.Replace)!;
        Assert.True(file.TryWrite("new"u8, out string? error), error);
        Assert.Equal("new", File.ReadAllText(real));
        Assert.Equal(real, new FileInfo(link).LinkTarget);
    }

    [Fact]
    public void A_character_device_is_written_in_place()
    {
        using var file = OutputFile.Check("/dev/null", "--json", OutputMode.Replace)!;
        Assert.True(file.IsDevice);
        Assert.True(file.TryWrite("anything"u8, out string? error), error);
    }

    [Fact]
    public void A_fifo_is_refused_before_it_is_opened()
    {
        string fifo = Path.Combine(_dir, "pipe");
        using (var mkfifo = Process.Start("mkfifo", [fifo])!) mkfifo.WaitForExit();
        Requires.That(File.Exists(fifo), "mkfifo did not create " + fifo);
        // Opening a FIFO without a reader blocks: reaching the assertion at all shows it was never opened.
        var e = Assert.Throws<UsageException>(() => OutputFile.Check(fifo, "--json", OutputMode.Replace));
        Assert.Equal($"--json {fifo}: is a FIFO (named pipe): a write would wait for a reader, or fail without one; give a regular file.", e.Message);
    }

    [Fact]
    public void An_in_place_output_leaves_no_probe_behind_and_an_empty_path_is_refused()
    {
        using (OutputFile.Check(Path.Combine(_dir, "d.hlog"), "--hlog", OutputMode.InPlace)) { }
        Assert.Empty(Directory.GetFiles(_dir));
        Assert.Equal("--hlog: the path is empty; give a file name.", Assert.Throws<UsageException>(() => OutputFile.Check("", "--hlog", OutputMode.InPlace)).Message);
    }

    [Fact]
    public void An_interval_log_from_the_configuration_file_names_its_field_and_exits_3()
    {
        string config = Path.Combine(_dir, "c.json"), hlog = Path.Combine(_dir, "missing", "d.hlog");
        File.WriteAllText(config, $$"""{ "books": { "maxInstruments": 128, "maxOrders": 65536 }, "monitor": { "hlog": "{{hlog}}" } }""");
        var (code, _, err) = CommandRunner.Run("bench", "--config", config, "--passes", "1", "--seconds", "1");
        Assert.True(code == 3, err);
        Assert.Contains("monitor.hlog", err);
        Assert.Contains("does not exist", err);
    }

    [Fact]
    public void The_space_reserved_at_start_up_is_the_space_the_summary_is_written_into()
    {
        Requires.Root("mounts a small tmpfs and fills it");
        using var tmpfs = SmallTmpfs.Mount(128);
        string target = Path.Combine(tmpfs.Path, "s.json");
        File.WriteAllText(target, "previous run");
        using var file = OutputFile.Check(target, "--json", OutputMode.Replace)!;
        tmpfs.Fill();   // the disk fills during the run
        Assert.True(file.TryWrite(Encoding.ASCII.GetBytes(new string('x', 20_000)), out string? error), error);
        Assert.Equal(20_000, new FileInfo(target).Length);
    }

    [Fact]
    public void A_summary_larger_than_the_reservation_on_a_full_disk_fails_in_one_line_and_keeps_the_previous_file()
    {
        Requires.Root("mounts a small tmpfs and fills it");
        using var tmpfs = SmallTmpfs.Mount(128);
        string target = Path.Combine(tmpfs.Path, "s.json");
        File.WriteAllText(target, "previous run");
        using var file = OutputFile.Check(target, "--json", OutputMode.Replace)!;
        tmpfs.Fill();
        Assert.False(file.TryWrite(new byte[200_000], out string? error));
        Assert.Equal($"wirespeed: --json {target}: write failed: No space left on device; the file was not written (free space or choose another path)", error);
        Assert.Equal("previous run", File.ReadAllText(target));
        Assert.Equal(["filler", "s.json"], Directory.GetFiles(tmpfs.Path).Select(Path.GetFileName).Order().ToArray());
    }

    [Fact]
    public void A_configuration_field_is_refused_as_a_configuration_error()
    {
        var e = Assert.Throws<ConfigException>(() => OutputFile.Check(_dir, "monitor.hlog", OutputMode.InPlace, configField: true));
        Assert.Equal("monitor.hlog", e.Field);
        Assert.StartsWith($"monitor.hlog: {_dir}: is a directory", e.Message);
    }
}
