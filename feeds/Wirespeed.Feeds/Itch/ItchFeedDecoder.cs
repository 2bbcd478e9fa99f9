using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Recording;
using Wirespeed.Core.Time;

namespace Wirespeed.Feeds.Itch;

/// <summary>Options of one ITCH-over-MoldUDP64 line.</summary>
public sealed record ItchFeedOptions
{
    /// <summary>Unix-epoch ns of midnight (exchange local time) of the session day; ITCH timestamps are ns after it.
    /// Default: 0 (events then carry ns since midnight).</summary>
    public long MidnightEpochNs { get; init; }
    /// <summary>Sequencing of the line. Default: new MoldSessionOptions().</summary>
    public MoldSessionOptions Session { get; init; } = new();
    /// <summary>The clock-health watcher's published state: its suspect flag is ORed into every event, and each packet's
    /// timestamps are shown back to it (<see cref="ClockHealthState.Observe"/>). Default: null (no watcher).</summary>
    public ClockHealthState? Clock { get; init; }
}

/// <summary>
/// Decodes MoldUDP64 packets carrying ITCH 5.0 into <see cref="MarketEvent"/>s: sequencing through a
/// <see cref="MoldSession"/>, framing through <see cref="MoldPacketReader"/>, fields through <see cref="ItchNormaliser"/>.
/// Never throws on packet contents and never allocates after construction.
/// </summary>
/// <remarks>
/// What happens to each fault (every one counted in <see cref="MoldCounters"/> or <see cref="ItchCounters"/>):
/// <list type="bullet">
/// <item>packet shorter than 20 bytes, wrong session, sequence + count overflowing 64 bits, unconfirmed jump beyond
/// <see cref="MoldSessionOptions.MaxGapMessages"/>: packet dropped and quarantined (source 'M').</item>
/// <item>duplicate messages: dropped, counted, not quarantined (normal on A/B lines and retransmissions).</item>
/// <item>messages of an overtaken packet that lie inside an open gap record: delivered with <see cref="EventFlags.Late"/>
/// and taken out of the record (see <see cref="MoldSession.TryFillLate"/>).</item>
/// <item>zero-length, overrunning or missing block: framing is lost, the packet is quarantined, the messages it still
/// owed are counted as unframed and reported to the session as a loss (gap record, book stale).</item>
/// <item>a message of unknown type or of the wrong length for its type: that message is dropped and quarantined
/// (source 'I', its own sequence); the next block is still framed by its length prefix, so decoding goes on.</item>
/// <item>bytes after the counted blocks: the messages are delivered, the packet is counted and quarantined.</item>
/// </list>
/// Every event gets the line's <see cref="MoldSession.IsStale"/> as <see cref="EventFlags.BookStale"/>, and the last
/// event of a packet gets <see cref="EventFlags.EndOfPacket"/>; while the clock-health watcher distrusts the clock
/// (<see cref="ItchFeedOptions.Clock"/>), every event gets <see cref="EventFlags.ClockSuspect"/>. Single-threaded: one decoder per line per thread.
/// </remarks>
public sealed class ItchFeedDecoder
{
    /// <summary>Quarantine source code of MoldUDP64 framing and sequencing faults.</summary>
    public const byte QuarantineSourceMold = (byte)'M';
    /// <summary>Quarantine source code of ITCH message faults.</summary>
    public const byte QuarantineSourceItch = (byte)'I';

    private readonly QuarantineRing? _quarantine;
    private readonly ClockHealthState? _clock;

    public ItchFeedDecoder(ItchFeedOptions? options = null, QuarantineRing? quarantine = null)
    {
        options ??= new ItchFeedOptions();
        MidnightEpochNs = options.MidnightEpochNs;
        Session = new MoldSession(options.Session);
        _quarantine = quarantine;
        _clock = options.Clock;
        // ITCH rejects are bare messages: the dump must put them back into the MoldUDP64 packet they came in.
        if (quarantine is not null) quarantine.MessageFramer ??= FrameQuarantinedMessage;
    }

    /// <summary>See <see cref="ItchFeedOptions.MidnightEpochNs"/>; may be changed between packets (day roll).</summary>
    public long MidnightEpochNs { get; set; }
    public MoldSession Session { get; }
    public MoldCounters MoldCounters => Session.Counters;
    public ItchCounters Counters { get; } = new();
    public QuarantineRing? Quarantine => _quarantine;

    /// <summary>Decodes one packet, handing each event to <paramref name="handler"/>; returns the events delivered.</summary>
    public int Decode<THandler>(ReadOnlySpan<byte> packet, in PacketInfo info, ref THandler handler)
        where THandler : struct, IEventHandler
    {
        var sink = new HandlerSink<THandler>(ref handler);
        return DecodeCore(packet, in info, ref sink);
    }

    /// <summary>
    /// Decodes one packet into <paramref name="output"/>; returns the events written. Messages that do not fit are
    /// counted in <see cref="ItchCounters.OutputFull"/> and reported to the session as a loss: size the span for the
    /// largest packet (a 1500-byte MTU holds at most (1500 − 28 − 20) / (2 + 12) = 103 messages).
    /// </summary>
    public int Decode(ReadOnlySpan<byte> packet, in PacketInfo info, Span<MarketEvent> output)
    {
        var sink = new SpanSink(output);
        return DecodeCore(packet, in info, ref sink);
    }

