using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using Wirespeed.Interop;

namespace Wirespeed.Core.Signals;

/// <summary>
/// Appends signals to a journal file (layout: <see cref="SignalJournal"/>). Owned by one thread (a pattern worker, or
/// the book worker when patterns run inline); buffers records in a pre-allocated buffer and writes it when full and on
/// <see cref="Flush"/>, so <see cref="Append"/> does not allocate.
/// </summary>
/// <remarks>
/// <para>Opening repairs the tail: whatever follows the last valid record (a record cut short by a crash or a full
/// disk) is cut off and counted (<see cref="RepairedBytes"/>, <see cref="RepairReason"/>), because appending after it
/// would leave every later record off the 72-byte grid. A non-empty file with no valid record in its last
/// <see cref="RepairWindowBytes"/> bytes is refused, not cut: it is not a journal, and truncating it would destroy it.</para>
/// <para>A failing disk never stops the caller: the first write that fails (ENOSPC, EIO, …) disables the writer,
/// which says so once (<c>wirespeed alert kind=journal_failed …</c> on standard error, written by a pool thread), records the cause, and from
/// then on only counts what it drops (<see cref="LostRecords"/>). No exception leaves <see cref="Append"/>,
/// <see cref="Flush"/> or <see cref="Dispose"/>. The failure itself allocates once (the runtime's exception and the
/// alert line); the disabled writer allocates nothing.</para>
/// </remarks>
public sealed class SignalJournalWriter : IDisposable
{
    /// <summary>How far back from the end the repair looks for the last valid record: 64 KiB.</summary>
    public const int RepairWindowBytes = 64 << 10;

    private readonly Stream _file;
    private readonly byte[] _buffer;
    private readonly TextWriter? _alerts;
    private int _used;
    private volatile bool _failed;

