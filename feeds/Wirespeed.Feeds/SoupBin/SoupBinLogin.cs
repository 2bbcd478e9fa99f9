using System;

namespace Wirespeed.Feeds.SoupBin;

/// <summary>Reads the login packets' payloads (§2.3.1 Login Request, §2.2.1 Login Accepted). Views, no copies.</summary>
public static class SoupBinLogin
{
    /// <summary>Splits a Login Request payload into its four fields (padding kept). False when the length is wrong or
    /// the requested sequence number is not numeric.</summary>
    public static bool TryReadRequest(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> username, out ReadOnlySpan<byte> password,
                                      out ReadOnlySpan<byte> session, out ulong sequence)
    {
        username = password = session = default;
        sequence = 0;
        if (payload.Length != SoupBinLayout.LoginRequestPayload) return false;
        username = payload.Slice(0, SoupBinLayout.UsernameLength);
        password = payload.Slice(SoupBinLayout.UsernameLength, SoupBinLayout.PasswordLength);
        session = payload.Slice(SoupBinLayout.UsernameLength + SoupBinLayout.PasswordLength, SoupBinLayout.SessionLength);
        return SoupBinFields.TryReadNumeric(payload.Slice(SoupBinLayout.LoginRequestPayload - SoupBinLayout.SequenceLength), out sequence);
    }

    /// <summary>Reads a Login Accepted payload: the session (padding kept) and the next sequence number. False when the
    /// length is wrong or the sequence number is not numeric or is 0 (sequences start at 1, §1.2).</summary>
    public static bool TryReadAccepted(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> session, out ulong nextSequence)
    {
        session = default;
        nextSequence = 0;
        if (payload.Length != SoupBinLayout.LoginAcceptedPayload) return false;
        session = payload.Slice(0, SoupBinLayout.SessionLength);
        return SoupBinFields.TryReadNumeric(payload.Slice(SoupBinLayout.SessionLength), out nextSequence) && nextSequence != 0;
    }
}
