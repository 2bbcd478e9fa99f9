using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Wirespeed.Feeds.Itch;

/// <summary>What the session decided about one packet header.</summary>
public enum MoldVerdict : byte
{
    /// <summary>Deliver the packet's messages from index <c>skip</c> on.</summary>
    Deliver = 0,
    /// <summary>Heartbeat (count 0): nothing to deliver; a gap it revealed has been recorded.</summary>
    Heartbeat = 1,
    /// <summary>End of session (count 0xFFFF): nothing to deliver.</summary>
    EndOfSession = 2,
    /// <summary>Every message already delivered: drop.</summary>
    Duplicate = 3,
    /// <summary>Another session than the established one: drop and quarantine.</summary>
    WrongSession = 4,
    /// <summary>sequence + count overflows 64 bits: drop and quarantine; sequencing is untouched.</summary>
    MalformedSequence = 5,
    /// <summary>Sequence further ahead than <see cref="MoldSessionOptions.MaxGapMessages"/> and unconfirmed: drop and
    /// quarantine; sequencing is untouched.</summary>
    SuspectJump = 6,
}

/// <summary>What a line does when a packet names a session other than the established one (before end of session).</summary>
public enum SessionChangePolicy : byte
{
    /// <summary>Count it as WrongSession and quarantine it; the line stays on its session. Default.</summary>
    Reject = 0,
    /// <summary>Adopt the new session: sequencing restarts at the packet's sequence and every book is flagged stale.</summary>
    Follow = 1,
}

/// <summary>A range of messages the line did not receive.</summary>
public readonly record struct MoldGap(ulong FirstMissing, ulong Count, long DetectedAtNs);

/// <summary>Sequencing options of one MoldUDP64 line; validated once at construction.</summary>
public sealed record MoldSessionOptions
{
    /// <summary>When false, every packet is delivered whole, in arrival order, without duplicate or gap detection
    /// (for captures whose sequence numbers are zeroed). Default: true.</summary>
    public bool CheckSequence { get; init; } = true;
    /// <summary>First sequence the line expects; 0 adopts the first packet's sequence (joining mid-session).
    /// MoldUDP64 numbers the first message of a session 1. Default: 0.</summary>
    public ulong InitialSequence { get; init; }
    /// <summary>Default: Reject.</summary>
    public SessionChangePolicy SessionChange { get; init; } = SessionChangePolicy.Reject;
    /// <summary>Gap records kept until <see cref="MoldSession.TryTakeGap"/> takes them; power of two. Default: 64.</summary>
    public int GapQueueCapacity { get; init; } = 64;
    /// <summary>
    /// The MoldUDP64 session this line belongs to (the 10-byte header field, MoldUDP64 1.00 §"Downstream packets").
    /// When set, only packets of this session are accepted: any other is counted as WrongSession and quarantined, and
    /// the session is never adopted from the wire (neither at start, nor after end of session, nor under
    /// <see cref="SessionChangePolicy.Follow"/>). 1 to 10 printable ASCII characters; a shorter value is right-padded
    /// with spaces to 10, as NASDAQ pads its session names, so "20261124" means "20261124  ".
    /// Empty (default): the first packet's session is adopted. That is a risk on a live line: a stray first packet
    /// (another feed on the same group, a test sender, a corrupt header) captures the line and every genuine packet is
    /// then rejected as WrongSession. Configure the session in production.
    /// </summary>
    public string ExpectedSession { get; init; } = "";
    /// <summary>
    /// Largest forward jump (messages skipped) taken on a single packet's word. A packet (or heartbeat) further ahead is
    /// suspect, most likely a corrupt sequence number: it is counted (SuspectJumps), quarantined, and does not move the
    /// expected sequence, so one bad header cannot make the line discard everything that follows as duplicates. If the
    /// next forward packet starts at or beyond the suspect one's end, the jump is confirmed: the gap from the expected
    /// sequence to that packet is recorded and the line carries on from it (the suspect packet's messages lie inside
    /// that gap, for recovery). 0 = unlimited. Default: 2^24 = 16,777,216: a corrupt sequence (random bytes, or a bit
    /// flipped anywhere in bits 24-63) is caught, while a genuine outage of minutes on a busy NASDAQ line is not
    /// refused (the shared capture MultipleMessages.pcap holds two packets of one session 4.2M messages apart).
    /// </summary>
    public ulong MaxGapMessages { get; init; } = 1UL << 24;

