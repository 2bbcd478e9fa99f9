using System.Runtime.InteropServices;

namespace Wirespeed.Interop;

/// <summary>What a path names (symbolic links followed), as <see cref="FileKinds.Of"/> finds it.</summary>
internal enum FileKind : byte
{
    /// <summary>Nothing by that name (ENOENT), or a component of the path is not a directory (ENOTDIR).</summary>
    Missing,
    Regular,
    Directory,
    /// <summary>/dev/null, /dev/full, a terminal.</summary>
    CharacterDevice,
    BlockDevice,
    /// <summary>A named pipe, or an anonymous one seen through /dev/fd or /proc/self/fd.</summary>
    Fifo,
    Socket,
    /// <summary>statx failed for another reason (EACCES on a directory of the path, ELOOP …).</summary>
    Unknown,
}

internal static unsafe partial class Libc
{
    /// <summary>
    /// Wraps statx(2) (glibc ≥ 2.28). Chosen over stat(2) because struct statx has one layout on every architecture:
    /// 256 bytes, <c>stx_mode</c> a u16 at offset 28 (include/uapi/linux/stat.h).
    /// </summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Statx(int dirFd, string path, int flags, uint mask, byte* statx);
}

/// <summary>
/// The type of a file, which .NET does not expose on Unix (FileAttributes has no FIFO or device bit): commands refuse
/// an output path that is a FIFO before opening it, because opening a FIFO for writing blocks until a reader comes.
/// Cold path.
/// </summary>
internal static unsafe class FileKinds
{
    private const int AtFdCwd = -100;          // <fcntl.h>: paths relative to the working directory
    private const uint StatxType = 0x0001;     // STATX_TYPE: only the S_IFMT bits of stx_mode are needed
    private const int StatxSize = 256;         // sizeof(struct statx)
    private const int ModeOffset = 28;         // offsetof(struct statx, stx_mode)
    private const int Enoent = 2, Enotdir = 20;

    /// <summary>The kind of <paramref name="path"/>, following symbolic links.</summary>
    public static FileKind Of(string path)
    {
        byte* buffer = stackalloc byte[StatxSize];
        if (Libc.Statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno is Enoent or Enotdir ? FileKind.Missing : FileKind.Unknown;
        }
        int mode = *(ushort*)(buffer + ModeOffset) & 0xF000;   // S_IFMT
        return mode switch
        {
            0x8000 => FileKind.Regular,          // S_IFREG
            0x4000 => FileKind.Directory,        // S_IFDIR
            0x2000 => FileKind.CharacterDevice,  // S_IFCHR
            0x6000 => FileKind.BlockDevice,      // S_IFBLK
            0x1000 => FileKind.Fifo,             // S_IFIFO
            0xC000 => FileKind.Socket,           // S_IFSOCK
            _ => FileKind.Unknown,
        };
    }
}
