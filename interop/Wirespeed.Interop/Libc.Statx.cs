using System;
using System.Runtime.InteropServices;

namespace Wirespeed.Interop;

internal static unsafe partial class Libc
{
    /// <summary>AT_FDCWD from &lt;fcntl.h&gt;: a relative path is relative to the working directory.</summary>
    internal const int AtFdCwd = -100;
    /// <summary>STATX_TYPE | STATX_SIZE from &lt;linux/stat.h&gt;.</summary>
    internal const uint StatxTypeAndSize = 0x1 | 0x200;

    /// <summary>
    /// Wraps statx(2) (glibc 2.28+). struct statx has one layout on every architecture (unlike struct stat), so the
    /// two fields read here sit at fixed offsets: stx_mode (u16) at 28, stx_size (u64) at 40; the struct is 256 bytes.
    /// </summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);

    /// <summary>W_OK from &lt;unistd.h&gt;.</summary>
    internal const int WriteOk = 2;

    /// <summary>Wraps access(2): 0 when the real user may access <paramref name="path"/> as <paramref name="mode"/> asks (EROFS even for root).</summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Access(string path, int mode);
}

/// <summary>What a path names, by its file type (S_IFMT), as stat(2) says after following symbolic links.</summary>
public enum PathKind : byte
{
    /// <summary>stat failed: see the errno.</summary>
    Unknown = 0,
    RegularFile,
    Directory,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
}

/// <summary>
/// The type and size of a file before it is opened (cold path): a reader refuses a FIFO (opening it blocks until a
/// writer comes), a device (/dev/zero never ends) or a directory up front, with a message instead of a hang.
/// </summary>
public static unsafe class PathProbe
{
    /// <summary>The kind and size of <paramref name="path"/>; <see cref="PathKind.Unknown"/> with the errno when stat fails (ENOENT, EACCES, ENOTDIR …).</summary>
    public static PathKind Of(string path, out long sizeBytes, out int errno)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte* buffer = stackalloc byte[256];
        sizeBytes = 0;
        errno = 0;
        if (Libc.Statx(Libc.AtFdCwd, path, 0, Libc.StatxTypeAndSize, buffer) != 0)
        {
            errno = Marshal.GetLastSystemError();
            return PathKind.Unknown;
        }
        ushort mode = *(ushort*)(buffer + 28);
        sizeBytes = *(long*)(buffer + 40);
        return (mode & 0xF000) switch
        {
            0x8000 => PathKind.RegularFile,
            0x4000 => PathKind.Directory,
            0x1000 => PathKind.Fifo,
            0x2000 => PathKind.CharacterDevice,
            0x6000 => PathKind.BlockDevice,
            0xC000 => PathKind.Socket,
            _ => PathKind.Unknown,
        };
    }

    /// <summary>True when this process may create files in directory <paramref name="path"/> (access W_OK); else the errno (EACCES, EROFS …).</summary>
    public static bool CanWrite(string path, out int errno)
    {
        ArgumentNullException.ThrowIfNull(path);
        errno = Libc.Access(path, Libc.WriteOk) == 0 ? 0 : Marshal.GetLastSystemError();
        return errno == 0;
    }

    /// <summary>The errno's text for people, e.g. "No such file or directory".</summary>
    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