    public MoldSessionOptions Validated()
    {
        if (ExpectedSession is null || ExpectedSession.Length > MoldPacketReader.SessionLength)
            throw new ArgumentException($"{nameof(ExpectedSession)}='{ExpectedSession}': session must be at most {MoldPacketReader.SessionLength} characters (shorter ones are right-padded with spaces), e.g. \"000123456A\".", nameof(ExpectedSession));
        foreach (char c in ExpectedSession)
            if (c < 0x20 || c > 0x7E)
                throw new ArgumentException($"{nameof(ExpectedSession)}='{ExpectedSession}': session must be printable ASCII, e.g. \"000123456A\".", nameof(ExpectedSession));
        if (GapQueueCapacity <= 0 || (GapQueueCapacity & (GapQueueCapacity - 1)) != 0)
            throw new ArgumentException($"{nameof(GapQueueCapacity)}={GapQueueCapacity} must be a positive power of two, e.g. 64.", nameof(GapQueueCapacity));
        return this;
    }
}

/// <summary>
/// Sequencing state of one MoldUDP64 line: established session, next expected sequence, gaps and staleness.
/// </summary>
/// <remarks>
/// Policy (MoldUDP64 1.00): the first packet establishes the session and, unless
/// <see cref="MoldSessionOptions.InitialSequence"/> is set, the expected sequence. A packet at the expected sequence is
/// delivered. A packet wholly below it is a duplicate (dropped, counted). A packet overlapping it is delivered from the
/// first new message. A packet (or heartbeat, or end of session, whose sequence is the next one the server will send)
/// above it is a gap: the missing range is counted, queued as a <see cref="MoldGap"/> for the recovery stage, the line
/// is flagged <see cref="IsStale"/>, and delivery goes on from the packet. A packet overtaken by a later one (it
/// arrives behind the expected sequence) delivers, flagged Late, the messages that lie inside an open gap record and
/// shrinks or splits that record (<see cref="TryFillLate"/>); only messages outside every open record are duplicates.
/// A packet with sequence + count past 2^64 is malformed, and one further ahead than
/// <see cref="MoldSessionOptions.MaxGapMessages"/> is suspect until the next forward packet confirms it; neither moves
/// the expected sequence. Staleness clears through <see cref="ClearStale"/> (called by recovery once the range is
/// filled, or by an operator decision), or by itself when late packets filled every open gap record.
/// After end of session the next packet from a different session is adopted (counted in SessionChanges) and expected
/// to start at sequence 1 (a first packet at k &gt; 1 records the gap [1, k)); before it,
/// a different session follows <see cref="MoldSessionOptions.SessionChange"/>. With
/// <see cref="MoldSessionOptions.ExpectedSession"/> set, no other session is ever accepted or adopted.
/// Single-threaded: owned by the decode thread. No allocation after construction.
/// </remarks>
public sealed class MoldSession
{
    private readonly MoldSessionOptions _options;
    private readonly byte[] _session = new byte[MoldPacketReader.SessionLength];
    private readonly byte[]? _expected; // configured session, space padded; null = adopt from the wire
    private readonly MoldGap[] _gaps;
    private readonly byte[] _foreign = new byte[MoldPacketReader.SessionLength]; // the first rejected session, for the operator
    private int _foreignRecorded; // 1 once _foreign is written; read by the monitor thread
    private long _gapHead;  // next to take
    private long _gapTail;  // next to write
    private bool _hasSuspect;  // a far jump was refused; the next forward packet may confirm it
    private ulong _suspectEnd; // sequence after the refused packet
    private long _fillFrom;    // first queue index of the current session: older records cannot be filled by late packets
    private bool _needsRecovery; // a gap left the queue unfilled (taken, overwritten, unsplittable) or a session changed unannounced

    public MoldSession(MoldSessionOptions? options = null, MoldCounters? counters = null)
    {
        _options = (options ?? new MoldSessionOptions()).Validated();
        _gaps = new MoldGap[_options.GapQueueCapacity];
        if (_options.ExpectedSession.Length != 0)
        {
            _expected = new byte[MoldPacketReader.SessionLength];
            _expected.AsSpan().Fill((byte)' ');
            for (int i = 0; i < _options.ExpectedSession.Length; i++) _expected[i] = (byte)_options.ExpectedSession[i];
        }
        Counters = counters ?? new MoldCounters();
    }

