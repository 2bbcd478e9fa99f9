using System;
using System.Buffers.Binary;
using System.Net;
using Wirespeed.Interop.Handles;

namespace Wirespeed.Tests.Integration;

/// <summary>Injects hand-made Ethernet frames on an interface (AF_PACKET), and builds them.</summary>
internal sealed class RawFrameSender(string interfaceName) : IDisposable
{
    private readonly RawPacketSocket _socket = RawPacketSocket.Open(interfaceName);

    public void Send(byte[] frame)
    {
        int n = _socket.Send(frame);
        if (n != frame.Length) throw new InvalidOperationException($"raw send returned {n}");
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>Broadcast Ethernet / IPv4 / UDP to group:port with a correct IP header checksum.</summary>
    public static byte[] UdpFrame(string group, int port, int payload)
    {
        var f = new byte[14 + 20 + 8 + payload];
        for (int i = 0; i < 6; i++) f[i] = 0xFF;
        f[6] = 0x02; f[11] = 0x01; // a locally administered source MAC
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x0800);
        Span<byte> ip = f.AsSpan(14);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(2), (ushort)(28 + payload));
        ip[8] = 1;
        ip[9] = 17;
        IPAddress.Parse("10.1.1.1").TryWriteBytes(ip.Slice(12), out _);
        IPAddress.Parse(group).TryWriteBytes(ip.Slice(16), out _);
        FixChecksum(ip);
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(20), 5000);
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(22), (ushort)port);
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(24), (ushort)(8 + payload));
        return f;
    }

    public static byte[] With(byte[] frame, int offset, params byte[] bytes)
    {
        var f = (byte[])frame.Clone();
        bytes.CopyTo(f, offset);
        return f;
    }

    public static byte[] WithIhl(byte[] frame, int words)
    {
        var f = (byte[])frame.Clone();
        f[14] = (byte)(0x40 | words);
        FixChecksum(f.AsSpan(14));
        return f;
    }

    public static byte[] WithUdpLength(byte[] frame, int length)
    {
        var f = (byte[])frame.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(14 + 20 + 4), (ushort)length);
        return f;
    }

    private static void FixChecksum(Span<byte> ip)
    {
        int ihl = Math.Max(20, (ip[0] & 0xF) * 4);
        ip[10] = ip[11] = 0;
        uint sum = 0;
        for (int i = 0; i < ihl; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(ip.Slice(i));
        while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(ip.Slice(10), (ushort)~sum);
    }
}
