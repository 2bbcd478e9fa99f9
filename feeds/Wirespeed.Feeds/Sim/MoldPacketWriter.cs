using System;
using System.Buffers.Binary;

namespace Wirespeed.Feeds.Sim;

/// <summary>
/// Packs ITCH messages into MoldUDP64 1.00 downstream packets inside one pre-allocated buffer. Single-threaded; the span
/// returned by <see cref="Flush"/>, <see cref="Heartbeat"/> and <see cref="EndOfSession"/> is valid until the next call
/// on this writer. Never allocates after construction.
/// </summary>
/// <remarks>
/// MoldUDP64 1.00 downstream packet:
/// <code>
///  0                10                 18        20
///  +----------------+------------------+---------+---------------------------------------+
///  | session (10 A) | sequence (u64 BE)| count   | count x [ length (u16 BE) | message ] |
///  +----------------+------------------+---------+---------------------------------------+
/// </code>
/// The sequence is that of the first message in the packet. A heartbeat has count 0 and carries the next expected
/// sequence; the end-of-session packet has count 0xFFFF and also carries the next sequence.
/// </remarks>
public sealed class MoldPacketWriter
{
    /// <summary>Bytes of the MoldUDP64 header.</summary>
    public const int HeaderLength = 20;

    /// <summary>Default payload ceiling: 1500 MTU − 20 IP − 8 UDP − 72 headroom (VLAN tags, tunnels) = 1400.</summary>
    public const int DefaultMaxPayload = 1400;

    /// <summary>Message count that marks the end of the session (MoldUDP64 1.00, "End of Session").</summary>
    public const ushort EndOfSessionCount = 0xFFFF;

    private readonly byte[] _buffer;
    private readonly int _maxPayload;
    private readonly int _maxMessages;
    private int _length = HeaderLength;
    private int _count;

    /// <summary>Creates a writer for <paramref name="session"/> (up to 10 ASCII characters, space-padded).</summary>
    /// <param name="session">Session name, 10 ASCII characters at most.</param>
    /// <param name="firstSequence">Sequence number of the first message. Default: 1.</param>
    /// <param name="maxPayload">Largest UDP payload in bytes, header included. Default: 1400.</param>
    /// <param name="maxMessagesPerPacket">Most messages in one packet. Default: 0xFFFE (no limit but the payload).</param>
    public MoldPacketWriter(string session, ulong firstSequence = 1, int maxPayload = DefaultMaxPayload, int maxMessagesPerPacket = 0xFFFE)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Length > 10) throw new ArgumentException($"Session '{session}' is longer than the 10 characters MoldUDP64 allows.", nameof(session));
        if (maxPayload < HeaderLength + 2 + 12 || maxPayload > 65507)
            throw new ArgumentOutOfRangeException(nameof(maxPayload), maxPayload, "maxPayload must be between 34 and 65507 bytes (one header plus one small message, up to the largest UDP payload).");
        if (maxMessagesPerPacket < 1 || maxMessagesPerPacket > 0xFFFE)
            throw new ArgumentOutOfRangeException(nameof(maxMessagesPerPacket), maxMessagesPerPacket, "maxMessagesPerPacket must be between 1 and 65534 (0xFFFF means end of session).");
        _buffer = new byte[maxPayload];
        _maxPayload = maxPayload;
        _maxMessages = maxMessagesPerPacket;
        for (int i = 0; i < 10; i++) _buffer[i] = i < session.Length ? (byte)session[i] : (byte)' ';
        NextSequence = firstSequence;
    }

    /// <summary>Sequence number the next appended message will get.</summary>
    public ulong NextSequence { get; private set; }

    /// <summary>Messages in the packet being built.</summary>
    public int PendingCount => _count;

    /// <summary>Bytes of the packet being built, header included.</summary>
    public int PendingLength => _length;

    /// <summary>Largest payload this writer produces.</summary>
    public int MaxPayload => _maxPayload;

    /// <summary>The 10 session bytes as they appear on the wire.</summary>
    public ReadOnlySpan<byte> Session => _buffer.AsSpan(0, 10);

    /// <summary>Whether a message of <paramref name="messageLength"/> bytes still fits in the current packet.</summary>
    public bool Fits(int messageLength) => _count < _maxMessages && _length + 2 + messageLength <= _maxPayload;

    /// <summary>
    /// Reserves room for one message of exactly <paramref name="messageLength"/> bytes and returns it to be filled in.
    /// Returns an empty span when it does not fit: flush and try again.
    /// </summary>
    public Span<byte> Reserve(int messageLength)
    {
        if (!Fits(messageLength) || messageLength <= 0) return Span<byte>.Empty;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_length), (ushort)messageLength);
        var body = _buffer.AsSpan(_length + 2, messageLength);
        _length += 2 + messageLength;
        _count++;
        return body;
    }

    /// <summary>Copies one encoded message into the packet. Returns false when it does not fit.</summary>
    public bool TryAppend(ReadOnlySpan<byte> message)
    {
        var body = Reserve(message.Length);
        if (body.IsEmpty) return false;
        message.CopyTo(body);
        return true;
    }

    /// <summary>
    /// Finishes the packet being built and returns it (empty when no message is pending). The next packet starts at
    /// the following sequence number, so sequences are contiguous across packets.
    /// </summary>
    public ReadOnlySpan<byte> Flush()
    {
        if (_count == 0) return ReadOnlySpan<byte>.Empty;
        WriteHeader(NextSequence, (ushort)_count);
        NextSequence += (ulong)_count;
        int length = _length;
        _length = HeaderLength;
        _count = 0;
        return _buffer.AsSpan(0, length);
    }

    /// <summary>
    /// Returns the packet being built without finishing it, so the caller can patch timestamps before <see cref="Flush"/>.
    /// </summary>
    public Span<byte> PendingBlocks => _buffer.AsSpan(HeaderLength, _length - HeaderLength);

    /// <summary>A heartbeat: header only, count 0, sequence = next expected. Requires no pending messages.</summary>
    public ReadOnlySpan<byte> Heartbeat() => HeaderOnly(0);

    /// <summary>The end-of-session packet: header only, count 0xFFFF, sequence = next expected. Requires no pending messages.</summary>
    public ReadOnlySpan<byte> EndOfSession() => HeaderOnly(EndOfSessionCount);

    private ReadOnlySpan<byte> HeaderOnly(ushort count)
    {
        if (_count != 0) throw new InvalidOperationException("Flush the pending messages before a heartbeat or end-of-session packet.");
        WriteHeader(NextSequence, count);
        return _buffer.AsSpan(0, HeaderLength);
    }

    private void WriteHeader(ulong sequence, ushort count)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.AsSpan(10), sequence);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(18), count);
    }

    /// <summary>Overwrites the timestamp of every message block in <paramref name="blocks"/> (u16 length + message).</summary>
    public static void PatchTimestamps(Span<byte> blocks, long timestampNs)
    {
        while (blocks.Length >= 2)
        {
            int len = BinaryPrimitives.ReadUInt16BigEndian(blocks);
            if (len < ItchMessageWriter.HeaderLength || len > blocks.Length - 2) return;
            ItchMessageWriter.PatchTimestamp(blocks.Slice(2, len), timestampNs);
            blocks = blocks.Slice(2 + len);
        }
    }
}
