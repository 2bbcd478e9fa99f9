using System;
using System.Diagnostics;
using System.IO;
using Wirespeed.Core.Files;
using Xunit;

namespace Wirespeed.Tests.Core.Files;

public sealed class InputFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-inputfile").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string Fifo()
    {
        string fifo = Path.Combine(_dir, "pipe");
        using var p = Process.Start("mkfifo", [fifo]);
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return fifo;
    }

    [Fact]
    public void A_regular_file_and_a_link_to_one_pass()
    {
        string file = Path.Combine(_dir, "f.bin");
        File.WriteAllBytes(file, [1, 2, 3]);
        string link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, file);
        Assert.Null(InputFile.Check(file, "input"));
        Assert.Null(InputFile.Check(link, "input"));
        using var stream = InputFile.OpenRegular(link, "input", out string? error);
        Assert.Null(error);
        Assert.Equal(3, stream!.Length);
    }

    [Fact]
    public void Fifos_devices_directories_and_missing_paths_are_refused_with_what_they_are()
    {
        Assert.Equal($"replay input '{Fifo()}': is a FIFO (named pipe), not a regular file; reading it would wait for a writer: give a file",
                     InputFile.Check(Path.Combine(_dir, "pipe"), "replay input"));
        Assert.Equal("journal '/dev/zero': is a character device, not a regular file; give a file", InputFile.Check("/dev/zero", "journal"));
        Assert.Equal($"hlog '{_dir}': is a directory, not a file; give a file inside it", InputFile.Check(_dir, "hlog"));
        Assert.Equal("x '/nonexistent/f': does not exist", InputFile.Check("/nonexistent/f", "x"));
        Assert.Equal("x '': does not exist", InputFile.Check("", "x"));
    }

    [Fact]
    public void The_hdr_command_refuses_a_fifo_and_a_device_with_exit_2()
    {
        string fifo = Fifo();
        var (code, _, error) = Wirespeed.Tests.App.Commands.CommandRunner.Run("hdr", fifo);
        Assert.Equal(2, code);
        Assert.Contains($"hdr: log '{fifo}': is a FIFO (named pipe)", error);
        (code, _, error) = Wirespeed.Tests.App.Commands.CommandRunner.Run("hdr", "/dev/zero");
        Assert.Equal(2, code);
        Assert.Contains("hdr: log '/dev/zero': is a character device", error);
    }

    [Fact]
    public void Opening_a_fifo_returns_the_reason_and_no_stream_without_blocking()
    {
        string fifo = Fifo();
        using var stream = InputFile.OpenRegular(fifo, "journal", out string? error);
        Assert.Null(stream);
        Assert.StartsWith($"journal '{fifo}': is a FIFO", error);
    }
}
