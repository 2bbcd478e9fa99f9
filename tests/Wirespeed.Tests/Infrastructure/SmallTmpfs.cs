using System;
using System.Diagnostics;
using System.IO;

namespace Wirespeed.Tests.Infrastructure;

/// <summary>
/// A disk that fills on purpose: a tmpfs of a few pages mounted on a directory of the test's own, filled with a filler
/// file to leave a chosen number of bytes free, unmounted and removed on Dispose. Needs root (call
/// <see cref="Requires.Root"/> first).
/// </summary>
internal sealed class SmallTmpfs : IDisposable
{
    private SmallTmpfs(string path) => Path = path;

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="kib"/> KiB on a new temporary directory.</summary>
    public static SmallTmpfs Mount(int kib)
    {
        string dir = Directory.CreateTempSubdirectory("ws-tmpfs").FullName;
        var (code, output) = Exec("mount", "-t", "tmpfs", "-o", $"size={kib}k", "tmpfs", dir);
        if (code != 0)
        {
            Directory.Delete(dir);
            Requires.That(false, $"cannot mount a tmpfs on {dir}: {output}");
        }
        return new SmallTmpfs(dir);
    }

    /// <summary>Writes a filler file until the disk is full, then gives back <paramref name="leaveBytes"/> (rounded to pages).</summary>
    public void Fill(long leaveBytes = 0)
    {
        string filler = System.IO.Path.Combine(Path, "filler");
        var page = new byte[4096];
        using var f = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        try
        {
            while (true) f.Write(page);
        }
        catch (IOException)
        {
            // ENOSPC: full. A partial page write may have left the length unaligned; whole pages are what tmpfs counts.
        }
        f.SetLength(Math.Max(0, f.Length / 4096 * 4096 - (leaveBytes + 4095) / 4096 * 4096));
    }

    public void Dispose()
    {
        Exec("umount", Path);
        try { Directory.Delete(Path, true); }
        catch (IOException) { }   // still mounted (busy): left for the next boot rather than failing the test here
    }

    private static (int Code, string Output) Exec(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output.Trim());
    }
}
