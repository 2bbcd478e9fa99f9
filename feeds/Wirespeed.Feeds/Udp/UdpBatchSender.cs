using System;
using System.Net;
using Wirespeed.Interop.Abi;
using Wirespeed.Interop.Handles;

namespace Wirespeed.Feeds.Udp;

/// <summary>
/// Batched UDP output for the simulator: <see cref="Add"/> copies a datagram into a staging slot, <see cref="Flush"/>
/// hands the batch to the kernel with sendmmsg (chunks of 64 per system call). About 0.5 M packets/s per core here
/// (PLATFORM.md), against one send() per packet. Full batches flush themselves. Not thread-safe; allocates nothing
/// after construction.
/// </summary>
public sealed class UdpBatchSender : IDisposable
{
    private readonly UdpSocketHandle _socket;
    private readonly byte[] _staging;   // pinned: the shim reads it by address
    private readonly TxDesc[] _descs;   // pinned
    private readonly int _slot;
    private int _count;

    /// <param name="destination">Multicast group (or unicast address) and port.</param>
    /// <param name="multicastInterface">Interface address multicast leaves by. Default: 127.0.0.1.</param>
    /// <param name="ttl">Multicast TTL; 0 keeps it on the host, 1 on the link. Default: 0.</param>
    /// <param name="batch">Datagrams per flush. Default: 64.</param>
    /// <param name="maxDatagramBytes">Largest datagram. Default: 2048.</param>
    /// <param name="sendBufferBytes">SO_SNDBUF request; 0 keeps the default. Default: 4 MiB.</param>
    public UdpBatchSender(IPEndPoint destination, IPAddress? multicastInterface = null, int ttl = 0, int batch = 64,
                          int maxDatagramBytes = 2048, int sendBufferBytes = 4 << 20)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (batch is < 1 or > 1024) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be 1..1024.");
        if (maxDatagramBytes is < 64 or > 65_507) throw new ArgumentOutOfRangeException(nameof(maxDatagramBytes), maxDatagramBytes, "must be 64..65507.");
        if (ttl is < 0 or > 255) throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "TTL must be 0..255.");
        Destination = destination;
        _slot = (maxDatagramBytes + 63) & ~63;
        _staging = GC.AllocateArray<byte>(_slot * batch, pinned: true);
        _descs = GC.AllocateArray<TxDesc>(batch, pinned: true);
        _socket = UdpSocketHandle.Open(new UdpOpen
        {
            Group = NativeUdpSocket.NetworkOrder(destination.Address),
            InterfaceAddress = NativeUdpSocket.NetworkOrder(multicastInterface ?? IPAddress.Loopback),
            Port = (ushort)destination.Port,
            Flags = UdpOpenFlags.Sender | UdpOpenFlags.NonBlocking,
            BufferBytes = sendBufferBytes,
            Ttl = (byte)ttl,
            Loop = 1,
        });
    }

    /// <summary>Where datagrams go.</summary>
    public IPEndPoint Destination { get; }
    /// <summary>Datagrams handed to the kernel.</summary>
    public long PacketsSent { get; private set; }
    /// <summary>Payload bytes handed to the kernel.</summary>
    public long BytesSent { get; private set; }
    /// <summary>Datagrams the kernel refused (socket buffer full after retries, or an error): counted, not retried forever.</summary>
    public long Dropped { get; private set; }
    /// <summary>Datagrams waiting for <see cref="Flush"/>.</summary>
    public int Pending => _count;

    /// <summary>Stages one datagram (copied); flushes first when the batch is full. Returns false for an oversize datagram.</summary>
    public bool Add(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length > _slot) { Dropped++; return false; }
        if (_count == _descs.Length) Flush();
        int offset = _count * _slot;
        datagram.CopyTo(_staging.AsSpan(offset));
        _descs[_count] = new TxDesc { Offset = (ulong)offset, Length = (uint)datagram.Length };
        _count++;
        return true;
    }

    /// <summary>Sends every staged datagram; retries a full socket buffer a bounded number of times (the receiver
    /// drains it), then counts the rest as dropped. Returns the number sent.</summary>
    public int Flush()
    {
        int sent = 0;
        for (int attempt = 0; sent < _count && attempt < 1000; attempt++)
        {
            int rc = _socket.SendBatch(_staging, _descs, sent, _count - sent);
            if (rc < 0) break;
            for (int i = sent; i < sent + rc; i++) BytesSent += _descs[i].Length;
            sent += rc;
            if (rc == 0) System.Threading.Thread.Yield();
        }
        PacketsSent += sent;
        Dropped += _count - sent;
        _count = 0;
        return sent;
    }

    public void Dispose()
    {
        if (_count > 0) Flush();
        _socket.Dispose();
    }
}
