using System;

namespace Wirespeed.Feeds.Mold.Arbitration;

/// <summary>Where a MoldUDP64 packet came from: one of the two live copies of the line, or the retransmission server.</summary>
public enum MoldSource : byte
{
    /// <summary>Line A (the first multicast copy).</summary>
    A = 0,
    /// <summary>Line B (the second copy of the same session).</summary>
    B = 1,
    /// <summary>A response from the retransmission (re-request) server (MoldUDP64 1.00, "Request Packets").</summary>
    Retransmission = 2,
}

/// <summary>Receives the winning messages of an arbitrated line; a struct so that the arbiter is specialised per handler.</summary>
public interface IMoldMessageHandler
{
    /// <summary>
    /// One message, exactly once per sequence and in sequence order. <paramref name="message"/> is valid only during the
    /// call. <paramref name="late"/> is true when the message did not arrive in order: it was held in the reorder window
    /// or came from the retransmission server.
    /// </summary>
    void OnMessage(ReadOnlySpan<byte> message, ulong sequence, MoldSource source, bool late);
}

/// <summary>
/// Where the arbiter hands the ranges that neither side delivered in time. Called on the receiving thread: every member
/// must return at once (enqueue for a cold thread, never send or wait here).
/// </summary>
public interface IGapRequester
{
    /// <summary>Asks for <paramref name="count"/> messages from <paramref name="firstSequence"/> of <paramref name="session"/>
    /// (10 bytes). False when the request cannot be taken now: the arbiter tries again after another wait.</summary>
    bool TryRequest(ReadOnlySpan<byte> session, ulong firstSequence, ulong count, long nowNs);
    /// <summary>Every message below <paramref name="nextExpected"/> has been delivered (called after each advance).</summary>
    void OnProgress(ulong nextExpected);
    /// <summary>The line follows a new session (10 bytes): requests for the old one are void.</summary>
    void OnSessionChanged(ReadOnlySpan<byte> session);
}

/// <summary>A requester that takes nothing: gaps stay open and counted (a line without a retransmission server).</summary>
public struct NoGapRequester : IGapRequester
{
    public readonly bool TryRequest(ReadOnlySpan<byte> session, ulong firstSequence, ulong count, long nowNs) => false;
    public readonly void OnProgress(ulong nextExpected) { }
    public readonly void OnSessionChanged(ReadOnlySpan<byte> session) { }
}

/// <summary>What the arbiter did with one packet.</summary>
public enum ArbiterVerdict : byte
{
    /// <summary>At least one new message was delivered (possibly after obsolete leading ones were skipped).</summary>
    Delivered = 0,
    /// <summary>Every message was already delivered or is already held: the copy was dropped.</summary>
    Duplicate = 1,
    /// <summary>Ahead of the expected sequence: held in the reorder window until the gap before it is filled.</summary>
    Held = 2,
    /// <summary>Ahead of the expected sequence but the window had no room (or the packet is larger than a slot): dropped,
    /// its range stays missing and will be requested.</summary>
    WindowFull = 3,
    /// <summary>Heartbeat (count 0).</summary>
    Heartbeat = 4,
    /// <summary>End of session (count 0xFFFF).</summary>
    EndOfSession = 5,
    /// <summary>Another session than the line's (before its end of session), or a response for a session the line left.</summary>
    ForeignSession = 6,
    /// <summary>Shorter than the header, or sequence + count past 2^64.</summary>
    Malformed = 7,
}
