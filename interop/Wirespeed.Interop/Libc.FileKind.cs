using System;

namespace Wirespeed.Interop;

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
/// until a writer appears, and .NET's FileInfo has no file type. The one statx(2) call is <see cref="PathProbe"/>;
/// this view adds "missing" as a kind of its own, which the input and output checks name. Cold path.
/// </summary>
internal static class FileKinds
{
    private const int Enoent = 2, Enotdir = 20;

    /// <summary>The kind of <paramref name="path"/>, following symbolic links.</summary>
    public static FileKind Of(string path) => Of(path, out _);

    /// <summary>The kind of <paramref name="path"/>; <paramref name="errno"/> is the failure's errno (0 when statx succeeded).</summary>
    public static FileKind Of(string path, out int errno)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || path.Contains('\0')) { errno = Enoent; return FileKind.Missing; }
        return PathProbe.Of(path, out _, out errno) switch
        {
            PathKind.RegularFile => FileKind.Regular,
            PathKind.Directory => FileKind.Directory,
            PathKind.Fifo => FileKind.Fifo,
            PathKind.CharacterDevice => FileKind.CharacterDevice,
            PathKind.BlockDevice => FileKind.BlockDevice,
            PathKind.Socket => FileKind.Socket,
            _ => errno is Enoent or Enotdir ? FileKind.Missing : FileKind.Unknown,
        };
    }
}
