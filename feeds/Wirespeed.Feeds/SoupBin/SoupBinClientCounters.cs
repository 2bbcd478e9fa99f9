namespace Wirespeed.Feeds.SoupBin;

/// <summary>
/// Per-cause counters of one SoupBinTCP client. Written by the client's I/O thread only; any thread may read them as
/// monitoring figures (a read may lag, never tear a 64-bit value on x64).
/// </summary>
public sealed class SoupBinClientCounters
{
    /// <summary>TCP connections opened.</summary>
    public long Connects;
    /// <summary>TCP connects that failed (refused, unreachable).</summary>
    public long ConnectFailures;
    /// <summary>Reconnect attempts after a lost link.</summary>
    public long Reconnects;
    public long LoginsAccepted;
    /// <summary>Login Rejected 'A': not authorized.</summary>
    public long RejectedNotAuthorized;
    /// <summary>Login Rejected 'S': session not available.</summary>
    public long RejectedSessionNotAvailable;
    /// <summary>Login Rejected with another code, or without one.</summary>
    public long RejectedOther;
    /// <summary>Servers that did not answer the login within the login timeout.</summary>
    public long LoginTimeouts;
    /// <summary>Links dropped because the server was silent past the server timeout.</summary>
    public long ServerTimeouts;
    /// <summary>Sequenced Data packets delivered to the handler.</summary>
    public long SequencedMessages;
    /// <summary>Unsequenced Data packets delivered to the handler.</summary>
    public long UnsequencedMessages;
    public long ServerHeartbeats;
    public long ClientHeartbeatsSent;
    public long DebugPackets;
    /// <summary>Packets of a type the spec does not define for a server, or not allowed in the state (data before login).</summary>
    public long UnexpectedPackets;
    /// <summary>Login Accepted packets whose payload was malformed (the link is dropped).</summary>
    public long MalformedLogins;
    /// <summary>Streams whose framing was lost (zero or oversized length prefix): the link is dropped.</summary>
    public long FramingErrors;
    /// <summary>Links the server closed while a packet was half received.</summary>
    public long DisconnectsMidPacket;
    /// <summary>Links closed for any reason.</summary>
    public long Disconnects;
    /// <summary>End of Session packets received.</summary>
    public long EndOfSession;
    public long LogoutsSent;
    /// <summary>Messages the handler could not take (its ring full): the link is dropped and the client logs in again
    /// from that message, so nothing is lost.</summary>
    public long HandlerFull;
}
