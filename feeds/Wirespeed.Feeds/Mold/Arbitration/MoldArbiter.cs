using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Wirespeed.Feeds.Itch;

namespace Wirespeed.Feeds.Mold.Arbitration;

/// <summary>
/// A/B arbitration of one MoldUDP64 line, before decode: packets of side A, side B and the retransmission server go in;
/// each message comes out once, in sequence order, to a struct handler.
/// </summary>
/// <remarks>
/// Exchanges send each MoldUDP64 session twice, identical packets on two lines; the first copy of each sequence wins.
/// MoldUDP64 1.00, "Downstream Packets": the header's sequence is that of the packet's first message, the count says how
/// many message blocks follow, so a packet covers [sequence, sequence + count).
/// <list type="bullet">
/// <item>A packet wholly below the expected sequence is the losing (late) copy: dropped, counted as a duplicate of its
/// side, and timed against the winning copy (how far that side trails).</item>
/// <item>A packet overlapping the expected sequence is partially obsolete: its leading messages are skipped, the new
/// ones delivered.</item>
/// <item>A packet ahead of the expected sequence is held in the reorder window (preallocated slots) and released, in
/// order, once the range before it arrives; with the window full it is dropped and its range stays missing.</item>
/// <item>Missing ranges (between the expected sequence, the held packets, and the highest sequence any packet,
/// heartbeat or end of session announced) that neither side fills within <see cref="MoldArbiterOptions.GapWaitNs"/>
/// are handed to the <typeparamref name="TRequester"/> as (session, first, count), once; its responses come back
/// through <see cref="OnPacket"/> as <see cref="MoldSource.Retransmission"/> and merge like any copy: a response after
/// the live copy is a duplicate, one that fills part of a gap delivers that part.</item>
/// <item>Heartbeats (count 0) and end of session (count 0xFFFF) carry the next sequence the server will send
/// (MoldUDP64 1.00, "Heartbeats", "End of Session"): a higher one reveals lost messages. While end-of-session packets
/// persist, re-requests are still made on the current session. After end of session, a packet of another session
/// starts the next one, whose first message is sequence 1: the window is emptied (counted as stranded) and
/// sequencing restarts. Before end of session, another session is foreign traffic, counted and dropped; a
/// retransmission for a session the line has left is dropped the same way.</item>
/// <item>A block whose length breaks the framing stops delivery at the last good message: the rest stays missing, so
/// the other side's copy or a request fills it.</item>
/// </list>
/// Single-threaded (the receiving worker); no locks; no allocation after construction.
/// </remarks>
public sealed class MoldArbiter<THandler, TRequester>
    where THandler : struct, IMoldMessageHandler
    where TRequester : struct, IGapRequester
{
    private const int SessionLength = MoldPacketReader.SessionLength;
    private THandler _handler;       // mutable struct: never readonly
    private TRequester _requester;   // mutable struct: never readonly
    private readonly MoldArbiterOptions _options;
    private readonly ReorderWindow _window;
    private readonly byte[] _session = new byte[SessionLength];
    private readonly ulong[] _trailSequence;   // first sequence of a recent winning packet
    private readonly long[] _trailRxNs;        // when it arrived
    private readonly MoldSource[] _trailWinner;
    private readonly ulong[] _sideEnd = new ulong[2]; // per live side: the sequence after the highest it carried
    private ulong _next;             // next sequence to deliver
    private ulong _highWater;        // sequence after the highest message known to exist
    private ulong _requestedUntil;   // missing ranges below this were handed to the requester
    private bool _waiting;           // an unrequested missing range exists since _waitSinceNs
    private long _waitSinceNs;

    public MoldArbiter(THandler handler, TRequester requester, MoldArbiterOptions? options = null, MoldArbiterCounters? counters = null)
    {
        _handler = handler;
        _requester = requester;
        _options = (options ?? new MoldArbiterOptions()).Validated();
        _window = new ReorderWindow(_options.ReorderSlots, _options.MaxPacketBytes);
        _trailSequence = new ulong[_options.TrailSlots];
        _trailRxNs = new long[_options.TrailSlots];
        _trailWinner = new MoldSource[_options.TrailSlots];
        Counters = counters ?? new MoldArbiterCounters();
    }

    public MoldArbiterCounters Counters { get; }
    public MoldArbiterOptions Options => _options;
    /// <summary>The handler (by reference: it is a mutable struct).</summary>
    public ref THandler Handler => ref _handler;
    /// <summary>The requester (by reference: it is a mutable struct).</summary>
    public ref TRequester Requester => ref _requester;
    /// <summary>True once a packet has fixed the session.</summary>
    public bool IsEstablished { get; private set; }
    /// <summary>True after an end-of-session packet, until the next session starts.</summary>
    public bool HasEnded { get; private set; }
    /// <summary>Sequence of the next message to deliver.</summary>
    public ulong NextExpected => _next;
    /// <summary>Sequence after the highest message known to exist (announced by a packet, heartbeat or end of session).</summary>
    public ulong HighWater => _highWater;
    /// <summary>Messages known to exist and not delivered yet (held or missing).</summary>
    public ulong Outstanding => _highWater - _next;
    /// <summary>Packets held in the reorder window now.</summary>
    public int HeldPackets => _window.Count;
    /// <summary>The line's session (10 bytes; empty before the first packet).</summary>
    public ReadOnlySpan<byte> SessionId => IsEstablished ? _session : ReadOnlySpan<byte>.Empty;

    /// <summary>
    /// One packet from <paramref name="source"/>, received at <paramref name="rxNs"/> (monotonic ns, the clock of
    /// <see cref="Poll"/>). The packet's bytes are needed only during the call (a held packet is copied).
    /// </summary>
    public ArbiterVerdict OnPacket(ReadOnlySpan<byte> packet, MoldSource source, long rxNs)
    {
        MoldSideCounters side = Counters.Sides[(int)source];
        side.Packets++;
        if (packet.Length < MoldPacketReader.HeaderSize) { side.Malformed++; return ArbiterVerdict.Malformed; }
        ReadOnlySpan<byte> session = packet.Slice(0, SessionLength);
        ulong sequence = BinaryPrimitives.ReadUInt64BigEndian(packet.Slice(MoldPacketReader.SequenceOffset));
        ushort count = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(MoldPacketReader.CountOffset));
        bool isData = count != MoldPacketReader.HeartbeatCount && count != MoldPacketReader.EndOfSessionCount;
        if (isData && sequence > ulong.MaxValue - count) { side.Malformed++; return ArbiterVerdict.Malformed; }

        if (!IsEstablished || !session.SequenceEqual(_session))
        {
            // Only a live line starts a session: a retransmission is an answer about one we already follow.
            if (source == MoldSource.Retransmission || (IsEstablished && !HasEnded)) { side.ForeignSession++; return ArbiterVerdict.ForeignSession; }
            StartSession(session, sequence);
        }

        ulong end = isData ? sequence + count : sequence;
        if (source != MoldSource.Retransmission) CountSideSequence(side, source, sequence, end);
        if (!isData)
        {
            if (count == MoldPacketReader.HeartbeatCount) side.Heartbeats++;
            else { side.EndOfSession++; HasEnded = true; }
            if (sequence > _highWater) _highWater = sequence; // the server's next sequence: everything below it exists
            CheckGap(rxNs);
            return count == MoldPacketReader.HeartbeatCount ? ArbiterVerdict.Heartbeat : ArbiterVerdict.EndOfSession;
        }

        if (end > _highWater) _highWater = end;
        ArbiterVerdict verdict;
        if (end <= _next)
        {
            side.Duplicates++;
            TimeLateCopy(side, source, sequence, rxNs);
            verdict = ArbiterVerdict.Duplicate;
        }
        else if (sequence > _next)
        {
            if (_window.FindCovering(sequence, end) >= 0)
            {
                side.Duplicates++;
                TimeLateCopy(side, source, sequence, rxNs);
                verdict = ArbiterVerdict.Duplicate;
            }
            else if (_window.TryHold(packet, sequence, end, source, rxNs)) { side.Held++; verdict = ArbiterVerdict.Held; }
            else { side.WindowFull++; verdict = ArbiterVerdict.WindowFull; }
        }
        else
        {
            verdict = Deliver(packet, sequence, count, source, side, rxNs, late: source == MoldSource.Retransmission)
                ? ArbiterVerdict.Delivered : ArbiterVerdict.Duplicate;
            if (_window.Count != 0) Release();
        }
        CheckGap(rxNs);
        return verdict;
    }

    /// <summary>
    /// Timer tick with no packet (call it from the worker's idle loop, at least every <see cref="MoldArbiterOptions.GapWaitNs"/>):
    /// requests a missing range whose wait has run out. Returns the number of ranges requested.
    /// </summary>
    public int Poll(long nowNs)
    {
        long before = Counters.Requests;
        CheckGap(nowNs);
        return (int)(Counters.Requests - before);
    }

    /// <summary>
    /// Cold path: gives up every message below <paramref name="sequence"/> that has not been delivered (recovered another
    /// way, e.g. a snapshot, or declared lost) and carries on from it, releasing what the window holds beyond.
    /// </summary>
    public void ResumeAt(ulong sequence)
    {
        if (sequence <= _next) return;
        Counters.MessagesAbandoned += (long)(sequence - _next);
        _next = sequence;
        if (_highWater < _next) _highWater = _next;
        _requester.OnProgress(_next);
        Release();
    }

    /// <summary>
    /// Offers every missing range to the requester again after the next gap wait, as if none had been requested: for a
    /// requester that gave one up (its server stayed silent through every retry) and dropped the requests behind it, so
    /// that the line keeps asking until the server answers, the first missing range first.
    /// </summary>
    public void RequestAgain()
    {
        _requestedUntil = _next;   // every missing range is asked again, the first one first (the requester dropped them all)
        _waiting = false;
    }

    // Delivers the messages of a packet from _next on. True when at least one was new.
    private bool Deliver(ReadOnlySpan<byte> packet, ulong sequence, ushort count, MoldSource source, MoldSideCounters side, long rxNs, bool late)
    {
        var reader = new MoldPacketReader(packet);
        ulong s = sequence;
        long delivered = 0;
        for (int i = 0; i < count; i++, s++)
        {
            if (reader.TryRead(out ReadOnlySpan<byte> message) != DecodeStatus.Ok)
            {
                side.Malformed++; // framing lost: what follows stays missing for the other copy or a request
                break;
            }
            if (s < _next) continue;
            _handler.OnMessage(message, s, source, late);
            _next = s + 1;
            delivered++;
        }
        if (delivered == 0)
        {
            side.Duplicates++;
            return false;
        }
        long skipped = (long)(_next - sequence) - delivered;
        if (skipped > 0) { side.PartialPackets++; side.ObsoleteMessages += skipped; }
        side.Wins++;
        side.MessagesWon += delivered;
        Counters.Delivered += delivered;
        if (late) Counters.ReorderedMessages += source == MoldSource.Retransmission ? 0 : delivered;
        int t = (int)(sequence & (ulong)(_trailSequence.Length - 1));
        _trailSequence[t] = sequence;
        _trailRxNs[t] = rxNs;
        _trailWinner[t] = source;
        _requester.OnProgress(_next);
        return true;
    }

    // Releases held packets that the expected sequence has reached, in order; frees those made obsolete. The window is
    // sorted by start: only its first packet can be due.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Release()
    {
        while (_window.Count != 0)
        {
            int slot = _window.First;
            if (_window.Start(slot) > _next) return;
            MoldSource source = _window.Source(slot);
            if (_window.End(slot) <= _next)
            {
                Counters.Sides[(int)source].Duplicates++; // the other copy (or a response) won while this one waited
            }
            else
            {
                ReadOnlySpan<byte> packet = _window.Packet(slot);
                ushort count = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(MoldPacketReader.CountOffset));
                Deliver(packet, _window.Start(slot), count, source, Counters.Sides[(int)source], _window.RxNs(slot), late: true);
            }
            _window.RemoveFirst();
        }
    }

    // Hands the missing ranges not yet requested to the requester once they have waited GapWaitNs.
    private void CheckGap(long nowNs)
    {
        if (_requestedUntil < _next) _requestedUntil = _next;
        if (_requestedUntil >= _highWater)
        {
            _waiting = false;
            return;
        }
        if (!_waiting)
        {
            _waiting = true;
            _waitSinceNs = nowNs;
        }
        if (nowNs - _waitSinceNs >= _options.GapWaitNs) RequestMissing(nowNs);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RequestMissing(long nowNs)
    {
        ulong cursor = _requestedUntil;
        while (cursor < _highWater)
        {
            int held = _window.FindCovering(cursor, cursor + 1);
            if (held >= 0) { cursor = _window.End(held); continue; }
            ulong holeEnd = Math.Min(_highWater, _window.NextStartAfter(cursor));
            if (!_requester.TryRequest(_session, cursor, holeEnd - cursor, nowNs))
            {
                Counters.RequestsRefused++;
                _requestedUntil = cursor;
                _waitSinceNs = nowNs; // offered again after another wait
                return;
            }
            Counters.Requests++;
            Counters.MessagesRequested += (long)(holeEnd - cursor);
            cursor = holeEnd;
        }
        _requestedUntil = cursor;
        _waiting = false;
    }

    // Per live side: messages that side's own stream skipped. Reordering within a side is not counted.
    private void CountSideSequence(MoldSideCounters side, MoldSource source, ulong sequence, ulong end)
    {
        ref ulong sideEnd = ref _sideEnd[(int)source];
        if (sideEnd != 0 && sequence > sideEnd) side.Misses += (long)(sequence - sideEnd);
        if (end > sideEnd) sideEnd = end;
    }

    // The losing copy of a packet: how long after the winning copy it came.
    private void TimeLateCopy(MoldSideCounters side, MoldSource source, ulong sequence, long rxNs)
    {
        int t = (int)(sequence & (ulong)(_trailSequence.Length - 1));
        if (_trailSequence[t] != sequence || _trailWinner[t] == source) return;
        long d = rxNs - _trailRxNs[t];
        if (d < 0) return;
        side.TrailSamples++;
        side.TrailNsTotal += d;
        side.LastTrailNs = d;
        if (d > side.TrailNsMax) side.TrailNsMax = d;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void StartSession(ReadOnlySpan<byte> session, ulong sequence)
    {
        bool change = IsEstablished;
        session.CopyTo(_session);
        while (_window.Count != 0)
        {
            Counters.Sides[(int)_window.Source(_window.First)].Stranded++;
            _window.RemoveFirst();
        }
        Array.Clear(_trailSequence);
        _sideEnd[0] = _sideEnd[1] = 0;
        // A session we watched begin numbers its first message 1 (MoldUDP64 1.00, "End of Session"); joining one
        // starts where asked, or at the first message received.
        _next = change ? 1 : _options.InitialSequence != 0 ? _options.InitialSequence : sequence;
        _highWater = _next;
        _requestedUntil = _next;
        _waiting = false;
        IsEstablished = true;
        HasEnded = false;
        if (change) Counters.SessionChanges++;
        _requester.OnSessionChanged(_session);
        _requester.OnProgress(_next);
    }
}
