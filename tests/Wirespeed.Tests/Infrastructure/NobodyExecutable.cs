using System;
using System.IO;
using Xunit;

namespace Wirespeed.Tests.Infrastructure;

/// <summary>
/// The wirespeed executable at a path that user nobody can reach, for tests that drop privileges with setpriv. A clone
/// inside a 0700 directory (mktemp -d makes them) cannot be entered by nobody, and the apphost then fails with "Failed
/// to resolve full path of the current executable": there the published NativeAOT binary (build/publish/wirespeed, one
/// file needing only glibc, which ./ws test publishes first) is copied once into a world-readable temporary directory.
/// </summary>
internal static class NobodyExecutable
{
    private static readonly object s_gate = new();
    private static string? s_copy;

    /// <summary><paramref name="binary"/> when nobody can execute it where it is; else a reachable copy of the published binary.</summary>
    public static string For(string binary) => OperatingSystem.IsLinux() ? OnLinux(binary) : binary;

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]   // unix file modes
    private static string OnLinux(string binary)
    {
        if (Reachable(binary)) return binary;
        string published = Path.Combine(SharedData.RepoRoot, "build", "publish", "wirespeed");
        Requires.That(File.Exists(published),
            $"user nobody cannot reach {binary} (a directory above it is not world-executable) and no published binary is at {published} to copy (./ws publish)");
        lock (s_gate)
        {
            if (s_copy is not null) return s_copy;
            string dir = Path.Combine(Path.GetTempPath(), $"wirespeed-nobody-{Environment.ProcessId}");
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, Mode755);
            string copy = Path.Combine(dir, "wirespeed");
            File.Copy(published, copy, overwrite: true);
            File.SetUnixFileMode(copy, Mode755);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(dir, true); } catch (IOException) { } };
            return s_copy = copy;
        }
    }

    private const UnixFileMode Mode755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>True when every directory above <paramref name="path"/> lets others search it and the file lets them run it.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static bool Reachable(string path)
    {
        if (!File.Exists(path) || (File.GetUnixFileMode(path) & UnixFileMode.OtherExecute) == 0) return false;
        for (var d = new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(path))!); d is not null; d = d.Parent)
            if ((d.UnixFileMode & UnixFileMode.OtherExecute) == 0) return false;
        return true;
    }
}
