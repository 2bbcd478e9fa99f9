using System;
using System.Net;
using System.Runtime.InteropServices;
using Wirespeed.Interop.Abi;
using Wirespeed.Interop.Handles;

namespace Wirespeed.Feeds.Udp;

/// <summary>Cold-path helpers that turn <see cref="UdpOptions"/> into the native socket the native transports use.</summary>
internal static class NativeUdpSocket
{
    /// <summary>IPv4 address as the kernel stores it (network byte order in memory).</summary>
    public static uint NetworkOrder(IPAddress? address)
    {
        if (address is null) return 0;
        Span<byte> b = stackalloc byte[4];
        if (!address.TryWriteBytes(b, out int n) || n != 4) throw new ArgumentException($"{address} is not an IPv4 address.", nameof(address));
        return MemoryMarshal.Read<uint>(b);
    }

    /// <summary>Opens a non-blocking receiver with SO_TIMESTAMPNS: bind, join (any-source or source-specific), size.</summary>
    public static UdpSocketHandle OpenReceiver(UdpOptions o)
    {
        var open = new UdpOpen
        {
            Group = NetworkOrder(o.GroupAddress),
            Source = NetworkOrder(o.SourceAddress),
            InterfaceAddress = NetworkOrder(o.InterfaceAddress),
            InterfaceIndex = o.InterfaceIndex,
            Port = (ushort)o.Port,
            Flags = UdpOpenFlags.ReuseAddress | UdpOpenFlags.TimestampNs | UdpOpenFlags.NonBlocking
                    | (o.ForceReceiveBuffer ? UdpOpenFlags.ForceBuffer : UdpOpenFlags.None),
            BufferBytes = o.ReceiveBufferBytes,
        };
        return UdpSocketHandle.Open(open);
    }
}
