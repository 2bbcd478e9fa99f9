using System;
using System.Buffers.Binary;
using System.Threading;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Itch;

namespace Wirespeed.Feeds.Replay;

/// <summary>
/// How a recorded input is replayed, and where the replay stands: the pace (as fast as possible, recorded, N×), the
/// start (a recorded time or a MoldUDP64 sequence number), the request to stop, and the end. Shared by the
/// <see cref="ReplayPackets{TSource}"/> the book worker polls (its only writer while it runs) and the command thread
/// (progress, stop, the report), which reads the figures approximately while the worker runs and exactly after it stopped.
/// </summary>
/// <remarks>
/// Recorded time is <see cref="PacketInfo.ReceiveTimestampNs"/> as the source stamps it: a pcap record's capture time
/// (Unix-epoch ns), an ITCH file message's own timestamp (ns since the exchange's midnight, the file having no
/// receive time), a journal record's receive timestamp. The virtual clock of the pipeline is that same field, carried
/// on every event (<see cref="Core.Events.MarketEvent.ReceiveTimestampNs"/>).
/// </remarks>
public sealed class ReplayControl
{
    /// <summary>One day in ns: a recorded time below it is a time of day (an ITCH file), above it an epoch time.</summary>
    public const long DayNs = 86_400_000_000_000L;

    private readonly TimeZoneInfo _zone;
    private long _originNs = long.MinValue;
    private long _startRecordedNs = long.MinValue;   // the start as a recorded time, when the source resolved it (SetStart)
    private readonly byte[] _held = new byte[ushort.MaxValue + 1];   // the packet a gated poll is looking at
    private int _heldLength;
    private PacketInfo _heldInfo;
    private bool _seenFirst;
    private bool _started;          // the start filter has passed a packet: every later packet passes
    private long _fromNs;           // resolved at the first packet (long.MinValue: none)
    private long _wallStartNs;
    private volatile bool _stop;
    private volatile bool _ended;

    /// <param name="speed">0: as fast as possible; 1: at the recorded pace; N: N times the recorded pace.</param>
    /// <param name="fromTimeOfDayNs">Start at this time of day (exchange time in <paramref name="zone"/>); -1: none.</param>
    /// <param name="fromOffsetNs">Start this many ns after the first packet's recorded time; -1: none.</param>
    /// <param name="fromSequence">Start at the MoldUDP64 packet that holds this message sequence number; 0: none.</param>
    /// <param name="zone">The exchange's time zone, for <paramref name="fromTimeOfDayNs"/> over epoch timestamps.</param>
    public ReplayControl(double speed = 0, long fromTimeOfDayNs = -1, long fromOffsetNs = -1, ulong fromSequence = 0, TimeZoneInfo? zone = null)
    {
        if (!(speed >= 0) || double.IsInfinity(speed)) throw new ArgumentOutOfRangeException(nameof(speed), "use 0 (as fast as possible) or a positive factor");
        if (fromTimeOfDayNs >= DayNs) throw new ArgumentOutOfRangeException(nameof(fromTimeOfDayNs), "not a time of day (below one day in ns)");
        Speed = speed;
        FromTimeOfDayNs = fromTimeOfDayNs;
        FromOffsetNs = fromOffsetNs;
        FromSequence = fromSequence;
        _zone = zone ?? TimeZoneInfo.Utc;
        _started = false;   // the first packet always passes the gate: it sets the first recorded time
        _fromNs = long.MinValue;
    }

    public double Speed { get; }
    public long FromTimeOfDayNs { get; }
    public long FromOffsetNs { get; }
    public ulong FromSequence { get; }
    /// <summary>The exchange's time zone (<see cref="FromTimeOfDayNs"/>).</summary>
    public TimeZoneInfo Zone => _zone;

    /// <summary>
    /// The line whose MoldUDP64 sequence <see cref="FromSequence"/> is (-1: any line, as for a one-line input): every
    /// packet before the first of that line that reaches the sequence is skipped, whatever its line; every later one
    /// passes. Cold: set before the replay starts.
    /// </summary>
    public int SequenceLineId { get; set; } = -1;

    /// <summary>True when packets go through the gate (pace or start filter); false: straight through.</summary>
    internal bool Gated => Speed > 0 || !_started;

    private bool HasStart => FromTimeOfDayNs >= 0 || FromOffsetNs >= 0 || FromSequence != 0;

    /// <summary>Packets the start filter skipped.</summary>
    public long Skipped;
    /// <summary>Packets delivered through the gate (paced or filtered replays; a straight replay counts in the decoder).</summary>
    public long Delivered;
    /// <summary>Times a paced replay waited for the next packet to be due.</summary>
    public long Waits;
    /// <summary>Recorded time of the first packet delivered, and of the last delivered through the gate (a paced replay); 0 before.</summary>
    public long FirstRecordedNs;
    public long LastRecordedNs;

    /// <summary>True once the source has nothing more (set by the worker).</summary>
    public bool Ended => _ended;

    /// <summary>True once <see cref="RequestStop"/> was called.</summary>
    public bool StopRequested => _stop;

    /// <summary>Any thread: the source delivers nothing more from its next poll (SIGINT, SIGTERM).</summary>
    public void RequestStop() => _stop = true;

    internal void MarkEnded() => _ended = true;

