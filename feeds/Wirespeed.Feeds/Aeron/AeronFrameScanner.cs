using System;
using System.Buffers.Binary;

namespace Wirespeed.Feeds.Aeron;

/// <summary>One frame of a datagram as <see cref="AeronFrameScanner"/> found it: the bytes present on the wire and the
/// common header's fields.</summary>
public readonly ref struct AeronFrame
{
    /// <summary>The frame's bytes in the datagram: frame_length bytes for DATA and control frames, the 32-byte header for
    /// a PAD or a heartbeat.</summary>
    public readonly ReadOnlySpan<byte> Bytes;
    /// <summary>§B.2 frame_length (unaligned; on a PAD the padding length, 0 on a heartbeat).</summary>
    public readonly int FrameLength;
    public readonly short Type;
    public readonly byte Flags;

    public AeronFrame(ReadOnlySpan<byte> bytes, int frameLength, short type, byte flags)
    {
        Bytes = bytes;
        FrameLength = frameLength;
        Type = type;
        Flags = flags;
    }

    /// <summary>A DATA header with frame_length 0 (§B.3): liveness and the sender's position.</summary>
    public bool IsHeartbeat => Type == AeronFrameType.Data && FrameLength == 0;
}

/// <summary>
/// Walks the frames of one datagram (§B.1, §B.3) and validates each: version 0, a known type, the type's minimum length,
/// a frame_length that fits the datagram. DATA frames follow each other at 32-byte aligned offsets; a PAD is header-only
/// on the wire and ends the datagram; a heartbeat is a lone 32-byte DATA header; control frames (SETUP, SM, NAK, RTTM,
/// ERR) are one per datagram, as aeronmd reads them. After any status other than <see cref="AeronFrameStatus.Ok"/> the
/// rest of the datagram is dropped (framing is lost), except after <see cref="AeronFrameStatus.Unsupported"/>, which
/// also ends the datagram. Never throws.
/// </summary>
public ref struct AeronFrameScanner
{
    private ReadOnlySpan<byte> _rest;

    public AeronFrameScanner(ReadOnlySpan<byte> datagram) => _rest = datagram;

    /// <summary>Reads the next frame. On anything but Ok the scanner is left empty.</summary>
    public AeronFrameStatus TryNext(out AeronFrame frame)
    {
        frame = default;
        ReadOnlySpan<byte> rest = _rest;
        if (rest.IsEmpty) return AeronFrameStatus.End;
        _rest = default;                                        // every failure below ends the datagram
        if (rest.Length < AeronLayout.CommonHeaderLength) return AeronFrameStatus.TooShort;
        if (rest[AeronLayout.Version] != AeronLayout.CurrentVersion) return AeronFrameStatus.BadVersion;
        int length = BinaryPrimitives.ReadInt32LittleEndian(rest);
        byte flags = rest[AeronLayout.Flags];
        short type = BinaryPrimitives.ReadInt16LittleEndian(rest.Slice(AeronLayout.Type));

        int minimum = MinimumLength(type);
        if (minimum < 0) return minimum == -1 ? AeronFrameStatus.Unsupported : AeronFrameStatus.UnknownType;
        if (rest.Length < minimum) return AeronFrameStatus.TooShort;

        switch (type)
        {
            case AeronFrameType.Data:
                if (length == 0)
                {
                    // §B.3 heartbeat: the 32-byte header alone.
                    frame = new AeronFrame(rest.Slice(0, AeronLayout.Data.HeaderLength), 0, type, flags);
                    _rest = rest.Slice(AeronLayout.Data.HeaderLength);
                    return AeronFrameStatus.Ok;
                }
                if (length < AeronLayout.Data.HeaderLength) return AeronFrameStatus.BadFrameLength;
                if (length > rest.Length) return AeronFrameStatus.LengthPastDatagram;
                frame = new AeronFrame(rest.Slice(0, length), length, type, flags);
                int aligned = AeronLayout.Align(length);
                _rest = aligned < rest.Length ? rest.Slice(aligned) : default;
                return AeronFrameStatus.Ok;
            case AeronFrameType.Pad:
                // §B.3: only the header travels; frame_length is the padding in the term, and the PAD ends the datagram.
                if (length < AeronLayout.Data.HeaderLength) return AeronFrameStatus.BadFrameLength;
                frame = new AeronFrame(rest.Slice(0, AeronLayout.Data.HeaderLength), length, type, flags);
                return AeronFrameStatus.Ok;
            default:
                if (length < minimum) return AeronFrameStatus.BadFrameLength;
                if (length > rest.Length) return AeronFrameStatus.LengthPastDatagram;
                if (type == AeronFrameType.Error
                    && (uint)BinaryPrimitives.ReadInt32LittleEndian(rest.Slice(AeronLayout.Error.ErrorLength)) > (uint)(length - minimum))
                    return AeronFrameStatus.LengthPastDatagram;  // the text must lie inside the frame
                frame = new AeronFrame(rest.Slice(0, length), length, type, flags);
                return AeronFrameStatus.Ok;
        }
    }

    /// <summary>§B.1 minimum lengths; -1 for a defined type handled nowhere here, -2 for an undefined type.</summary>
    private static int MinimumLength(short type) => type switch
    {
        AeronFrameType.Pad or AeronFrameType.Data => AeronLayout.Data.HeaderLength,
        AeronFrameType.Setup => AeronLayout.Setup.Length,
        AeronFrameType.Rttm => AeronLayout.Rttm.Length,
        AeronFrameType.Nak => AeronLayout.Nak.Length,
        AeronFrameType.StatusMessage => AeronLayout.StatusMessage.Length,
        AeronFrameType.Error => AeronLayout.Error.HeaderLength,
        AeronFrameType.Resolution or AeronFrameType.AtsData or AeronFrameType.AtsSetup or AeronFrameType.AtsStatusMessage
            or AeronFrameType.ResponseSetup or AeronFrameType.Extension => -1,
        _ => -2,
    };
}
