namespace Wirespeed.Feeds.Mold.Arbitration;

/// <summary>
/// Counters of one source of an arbitrated line (A, B or the retransmission server). Written by the receiving thread
/// only; other threads read them as monitoring figures (a read may lag, never tear a 64-bit value on x64).
/// </summary>
/// <remarks>
/// <c>Packets = Wins + Duplicates + Held + WindowFull + Heartbeats + EndOfSession + ForeignSession + Malformed(header)
/// + Stranded</c>, where a held packet later counts as a win or a duplicate too (see <see cref="Held"/>).
/// </remarks>
public sealed class MoldSideCounters
{
    /// <summary>Every packet handed to the arbiter from this source.</summary>
    public long Packets;
    /// <summary>Packets that delivered at least one new message (in order, or released from the reorder window).</summary>
    public long Wins;
    /// <summary>Messages this source delivered first.</summary>
    public long MessagesWon;
    /// <summary>Packets whose every message was already delivered or held: the late copy, dropped before decode.</summary>
    public long Duplicates;
    /// <summary>Packets that delivered some messages after skipping already delivered ones (partially obsolete).</summary>
    public long PartialPackets;
    /// <summary>Messages skipped at the head of partially obsolete packets.</summary>
    public long ObsoleteMessages;
    /// <summary>Packets held in the reorder window (each is later counted again as a win or, if the other side won, a duplicate).</summary>
    public long Held;
    /// <summary>Packets ahead of the expected sequence dropped because the window was full or the packet too large.</summary>
    public long WindowFull;
    /// <summary>Messages this source skipped: forward jumps in its own sequence (A and B only).</summary>
    public long Misses;
    public long Heartbeats;
    public long EndOfSession;
    /// <summary>Packets of another session (foreign traffic, or a response for a session the line has left).</summary>
    public long ForeignSession;
    /// <summary>Packets shorter than the header, with sequence + count past 2^64, or whose blocks lose framing.</summary>
    public long Malformed;
    /// <summary>Held packets discarded because the session changed before they could be released.</summary>
    public long Stranded;
    /// <summary>Losing copies timed against the winning copy of the same packet.</summary>
    public long TrailSamples;
    /// <summary>Sum of the times by which this source's copies arrived after the winning copy, ns.</summary>
    public long TrailNsTotal;
    /// <summary>Largest such time, ns.</summary>
    public long TrailNsMax;
    /// <summary>The latest such time, ns.</summary>
    public long LastTrailNs;

    /// <summary>Mean time this source trails the winner, ns (0 without samples).</summary>
    public long MeanTrailNs => TrailSamples == 0 ? 0 : TrailNsTotal / TrailSamples;
}

/// <summary>Counters of one arbitrated line: one <see cref="MoldSideCounters"/> per source and the line's own.</summary>
public sealed class MoldArbiterCounters
{
    /// <summary>Per source, indexed by <see cref="MoldSource"/>.</summary>
    public readonly MoldSideCounters[] Sides = { new(), new(), new() };

    public MoldSideCounters A => Sides[(int)MoldSource.A];
    public MoldSideCounters B => Sides[(int)MoldSource.B];
    public MoldSideCounters Retransmission => Sides[(int)MoldSource.Retransmission];

    /// <summary>Messages handed to the handler (each sequence once).</summary>
    public long Delivered;
    /// <summary>Messages delivered from the reorder window (out of order on arrival, applied in order).</summary>
    public long ReorderedMessages;
    /// <summary>Ranges handed to the requester.</summary>
    public long Requests;
    /// <summary>Messages in those ranges.</summary>
    public long MessagesRequested;
    /// <summary>Times the requester could not take a range (it is offered again after another wait).</summary>
    public long RequestsRefused;
    /// <summary>New sessions followed after an end of session (MoldUDP64 1.00, "End of Session").</summary>
    public long SessionChanges;
    /// <summary>Messages given up by <see cref="MoldArbiter{THandler, TRequester}.ResumeAt"/> (recovered another way, or lost).</summary>
    public long MessagesAbandoned;
}
