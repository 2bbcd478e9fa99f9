namespace Wirespeed.Feeds.Aeron;

/// <summary>What <see cref="AeronFrameScanner"/> made of the next frame of a datagram. Wire data never throws.</summary>
public enum AeronFrameStatus : byte
{
    /// <summary>A well-formed frame of a type this implementation handles.</summary>
    Ok,
    /// <summary>No bytes left in the datagram.</summary>
    End,
    /// <summary>Fewer bytes than the common header or the frame type's minimum (§B.1).</summary>
    TooShort,
    /// <summary>version ≠ 0 (§B.1).</summary>
    BadVersion,
    /// <summary>frame_length runs past the end of the datagram.</summary>
    LengthPastDatagram,
    /// <summary>frame_length below the type's header (or negative) where it cannot be (a non-heartbeat DATA of 1–31 bytes, a PAD under 32).</summary>
    BadFrameLength,
    /// <summary>A type value Aeron does not define (§B.2).</summary>
    UnknownType,
    /// <summary>A type Aeron defines that needs no handling here (RES, ATS, RSP_SETUP, EXT): ignored, as aeronmd ignores what it does not accept.</summary>
    Unsupported,
}
