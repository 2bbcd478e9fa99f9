using System;
using System.Net;
using System.Net.Sockets;

namespace Wirespeed.Feeds.Sim;

/// <summary>
/// Sends packets on a connected UDP socket to a unicast address or a multicast group. For multicast the outgoing
/// interface (IP_MULTICAST_IF) and TTL are set and loopback is on, so a receiver on the same host sees the traffic;
/// with interface 127.0.0.1 and TTL 0 or 1 nothing leaves the host (PLATFORM.md: loopback multicast works that way).
/// One send per packet; each packet carries many messages, which is the batching that matters here (sendmmsg belongs
/// to the kernel-bypass work). Not thread-safe.
/// </summary>
public sealed class UdpPacketSender : IDisposable
{
    private readonly Socket _socket;

    /// <param name="destination">Unicast address or multicast group, and port.</param>
    /// <param name="multicastInterface">Address of the interface multicast leaves by. Default: 127.0.0.1.</param>
    /// <param name="multicastTtl">Multicast TTL; 0 keeps it on the host, 1 on the link. Default: 0.</param>
    /// <param name="sendBufferBytes">SO_SNDBUF request; 0 keeps the system default. Default: 0.</param>
    public UdpPacketSender(IPEndPoint destination, IPAddress? multicastInterface = null, int multicastTtl = 0, int sendBufferBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.AddressFamily != AddressFamily.InterNetwork) throw new ArgumentException("Only IPv4 destinations are supported.", nameof(destination));
        if (multicastTtl is < 0 or > 255) throw new ArgumentOutOfRangeException(nameof(multicastTtl), multicastTtl, "TTL must be 0..255.");
        Destination = destination;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (sendBufferBytes > 0) _socket.SendBufferSize = sendBufferBytes;
            byte first = destination.Address.GetAddressBytes()[0];
            if (first >= 224 && first <= 239)
            {
                var iface = multicastInterface ?? IPAddress.Loopback;
                _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, iface.GetAddressBytes());
                _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, multicastTtl);
                _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
            }
            _socket.Connect(destination);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>Where packets go.</summary>
    public IPEndPoint Destination { get; }
    /// <summary>Packets handed to the kernel.</summary>
    public long PacketsSent { get; private set; }
    /// <summary>Payload bytes handed to the kernel.</summary>
    public long BytesSent { get; private set; }
    /// <summary>Sends that failed (for instance ECONNREFUSED after an ICMP port-unreachable on unicast).</summary>
    public long SendErrors { get; private set; }

    /// <summary>Sends one datagram; returns false (and counts it) when the kernel refused it. Never throws on a send error.</summary>
    public bool Send(ReadOnlySpan<byte> packet)
    {
        int n = _socket.Send(packet, SocketFlags.None, out SocketError error);
        if (error != SocketError.Success || n != packet.Length)
        {
            SendErrors++;
            return false;
        }
        PacketsSent++;
        BytesSent += n;
        return true;
    }

    public void Dispose() => _socket.Dispose();
}
