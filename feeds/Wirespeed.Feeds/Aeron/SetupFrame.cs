using System;
using System.Buffers.Binary;
using L = Wirespeed.Feeds.Aeron.AeronLayout.Setup;

namespace Wirespeed.Feeds.Aeron;

/// <summary>§B.4 SETUP (40 bytes, sender → receiver): announces a publication and its join position.</summary>
public readonly ref struct SetupFrame
{
    private readonly ReadOnlySpan<byte> _b;
    public SetupFrame(ReadOnlySpan<byte> bytes) => _b = bytes;

    public byte Flags => _b[AeronLayout.Flags];
    public int TermOffset => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.TermOffset));
    public int SessionId => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.SessionId));
    public int StreamId => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.StreamId));
    public int InitialTermId => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.InitialTermId));
    public int ActiveTermId => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.ActiveTermId));
    public int TermLength => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.TermLength));
    public int Mtu => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.Mtu));
    public int Ttl => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.Ttl));

    /// <summary>Writes a 40-byte SETUP; returns its length.</summary>
    public static int Write(Span<byte> dst, byte flags, int termOffset, int sessionId, int streamId, int initialTermId,
                            int activeTermId, int termLength, int mtu, int ttl)
    {
        BinaryPrimitives.WriteInt32LittleEndian(dst, L.Length);
        dst[AeronLayout.Version] = AeronLayout.CurrentVersion;
        dst[AeronLayout.Flags] = flags;
        BinaryPrimitives.WriteInt16LittleEndian(dst.Slice(AeronLayout.Type), AeronFrameType.Setup);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.TermOffset), termOffset);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.SessionId), sessionId);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.StreamId), streamId);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.InitialTermId), initialTermId);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.ActiveTermId), activeTermId);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.TermLength), termLength);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.Mtu), mtu);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.Ttl), ttl);
        return L.Length;
    }
}
