using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using Wirespeed.Core.Ingress;
using Wirespeed.Feeds.Itch;

namespace Wirespeed.Feeds.Replay;

/// <summary>Per-cause counters of an ITCH binary file replay.</summary>
public sealed class ItchFileCounters
{
    /// <summary>Messages framed (handed out, whatever their content).</summary>
    public long Messages;
    /// <summary>Zero length prefixes met (framing stops there).</summary>
    public long ZeroLength;
    /// <summary>Files that ended inside a length prefix or a message.</summary>
    public long TruncatedTail;
    /// <summary>Bytes not framed into messages (a torn tail, or everything after a zero length prefix).</summary>
    public long UnframedBytes;
    /// <summary>Byte offset of the zero length prefix that stopped framing; -1 when none did.</summary>
    public long ZeroLengthOffset = -1;

    /// <summary>Every counter by its report name (snake_case). Cold path.</summary>
    public Dictionary<string, long> Section() => new()
    {
        ["file_messages"] = Messages, ["zero_length_prefix"] = ZeroLength,
        ["truncated_tail"] = TruncatedTail, ["unframed_bytes"] = UnframedBytes,
    };
}

/// <summary>
/// Reads NASDAQ's binary ITCH file format: repeated [length (u16 big-endian) | message]. Message level:
/// <see cref="TryRead"/>. Packet level (<see cref="IPacketSource"/>): each message is wrapped in a synthetic
/// single-message MoldUDP64 packet (session from the constructor, sequence 1, 2, 3 … in file order) so that the whole
/// live path (session, decoder, quarantine) runs unchanged on a file. Nothing in the file makes it throw.
/// </summary>
/// <remarks>
/// A zero length prefix cannot frame anything, so reading stops there (the rest is counted as unframed bytes)
/// rather than guessing where the next message begins. A tail shorter than its prefix announces is counted and
/// ends the file. <see cref="Open"/> reads the file through a refilling buffer with 64-bit offsets (daily files are
/// 5-10 GB), the byte-array constructor works on memory; reading never allocates after construction. Dispose closes
/// the file.
/// </remarks>
public sealed class ItchFileSource : IPacketSource, IDisposable
{
    /// <summary>Buffer of <see cref="Open"/>: 8 MiB, a few hundred thousand messages per refill.</summary>
    public const int DefaultBufferSize = 8 << 20;
    /// <summary>Smallest buffer: one largest message and its prefix.</summary>
    public const int MinBufferSize = 2 + ushort.MaxValue;

    private readonly FileWindow _data;
    private readonly byte[] _packet = new byte[MoldPacketReader.HeaderSize + 2 + ushort.MaxValue];
    private readonly byte _lineId;
    private long _offset;
    private ulong _nextSequence = 1;
    private bool _stopped;

    /// <param name="data">The file's bytes.</param>
    /// <param name="session">Up to 10 ASCII bytes for the synthetic MoldUDP64 session (space padded). Default: "ITCHFILE".</param>
    /// <param name="lineId">Line id of the synthetic packets.</param>
    public ItchFileSource(byte[] data, string session = "ITCHFILE", byte lineId = 0) : this(new FileWindow(data), session, lineId) { }

    private ItchFileSource(FileWindow data, string session, byte lineId)
    {
        _data = data;
        _lineId = lineId;
        Span<byte> s = _packet.AsSpan(0, MoldPacketReader.SessionLength);
        s.Fill((byte)' ');
        for (int i = 0; i < Math.Min(session.Length, s.Length); i++) s[i] = (byte)session[i];
    }

    /// <summary>Cold path: opens the file for streaming through a buffer of <paramref name="bufferSize"/> bytes (any file size).</summary>
    public static ItchFileSource Open(string path, string session = "ITCHFILE", byte lineId = 0, int bufferSize = DefaultBufferSize)
    {
        if (bufferSize < MinBufferSize)
            throw new ArgumentOutOfRangeException(nameof(bufferSize), $"{nameof(bufferSize)}={bufferSize} must hold one largest message, at least {MinBufferSize}.");
        return new ItchFileSource(new FileWindow(path, bufferSize), session, lineId);
    }

    /// <summary>Closes the file (nothing to do for the byte-array constructor).</summary>
    public void Dispose() => _data.Dispose();

    public ItchFileCounters Counters { get; } = new();
    /// <summary>True when nothing more can be read.</summary>
    public bool IsAtEnd => _stopped || _offset >= _data.Length;
    /// <summary>Byte offset of the next length prefix.</summary>
    public long Offset => _offset;
    /// <summary>File length in bytes.</summary>
    public long Length => _data.Length;

