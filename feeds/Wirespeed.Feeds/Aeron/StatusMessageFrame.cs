using System;
using System.Buffers.Binary;
using L = Wirespeed.Feeds.Aeron.AeronLayout.StatusMessage;

namespace Wirespeed.Feeds.Aeron;

/// <summary>§B.5 status message (36 bytes, 44 with a group tag; receiver → sender): consumption position and window.</summary>
public readonly ref struct StatusMessageFrame
{
    private readonly ReadOnlySpan<byte> _b;
    public StatusMessageFrame(ReadOnlySpan<byte> bytes) => _b = bytes;

    public int FrameLength => BinaryPrimitives.ReadInt32LittleEndian(_b);
    public byte Flags => _b[AeronLayout.Flags];
    public int SessionId => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.SessionId));
    public int StreamId => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.StreamId));
    public int ConsumptionTermId => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.ConsumptionTermId));
    public int ConsumptionTermOffset => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.ConsumptionTermOffset));
    public int ReceiverWindow => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.ReceiverWindow));
    public long ReceiverId => BinaryPrimitives.ReadInt64LittleEndian(_b.Slice(L.ReceiverId));
    public bool HasGroupTag => FrameLength >= L.LengthWithGroupTag && _b.Length >= L.LengthWithGroupTag;
    public long GroupTag => HasGroupTag ? BinaryPrimitives.ReadInt64LittleEndian(_b.Slice(L.GroupTag)) : 0;

    /// <summary>Writes a 36-byte SM; returns its length.</summary>
    public static int Write(Span<byte> dst, byte flags, int sessionId, int streamId, int termId, int termOffset, int window, long receiverId)
    {
        BinaryPrimitives.WriteInt32LittleEndian(dst, L.Length);
        dst[AeronLayout.Version] = AeronLayout.CurrentVersion;
        dst[AeronLayout.Flags] = flags;
        BinaryPrimitives.WriteInt16LittleEndian(dst.Slice(AeronLayout.Type), AeronFrameType.StatusMessage);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.SessionId), sessionId);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.StreamId), streamId);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.ConsumptionTermId), termId);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.ConsumptionTermOffset), termOffset);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.ReceiverWindow), window);
        BinaryPrimitives.WriteInt64LittleEndian(dst.Slice(L.ReceiverId), receiverId);
        return L.Length;
    }
}
