using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using Wirespeed.Core.Files;
using Xunit;

namespace Wirespeed.Tests.Core.Files;

/// <summary>
/// The rest of what an input path can be: a block device, a socket, a path the kernel cannot resolve (a symbolic-link
/// loop, a name too long), and a regular file the kernel will not open for reading even for root.
/// </summary>
public sealed class InputFileKindTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-inputkind").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void A_block_device_is_refused_with_what_it_is()
    {
        string node = Path.Combine(_dir, "blk");
        using (var p = Process.Start("mknod", [node, "b", "7", "200"]))   // a loop-device node: only its type is looked at
        {
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, "mknod needs root (the suite runs as root here and in CI)");
        }
        Assert.Equal($"input '{node}': is a block device, not a regular file; give a file", InputFile.Check(node, "input"));
    }

    [Fact]
    public void A_unix_socket_is_refused_with_what_it_is()
    {
        string path = Path.Combine(_dir, "s.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        Assert.Equal($"input '{path}': is a socket, not a regular file; give a file", InputFile.Check(path, "input"));
    }

    [Fact]
    public void A_symbolic_link_loop_and_a_name_too_long_are_named_by_their_errno()
    {
        string a = Path.Combine(_dir, "a"), b = Path.Combine(_dir, "b");
        File.CreateSymbolicLink(a, b);
        File.CreateSymbolicLink(b, a);
        Assert.Equal($"input '{a}': cannot be examined (errno 40: too many levels of symbolic links)", InputFile.Check(a, "input"));
        string longName = Path.Combine(_dir, new string('n', 300));
        Assert.Equal($"input '{longName}': cannot be examined (errno 36: file name too long)", InputFile.Check(longName, "input"));
        Assert.Null(InputFile.OpenRegular(a, "input", out string? error));
        Assert.Contains("errno 40", error);
    }

    [Fact]
    public void A_regular_file_that_cannot_be_opened_for_reading_fails_with_the_reason_instead_of_throwing()
    {
        const string writeOnly = "/proc/sys/vm/drop_caches";   // mode 0200: not readable, not even by root
        Assert.Null(InputFile.Check(writeOnly, "input"));
        Assert.Null(InputFile.OpenRegular(writeOnly, "input", out string? error));
        Assert.StartsWith($"input '{writeOnly}': cannot be opened: ", error);
    }
}