    public MoldCounters Counters { get; }
    public MoldSessionOptions Options => _options;
    /// <summary>True once a packet has fixed the session.</summary>
    public bool IsEstablished { get; private set; }
    /// <summary>True after an end-of-session packet, until another session is adopted.</summary>
    public bool HasEnded { get; private set; }
    /// <summary>
    /// True after any gap or loss: books built from this line are not to be trusted. Cleared by <see cref="ClearStale"/>,
    /// or automatically when late (out-of-order) packets have filled every gap record of the queue, provided no record
    /// left the queue unfilled since the last clear (taken by recovery, overwritten, or unsplittable) and the session did
    /// not change unannounced: then nothing was lost, only reordered.
    /// </summary>
    public bool IsStale { get; private set; }
    /// <summary>Sequence of the next message the line expects.</summary>
    public ulong NextExpected { get; private set; }
    /// <summary>The established session (10 bytes; empty before establishment).</summary>
    public ReadOnlySpan<byte> SessionId => IsEstablished ? _session : ReadOnlySpan<byte>.Empty;
    /// <summary>Gap records waiting to be taken.</summary>
    public int PendingGaps => (int)(_gapTail - _gapHead);
    /// <summary>
    /// Set by <see cref="OnPacket"/> on a Deliver verdict for a packet that starts behind the expected sequence and
    /// overlaps an open gap record: messages with sequences below it must each go through <see cref="TryFillLate"/>
    /// (deliver those it accepts, flagged Late; drop the others as duplicates). 0 otherwise.
    /// </summary>
    public ulong LateUntil { get; private set; }

    /// <summary>
    /// Decides what to do with a packet whose header is (<paramref name="session"/>, <paramref name="sequence"/>,
    /// <paramref name="count"/>). On Deliver, <paramref name="skip"/> is how many leading messages are duplicates.
    /// </summary>
    public MoldVerdict OnPacket(ReadOnlySpan<byte> session, ulong sequence, ushort count, long receiveTimestampNs, out int skip)
    {
        skip = 0;
        LateUntil = 0;
        bool isData = count != MoldPacketReader.HeartbeatCount && count != MoldPacketReader.EndOfSessionCount;
        if (isData && sequence > ulong.MaxValue - count)
        {
            Counters.MalformedSequence++; // no session numbers 2^64 messages: the header is corrupt
            return MoldVerdict.MalformedSequence;
        }
        if (_expected is not null && !session.SequenceEqual(_expected))
        {
            if (Counters.WrongSession == 0) RecordForeign(session);
            Counters.WrongSession++; // a configured session is never replaced from the wire
            return MoldVerdict.WrongSession;
        }
        if (!IsEstablished)
        {
            Establish(session, sequence, sessionChange: false);
        }
        else if (!session.SequenceEqual(_session))
        {
            if (!HasEnded && _options.SessionChange == SessionChangePolicy.Reject)
            {
                if (Counters.WrongSession == 0) RecordForeign(session);
                Counters.WrongSession++;
                return MoldVerdict.WrongSession;
            }
            Counters.SessionChanges++;
            if (!HasEnded) { IsStale = true; _needsRecovery = true; } // an unannounced switch: what the old session still owed is lost
            Establish(session, sequence, sessionChange: true);
        }

        if (!isData)
        {
            // Both carry the sequence of the next message the server will send: a higher one reveals lost messages.
            if (_options.CheckSequence && sequence >= NextExpected && !AcceptForward(sequence, sequence)) return MoldVerdict.SuspectJump;
            if (_options.CheckSequence && sequence > NextExpected)
            {
                RecordGap(NextExpected, sequence - NextExpected, receiveTimestampNs, packetGap: true);
                NextExpected = sequence;
            }
            if (count == MoldPacketReader.HeartbeatCount) { Counters.Heartbeats++; return MoldVerdict.Heartbeat; }
            Counters.EndOfSession++;
            HasEnded = true;
            return MoldVerdict.EndOfSession;
        }

        ulong end = sequence + count; // sequence of the message after this packet; cannot overflow (checked above)
        if (_options.CheckSequence && sequence >= NextExpected && !AcceptForward(sequence, end)) return MoldVerdict.SuspectJump;
        Counters.DataPackets++;
        Counters.AnnouncedMessages += count;
        if (!_options.CheckSequence) return MoldVerdict.Deliver;

        if (sequence < NextExpected && _gapTail != _gapHead)
        {
            // Out of order: a packet overtaken by a later one fills (part of) the gap the later one opened.
            ulong lateEnd = Math.Min(end, NextExpected);
            if (HasOpenGapIn(sequence, lateEnd))
            {
                Counters.LateFills++;
                LateUntil = lateEnd;
                if (end > NextExpected) NextExpected = end;
                return MoldVerdict.Deliver;
            }
        }
        if (end <= NextExpected)
        {
            Counters.DuplicatePackets++;
            Counters.DuplicateMessages += count;
            return MoldVerdict.Duplicate;
        }
        if (sequence < NextExpected)
        {
            skip = (int)(NextExpected - sequence); // < count because end > NextExpected
            Counters.DuplicateMessages += skip;
        }
        else if (sequence > NextExpected)
        {
            RecordGap(NextExpected, sequence - NextExpected, receiveTimestampNs, packetGap: true);
        }
        NextExpected = end;
        return MoldVerdict.Deliver;
    }

