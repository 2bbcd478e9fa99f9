using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Wirespeed.Feeds.Aeron;

/// <summary>
/// The subscriber's copy of one publication (session, stream): AERON.md §B.9, §B.12 and §c "Receiver" 5–9.
/// Frames are placed at their term offsets in the term for their term count (3 terms, index = termCount % 3), only into
/// empty slots (so duplicates are idempotent). Positions:
/// <code>
///   subscriber position ≤ rebuild position ≤ high-water mark
///   (consumed)             (contiguous)       (highest seen, heartbeats included: reveals tail loss)
/// </code>
/// <see cref="Poll"/> delivers whole messages from the subscriber position up to the rebuild position, skipping PADs and
/// reassembling BEGIN..END; the first missing range between rebuild position and high-water mark is the gap to NAK
/// (<see cref="TryFindGap"/>). Entering a term zeroes the buffer that will next hold the term two ahead, which last held
/// a term already consumed. One thread; no allocation after construction.
/// </summary>
public sealed class AeronImage
{
    private readonly AeronTermLog _log;
    private int _termLength;
    private int _bits;
    private int _assembled = -1;             // bytes of the message being reassembled, -1 when none (join: wait for BEGIN)

    public AeronImage(AeronTermLog log) => _log = log ?? throw new ArgumentNullException(nameof(log));

    public int SessionId { get; private set; }
    public int StreamId { get; private set; }
    public int InitialTermId { get; private set; }
    public int TermLength => _termLength;
    public int PositionBits => _bits;
    public int Mtu { get; private set; }
    public long JoinPosition { get; private set; }
    public long SubscriberPosition { get; private set; }
    public long RebuildPosition { get; private set; }
    public long HighWaterMark { get; private set; }
    /// <summary>Position of the last status message sent: the receive window is anchored here (§B.9 over-run).</summary>
    public long LastStatusPosition { get; set; }
    /// <summary>Where the stream ends (EOS heartbeat), or -1.</summary>
    public long EndOfStreamPosition { get; private set; } = -1;
    /// <summary>Messages larger than the reassembly buffer, or fragments without their BEGIN (a join mid-message): dropped.</summary>
    public long DroppedFragments { get; private set; }
    /// <summary>Every byte up to the EOS position has been consumed.</summary>
    public bool IsEndOfStream => EndOfStreamPosition >= 0 && SubscriberPosition >= EndOfStreamPosition;

    /// <summary>Cold path (SETUP): (re)initialises the image at the join position (§B.4).</summary>
    public void Reset(int sessionId, int streamId, int initialTermId, int activeTermId, int termOffset, int termLength, int mtu)
    {
        _log.Reset(termLength);
        _termLength = termLength;
        _bits = AeronPosition.PositionBitsToShift(termLength);
        SessionId = sessionId;
        StreamId = streamId;
        InitialTermId = initialTermId;
        Mtu = mtu;
        long join = AeronPosition.Compute(activeTermId, termOffset, _bits, initialTermId);
        JoinPosition = SubscriberPosition = RebuildPosition = HighWaterMark = LastStatusPosition = join;
        EndOfStreamPosition = -1;
        DroppedFragments = 0;
        _assembled = -1;
    }

    /// <summary>
    /// Places one validated DATA, PAD or heartbeat frame (§B.9 acceptance window). <paramref name="frame"/> holds what the
    /// wire carried: frame_length bytes of DATA, or the 32-byte header of a PAD or heartbeat.
    /// </summary>
    public AeronInsertResult Insert(ReadOnlySpan<byte> frame, bool isHeartbeat)
    {
        var d = new DataFrame(frame);
        int termOffset = d.TermOffset;
        int termCount = AeronPosition.TermCount(d.TermId, InitialTermId);
        int frameLength = d.FrameLength;
        int span = AeronLayout.Align(frameLength);                   // bytes of the term the frame covers
        if (termCount < 0 || (termOffset & (AeronLayout.FrameAlignment - 1)) != 0 || (uint)termOffset > (uint)_termLength
            || span > _termLength - termOffset)
            return AeronInsertResult.BadPosition;
        long position = ((long)termCount << _bits) + termOffset;

        if (isHeartbeat)
        {
            if (position < LastStatusPosition - _termLength) return AeronInsertResult.Duplicate;
            if (position > HighWaterMark && position <= LastStatusPosition + (_termLength >> 1)) HighWaterMark = position;
            if ((d.Flags & AeronFlags.EndOfStream) != 0) EndOfStreamPosition = position;
            return AeronInsertResult.Heartbeat;
        }
        if (position + span <= SubscriberPosition) return AeronInsertResult.Duplicate;
        if (position + frame.Length > LastStatusPosition + (_termLength >> 1)) return AeronInsertResult.OverRun;

        Span<byte> dst = _log.TermFor(termCount).Slice(termOffset);
        if (BinaryPrimitives.ReadInt32LittleEndian(dst) != 0) return AeronInsertResult.Duplicate;
        frame.Slice(4).CopyTo(dst.Slice(4));
        BinaryPrimitives.WriteInt32LittleEndian(dst, frameLength);   // frame_length last: 0 means "slot empty"
        if (position + span > HighWaterMark) HighWaterMark = position + span;
        if (position == RebuildPosition) AdvanceRebuild();
        return AeronInsertResult.Inserted;
    }

