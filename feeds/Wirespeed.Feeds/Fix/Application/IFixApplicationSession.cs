/*
 * The seam between the FIX application side (orders, market data) and a FIX session (logon, heartbeats, sequence
 * numbers, the message store, resend), which is built separately over DotNetty. The application never sees a socket
 * and the session never sees an order:
 *
 *   application ──Send(ref TMessage)──► session: writes the standard header (8, 9, 35, 49, 56, 34, 52) with
 *                                       FixApplicationEncoder, asks the message for its body (WriteBody), finishes
 *                                       BodyLength and CheckSum, stores it for resend, writes it to the channel, and
 *                                       returns the MsgSeqNum it used (0 when not logged on or not sent).
 *   session ──OnApplicationMessage(in FixView)──► application: every message the session accepted (checksum, CompIDs,
 *                                       sequence number in order, not a duplicate) whose MsgType is not session level,
 *                                       and also each Reject (3) after the session has handled it: a Reject's RefSeqNum
 *                                       may name an order request, which the order side then settles.
 *   session ──OnSessionUp/OnSessionDown──► application: after logon completes; when the session is lost.
 *
 * All three run on the session's thread (one DotNetty event loop per session): the application is single-threaded
 * behind this seam and needs no locks. Both interfaces are implemented by structs or sealed classes used through
 * generic parameters, so the calls are direct.
 */
using System;

namespace Wirespeed.Feeds.Fix.Application;

/// <summary>One outgoing application message: its MsgType and a writer of its body fields (after the header).</summary>
public interface IFixApplicationMessage
{
    /// <summary>MsgType (35), e.g. "D"u8.</summary>
    ReadOnlySpan<byte> MsgType { get; }

    /// <summary>Writes the body fields, in order, after the session has written the header.</summary>
    void WriteBody(ref FixWriter writer);
}

/// <summary>What a FIX session offers the application side. See the file-top comment.</summary>
public interface IFixApplicationSession
{
    /// <summary>True between a completed logon and the loss of the session.</summary>
    bool IsLoggedOn { get; }

    /// <summary>Encodes and sends one application message; returns its MsgSeqNum (34), or 0 when nothing was sent.</summary>
    long Send<TMessage>(ref TMessage message) where TMessage : struct, IFixApplicationMessage;
}

/// <summary>What the application side offers a FIX session. See the file-top comment.</summary>
public interface IFixApplicationHandler
{
    /// <summary>One accepted application message; <paramref name="message"/> is valid for the call only.
    /// <paramref name="receiveNs"/>: monotonic receive time of the bytes that carried it.</summary>
    void OnApplicationMessage(in FixView message, long receiveNs);

    /// <summary>Logon completed: subscriptions are (re)sent, orders may flow.</summary>
    void OnSessionUp();

    /// <summary>The session was lost (logout, disconnect, heartbeat timeout).</summary>
    void OnSessionDown();
}
