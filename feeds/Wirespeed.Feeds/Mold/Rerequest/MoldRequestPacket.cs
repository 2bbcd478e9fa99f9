using System;
using System.Buffers.Binary;
using Wirespeed.Feeds.Itch;

namespace Wirespeed.Feeds.Mold.Rerequest;

/// <summary>
/// The MoldUDP64 1.00 request packet ("Request Packets"), sent by a listener to a re-request server over UDP:
/// <code>
///  0                    10                  18          20
///  +--------------------+-------------------+-----------+
///  | session (10 ASCII) | sequence (u64 BE) | count u16 |
///  +--------------------+-------------------+-----------+
/// </code>
/// Sequence is the first message wanted, count how many (the server may send fewer: whatever fits its packet). The
/// answer is ordinary downstream packets unicast back to the requesting address.
/// </summary>
public static class MoldRequestPacket
{
    public const int Length = 20;
    public const int SessionLength = 10;

    /// <summary>Writes a request into <paramref name="destination"/> (at least 20 bytes); returns 20.</summary>
    public static int Write(Span<byte> destination, ReadOnlySpan<byte> session, ulong sequence, ushort count)
    {
        if (destination.Length < Length) throw new ArgumentException("A MoldUDP64 request packet needs 20 bytes.", nameof(destination));
        if (session.Length != SessionLength) throw new ArgumentException("A MoldUDP64 session is 10 bytes (space padded).", nameof(session));
        session.CopyTo(destination);
        BinaryPrimitives.WriteUInt64BigEndian(destination.Slice(10), sequence);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(18), count);
        return Length;
    }

    /// <summary>
    /// Reads a request. Truncated when shorter than 20 bytes, BadLength when longer (a request is exactly 20 bytes) or
    /// when it asks for no message, for the end-of-session count 0xFFFF, or past sequence 2^64.
    /// </summary>
    public static DecodeStatus TryRead(ReadOnlySpan<byte> packet, out ReadOnlySpan<byte> session, out ulong sequence, out ushort count)
    {
        session = default;
        sequence = 0;
        count = 0;
        if (packet.Length < Length) return DecodeStatus.Truncated;
        session = packet.Slice(0, SessionLength);
        sequence = BinaryPrimitives.ReadUInt64BigEndian(packet.Slice(10));
        count = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(18));
        if (packet.Length != Length || count == 0 || count == 0xFFFF || sequence == 0 || sequence > ulong.MaxValue - count) return DecodeStatus.BadLength;
        return DecodeStatus.Ok;
    }
}