    /// <summary>
    /// Decides whether a packet at or ahead of the expected sequence may move it: within
    /// <see cref="MoldSessionOptions.MaxGapMessages"/>, or confirming a refused far jump. Otherwise the packet becomes
    /// the suspect one (replacing any earlier suspect) and is refused.
    /// </summary>
    private bool AcceptForward(ulong sequence, ulong end)
    {
        ulong max = _options.MaxGapMessages;
        if (max == 0 || sequence - NextExpected <= max)
        {
            _hasSuspect = false; // the line goes on where we were: the far packet was corrupt
            return true;
        }
        if (_hasSuspect && sequence >= _suspectEnd)
        {
            _hasSuspect = false;
            Counters.ConfirmedJumps++;
            return true;
        }
        _hasSuspect = true;
        _suspectEnd = end;
        Counters.SuspectJumps++;
        return false;
    }

    /// <summary>
    /// Reports messages the line received but could not use (broken framing, no room for output): they are counted
    /// and queued as a gap exactly like lost packets, so that recovery re-requests them.
    /// </summary>
    public void ReportLoss(ulong firstMissing, ulong count, long receiveTimestampNs)
    {
        if (count == 0) return;
        RecordGap(firstMissing, count, receiveTimestampNs, packetGap: false); // loss inside a received packet
    }

    /// <summary>
    /// Takes the oldest gap record not yet taken. From then on recovery owns that range: a live packet arriving later
    /// with messages in it counts them as duplicates (recovery delivers them), and staleness waits for
    /// <see cref="ClearStale"/>.
    /// </summary>
    public bool TryTakeGap(out MoldGap gap)
    {
        if (_gapHead == _gapTail) { gap = default; return false; }
        gap = _gaps[_gapHead & (_gaps.Length - 1)];
        _gapHead++;
        _needsRecovery = true;
        return true;
    }

