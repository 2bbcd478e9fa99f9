using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Wirespeed.Feeds.Itch;

/// <summary>
/// Reads one MoldUDP64 1.00 downstream packet: the header, then its message blocks.
/// </summary>
/// <remarks>
/// <code>
///  0                    10                  18       20
///  +--------------------+-------------------+--------+----------------------------------+
///  | session (10 ASCII) | sequence (u64 BE) | count  | count x [ length (u16 BE) | msg ] |
///  +--------------------+-------------------+--------+----------------------------------+
/// </code>
/// Sequence is that of the first message in the packet. Count 0 is a heartbeat (sequence = next expected), 0xFFFF is
/// end of session; neither carries blocks. A block of length 0 or one that runs past the packet is BadLength; a packet
/// that ends before <c>count</c> blocks (or inside a length prefix) is Truncated. Bytes left after <c>count</c> blocks
/// are reported by <see cref="Remaining"/>; the reader stops at <c>count</c>.
/// </remarks>
public ref struct MoldPacketReader
{
    public const int HeaderSize = 20;
    public const int SessionLength = 10;
    public const int SequenceOffset = 10;
    public const int CountOffset = 18;
    public const ushort HeartbeatCount = 0;
    public const ushort EndOfSessionCount = 0xFFFF;

    private ReadOnlySpan<byte> _rest;
    private int _read;

    /// <summary>Parses the header of <paramref name="packet"/>; check <see cref="HeaderStatus"/> before anything else.</summary>
    public MoldPacketReader(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < HeaderSize)
        {
            HeaderStatus = DecodeStatus.Truncated;
            Session = default; Sequence = 0; Count = 0; _rest = default; _read = 0; LastBlockLength = 0;
            return;
        }
        HeaderStatus = DecodeStatus.Ok;
        Session = packet.Slice(0, SessionLength);
        Sequence = BinaryPrimitives.ReadUInt64BigEndian(packet.Slice(SequenceOffset));
        Count = BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(CountOffset));
        _rest = packet.Slice(HeaderSize);
        _read = 0;
        LastBlockLength = 0;
    }

    /// <summary>Ok, or Truncated when the packet is shorter than the 20-byte header.</summary>
    public DecodeStatus HeaderStatus { get; }
    /// <summary>The 10 session bytes (ASCII, space padded on the wire).</summary>
    public ReadOnlySpan<byte> Session { get; }
    /// <summary>Sequence number of the first message in the packet.</summary>
    public ulong Sequence { get; }
    /// <summary>Message count: 0 heartbeat, 0xFFFF end of session.</summary>
    public ushort Count { get; }
    public readonly bool IsHeartbeat => Count == HeartbeatCount;
    public readonly bool IsEndOfSession => Count == EndOfSessionCount;
    /// <summary>Messages in the packet (0 for heartbeat and end of session).</summary>
    public readonly int MessageCount => Count == EndOfSessionCount ? 0 : Count;
    /// <summary>Blocks read so far.</summary>
    public readonly int BlocksRead => _read;
    /// <summary>Bytes not yet consumed.</summary>
    public readonly int Remaining => _rest.Length;
    /// <summary>Length prefix of the last block attempted (0 for a zero-length block).</summary>
    public int LastBlockLength { get; private set; }

    /// <summary>Next message; End after <see cref="MessageCount"/> blocks. After a non-Ok status, framing is lost: stop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public DecodeStatus TryRead(out ReadOnlySpan<byte> message)
    {
        message = default;
        if (_read >= MessageCount) return DecodeStatus.End;
        if (_rest.Length < sizeof(ushort)) { LastBlockLength = -1; return DecodeStatus.Truncated; }
        int length = BinaryPrimitives.ReadUInt16BigEndian(_rest);
        LastBlockLength = length;
        if (length == 0 || length > _rest.Length - sizeof(ushort)) return DecodeStatus.BadLength;
        message = _rest.Slice(sizeof(ushort), length);
        _rest = _rest.Slice(sizeof(ushort) + length);
        _read++;
        return DecodeStatus.Ok;
    }
}
