using System;
using System.Net;
using System.Net.Sockets;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Time;

namespace Wirespeed.Feeds.Udp;

/// <summary>
/// The portable fallback ingress: a non-blocking UDP socket (any-source multicast join on the configured interface, or
/// a unicast bind) drained with one recv() per datagram into one pre-allocated buffer. Socket.Receive(Span) on a
/// non-blocking socket allocates nothing per call (checked by Receive_allocates_nothing_per_packet_after_warm_up), so
/// no P/Invoke is needed. A datagram longer than MaxDatagramBytes is detected by receiving into a buffer one byte
/// larger: a receive that fills it was truncated by the kernel, and is counted and dropped. Single-threaded: the
/// polling thread owns the buffer; the span handed to OnPacket is valid only during that call.
/// </summary>
public sealed class UdpSocketSource : IPacketSource, IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer;
    private readonly int _maxDatagram;
    private readonly byte _lineId;

    /// <summary>Opens, sizes, binds and (for multicast) joins. Throws on configuration or system errors (cold path).</summary>
    public UdpSocketSource(UdpOptions options)
    {
        Options = (options ?? throw new ArgumentNullException(nameof(options))).Validated();
        _maxDatagram = Options.MaxDatagramBytes;
        _buffer = GC.AllocateArray<byte>(_maxDatagram + 1, pinned: true);
        _lineId = Options.LineId;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _socket.ReceiveBufferSize = Options.ReceiveBufferBytes;
            GrantedReceiveBufferBytes = _socket.ReceiveBufferSize;
            IPAddress? group = Options.GroupAddress;
            IPAddress iface = Options.InterfaceAddress;
            if (group is not null)
            {
                // Bind to the group address, not INADDR_ANY: on Linux this filters out other groups on the same port.
                _socket.Bind(new IPEndPoint(group, Options.Port));
                _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group, iface));
            }
            else
            {
                _socket.Bind(new IPEndPoint(iface, Options.Port));
            }
            _socket.Blocking = false;
            LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>The validated options.</summary>
    public UdpOptions Options { get; }
    /// <summary>SO_RCVBUF as the kernel reports it after the request (Linux reports twice the usable size, capped by rmem_max).</summary>
    public int GrantedReceiveBufferBytes { get; }
    /// <summary>The bound address and port (the port is the one granted when Port was 0).</summary>
    public IPEndPoint LocalEndPoint { get; }
    /// <summary>Datagrams delivered.</summary>
    public long Packets { get; private set; }
    /// <summary>Payload bytes delivered.</summary>
    public long Bytes { get; private set; }
    /// <summary>Datagrams longer than MaxDatagramBytes, dropped.</summary>
    public long Truncated { get; private set; }
    /// <summary>Receive calls that failed with an error other than "would block".</summary>
    public long ReceiveErrors { get; private set; }
    /// <summary>The last such error, for the monitor.</summary>
    public SocketError LastError { get; private set; }

    /// <summary>
    /// Receives and delivers up to <paramref name="limit"/> datagrams, each stamped with <see cref="MonoClock.NowNs"/>
    /// right after the receive returns. Returns the number delivered; never blocks.
    /// </summary>
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
    {
        int delivered = 0;
        Span<byte> buffer = _buffer;
        for (int attempt = 0; attempt < limit; attempt++)
        {
            int n = _socket.Receive(buffer, SocketFlags.None, out SocketError error);
            if (error != SocketError.Success)
            {
                if (error != SocketError.WouldBlock && error != SocketError.Interrupted)
                {
                    ReceiveErrors++;
                    LastError = error;
                }
                break;
            }
            long rx = MonoClock.NowNs();
            if (n > _maxDatagram)
            {
                Truncated++;
                continue;
            }
            Packets++;
            Bytes += n;
            var info = new PacketInfo(rx, _lineId, PacketSourceKind.Socket);
            handler.OnPacket(buffer.Slice(0, n), in info);
            delivered++;
        }
        return delivered;
    }

    public void Dispose() => _socket.Dispose();
}
