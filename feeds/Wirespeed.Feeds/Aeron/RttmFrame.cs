using System;
using System.Buffers.Binary;
using L = Wirespeed.Feeds.Aeron.AeronLayout.Rttm;

namespace Wirespeed.Feeds.Aeron;

/// <summary>§B.7 RTT measurement (40 bytes). Flag 0x80 (named REPLY by Aeron) marks a request to answer.</summary>
public readonly ref struct RttmFrame
{
    private readonly ReadOnlySpan<byte> _b;
    public RttmFrame(ReadOnlySpan<byte> bytes) => _b = bytes;

    public byte Flags => _b[AeronLayout.Flags];
    public bool IsRequest => (Flags & AeronFlags.RttmReply) != 0;
    public int SessionId => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.SessionId));
    public int StreamId => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.StreamId));
    public long EchoTimestamp => BinaryPrimitives.ReadInt64LittleEndian(_b.Slice(L.EchoTimestamp));
    public long ReceptionDelta => BinaryPrimitives.ReadInt64LittleEndian(_b.Slice(L.ReceptionDelta));
    public long ReceiverId => BinaryPrimitives.ReadInt64LittleEndian(_b.Slice(L.ReceiverId));

    /// <summary>Writes a 40-byte RTTM; returns its length.</summary>
    public static int Write(Span<byte> dst, byte flags, int sessionId, int streamId, long echoTimestamp, long receptionDelta, long receiverId)
    {
        BinaryPrimitives.WriteInt32LittleEndian(dst, L.Length);
        dst[AeronLayout.Version] = AeronLayout.CurrentVersion;
        dst[AeronLayout.Flags] = flags;
        BinaryPrimitives.WriteInt16LittleEndian(dst.Slice(AeronLayout.Type), AeronFrameType.Rttm);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.SessionId), sessionId);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.StreamId), streamId);
        BinaryPrimitives.WriteInt64LittleEndian(dst.Slice(L.EchoTimestamp), echoTimestamp);
        BinaryPrimitives.WriteInt64LittleEndian(dst.Slice(L.ReceptionDelta), receptionDelta);
        BinaryPrimitives.WriteInt64LittleEndian(dst.Slice(L.ReceiverId), receiverId);
        return L.Length;
    }

    /// <summary>The answer to a request (§B.7): same echo timestamp and receiver id, reception delta 0, flags 0.</summary>
    public static int WriteReply(Span<byte> dst, RttmFrame request)
        => Write(dst, 0, request.SessionId, request.StreamId, request.EchoTimestamp, 0, request.ReceiverId);
}