    /// <summary>Moves the rebuild position over the frames now contiguous.</summary>
    private void AdvanceRebuild()
    {
        long rebuild = RebuildPosition;
        long hwm = HighWaterMark;
        while (rebuild < hwm)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(_log.TermFor(rebuild >> _bits).Slice(AeronPosition.TermOffset(rebuild, _termLength)));
            if (length <= 0) break;
            rebuild += AeronLayout.Align(length);
        }
        RebuildPosition = rebuild;
    }

    /// <summary>
    /// The first missing range between the rebuild position and the high-water mark (§B.12): from the first empty slot,
    /// in 32-byte steps, up to the next frame, the term end or the high-water mark. False when nothing is missing.
    /// </summary>
    public bool TryFindGap(out int termId, out int termOffset, out int length)
    {
        long start = RebuildPosition;
        termId = termOffset = length = 0;
        if (start >= HighWaterMark) return false;
        ReadOnlySpan<byte> term = _log.TermFor(start >> _bits);
        int offset = AeronPosition.TermOffset(start, _termLength);
        long termStart = start - offset;
        int limit = (int)Math.Min(_termLength, HighWaterMark - termStart);
        int end = offset + AeronLayout.FrameAlignment;
        while (end < limit && BinaryPrimitives.ReadInt32LittleEndian(term.Slice(end)) == 0) end += AeronLayout.FrameAlignment;
        termId = AeronPosition.TermId(start, _bits, InitialTermId);
        termOffset = offset;
        length = Math.Min(end, limit) - offset;
        return true;
    }

    /// <summary>
    /// Unreliable mode (§B.12): writes a PAD over the gap that starts at the rebuild position, so the image moves on past
    /// it; returns the bytes skipped, or 0 when the gap is not at the rebuild position (already repaired, or stale).
    /// A message whose fragments the gap cut is dropped when its remains are polled (the PAD ends any reassembly).
    /// </summary>
    public int FillGap(int termId, int termOffset, int length)
    {
        long position = AeronPosition.Compute(termId, termOffset, _bits, InitialTermId);
        if (position != RebuildPosition || length <= 0 || (length & (AeronLayout.FrameAlignment - 1)) != 0 || termOffset + length > _termLength)
            return 0;
        Span<byte> dst = _log.TermFor(position >> _bits).Slice(termOffset);
        if (BinaryPrimitives.ReadInt32LittleEndian(dst) != 0) return 0;
        DataFrame.WriteHeader(dst, 0, AeronFlags.Unfragmented, AeronFrameType.Pad, termOffset, SessionId, StreamId, termId);
        BinaryPrimitives.WriteInt32LittleEndian(dst, length);        // frame_length last, as Insert does
        if (position + length > HighWaterMark) HighWaterMark = position + length;
        AdvanceRebuild();
        return length;
    }

    /// <summary>
    /// Delivers whole messages from the subscriber position up to the rebuild position, consuming at most
    /// <paramref name="fragmentLimit"/> frames (PADs included, as Aeron counts them). Returns the frames consumed.
    /// </summary>
    public int Poll<THandler>(ref THandler handler, int fragmentLimit) where THandler : struct, IAeronMessageHandler
    {
        int fragments = 0;
        long position = SubscriberPosition;
        long rebuild = RebuildPosition;
        while (fragments < fragmentLimit && position < rebuild)
        {
            long termCount = position >> _bits;
            int termOffset = AeronPosition.TermOffset(position, _termLength);
            ReadOnlySpan<byte> frame = _log.TermFor(termCount).Slice(termOffset);
            var d = new DataFrame(frame);
            int frameLength = d.FrameLength;
            long next = position + AeronLayout.Align(frameLength);
            if (d.Type == AeronFrameType.Data) Deliver(ref handler, frame.Slice(0, frameLength), next);
            else if (_assembled >= 0)
            {
                // A PAD inside a fragmented message: only a filled gap puts one there (a publisher pads between messages).
                DroppedFragments++;
                _assembled = -1;
            }
            if ((next >> _bits) != termCount) EnterTerm(next >> _bits);
            position = next;
            SubscriberPosition = next;
            fragments++;
        }
        return fragments;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Deliver<THandler>(ref THandler handler, ReadOnlySpan<byte> frame, long next) where THandler : struct, IAeronMessageHandler
    {
        var d = new DataFrame(frame);
        byte flags = d.Flags;
        ReadOnlySpan<byte> payload = frame.Slice(AeronLayout.Data.HeaderLength);
        if ((flags & AeronFlags.Unfragmented) == AeronFlags.Unfragmented)
        {
            var header = new AeronHeader(d.SessionId, d.StreamId, d.TermId, d.TermOffset, next, flags, d.ReservedValue, frame.Length);
            handler.OnMessage(payload, in header);
            return;
        }
        Span<byte> assembly = _log.Assembly;
        if ((flags & AeronFlags.Begin) != 0) _assembled = 0;
        else if (_assembled < 0) { DroppedFragments++; return; }      // a join mid-message: wait for the next BEGIN
        if (payload.Length > assembly.Length - _assembled)
        {
            DroppedFragments++;
            _assembled = -1;
            return;
        }
        payload.CopyTo(assembly.Slice(_assembled));
        _assembled += payload.Length;
        if ((flags & AeronFlags.End) != 0)
        {
            var header = new AeronHeader(d.SessionId, d.StreamId, d.TermId, d.TermOffset, next, AeronFlags.Unfragmented, d.ReservedValue, frame.Length);
            int length = _assembled;
            _assembled = -1;
            handler.OnMessage(assembly.Slice(0, length), in header);
        }
    }

    /// <summary>The subscriber entered term <paramref name="termCount"/>: zero the buffer of term count + 2 (it held count − 1).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnterTerm(long termCount) => _log.TermFor(termCount + 2).Clear();
}
