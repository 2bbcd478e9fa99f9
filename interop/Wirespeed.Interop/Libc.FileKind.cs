using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Wirespeed.Interop;

/// <summary>
/// Mirrors the kernel's <c>struct statx</c> (include/uapi/linux/stat.h): 256 bytes, the same layout on every
/// architecture, unlike <c>struct stat</c>. Only the fields read here are declared.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = SizeBytes)]
internal struct StatxBuffer
{
    public const int SizeBytes = 256;

    /// <summary>stx_mask: which fields the kernel filled.</summary>
    [FieldOffset(0)] public uint Mask;
    /// <summary>stx_mode: file type (S_IFMT bits) and permissions.</summary>
    [FieldOffset(28)] public ushort Mode;
}

internal static unsafe partial class Libc
{
    /// <summary>Wraps statx(2) (glibc ≥ 2.28). Returns 0 or -1 with errno set.</summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "statx", SetLastError = true)]
    internal static partial int Statx(int dirFd, byte* path, int flags, uint mask, StatxBuffer* buffer);
}

/// <summary>What a path names, from its S_IFMT bits.</summary>
internal enum FileKind : byte
{
    Missing = 0,
    Regular = 1,
    Directory = 2,
    Fifo = 3,
    CharacterDevice = 4,
    BlockDevice = 5,
    Socket = 6,
    /// <summary>statx failed for another reason than a missing path (permissions on a parent folder, a loop of links).</summary>
    Unknown = 7,
}

/// <summary>
/// The type of the file a path names (symbolic links followed), without opening it: opening a FIFO for reading blocks
/// until a writer appears, and .NET's FileInfo has no file type. Cold path (start-up and commands).
/// </summary>
internal static unsafe class FileKinds
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int Enoent = 2, Enotdir = 20;

    /// <summary>The kind of <paramref name="path"/>, following symbolic links.</summary>
    public static FileKind Of(string path) => Of(path, out _);

    /// <summary>The kind of <paramref name="path"/>; <paramref name="errno"/> is the failure's errno (0 when statx succeeded).</summary>
    public static FileKind Of(string path, out int errno)
    {
        ArgumentNullException.ThrowIfNull(path);
        errno = 0;
        if (path.Length == 0 || path.Contains('\0')) { errno = Enoent; return FileKind.Missing; }
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        StatxBuffer buffer = default;
        int rc;
        fixed (byte* p = bytes) rc = Libc.Statx(AtFdCwd, p, 0, StatxType, &buffer);
        if (rc != 0)
        {
            errno = Marshal.GetLastSystemError();
            return errno is Enoent or Enotdir ? FileKind.Missing : FileKind.Unknown;
        }
        return (buffer.Mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Unknown,
        };
    }
}