    private int DecodeCore<TSink>(ReadOnlySpan<byte> packet, in PacketInfo info, ref TSink sink)
        where TSink : IEventSink, allows ref struct
    {
        MoldCounters mc = Session.Counters;
        mc.Packets++;
        var reader = new MoldPacketReader(packet);
        if (reader.HeaderStatus != DecodeStatus.Ok)
        {
            mc.TruncatedHeader++;
            Reject(packet, default, 0, QuarantineSourceMold, DecodeStatus.Truncated, in info);
            return 0;
        }

        MoldVerdict verdict = Session.OnPacket(reader.Session, reader.Sequence, reader.Count, info.ReceiveTimestampNs, out int skip);
        if (verdict != MoldVerdict.Deliver)
        {
            if (verdict == MoldVerdict.WrongSession)
                Reject(packet, reader.Session, reader.Sequence, QuarantineSourceMold, DecodeStatus.WrongSession, in info);
            else if (verdict == MoldVerdict.MalformedSequence)
                Reject(packet, reader.Session, reader.Sequence, QuarantineSourceMold, DecodeStatus.SequenceOverflow, in info);
            else if (verdict == MoldVerdict.SuspectJump)
                Reject(packet, reader.Session, reader.Sequence, QuarantineSourceMold, DecodeStatus.SuspectSequence, in info);
            return 0;
        }

        ItchCounters ic = Counters;
        int count = reader.MessageCount;
        ulong sequence = reader.Sequence;
        long midnight = MidnightEpochNs;
        byte staleFlag = Session.IsStale ? (byte)EventFlags.BookStale : (byte)0;
        ClockHealthState? clock = _clock;
        byte clockFlag = clock is null ? (byte)0 : clock.SuspectFlag;   // one volatile read per packet
        ulong lateUntil = Session.LateUntil; // 0 unless this packet was overtaken and fills an open gap
        int delivered = 0;
        // One event is held back so that the packet's last one can carry EndOfPacket before it leaves.
        MarketEvent pending = default;
        bool hasPending = false;
        byte pendingType = 0;
        int index = 0;
        for (; index < count; index++)
        {
            DecodeStatus framing = reader.TryRead(out ReadOnlySpan<byte> message);
            if (framing != DecodeStatus.Ok)
            {
                FramingLost(packet, ref reader, framing, index, skip, lateUntil, in info);
                break;
            }
            if (index < skip) continue; // already delivered from an earlier packet

            ulong messageSequence = sequence + (ulong)index;
            byte lateFlag = 0;
            if (messageSequence < lateUntil)
            {
                if (!Session.TryFillLate(messageSequence)) continue; // delivered before: a duplicate (counted there)
                lateFlag = (byte)EventFlags.Late;
            }
            MarketEvent evt = default;
            DecodeStatus status = ItchNormaliser.Normalise(message, messageSequence, midnight, info.ReceiveTimestampNs, info.LineId, ref evt);
            if (status != DecodeStatus.Ok)
            {
                if (status == DecodeStatus.UnknownType) ic.UnknownType++; else ic.BadLength++;
                RejectMessage(message, reader.Session, messageSequence, status, in info);
                continue;
            }
            evt.PackedLaneAndFlags |= (byte)(staleFlag | lateFlag | clockFlag);
            if (hasPending)
            {
                if (!sink.TryEmit(ref pending)) OutputFull(pending.Sequence, reader.Session, in info);
                else { delivered++; ic.Messages++; ic.ByType[pendingType]++; }
            }
            pending = evt;
            pendingType = message[0];
            hasPending = true;
        }

        if (index == count && reader.Remaining != 0)
        {
            mc.TrailingBytesPackets++;
            Reject(packet, reader.Session, sequence, QuarantineSourceMold, DecodeStatus.TrailingBytes, in info);
        }
        if (hasPending)
        {
            pending.PackedLaneAndFlags |= (byte)EventFlags.EndOfPacket;
            if (sink.TryEmit(ref pending)) { delivered++; ic.Messages++; ic.ByType[pendingType]++; }
            else OutputFull(pending.Sequence, reader.Session, in info);
            clock?.Observe(pending.ExchangeTimestampNs, info.ReceiveTimestampNs, clockFlag == 0 ? 0 : delivered);
        }
        return delivered;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void FramingLost(ReadOnlySpan<byte> packet, ref MoldPacketReader reader, DecodeStatus framing, int index, int skip, ulong lateUntil, in PacketInfo info)
    {
        MoldCounters mc = Session.Counters;
        if (framing == DecodeStatus.Truncated) mc.TruncatedPackets++;
        else if (reader.LastBlockLength == 0) mc.ZeroLengthBlocks++;
        else mc.OverrunBlocks++;
        int firstLost = Math.Max(index, skip); // messages below skip were duplicates, counted already
        int lost = reader.MessageCount - firstLost;
        mc.UnframedMessages += lost;
        // Unframed messages below lateUntil are either still inside their open gap record or were duplicates: only the
        // new ones above it are a fresh loss.
        ulong firstNew = Math.Max(reader.Sequence + (ulong)firstLost, lateUntil);
        ulong end = reader.Sequence + (ulong)reader.MessageCount;
        if (firstNew < end) Session.ReportLoss(firstNew, end - firstNew, info.ReceiveTimestampNs);
        Reject(packet, reader.Session, reader.Sequence + (ulong)index, QuarantineSourceMold, framing, in info);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OutputFull(ulong sequence, ReadOnlySpan<byte> session, in PacketInfo info)
    {
        Counters.OutputFull++;
        Session.ReportLoss(sequence, 1, info.ReceiveTimestampNs);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Reject(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> session, ulong sequence, byte source, DecodeStatus status, in PacketInfo info)
    {
        if (_lastReject == 0) _lastReject = (byte)status;
        _quarantine?.Capture(raw, session, sequence, source, (byte)status, info.ReceiveTimestampNs, info.LineId);
    }

    private byte _lastReject;   // first reject of the packet being decoded (set on the cold reject paths only)

    /// <summary>
    /// The <see cref="DecodeStatus"/> of the first reject since the last call (0 = none), and resets it: the recorder
    /// stores it beside the datagram. Worker thread.
    /// </summary>
    public byte TakeRejectReason()
    {
        byte r = _lastReject;
        _lastReject = 0;
        return r;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RejectMessage(ReadOnlySpan<byte> message, ReadOnlySpan<byte> session, ulong sequence, DecodeStatus status, in PacketInfo info)
    {
        if (_lastReject == 0) _lastReject = (byte)status;
        _quarantine?.Capture(message, session, sequence, QuarantineSourceItch, (byte)status, info.ReceiveTimestampNs, info.LineId, QuarantinePayload.Message);
    }

    /// <summary>
    /// Cold path (quarantine dump): wraps a quarantined ITCH message into a one-message MoldUDP64 packet with its own
    /// session and sequence (MoldUDP64 1.00: session 10, sequence 8, count 2, then length 2 + message), so that a
    /// replay of the dump meets the same reject. Returns the packet length, or -1 when it does not fit.
    /// </summary>
    public static int FrameQuarantinedMessage(in QuarantineRecord record, ReadOnlySpan<byte> message, ReadOnlySpan<byte> session, Span<byte> packet)
    {
        int length = MoldPacketReader.HeaderSize + 2 + message.Length;
        if (length > packet.Length || message.Length > ushort.MaxValue) return -1;
        Span<byte> id = packet.Slice(0, MoldPacketReader.SessionLength);
        id.Fill((byte)' ');
        session.Slice(0, Math.Min(session.Length, id.Length)).CopyTo(id);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(packet.Slice(MoldPacketReader.SequenceOffset), record.Sequence);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(MoldPacketReader.CountOffset), 1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(MoldPacketReader.HeaderSize), (ushort)message.Length);
        message.CopyTo(packet.Slice(MoldPacketReader.HeaderSize + 2));
        return length;
    }

    /// <summary>Names a quarantine (source, status) pair written by this decoder; for listings.</summary>
    public static string Describe(byte source, byte status)
        => (source == QuarantineSourceMold ? "MoldUDP64 " : source == QuarantineSourceItch ? "ITCH " : $"source {source} ")
           + (Enum.IsDefined((DecodeStatus)status) ? ((DecodeStatus)status).ToString() : $"status {status}");
}

/// <summary>Where the decode loop puts events: a generic struct handler or a caller span.</summary>
internal interface IEventSink
{
    bool TryEmit(ref MarketEvent evt);
}

internal ref struct HandlerSink<THandler> : IEventSink where THandler : struct, IEventHandler
{
    private ref THandler _handler;
    public HandlerSink(ref THandler handler) => _handler = ref handler;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryEmit(ref MarketEvent evt) { _handler.OnEvent(ref evt); return true; }
}

internal ref struct SpanSink : IEventSink
{
    private readonly Span<MarketEvent> _output;
    private int _written;
    public SpanSink(Span<MarketEvent> output) { _output = output; _written = 0; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryEmit(ref MarketEvent evt)
    {
        if ((uint)_written >= (uint)_output.Length) return false;
        _output[_written++] = evt;
        return true;
    }
}

/// <summary>
/// Adapts a decoder to the packet-source polling contract: <c>source.Poll(ref adapter, limit)</c> decodes every packet
/// straight into <typeparamref name="THandler"/>.
/// </summary>
public struct ItchPacketHandler<THandler> : IPacketHandler where THandler : struct, IEventHandler
{
    private readonly ItchFeedDecoder _decoder;
    /// <summary>The event handler; mutable state lives here.</summary>
    public THandler Handler;
    /// <summary>Events delivered through this adapter.</summary>
    public long Events;

    public ItchPacketHandler(ItchFeedDecoder decoder, THandler handler)
    {
        _decoder = decoder;
        Handler = handler;
        Events = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info) => Events += _decoder.Decode(payload, in info, ref Handler);
}
