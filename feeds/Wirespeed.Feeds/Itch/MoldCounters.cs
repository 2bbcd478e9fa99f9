namespace Wirespeed.Feeds.Itch;

/// <summary>
/// Per-cause counters of one MoldUDP64 line. Written by the decode thread only; other threads may read them at any
/// time as monitoring figures (a read may lag, never tear a 64-bit value on x64).
/// </summary>
/// <remarks>
/// Accounting identities (the hostile-input tests assert both):
/// <c>Packets = TruncatedHeader + WrongSession + MalformedSequence + SuspectJumps + Heartbeats + EndOfSession + DataPackets</c>;
/// <c>AnnouncedMessages = DuplicateMessages + UnframedMessages + ItchCounters.Messages + ItchCounters.BadLength +
/// ItchCounters.UnknownType + ItchCounters.OutputFull</c>.
/// </remarks>
public sealed class MoldCounters
{
    /// <summary>Every packet handed to the decoder.</summary>
    public long Packets;
    /// <summary>Packets from the right session that carry messages (count 1..0xFFFE), duplicates included.</summary>
    public long DataPackets;
    /// <summary>Sum of the header counts of <see cref="DataPackets"/>.</summary>
    public long AnnouncedMessages;
    public long Heartbeats;
    public long EndOfSession;
    /// <summary>Packets shorter than the 20-byte header.</summary>
    public long TruncatedHeader;
    /// <summary>Packets whose every message was already delivered.</summary>
    public long DuplicatePackets;
    /// <summary>Messages dropped because already delivered (whole duplicate packets and overlapping heads).</summary>
    public long DuplicateMessages;
    /// <summary>Packets (or heartbeats) whose sequence was ahead of the expected one.</summary>
    public long GapPackets;
    /// <summary>Messages never received: sum of gap sizes, plus messages lost to broken framing.</summary>
    public long GapMessages;
    /// <summary>Packets from another session than the configured one, or than the established one (before end of session,
    /// under SessionChangePolicy.Reject): foreign traffic on the line's group, counted and never applied. The summary
    /// shows it as sequencing.foreign_session_packets and malformed.wrong_session.</summary>
    public long WrongSession;
    /// <summary>Times the line adopted a new session (after end of session, or by policy).</summary>
    public long SessionChanges;
    /// <summary>Blocks whose length prefix is zero.</summary>
    public long ZeroLengthBlocks;
    /// <summary>Blocks whose length runs past the end of the packet.</summary>
    public long OverrunBlocks;
    /// <summary>Packets that end before their header's count of blocks (or inside a length prefix).</summary>
    public long TruncatedPackets;
    /// <summary>Messages the header counted that could not be framed after a block fault (reported as a gap).</summary>
    public long UnframedMessages;
    /// <summary>Packets with bytes after their counted blocks (their messages are delivered).</summary>
    public long TrailingBytesPackets;
    /// <summary>Gap records dropped because the gap queue was full (the gaps are still counted above).</summary>
    public long GapRecordsOverwritten;
    /// <summary>Packets whose sequence + count overflows 64 bits (dropped and quarantined; sequencing untouched).</summary>
    public long MalformedSequence;
    /// <summary>Packets (or heartbeats) further ahead than MaxGapMessages and not confirmed by the next packet
    /// (dropped and quarantined; sequencing untouched).</summary>
    public long SuspectJumps;
    /// <summary>Far jumps accepted because the packet after a suspect one continued from it or beyond (the gap is recorded).</summary>
    public long ConfirmedJumps;
    /// <summary>Packets arriving behind the expected sequence with at least one message inside an open gap record.</summary>
    public long LateFills;
    /// <summary>Messages delivered late (flagged <c>EventFlags.Late</c>) because they filled part of an open gap record.
    /// <see cref="GapMessages"/> still counts them: it counts what was missing when detected.</summary>
    public long LateMessages;
    /// <summary>Late messages in the middle of a gap record that could not split it for want of a free slot in the
    /// gap queue: the message is delivered, the record keeps its whole range (recovery re-requests one message too many).</summary>
    public long GapSplitsDropped;

    public void Reset()
    {
        Packets = DataPackets = AnnouncedMessages = Heartbeats = EndOfSession = TruncatedHeader = DuplicatePackets = 0;
        DuplicateMessages = GapPackets = GapMessages = WrongSession = SessionChanges = ZeroLengthBlocks = OverrunBlocks = 0;
        TruncatedPackets = UnframedMessages = TrailingBytesPackets = GapRecordsOverwritten = 0;
        MalformedSequence = SuspectJumps = ConfirmedJumps = LateFills = LateMessages = GapSplitsDropped = 0;
    }
}

/// <summary>Per-cause counters of the ITCH decode of one line (single writer, as <see cref="MoldCounters"/>).</summary>
public sealed class ItchCounters
{
    /// <summary>Messages decoded and delivered as events.</summary>
    public long Messages;
    /// <summary>Messages whose length differs from their type's fixed size.</summary>
    public long BadLength;
    /// <summary>Messages whose type 5.0 does not define.</summary>
    public long UnknownType;
    /// <summary>Messages decoded but not delivered because the caller's output span was full (reported as a gap).</summary>
    public long OutputFull;
    /// <summary>Delivered messages by type byte (index 'A', 'E', ...).</summary>
    public readonly long[] ByType = new long[256];

    /// <summary>Delivered messages of <paramref name="type"/>.</summary>
    public long Of(char type) => ByType[(byte)type];

    public void Reset()
    {
        Messages = BadLength = UnknownType = OutputFull = 0;
        System.Array.Clear(ByType);
    }
}