    /// <summary>
    /// What the gate does with a packet: true to deliver it (once due, when paced); false when it is skipped (before the
    /// start) or a stop was requested while it waited.
    /// </summary>
    internal bool Admit(ReadOnlySpan<byte> payload, in PacketInfo info)
    {
        long ts = info.ReceiveTimestampNs;
        if (!_seenFirst)
        {
            _seenFirst = true;
            FirstRecordedNs = ts;
            _wallStartNs = MonoClock.NowNs();
            ResolveStart(ts);
        }
        if (!_started)
        {
            if (HasStart && !PassesStart(payload, ts, info.LineId))
            {
                Skipped++;
                return false;
            }
            _started = true;
            // Pace from the start point: a replay from 09:30 at recorded speed does not wait for the hours before it.
            FirstRecordedNs = ts;
            _wallStartNs = MonoClock.NowNs();
        }
        if (Speed > 0 && !WaitUntilDue(ts)) return false;   // stopped while waiting: the packet is not delivered
        Delivered++;
        LastRecordedNs = ts;
        return true;
    }

    /// <summary>
    /// Paced replay: waits on the worker until the packet's recorded time since the first packet, divided by the speed,
    /// has elapsed on the wall clock (sleeping while more than 2 ms remain, then spinning). The worker waits inside the
    /// poll rather than returning empty-handed, so that batches are filled exactly as at full speed: their boundaries,
    /// and with them every decision taken per batch (the pattern gate reads the breaker levels at the end of a batch),
    /// do not depend on the pace. A batch is therefore processed when its last packet is due (at most one batch late).
    /// False when a stop was requested meanwhile.
    /// </summary>
    private bool WaitUntilDue(long ts)
    {
        long recorded = ts - FirstRecordedNs;
        if (recorded <= 0) return true;   // a timestamp that went backwards is due at once
        long dueAt = _wallStartNs + (long)(recorded / Speed);
        if (MonoClock.NowNs() >= dueAt) return true;
        Waits++;
        while (!_stop)
        {
            long left = dueAt - MonoClock.NowNs();
            if (left <= 0) return true;
            if (left > 2_000_000) Thread.Sleep(1);
            else Thread.SpinWait(64);
        }
        return false;
    }

    /// <summary>Gated replay: the packet the source just handed over (a copy, valid until the next).</summary>
    internal ReadOnlySpan<byte> Held => new(_held, 0, _heldLength);
    internal PacketInfo HeldInfo => _heldInfo;

    internal void Hold(ReadOnlySpan<byte> payload, in PacketInfo info)
    {
        int n = Math.Min(payload.Length, _held.Length);   // no UDP payload or ITCH packet is longer
        payload.Slice(0, n).CopyTo(_held);
        _heldLength = n;
        _heldInfo = info;
    }

    /// <summary>
    /// The input's first recorded time, when the source knows it before its first packet: a source that seeks to the
    /// start itself (a recording, through its time index) hands over packets from there on, and --from-time NS still
    /// counts from the input's first packet, not from the first one delivered. Cold: before the replay starts.
    /// </summary>
    public void SetOrigin(long firstRecordedNs) => _originNs = firstRecordedNs;

    /// <summary>
    /// The start as a recorded time, resolved by the source (a recording maps a time of day to its receive clock through
    /// its segment header): replaces what <see cref="FromTimeOfDayNs"/> would resolve to from the first packet's time.
    /// Cold: before the replay starts.
    /// </summary>
    public void SetStart(long recordedNs) => _startRecordedNs = recordedNs;

    /// <summary>The start time in recorded ns, from the first packet's time (cold: once).</summary>
    private void ResolveStart(long firstNs)
    {
        if (_startRecordedNs != long.MinValue)
        {
            _fromNs = _startRecordedNs;
            return;
        }
        if (_originNs != long.MinValue) firstNs = _originNs;
        if (FromOffsetNs >= 0) _fromNs = firstNs + FromOffsetNs;
        else if (FromTimeOfDayNs >= 0)
            // A time of day: an ITCH file's times are already since midnight; an epoch time takes the exchange's midnight.
            _fromNs = firstNs < DayNs ? FromTimeOfDayNs : ExchangeDay.MidnightEpochNs(_zone, firstNs) + FromTimeOfDayNs;
    }

    private bool PassesStart(ReadOnlySpan<byte> payload, long ts, byte lineId)
    {
        if (_fromNs != long.MinValue && ts < _fromNs) return false;
        if (FromSequence == 0) return true;
        if (SequenceLineId >= 0 && lineId != SequenceLineId) return false;   // another line's: before the start until the line's packet
        // MoldUDP64 downstream header: session(10) sequence(8, big-endian) count(2). A packet passes when it holds the
        // start sequence or a later one; its messages before the start are applied with it (a packet is never split).
        if (payload.Length < MoldPacketReader.HeaderSize) return false;
        ulong sequence = BinaryPrimitives.ReadUInt64BigEndian(payload.Slice(MoldPacketReader.SequenceOffset));
        ushort count = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(MoldPacketReader.CountOffset));
        return count != MoldPacketReader.EndOfSessionCount && sequence + Math.Max(count, (ushort)1) > FromSequence;
    }

    /// <summary>Recorded time of the last delivered packet, for progress (any thread, approximate).</summary>
    public long LastRecordedNsApprox => Volatile.Read(ref LastRecordedNs);
}