    /// <summary>
    /// For a message of a packet below <see cref="LateUntil"/>: true when <paramref name="sequence"/> lies in an open gap
    /// record of the current session (the record is shrunk, split or removed, counted in LateMessages); false when it
    /// was already delivered (counted in DuplicateMessages). Allocation-free: a split takes a free slot of the gap ring;
    /// with none free the record is kept whole and GapSplitsDropped is counted.
    /// </summary>
    public bool TryFillLate(ulong sequence)
    {
        int mask = _gaps.Length - 1;
        for (long i = Math.Max(_fillFrom, _gapHead); i < _gapTail; i++)
        {
            MoldGap g = _gaps[i & mask];
            if (sequence < g.FirstMissing || sequence - g.FirstMissing >= g.Count) continue;
            Counters.LateMessages++;
            ulong last = g.FirstMissing + g.Count - 1;
            if (g.Count == 1)
            {
                for (long j = i; j < _gapTail - 1; j++) _gaps[j & mask] = _gaps[(j + 1) & mask];
                _gapTail--;
                if (_gapTail == _gapHead && !_needsRecovery) IsStale = false; // everything missing arrived, only reordered
            }
            else if (sequence == g.FirstMissing) _gaps[i & mask] = g with { FirstMissing = sequence + 1, Count = g.Count - 1 };
            else if (sequence == last) _gaps[i & mask] = g with { Count = g.Count - 1 };
            else if (_gapTail - _gapHead == _gaps.Length)
            {
                Counters.GapSplitsDropped++;
                _needsRecovery = true;
            }
            else
            {
                for (long j = _gapTail; j > i + 1; j--) _gaps[j & mask] = _gaps[(j - 1) & mask];
                _gapTail++;
                _gaps[i & mask] = g with { Count = sequence - g.FirstMissing };
                _gaps[(i + 1) & mask] = g with { FirstMissing = sequence + 1, Count = last - sequence };
            }
            return true;
        }
        Counters.DuplicateMessages++;
        return false;
    }

    private bool HasOpenGapIn(ulong first, ulong endExclusive)
    {
        int mask = _gaps.Length - 1;
        for (long i = Math.Max(_fillFrom, _gapHead); i < _gapTail; i++)
        {
            MoldGap g = _gaps[i & mask];
            if (g.FirstMissing < endExclusive && first < g.FirstMissing + g.Count) return true;
        }
        return false;
    }

    /// <summary>Declares the books of this line trustworthy again (recovery filled every gap, or a snapshot was applied).</summary>
    public void ClearStale()
    {
        IsStale = false;
        _needsRecovery = false;
    }

    /// <summary>
    /// The session named by the first packet this line rejected as another session's (WrongSession), printable
    /// (anything else as '?'); null while there was none. Any thread (cold path: allocates the string).
    /// </summary>
    public string? FirstForeignSession
    {
        get
        {
            if (Volatile.Read(ref _foreignRecorded) == 0) return null; // acquire: pairs with the release in RecordForeign
            var chars = new char[_foreign.Length];
            for (int i = 0; i < chars.Length; i++) chars[i] = _foreign[i] is >= 0x20 and <= 0x7E ? (char)_foreign[i] : '?';
            return new string(chars);
        }
    }

    /// <summary>Forgets the session (next packet establishes one); counters and queued gaps are kept.</summary>
    public void Reset()
    {
        IsEstablished = false;
        _hasSuspect = false;
        _fillFrom = _gapTail;
        HasEnded = false;
        NextExpected = 0;
    }

    /// <summary>Once per line: keeps the first foreign session for <see cref="FirstForeignSession"/>. No allocation.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordForeign(ReadOnlySpan<byte> session)
    {
        if (_foreignRecorded != 0) return;
        session.Slice(0, MoldPacketReader.SessionLength).CopyTo(_foreign);
        Volatile.Write(ref _foreignRecorded, 1); // release: the bytes are visible before the flag
    }

    private void Establish(ReadOnlySpan<byte> session, ulong sequence, bool sessionChange)
    {
        session.Slice(0, MoldPacketReader.SessionLength).CopyTo(_session);
        IsEstablished = true;
        HasEnded = false;
        _fillFrom = _gapTail; // sequences of another session's gaps mean nothing in this one
        // A session we watched begin (after end of session, or a followed change) numbers its first message 1
        // (MoldUDP64 1.00): a first packet above 1 means the head of the new session was lost.
        NextExpected = sessionChange ? 1 : _options.InitialSequence != 0 ? _options.InitialSequence : sequence;
    }

    private void RecordGap(ulong first, ulong count, long receiveTimestampNs, bool packetGap)
    {
        if (packetGap) Counters.GapPackets++;
        Counters.GapMessages += (long)Math.Min(count, (ulong)long.MaxValue);
        IsStale = true;
        if (_gapTail - _gapHead == _gaps.Length)
        {
            _gapHead++; // keep the newest: the oldest range is the likeliest to be beyond the retransmission window
            Counters.GapRecordsOverwritten++;
            _needsRecovery = true;
        }
        _gaps[_gapTail & (_gaps.Length - 1)] = new MoldGap(first, count, receiveTimestampNs);
        _gapTail++;
    }
}
