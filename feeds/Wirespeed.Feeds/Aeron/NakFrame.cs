using System;
using System.Buffers.Binary;
using L = Wirespeed.Feeds.Aeron.AeronLayout.Nak;

namespace Wirespeed.Feeds.Aeron;

/// <summary>§B.6 NAK (28 bytes, receiver → sender): one gap of a term to resend.</summary>
public readonly ref struct NakFrame
{
    private readonly ReadOnlySpan<byte> _b;
    public NakFrame(ReadOnlySpan<byte> bytes) => _b = bytes;

    public int SessionId => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.SessionId));
    public int StreamId => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.StreamId));
    public int TermId => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.TermId));
    public int TermOffset => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.TermOffset));
    public int GapLength => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.GapLength));

    /// <summary>Writes a 28-byte NAK (flags 0); returns its length.</summary>
    public static int Write(Span<byte> dst, int sessionId, int streamId, int termId, int termOffset, int length)
    {
        BinaryPrimitives.WriteInt32LittleEndian(dst, L.Length);
        dst[AeronLayout.Version] = AeronLayout.CurrentVersion;
        dst[AeronLayout.Flags] = 0;
        BinaryPrimitives.WriteInt16LittleEndian(dst.Slice(AeronLayout.Type), AeronFrameType.Nak);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.SessionId), sessionId);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.StreamId), streamId);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.TermId), termId);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.TermOffset), termOffset);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.GapLength), length);
        return L.Length;
    }
}