    /// <summary>Next message (span over the read buffer, valid until the next read). End when the file is done.</summary>
    public DecodeStatus TryRead(out ReadOnlySpan<byte> message)
    {
        message = default;
        if (IsAtEnd) return DecodeStatus.End;
        long left = _data.Length - _offset;
        if (left < 2 || !_data.TryGet(_offset, 2, out ReadOnlySpan<byte> prefix)) return Stop(DecodeStatus.Truncated, left);
        int length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
        if (length == 0) { Counters.ZeroLength++; Counters.ZeroLengthOffset = _offset; return Stop(DecodeStatus.BadLength, left); }
        if (length > left - 2 || !_data.TryGet(_offset + 2, length, out message)) return Stop(DecodeStatus.Truncated, left);
        _offset += 2 + length;
        Counters.Messages++;
        return DecodeStatus.Ok;
    }

    /// <summary>Delivers up to <paramref name="limit"/> messages, each as a one-message MoldUDP64 packet; returns how many.</summary>
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
    {
        int delivered = 0;
        while (delivered < limit && TryRead(out ReadOnlySpan<byte> message) == DecodeStatus.Ok)
        {
            Span<byte> p = _packet;
            BinaryPrimitives.WriteUInt64BigEndian(p.Slice(MoldPacketReader.SequenceOffset), _nextSequence++);
            BinaryPrimitives.WriteUInt16BigEndian(p.Slice(MoldPacketReader.CountOffset), 1);
            BinaryPrimitives.WriteUInt16BigEndian(p.Slice(MoldPacketReader.HeaderSize), (ushort)message.Length);
            message.CopyTo(p.Slice(MoldPacketReader.HeaderSize + 2));
            // Files carry no receive time: the message's own ITCH timestamp stands in for it.
            long ts = message.Length >= ItchLayout.HeaderSize ? ItchDecoder.Timestamp48(message) : 0;
            var info = new PacketInfo(ts, _lineId, PacketSourceKind.ItchFile);
            handler.OnPacket(p.Slice(0, MoldPacketReader.HeaderSize + 2 + message.Length), in info);
            delivered++;
        }
        return delivered;
    }

    /// <summary>
    /// After reading: whether every byte was framed, and if not why. A file that begins with a zero length prefix is
    /// not in this format (NASDAQ's binary files prefix every message with its length, never 0). Cold path: where a
    /// zero prefix stopped framing, it reads the rest once to tell a zero-filled tail (a preallocated or unflushed
    /// file) from damage.
    /// </summary>
    public ReadCompleteness Completeness()
    {
        var c = Counters;
        var verdict = new ReadCompleteness();
        if (_data.ReadError is { } error) verdict.Add(error + " (the file could not be read past it)");
        if (c.ZeroLengthOffset >= 0)
        {
            bool zeros = IsZeroFrom(c.ZeroLengthOffset);
            if (c.Messages == 0)
                verdict.Add(zeros
                    ? $"every length prefix is zero: this is not a NASDAQ binary ITCH file, or it was written without lengths (all {_data.Length:N0} bytes are zero)"
                    : "the first length prefix is zero, so no message could be framed: this is not a NASDAQ binary ITCH file, or it was written without lengths " +
                      $"({c.UnframedBytes:N0} bytes not read)");
            else
                verdict.Add($"zero length prefix at byte {c.ZeroLengthOffset:N0} stopped framing after {c.Messages:N0} messages: {c.UnframedBytes:N0} bytes not read " +
                            (zeros ? "(all zero from there: a preallocated or unflushed tail)" : "(a damaged file: no message has length 0)"));
        }
        if (c.TruncatedTail > 0)
            verdict.Add($"truncated tail: the file ends inside a message; its last {c.UnframedBytes:N0} bytes are not a whole message (a crash, a full disk, or a copy still in progress)");
        return verdict;
    }

    /// <summary>True when every byte from <paramref name="offset"/> to the end is zero (false when the file shrank meanwhile).</summary>
    private bool IsZeroFrom(long offset)
    {
        while (offset < _data.Length)
        {
            int count = (int)Math.Min(_data.Capacity, _data.Length - offset);
            if (!_data.TryGet(offset, count, out ReadOnlySpan<byte> bytes)) return false;
            if (bytes.IndexOfAnyExcept((byte)0) >= 0) return false;
            offset += count;
        }
        return true;
    }

    /// <summary>Rewinds to the start of the file (counters are kept, sequence restarts at 1).</summary>
    public void Rewind() { _offset = 0; _nextSequence = 1; _stopped = false; }

    private DecodeStatus Stop(DecodeStatus status, long left)
    {
        if (status == DecodeStatus.Truncated) Counters.TruncatedTail++;
        Counters.UnframedBytes += left;
        _stopped = true;
        return status;
    }
}
