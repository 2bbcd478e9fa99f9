using System;
using System.IO;
using Wirespeed.Interop;

namespace Wirespeed.Core.Files;

/// <summary>
/// Checks a file the data path is about to read (a replay input, a journal, an .hlog) before opening it: a FIFO would
/// block the open until a writer appears, a device such as /dev/zero never ends, a directory cannot be read. Each is
/// refused up front with a message that names the file, what it is, and what to give instead. Cold path.
/// </summary>
public static class InputFile
{
    /// <summary>
    /// Null when <paramref name="path"/> is a regular file (links followed); otherwise the reason, starting with
    /// <paramref name="what"/> (e.g. "replay input"): <c>replay input '/tmp/p': is a FIFO (named pipe), not a regular file; give a file</c>.
    /// </summary>
    public static string? Check(string path, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileKind kind = FileKinds.Of(path, out int errno);
        string? problem = kind switch
        {
            FileKind.Regular => null,
            FileKind.Missing => "does not exist",
            FileKind.Directory => "is a directory, not a file; give a file inside it",
            FileKind.Fifo => "is a FIFO (named pipe), not a regular file; reading it would wait for a writer: give a file",
            FileKind.CharacterDevice => "is a character device, not a regular file; give a file",
            FileKind.BlockDevice => "is a block device, not a regular file; give a file",
            FileKind.Socket => "is a socket, not a regular file; give a file",
            _ => $"cannot be examined (errno {errno}: {ErrnoText(errno)})",
        };
        return problem is null ? null : $"{what} '{path}': {problem}";
    }

    /// <summary>
    /// Opens <paramref name="path"/> for reading after <see cref="Check"/>; null with <paramref name="error"/> set when
    /// it is not a regular file or cannot be opened (permissions). Never throws for a bad path.
    /// </summary>
    public static FileStream? OpenRegular(string path, string what, out string? error)
    {
        error = Check(path, what);
        if (error is not null) return null;
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"{what} '{path}': cannot be opened: {e.Message}";
            return null;
        }
    }

    private static string ErrnoText(int errno) => errno switch
    {
        13 => "permission denied",
        40 => "too many levels of symbolic links",
        36 => "file name too long",
        _ => "see errno(3)",
    };
}
