using System;
using System.Buffers.Binary;
using L = Wirespeed.Feeds.Aeron.AeronLayout.Error;

namespace Wirespeed.Feeds.Aeron;

/// <summary>§B.8 ERR (40 bytes + UTF-8 text ≤ 1023 bytes, receiver → sender): the receiver rejected the image.</summary>
public readonly ref struct ErrorFrame
{
    private readonly ReadOnlySpan<byte> _b;
    public ErrorFrame(ReadOnlySpan<byte> bytes) => _b = bytes;

    public byte Flags => _b[AeronLayout.Flags];
    public int SessionId => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.SessionId));
    public int StreamId => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.StreamId));
    public long ReceiverId => BinaryPrimitives.ReadInt64LittleEndian(_b.Slice(L.ReceiverId));
    public long GroupTag => BinaryPrimitives.ReadInt64LittleEndian(_b.Slice(L.GroupTag));
    public int ErrorCode => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.ErrorCode));
    public int ErrorLength => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.ErrorLength));
    /// <summary>The UTF-8 text (the scanner checked that it lies inside the frame).</summary>
    public ReadOnlySpan<byte> Text => _b.Slice(L.HeaderLength, ErrorLength);

    /// <summary>Writes an ERR; text beyond 1023 bytes is cut. Returns the frame length.</summary>
    public static int Write(Span<byte> dst, int sessionId, int streamId, long receiverId, long? groupTag, int errorCode, ReadOnlySpan<byte> text)
    {
        if (text.Length > L.MaxTextLength) text = text.Slice(0, L.MaxTextLength);
        int length = L.HeaderLength + text.Length;
        BinaryPrimitives.WriteInt32LittleEndian(dst, length);
        dst[AeronLayout.Version] = AeronLayout.CurrentVersion;
        dst[AeronLayout.Flags] = groupTag.HasValue ? AeronFlags.ErrorGroupTag : (byte)0;
        BinaryPrimitives.WriteInt16LittleEndian(dst.Slice(AeronLayout.Type), AeronFrameType.Error);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.SessionId), sessionId);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.StreamId), streamId);
        BinaryPrimitives.WriteInt64LittleEndian(dst.Slice(L.ReceiverId), receiverId);
        BinaryPrimitives.WriteInt64LittleEndian(dst.Slice(L.GroupTag), groupTag ?? 0);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.ErrorCode), errorCode);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.ErrorLength), text.Length);
        text.CopyTo(dst.Slice(L.HeaderLength));
        return length;
    }
}
