using System;
using System.Buffers.Binary;
using System.IO;

namespace Wirespeed.Feeds.Sim;

/// <summary>
/// Writes ITCH messages in the NASDAQ binary file format: each message preceded by its length as u16 big-endian — the
/// same block layout as inside a MoldUDP64 packet, so a packet's blocks are copied as they are. Cold path (file I/O).
/// </summary>
public sealed class ItchFileWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;

    public ItchFileWriter(Stream stream, bool ownsStream = false)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _ownsStream = ownsStream;
    }

    /// <summary>Creates (or truncates) the file at <paramref name="path"/>.</summary>
    public static ItchFileWriter Create(string path) => new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16), ownsStream: true);

    /// <summary>Messages written so far.</summary>
    public long Messages { get; private set; }

    /// <summary>Writes every message block of a MoldUDP64 packet; heartbeats and end-of-session packets carry none.</summary>
    public void WritePacket(ReadOnlySpan<byte> moldPacket)
    {
        if (moldPacket.Length < MoldPacketWriter.HeaderLength) return;
        ushort count = BinaryPrimitives.ReadUInt16BigEndian(moldPacket.Slice(18));
        if (count == 0 || count == MoldPacketWriter.EndOfSessionCount) return;
        _stream.Write(moldPacket.Slice(MoldPacketWriter.HeaderLength));
        Messages += count;
    }

    /// <summary>Writes one message with its length prefix.</summary>
    public void WriteMessage(ReadOnlySpan<byte> message)
    {
        Span<byte> len = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(len, (ushort)message.Length);
        _stream.Write(len);
        _stream.Write(message);
        Messages++;
    }

    public void Flush() => _stream.Flush();

    public void Dispose()
    {
        _stream.Flush();
        if (_ownsStream) _stream.Dispose();
    }
}
