using System;
using System.IO;
using Wirespeed.Configuration;
using Wirespeed.Interop;

namespace Wirespeed.Commands;

/// <summary>How an output file is written.</summary>
internal enum OutputMode : byte
{
    /// <summary>Written whole at the end (--json, --quarantine-out) or as a stream the reader only wants complete
    /// (simulate --out): into a temporary file beside the target, renamed over it once complete, so that a failed write
    /// never leaves half a file under the final name nor destroys the previous one.</summary>
    Replace,
    /// <summary>Written in place while the run goes on and read during it (--hlog): only checked here; the writer
    /// opens it itself.</summary>
    InPlace,
}

/// <summary>
/// A file a command writes, named by its option (--json, --hlog, --quarantine-out, simulate --out), checked at
/// start-up so that a path that cannot be written fails before the run, with a message that names the option and the
/// fix, instead of after hours of market data.
/// </summary>
/// <remarks>
/// <para>Accepted: a regular file (new, or replaced) in a directory that exists and in which this process can create
/// and write a file; or a character device (/dev/null, a terminal), written in place. Refused: a directory; a FIFO or
/// socket (opening a FIFO for writing blocks until a reader comes, and a pipe's reader may be gone by the end of the
/// run); a block device. Symbolic links are followed: the file they name is the one written.</para>
/// <para>The start-up check creates a temporary file beside the target (".NAME.wirespeed-PID.tmp") and writes
/// <c>reserveBytes</c> to it, so a full disk or a read-only directory shows before the run. <see cref="OutputMode.Replace"/>
/// keeps that file, with its reserved space, for the final content (a process killed with SIGKILL leaves it behind,
/// named after its pid); <see cref="OutputMode.InPlace"/> removes it.</para>
/// <para>A write that fails later (ENOSPC, EIO, /dev/full) is the caller's to report: one line from
/// <see cref="Failure"/> on stderr and exit 1, never an exception.</para>
/// </remarks>
internal sealed class OutputFile : IDisposable
{
    private readonly string _target;   // the file written: Path, or what its symbolic link names
    private string? _temp;             // the temporary file beside _target (Replace mode, regular files)

    private OutputFile(string path, string option, string target, bool device, string? temp)
    {
        Path = path;
        Option = option;
        _target = target;
        IsDevice = device;
        _temp = temp;
    }

    /// <summary>The path as the user gave it.</summary>
    public string Path { get; }

    /// <summary>The option or configuration field that named it, e.g. "--json", "--out" or "monitor.hlog".</summary>
    public string Option { get; }

    /// <summary>True for a character device, written in place.</summary>
    public bool IsDevice { get; }