    /// <param name="path">File to append to (created when missing; its torn tail repaired).</param>
    /// <param name="bufferRecords">Records buffered before a write. Default: 512.</param>
    /// <param name="alerts">Where the failure alert goes. Default: null, meaning standard error.</param>
    /// <exception cref="IOException">The path is a directory, FIFO or socket, the file cannot be opened, or it is not a journal (message says which and what to do).</exception>
    public SignalJournalWriter(string path, int bufferRecords = 512, TextWriter? alerts = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (bufferRecords < 1) throw new ArgumentOutOfRangeException(nameof(bufferRecords), $"bufferRecords={bufferRecords} must be at least 1");
        Path = path;
        _alerts = alerts;
        _buffer = new byte[bufferRecords * SignalJournal.RecordSize];
        FileKind kind = FileKinds.Of(path, out _);
        if (kind is FileKind.Directory or FileKind.Fifo or FileKind.Socket)
            throw new IOException($"signal journal '{path}': is a {kind.ToString().ToLowerInvariant()}, not a file; give the path of a file (it is created when missing)");
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        try
        {
            if (kind == FileKind.Regular && file.Length > 0) RepairTail(file);
            if (file.CanSeek) file.Seek(0, SeekOrigin.End);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        _file = file;
    }

    /// <summary>Tests: a writer over any stream (a fault-injecting one), no repair.</summary>
    internal SignalJournalWriter(Stream stream, string name, int bufferRecords, TextWriter? alerts)
    {
        _file = stream;
        Path = name;
        _alerts = alerts;
        _buffer = new byte[bufferRecords * SignalJournal.RecordSize];
    }

    /// <summary>The journal's path.</summary>
    public string Path { get; }

    /// <summary>Records in the file, or in the buffer until the next write (those lost to a failed write move to <see cref="LostRecords"/>).</summary>
    public long Records { get; private set; }

    /// <summary>Bytes cut from the end on open (0 when the file ended on a valid record).</summary>
    public long RepairedBytes { get; private set; }

    /// <summary>Why <see cref="RepairedBytes"/> were cut; null when nothing was.</summary>
    public string? RepairReason { get; private set; }

    /// <summary>True once a write failed: the writer is disabled and only counts.</summary>
    public bool Failed => _failed;

    /// <summary>Writes that failed (1 once disabled; a disabled writer attempts no more).</summary>
    public long FailedWrites { get; private set; }

    /// <summary>Records that did not reach the file: those buffered when the write failed, and every one appended since.</summary>
    public long LostRecords { get; private set; }

    /// <summary>Bytes of <see cref="LostRecords"/>.</summary>
    public long LostBytes => LostRecords * SignalJournal.RecordSize;

    /// <summary>errno of the failure (28 = ENOSPC, 5 = EIO, …); 0 when none or when the runtime gave none.</summary>
    public int Errno { get; private set; }

    /// <summary>The failure's message ("No space left on device …"); null while the writer works.</summary>
    public string? FailureCause { get; private set; }

    /// <summary>Owner thread: appends one record (written out when the buffer fills). Never throws; counts when disabled.</summary>
    public void Append(in Signal signal)
    {
        if (_failed || (_used == _buffer.Length && !WriteBuffer()))
        {
            LostRecords++;
            return;
        }
        Span<byte> record = _buffer.AsSpan(_used, SignalJournal.RecordSize);
        MemoryMarshal.Write(record, in signal);
        BinaryPrimitives.WriteUInt32LittleEndian(record.Slice(Signal.Size), SignalJournal.Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(record.Slice(Signal.Size + 4), Crc32C.Compute(record.Slice(0, Signal.Size + 4)));
        _used += SignalJournal.RecordSize;
        Records++;
    }

    /// <summary>Owner thread (or the stopping thread once the owner is joined): writes buffered records and flushes them to the OS. Never throws.</summary>
    public void Flush()
    {
        if (_failed || !WriteBuffer()) return;
        try { _file.Flush(); }
        catch (Exception e) when (IsWriteFailure(e)) { Fail(e); }
    }

    private bool WriteBuffer()
    {
        if (_used == 0) return true;
        try
        {
            _file.Write(_buffer, 0, _used);
            _used = 0;
            return true;
        }
        catch (Exception e) when (IsWriteFailure(e))
        {
            Fail(e);
            return false;
        }
    }

    /// <summary>What a write to a file can throw on Linux: IOException (ENOSPC, EIO, EFBIG …), EBADF/EPERM as UnauthorizedAccess, a closed stream.</summary>
    private static bool IsWriteFailure(Exception e) => e is IOException or UnauthorizedAccessException or ObjectDisposedException or NotSupportedException;

    private void Fail(Exception e)
    {
        _failed = true;
        FailedWrites++;
        int buffered = _used / SignalJournal.RecordSize;   // they were counted as appended; they never reached the file
        Records -= buffered;
        LostRecords += buffered;
        _used = 0;
        // On Linux the runtime puts the raw errno in an IOException's HResult (positive, below 4096).
        Errno = e is IOException && e.HResult is > 0 and < 4096 ? e.HResult : 0;
        FailureCause = e.Message;
        Alert();
    }

    /// <summary>
    /// One key=value line, as the monitor's hlog_failed alert: the run goes on without its journal and says so once.
    /// Formatted here, written by a pool thread: standard error may be a full pipe, and the failing worker (the book
    /// worker, inline) must not wait on it.
    /// </summary>
    private void Alert()
    {
        string line = string.Create(CultureInfo.InvariantCulture,
            $"wirespeed alert kind=journal_failed path={OneWord(Path)} errno={Errno} error={OneWord(FailureCause ?? "")} records_lost={LostRecords} records_written={Records}");
        ThreadPool.UnsafeQueueUserWorkItem(static state => WriteAlert(state.Output, state.Line), (Output: _alerts ?? Console.Error, Line: line), preferLocal: false);
    }

    /// <summary>
    /// Pool thread. The line is written later than the failure, so its output may be gone by then: standard error
    /// closed (IOException), or a writer its owner has disposed in the meantime (ObjectDisposedException). An exception
    /// left on a pool thread ends the process, so neither may escape: the counters still tell.
    /// </summary>
    internal static void WriteAlert(TextWriter output, string line)
    {
        try
        {
            output.WriteLine(line);
            output.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { }
    }

    private static string OneWord(string value)
    {
        var chars = value.ToCharArray();
        for (int i = 0; i < chars.Length; i++) if (char.IsWhiteSpace(chars[i]) || chars[i] == '=') chars[i] = '_';
        return new string(chars);
    }

    /// <summary>Cuts everything after the last valid record (see remarks); refuses a file with none near its end.</summary>
    private void RepairTail(FileStream file)
    {
        long length = file.Length;
        int window = (int)Math.Min(length, RepairWindowBytes);
        var tail = new byte[window];
        file.Seek(length - window, SeekOrigin.Begin);
        file.ReadExactly(tail);
        long goodEnd = -1;
        for (int p = window - SignalJournal.RecordSize; p >= 0; p--)
        {
            if (!SignalJournal.IsValidRecord(tail.AsSpan(p))) continue;
            goodEnd = length - window + p + SignalJournal.RecordSize;
            break;
        }
        if (goodEnd < 0)
        {
            if (length >= SignalJournal.RecordSize)
                throw new IOException($"signal journal '{Path}': no valid record in its last {window:N0} bytes, so it is not a signal journal or is damaged " +
                                      $"beyond a safe repair; nothing was changed. Check it with 'wirespeed journal verify {Path}', then move it away or configure another path");
            goodEnd = 0;   // shorter than one record: the first write was cut short
        }
        long cut = length - goodEnd;
        if (cut == 0) return;
        file.SetLength(goodEnd);
        RepairedBytes = cut;
        RepairReason = cut < SignalJournal.RecordSize
            ? "a record cut short at the end (a crash or a full disk mid-write)"
            : "the bytes after the last valid record are not records (a damaged tail)";
    }

    /// <summary>Writes what is buffered and closes the file. Never throws.</summary>
    public void Dispose()
    {
        Flush();
        try { _file.Dispose(); }
        catch (Exception e) when (IsWriteFailure(e)) { if (!_failed) Fail(e); }
    }
}
