using System;
using System.Net;
using System.Net.Sockets;

namespace Wirespeed.Feeds.Aeron;

/// <summary>
/// Socket set-up for Aeron multicast (AERON.md §B.10), cold path: the shared, joined socket that a receiver reads data
/// on and a sender reads control on, the sending socket of a publication, and the control group G+1 of a data group G.
/// </summary>
public static class AeronMulticast
{
    // Linux socket option numbers (<asm-generic/socket.h>, <linux/in.h>): .NET names neither.
    private const int SolSocket = 1, SoReusePort = 15;
    private const int IpProtoIp = 0, IpMulticastAll = 49;

    /// <summary>The control address of data group G: G+1, same port (§B.10).</summary>
    public static IPEndPoint ControlOf(IPEndPoint group)
    {
        byte[] g = group.Address.GetAddressBytes();
        g[3]++;
        return new IPEndPoint(new IPAddress(g), group.Port);
    }

    /// <summary>
    /// Binds 0.0.0.0:port shared with the host's other receivers (SO_REUSEADDR + SO_REUSEPORT), joins
    /// <paramref name="group"/> on <paramref name="iface"/>, sends from that interface with loopback on (receivers on
    /// the same host), and turns IP_MULTICAST_ALL off so the socket sees only its own group, not the other groups of the
    /// port (§B.10: it would otherwise see G's data on the control socket and G+1's control on the data socket; both
    /// sides still filter by frame type).
    /// </summary>
    public static void ShareAndJoin(Socket socket, IPEndPoint group, IPAddress iface, int? ttl)
    {
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            socket.SetRawSocketOption(IpProtoIp, IpMulticastAll, BitConverter.GetBytes(0));
        }
        socket.Bind(new IPEndPoint(IPAddress.Any, group.Port));
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group.Address, iface));
        SetSending(socket, iface, ttl);
    }

    /// <summary>IP_MULTICAST_IF, loopback on, and the TTL when one is set.</summary>
    public static void SetSending(Socket socket, IPAddress iface, int? ttl)
    {
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, iface.GetAddressBytes());
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
        if (ttl is { } t) socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, t);
    }
}