    /// <summary>
    /// Checks a path for writing. Throws <see cref="UsageException"/> (exit 2) naming the option and the fix, or with
    /// <c>configField</c> a <see cref="ConfigException"/> (exit 3) naming the field.
    /// </summary>
    /// <param name="path">The path given; null: no such output (returns null).</param>
    /// <param name="option">The option ("--json") or configuration field ("monitor.hlog") that gave it.</param>
    /// <param name="mode">Replaced whole when complete, or written in place by its own writer.</param>
    /// <param name="reserveBytes">Bytes written to the temporary file at start-up, to prove the space is there
    /// (the final content of a --json summary is about 12 KiB).</param>
    /// <param name="configField">True when <paramref name="option"/> is a configuration field.</param>
    public static OutputFile? Check(string? path, string option, OutputMode mode, int reserveBytes = 64 * 1024, bool configField = false)
    {
        string named = string.IsNullOrEmpty(path) ? option : $"{option} {path}";
        Exception Refuse(string why) => configField ? new ConfigException(option, $"{path}: {why}") : new UsageException($"{named}: {why}.");

        if (path is null) return null;
        if (path.Length == 0) throw Refuse("the path is empty; give a file name");
        // The kind of what the path names, magic links (/dev/stdout, /proc/self/fd/N) followed by the kernel.
        FileKind kind = FileKinds.Of(path);
        switch (kind)
        {
            case FileKind.Directory:
                throw Refuse($"is a directory; give a file name inside it, e.g. {System.IO.Path.Combine(path, "out")}");
            case FileKind.Fifo:
                throw Refuse("is a FIFO (named pipe): a write would wait for a reader, or fail without one; give a regular file");
            case FileKind.Socket:
                throw Refuse("is a socket; give a regular file");
            case FileKind.BlockDevice:
                throw Refuse("is a block device; give a regular file");
            case FileKind.CharacterDevice:
                return new OutputFile(path, option, path, device: true, temp: null);
            case FileKind.Unknown:
                throw Refuse("cannot be examined (a directory on the path is not searchable?); give a path this process can reach");
        }
        // A regular file or nothing yet: its directory (the link's target's, for a link) must exist and take a new file
        // with the reserved bytes.
        string target = Resolve(path);
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(target)) ?? "/";
        if (FileKinds.Of(directory) != FileKind.Directory)
            throw Refuse($"directory {directory} does not exist; create it, or give a path in an existing directory");
        string temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(target)}.wirespeed-{Environment.ProcessId}.tmp");
        try
        {
            using (var probe = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1))
            {
                probe.Write(new byte[reserveBytes]);
                probe.Flush(flushToDisk: false);
            }
            // Written in place, an existing file must open for writing itself (replaced, only its directory matters).
            if (mode == OutputMode.InPlace && File.Exists(target))
                using (new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw Refuse($"cannot write there: {Reason(e)}; free space, fix the permissions, or choose another directory");
        }
        if (mode == OutputMode.Replace) return new OutputFile(path, option, target, device: false, temp);
        TryDelete(temp);
        return new OutputFile(path, option, target, device: false, temp: null);
    }

    /// <summary>
    /// Writes <paramref name="content"/> as the whole file: into the reserved temporary file, then renamed over the
    /// target (a device is written directly). Returns false with <paramref name="error"/> set to one line on failure.
    /// </summary>
    public bool TryWrite(ReadOnlySpan<byte> content, out string? error)
    {
        try
        {
            using (var stream = Open(reuseReservation: true))
            {
                stream.Write(content);
                if (!IsDevice) stream.SetLength(content.Length);   // drop the reservation's tail
            }
            Commit();
            error = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = Failure(e);
            Discard();
            return false;
        }
    }

    /// <summary>
    /// A stream to write the content into (simulate --out): the temporary file (truncated) or the device. Call
    /// <see cref="Commit"/> once it is complete and closed, or <see cref="Discard"/>.
    /// </summary>
    public Stream OpenStream() => Open(reuseReservation: false);

    /// <summary>Renames the completed temporary file over the target (nothing to do for a device).</summary>
    public void Commit()
    {
        if (_temp is null) return;
        File.Move(_temp, _target, overwrite: true);
        _temp = null;
    }

    /// <summary>Removes the temporary file; the target is left as it was.</summary>
    public void Discard()
    {
        if (_temp is null) return;
        TryDelete(_temp);
        _temp = null;
    }

    /// <summary>One line for stderr: the option, the path, what failed and what to do.</summary>
    public string Failure(Exception e)
        => $"wirespeed: {Option} {Path}: write failed: {Reason(e)}; the file was not written (free space or choose another path)";

    /// <summary>The operating system's reason without .NET's trailing " : 'path'" (the caller names the path once).</summary>
    public static string Reason(Exception e)
    {
        string m = e.Message;
        int quote = m.IndexOf(" : '", StringComparison.Ordinal);
        if (quote > 0) m = m.Substring(0, quote);
        return m.TrimEnd('.', ' ');
    }

    public void Dispose() => Discard();

    private FileStream Open(bool reuseReservation)
    {
        if (IsDevice) return new FileStream(_target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
        if (_temp is null) throw new InvalidOperationException($"{Option} {Path} was already written");
        // Overwriting the reserved bytes in place needs no new blocks: the space proven at start-up is the space used.
        return new FileStream(_temp, reuseReservation ? FileMode.Open : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
    }

    /// <summary>The file a symbolic link finally names (relative links resolve against the link's directory).</summary>
    private static string Resolve(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;   // a dangling or looping link: statx reports it as missing or unknown
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
