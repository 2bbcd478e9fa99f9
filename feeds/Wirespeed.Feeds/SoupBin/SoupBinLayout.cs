namespace Wirespeed.Feeds.SoupBin;

/*
 * SoupBinTCP 3.00 logical packet (§1.1 "SoupBinTCP Logical Packets"):
 *
 *   +--------+--------+------+---------------------------+
 *   | length (u16 BE) | type | payload (length - 1 bytes)|
 *   +--------+--------+------+---------------------------+
 *
 * The length counts the type byte and the payload, not itself; the protocol defines no maximum payload, so the only
 * bound is the field's own (65,535 - 1). Packets do not map onto TCP segments: one segment may hold several packets or
 * a fragment of one (§1.1, notes).
 *
 * Data types (§2 "Data Types"): Alpha fields are ASCII, left-justified and right-padded with spaces; Numeric fields
 * are ASCII digits, right-justified and left-padded with spaces. The spec's field notes say where a field departs from
 * that (the session fields are left-padded).
 */

/// <summary>Byte layout and constants of SoupBinTCP 3.00 (packet header, packet types, field widths).</summary>
public static class SoupBinLayout
{
    /// <summary>Bytes of the length prefix.</summary>
    public const int LengthBytes = 2;
    /// <summary>Length prefix plus packet type.</summary>
    public const int HeaderBytes = 3;
    /// <summary>Largest payload the 16-bit length can describe (65,535 minus the type byte).</summary>
    public const int MaxPayloadLength = ushort.MaxValue - 1;

    // Packet types. §2.1 Debug Packet (either direction).
    /// <summary>'+' Debug: free text, either direction; ignored by the receiver.</summary>
    public const byte Debug = (byte)'+';
    // §2.2 Logical packets sent by a SoupBinTCP server.
    /// <summary>'A' Login Accepted: session (10, left-padded) and next sequence number (20 numeric).</summary>
    public const byte LoginAccepted = (byte)'A';
    /// <summary>'J' Login Rejected: reject reason code (1).</summary>
    public const byte LoginRejected = (byte)'J';
    /// <summary>'S' Sequenced Data: one higher-level message; its sequence number is implicit (counted).</summary>
    public const byte SequencedData = (byte)'S';
    /// <summary>'H' Server Heartbeat: sent when the server has sent nothing for 1 s.</summary>
    public const byte ServerHeartbeat = (byte)'H';
    /// <summary>'Z' End of Session: the server will send no more sequenced data in this session.</summary>
    public const byte EndOfSession = (byte)'Z';
    // §2.3 Logical packets sent by a SoupBinTCP client.
    /// <summary>'L' Login Request: username 6, password 10, requested session 10, requested sequence number 20.</summary>
    public const byte LoginRequest = (byte)'L';
    /// <summary>'U' Unsequenced Data: one higher-level message, not sequenced, may be lost on reconnect.</summary>
    public const byte UnsequencedData = (byte)'U';
    /// <summary>'R' Client Heartbeat: sent when the client has sent nothing for 1 s.</summary>
    public const byte ClientHeartbeat = (byte)'R';
    /// <summary>'O' Logout Request: the client ends the session; the server closes the socket.</summary>
    public const byte LogoutRequest = (byte)'O';

    // Login Rejected reason codes (§2.2.2).
    /// <summary>'A' Not Authorized: the username or password was wrong.</summary>
    public const byte RejectNotAuthorized = (byte)'A';
    /// <summary>'S' Session not available: the requested session is not valid or not available.</summary>
    public const byte RejectSessionNotAvailable = (byte)'S';

    // Field widths (§2.3.1 Login Request, §2.2.1 Login Accepted).
    /// <summary>Username: 6 Alpha, case-insensitive, right-padded.</summary>
    public const int UsernameLength = 6;
    /// <summary>Password: 10 Alpha, case-insensitive, right-padded.</summary>
    public const int PasswordLength = 10;
    /// <summary>Session: 10 Alpha, left-padded with spaces; all blanks in a login request means the current session.</summary>
    public const int SessionLength = 10;
    /// <summary>Sequence number: 20 Numeric, ASCII digits, left-padded with spaces.</summary>
    public const int SequenceLength = 20;

    /// <summary>Payload of a Login Request: 6 + 10 + 10 + 20.</summary>
    public const int LoginRequestPayload = UsernameLength + PasswordLength + SessionLength + SequenceLength;
    /// <summary>Payload of a Login Accepted: 10 + 20.</summary>
    public const int LoginAcceptedPayload = SessionLength + SequenceLength;
    /// <summary>Payload of a Login Rejected: the reason code.</summary>
    public const int LoginRejectedPayload = 1;

    /// <summary>Seconds of silence after which each side sends a heartbeat (§1.3 Heartbeats).</summary>
    public const int HeartbeatIntervalSeconds = 1;
    /// <summary>Seconds without anything from the peer after which the link is presumed dead ("typically 15", §1.3).</summary>
    public const int DefaultPeerTimeoutSeconds = 15;
}
