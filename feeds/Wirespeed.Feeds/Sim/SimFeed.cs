using System;
using Wirespeed.Core.Time;

namespace Wirespeed.Feeds.Sim;

/// <summary>
/// Turns the simulator's message stream into MoldUDP64 packets: packs messages up to the payload ceiling (or a caller's
/// message limit), stamps them in realtime mode, and finishes with the end-of-session packet. Single-threaded; the
/// returned span is valid until the next call. No allocation after construction.
/// </summary>
public sealed class SimFeed
{
    private readonly ExchangeSimulator _sim;
    private readonly MoldPacketWriter _writer;
    private readonly byte[] _scratch = new byte[ExchangeSimulator.MaxMessageLength];
    private readonly long _endAfterMessages;
    private readonly long _midnightEpochNs;
    private int _carry;
    private bool _ended;

    /// <param name="simulator">Message generator; this feed becomes its only reader.</param>
    /// <param name="session">MoldUDP64 session (10 ASCII characters at most). Default: "WIRESPEED1".</param>
    /// <param name="maxPayload">UDP payload ceiling, header included. Default: 1400.</param>
    /// <param name="timestampMode">Virtual (deterministic) or realtime stamping. Default: Virtual.</param>
    /// <param name="endAfterMessages">After this many random-flow messages the session is ended (closing cross, end of day). Default: no limit.</param>
    /// <param name="midnightEpochNs">Realtime mode: the exchange day's midnight (Unix-epoch ns) the stamps count from, as
    /// ITCH 5.0 §4 says (ns since midnight in the exchange's zone), so that a receiver counting from the same midnight sees
    /// exchange time and local time agree. -1: the current UTC midnight at each packet. Default: -1.</param>
    public SimFeed(ExchangeSimulator simulator, string session = "WIRESPEED1", int maxPayload = MoldPacketWriter.DefaultMaxPayload,
        SimTimestampMode timestampMode = SimTimestampMode.Virtual, long endAfterMessages = long.MaxValue, long midnightEpochNs = -1)
    {
        _midnightEpochNs = midnightEpochNs;
        _sim = simulator ?? throw new ArgumentNullException(nameof(simulator));
        _writer = new MoldPacketWriter(session, 1, maxPayload);
        if (endAfterMessages < 1) throw new ArgumentOutOfRangeException(nameof(endAfterMessages), endAfterMessages, "endAfterMessages must be ≥ 1.");
        TimestampMode = timestampMode;
        _endAfterMessages = endAfterMessages;
    }

    /// <summary>The generator behind this feed.</summary>
    public ExchangeSimulator Simulator => _sim;
    /// <summary>The packet writer (sequence numbers, session).</summary>
    public MoldPacketWriter Writer => _writer;
    /// <summary>How timestamps are stamped.</summary>
    public SimTimestampMode TimestampMode { get; }
    /// <summary>Messages put into packets so far.</summary>
    public long MessagesPacked { get; private set; }
    /// <summary>Packets returned so far, end of session included.</summary>
    public long Packets { get; private set; }
    /// <summary>Timestamp (ns since midnight) of the last message of the last packet.</summary>
    public long LastTimestampNs { get; private set; }
    /// <summary>True once the end-of-session packet has been returned; later calls return an empty span.</summary>
    public bool Ended => _ended;

    /// <summary>
    /// Builds the next packet with at most <paramref name="maxMessages"/> messages (and never more than fits the payload).
    /// Returns the end-of-session packet once the simulator has finished, then empty spans.
    /// </summary>
    public ReadOnlySpan<byte> NextPacket(int maxMessages = int.MaxValue)
    {
        if (_ended) return ReadOnlySpan<byte>.Empty;
        int packed = 0;
        while (packed < maxMessages)
        {
            int len = _carry;
            if (len == 0)
            {
                if (_sim.MessagesEmitted >= _endAfterMessages) _sim.EndSession();
                len = _sim.NextMessage(_scratch);
                if (len == 0) break;
                LastTimestampNs = _sim.VirtualTimeNs;
            }
            if (!_writer.TryAppend(_scratch.AsSpan(0, len)))
            {
                _carry = len; // keep it for the next packet: sequences stay contiguous
                break;
            }
            _carry = 0;
            packed++;
        }
        if (packed > 0)
        {
            if (TimestampMode == SimTimestampMode.Realtime)
            {
                long now = RealtimeClock.NowNs();
                long sinceMidnight = now - (_midnightEpochNs >= 0 ? _midnightEpochNs : RealtimeClock.MidnightUtcNs(now));
                MoldPacketWriter.PatchTimestamps(_writer.PendingBlocks, sinceMidnight);
                LastTimestampNs = sinceMidnight;
            }
            MessagesPacked += packed;
            Packets++;
            return _writer.Flush();
        }
        if (_sim.IsFinished && _carry == 0)
        {
            _ended = true;
            Packets++;
            return _writer.EndOfSession();
        }
        return ReadOnlySpan<byte>.Empty;
    }

    /// <summary>A heartbeat packet carrying the next sequence number (for idle periods). Never call with messages pending.</summary>
    public ReadOnlySpan<byte> Heartbeat() => _writer.Heartbeat();
}
