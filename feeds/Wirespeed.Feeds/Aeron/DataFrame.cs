using System;
using System.Buffers.Binary;
using L = Wirespeed.Feeds.Aeron.AeronLayout.Data;

namespace Wirespeed.Feeds.Aeron;

/// <summary>§B.3 DATA / PAD / heartbeat header (32 bytes) over validated bytes (see <see cref="AeronFrameScanner"/>).</summary>
public readonly ref struct DataFrame
{
    private readonly ReadOnlySpan<byte> _b;
    public DataFrame(ReadOnlySpan<byte> bytes) => _b = bytes;

    public int FrameLength => BinaryPrimitives.ReadInt32LittleEndian(_b);
    public byte Flags => _b[AeronLayout.Flags];
    public short Type => BinaryPrimitives.ReadInt16LittleEndian(_b.Slice(AeronLayout.Type));
    public int TermOffset => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.TermOffset));
    public int SessionId => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.SessionId));
    public int StreamId => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.StreamId));
    public int TermId => BinaryPrimitives.ReadInt32LittleEndian(_b.Slice(L.TermId));
    public long ReservedValue => BinaryPrimitives.ReadInt64LittleEndian(_b.Slice(L.ReservedValue));
    /// <summary>The bytes after the 32-byte header (empty for a PAD or heartbeat as seen on the wire).</summary>
    public ReadOnlySpan<byte> Payload => _b.Slice(L.HeaderLength);

    /// <summary>Writes a 32-byte DATA or PAD header. <paramref name="frameLength"/> is 32 + payload (0 for a heartbeat,
    /// the padding length for a PAD).</summary>
    public static void WriteHeader(Span<byte> dst, int frameLength, byte flags, short type, int termOffset, int sessionId,
                                   int streamId, int termId, long reservedValue = 0)
    {
        BinaryPrimitives.WriteInt32LittleEndian(dst, frameLength);
        dst[AeronLayout.Version] = AeronLayout.CurrentVersion;
        dst[AeronLayout.Flags] = flags;
        BinaryPrimitives.WriteInt16LittleEndian(dst.Slice(AeronLayout.Type), type);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.TermOffset), termOffset);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.SessionId), sessionId);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.StreamId), streamId);
        BinaryPrimitives.WriteInt32LittleEndian(dst.Slice(L.TermId), termId);
        BinaryPrimitives.WriteInt64LittleEndian(dst.Slice(L.ReservedValue), reservedValue);
    }

    /// <summary>A heartbeat at the sender position (§B.3): frame_length 0, BEGIN|END, plus EOS when the stream ended.</summary>
    public static void WriteHeartbeat(Span<byte> dst, int termOffset, int sessionId, int streamId, int termId, bool endOfStream)
        => WriteHeader(dst, 0, endOfStream ? (byte)(AeronFlags.Unfragmented | AeronFlags.EndOfStream) : AeronFlags.Unfragmented,
                       AeronFrameType.Data, termOffset, sessionId, streamId, termId);
}
