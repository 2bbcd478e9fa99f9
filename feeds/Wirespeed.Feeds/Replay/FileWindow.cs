using System;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace Wirespeed.Feeds.Replay;

/// <summary>
/// A read-only window onto a file of any size (long offsets), refilled on demand from a fixed buffer; or, for tests and
/// small inputs, onto a byte array held whole.
/// </summary>
/// <remarks>
/// Why a refilling buffer rather than a memory map: replay reads strictly forward, so one positional read
/// (<see cref="RandomAccess.Read(SafeFileHandle, Span{byte}, long)"/>, a pread on Linux) per few MiB costs nothing next
/// to decoding them, and the page cache and the kernel's read-ahead do the rest. A memory map would need
/// <c>unsafe</c> pointer spans outside the folders the house style allows it in, and a truncated or vanished file
/// would then fault (SIGBUS) instead of returning a short read that is counted as a torn tail.
/// A refill never allocates: the buffer is allocated once, here.
/// </remarks>
internal sealed class FileWindow : IDisposable
{
    private readonly SafeFileHandle? _handle;
    private readonly byte[] _buffer;
    private long _bufferStart;
    private int _bufferLength;

    public FileWindow(byte[] data)
    {
        _buffer = data;
        _bufferLength = data.Length;
        Length = data.Length;
    }

    public FileWindow(string path, int bufferSize)
    {
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        Length = RandomAccess.GetLength(_handle);
        _buffer = new byte[bufferSize];
    }

    /// <summary>File length in bytes when opened.</summary>
    public long Length { get; }
    /// <summary>Why the file could not be read to its end (an I/O error such as EIO, with its offset); null when it could.</summary>
    public string? ReadError { get; private set; }
    /// <summary>The longest span <see cref="TryGet"/> can return.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>
    /// The bytes [<paramref name="offset"/>, offset + <paramref name="count"/>); false when they cannot be read (past
    /// the end, longer than <see cref="Capacity"/>, or the file shrank). The span is valid until the next call.
    /// </summary>
    public bool TryGet(long offset, int count, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (offset < 0 || count < 0 || count > _buffer.Length || offset > Length - count) return false;
        if (offset < _bufferStart || offset - _bufferStart > _bufferLength - count)
        {
            if (_handle is null || !Refill(offset, count)) return false;
        }
        bytes = new ReadOnlySpan<byte>(_buffer, (int)(offset - _bufferStart), count);
        return true;
    }

    private bool Refill(long offset, int count)
    {
        int want = (int)Math.Min(_buffer.Length, Length - offset);
        int got = 0;
        while (got < want)
        {
            int n;
            try
            {
                n = RandomAccess.Read(_handle!, _buffer.AsSpan(got, want - got), offset + got);
            }
            catch (IOException e)
            {
                // A failing disk: the rest of the file is unreadable. Reported by the source's completeness verdict
                // and counted by the caller as unread bytes, as a short read is; the replay never sees the exception.
                ReadError ??= $"read error at byte {offset + got:N0}: {e.Message}";
                break;
            }
            if (n <= 0) break; // the file shrank under us: a short read, counted by the caller as a torn tail
            got += n;
        }
        _bufferStart = offset;
        _bufferLength = got;
        return got >= count;
    }

    public void Dispose() => _handle?.Dispose();
}
