using System;
using System.Buffers.Binary;

namespace Wirespeed.Feeds.SoupBin;

/// <summary>
/// Encodes SoupBinTCP 3.00 packets into a caller's buffer (length prefix, type, payload). Each method returns the bytes
/// written. Never allocates; throws only on a destination too small for the packet (a programmer error).
/// </summary>
public static class SoupBinWriter
{
    /// <summary>A packet of <paramref name="type"/> carrying <paramref name="payload"/> (§1.1).</summary>
    public static int Packet(Span<byte> dst, byte type, ReadOnlySpan<byte> payload)
    {
        if ((uint)payload.Length > SoupBinLayout.MaxPayloadLength) ThrowPayload(payload.Length);
        int whole = SoupBinLayout.HeaderBytes + payload.Length;
        if (dst.Length < whole) ThrowShort(whole, dst.Length);
        WriteHeader(dst, type, payload.Length);
        payload.CopyTo(dst.Slice(SoupBinLayout.HeaderBytes));
        return whole;
    }

    /// <summary>A packet with no payload: heartbeats ('H', 'R'), End of Session ('Z'), Logout Request ('O').</summary>
    public static int Empty(Span<byte> dst, byte type) => Packet(dst, type, default);

    /// <summary>Sequenced Data 'S' (§2.2.3).</summary>
    public static int SequencedData(Span<byte> dst, ReadOnlySpan<byte> message) => Packet(dst, SoupBinLayout.SequencedData, message);

    /// <summary>Unsequenced Data 'U' (§2.3.2).</summary>
    public static int UnsequencedData(Span<byte> dst, ReadOnlySpan<byte> message) => Packet(dst, SoupBinLayout.UnsequencedData, message);

    /// <summary>
    /// Login Request 'L' (§2.3.1): username (6, right-padded), password (10, right-padded), requested session (10,
    /// left-padded; blank = the currently active session), requested sequence number (20, left-padded; 0 = start with
    /// the most recently generated message). Returns 0 when a field does not fit or is not printable ASCII.
    /// </summary>
    public static int LoginRequest(Span<byte> dst, ReadOnlySpan<char> username, ReadOnlySpan<char> password,
                                   ReadOnlySpan<char> session, ulong sequence)
    {
        const int whole = SoupBinLayout.HeaderBytes + SoupBinLayout.LoginRequestPayload;
        if (dst.Length < whole) ThrowShort(whole, dst.Length);
        WriteHeader(dst, SoupBinLayout.LoginRequest, SoupBinLayout.LoginRequestPayload);
        var p = dst.Slice(SoupBinLayout.HeaderBytes, SoupBinLayout.LoginRequestPayload);
        bool ok = SoupBinFields.WriteAlphaRightPadded(p.Slice(0, SoupBinLayout.UsernameLength), username);
        ok &= SoupBinFields.WriteAlphaRightPadded(p.Slice(SoupBinLayout.UsernameLength, SoupBinLayout.PasswordLength), password);
        ok &= SoupBinFields.WriteAlphaLeftPadded(p.Slice(SoupBinLayout.UsernameLength + SoupBinLayout.PasswordLength, SoupBinLayout.SessionLength), session);
        SoupBinFields.WriteNumeric(p.Slice(SoupBinLayout.LoginRequestPayload - SoupBinLayout.SequenceLength), sequence);
        return ok ? whole : 0;
    }

    /// <summary>Login Accepted 'A' (§2.2.1): session (10, left-padded) and the sequence number of the next Sequenced
    /// Data packet the server will send (20, left-padded). Returns 0 when the session does not fit.</summary>
    public static int LoginAccepted(Span<byte> dst, ReadOnlySpan<char> session, ulong nextSequence)
    {
        const int whole = SoupBinLayout.HeaderBytes + SoupBinLayout.LoginAcceptedPayload;
        if (dst.Length < whole) ThrowShort(whole, dst.Length);
        WriteHeader(dst, SoupBinLayout.LoginAccepted, SoupBinLayout.LoginAcceptedPayload);
        var p = dst.Slice(SoupBinLayout.HeaderBytes, SoupBinLayout.LoginAcceptedPayload);
        bool ok = SoupBinFields.WriteAlphaLeftPadded(p.Slice(0, SoupBinLayout.SessionLength), session);
        SoupBinFields.WriteNumeric(p.Slice(SoupBinLayout.SessionLength), nextSequence);
        return ok ? whole : 0;
    }

    /// <summary>Login Rejected 'J' (§2.2.2) with its reason code ('A' not authorized, 'S' session not available).</summary>
    public static int LoginRejected(Span<byte> dst, byte reason)
    {
        Span<byte> code = [reason];
        return Packet(dst, SoupBinLayout.LoginRejected, code);
    }

    private static void WriteHeader(Span<byte> dst, byte type, int payload)
    {
        BinaryPrimitives.WriteUInt16BigEndian(dst, (ushort)(payload + 1));
        dst[SoupBinLayout.LengthBytes] = type;
    }

    private static void ThrowShort(int need, int have) =>
        throw new ArgumentException($"The destination holds {have} bytes; the packet needs {need}.", "dst");

    private static void ThrowPayload(int length) =>
        throw new ArgumentException($"A payload of {length} bytes exceeds SoupBinTCP's {SoupBinLayout.MaxPayloadLength}.", "payload");
}
