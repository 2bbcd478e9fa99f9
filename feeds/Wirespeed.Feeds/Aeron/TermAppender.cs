using System;
using System.Buffers.Binary;

namespace Wirespeed.Feeds.Aeron;

/// <summary>
/// The publisher's side of the log (AERON.md §B.3, §B.9, §c "Framing and log"): appends messages at the tail as 32-byte
/// aligned DATA frames, fragmenting at mtu − 32 with BEGIN/END flags, and writes a PAD to the term's end when a message
/// (all its fragments) does not fit in the rest of the term, so that no frame crosses a term. Entering a term zeroes its
/// buffer first (it last held the term three back, which is outside every resend window: §B.12). One thread.
/// </summary>
public sealed class TermAppender
{
    private readonly AeronTermLog _log;
    private readonly int _termLength;
    private readonly int _bits;
    private readonly int _maxPayload;
    private readonly int _mtu;

    public TermAppender(AeronTermLog log, int initialTermId, int sessionId, int streamId, int mtu, long startPosition = 0)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (!AeronPosition.IsValidMtu(mtu)) throw new ArgumentOutOfRangeException(nameof(mtu), $"mtu={mtu} must be a multiple of 32 from 32 to 65504.");
        if ((startPosition & 31) != 0 || startPosition < 0) throw new ArgumentOutOfRangeException(nameof(startPosition), "start position must be a non-negative multiple of 32.");
        _log = log;
        _termLength = log.TermLength;
        _bits = AeronPosition.PositionBitsToShift(_termLength);
        _mtu = mtu;
        _maxPayload = mtu - AeronLayout.Data.HeaderLength;
        InitialTermId = initialTermId;
        SessionId = sessionId;
        StreamId = streamId;
        MaxMessageLength = AeronPosition.MaxMessageLength(_termLength);
        Tail = startPosition;
    }

    public int InitialTermId { get; }
    public int SessionId { get; }
    public int StreamId { get; }
    public int MaxMessageLength { get; }
    public int MaxPayloadLength => _maxPayload;
    public int TermLength => _termLength;
    public int PositionBits => _bits;
    /// <summary>Position of the next frame to write.</summary>
    public long Tail { get; private set; }

    /// <summary>Aligned bytes a message of <paramref name="length"/> occupies (all fragments), without any PAD.</summary>
    public int FramedLength(int length)
    {
        int full = length / _maxPayload;
        int rest = length - full * _maxPayload;
        int framed = full * AeronLayout.Align(_maxPayload + AeronLayout.Data.HeaderLength);
        if (rest > 0 || length == 0) framed += AeronLayout.Align(rest + AeronLayout.Data.HeaderLength);
        return framed;
    }

    /// <summary>Bytes the tail will advance for this message, a PAD included when the message does not fit the term.</summary>
    public int RequiredLength(int length)
    {
        int framed = FramedLength(length);
        int termOffset = AeronPosition.TermOffset(Tail, _termLength);
        return termOffset + framed > _termLength ? _termLength - termOffset + framed : framed;
    }

    /// <summary>
    /// Appends <paramref name="message"/> (length ≤ <see cref="MaxMessageLength"/>, checked by the caller) and returns the
    /// new tail position. The caller checks limits with <see cref="RequiredLength"/> first.
    /// </summary>
    public long Append(ReadOnlySpan<byte> message, long reservedValue = 0)
    {
        int framed = FramedLength(message.Length);
        long tail = Tail;
        int termOffset = AeronPosition.TermOffset(tail, _termLength);
        if (termOffset + framed > _termLength)
        {
            // §B.3: PAD to the end of the term; the message starts at offset 0 of the next term.
            long termCount = tail >> _bits;
            int padLength = _termLength - termOffset;
            Span<byte> term = _log.TermFor(termCount);
            DataFrame.WriteHeader(term.Slice(termOffset), padLength, AeronFlags.Unfragmented, AeronFrameType.Pad, termOffset,
                                  SessionId, StreamId, AeronPosition.TermId(tail, _bits, InitialTermId));
            tail += padLength;
            termOffset = 0;
        }
        if (termOffset == 0) _log.TermFor(tail >> _bits).Clear();   // entering a term: its buffer held the term three back

        Span<byte> dst = _log.TermFor(tail >> _bits);
        int termId = AeronPosition.TermId(tail, _bits, InitialTermId);
        int remaining = message.Length;
        int sourceOffset = 0;
        byte flags = AeronFlags.Begin;
        do
        {
            int payload = Math.Min(remaining, _maxPayload);
            remaining -= payload;
            if (remaining == 0) flags |= AeronFlags.End;
            Span<byte> frame = dst.Slice(termOffset);
            message.Slice(sourceOffset, payload).CopyTo(frame.Slice(AeronLayout.Data.HeaderLength));
            DataFrame.WriteHeader(frame, 0, flags, AeronFrameType.Data, termOffset, SessionId, StreamId, termId, reservedValue);
            // frame_length last: a reader treats 0 as "not yet written" (§B.9); one thread here, but the order is Aeron's.
            BinaryPrimitives.WriteInt32LittleEndian(frame, payload + AeronLayout.Data.HeaderLength);
            termOffset += AeronLayout.Align(payload + AeronLayout.Data.HeaderLength);
            sourceOffset += payload;
            flags = 0;
        }
        while (remaining > 0);

        tail += framed;
        Tail = tail;
        return tail;
    }
}
