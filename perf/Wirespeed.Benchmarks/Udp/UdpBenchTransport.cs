using System;
using System.Net;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Feeds.Udp;
using Wirespeed.Interop.Abi;

namespace Wirespeed.Benchmarks.Udp;

/// <summary>The loopback transports compared by the UDP benchmarks. RecvPerPacket is the baseline (one recv() each).
/// UringEnterAlways is DEFER_TASKRUN entering the kernel on every empty poll (the behaviour before the TASKRUN flag was
/// read), kept to compare against.</summary>
public enum UdpBenchKind { RecvPerPacket, Mmsg, Uring, UringCoop, UringEnterAlways }

/// <summary>One receiver of the chosen kind on 127.0.0.1 multicast, with its arena, driven through its generic Poll.</summary>
public sealed class UdpBenchTransport : IDisposable
{
    private readonly Arena _arena;
    private readonly UdpSocketSource? _socket;
    private readonly MmsgUdpSource? _mmsg;
    private readonly UringUdpSource? _uring;

    public UdpBenchTransport(UdpBenchKind kind, string group, int port, int receiveBufferBytes = 64 << 20, int uringBuffers = 16_384)
    {
        Kind = kind;
        _arena = Arena.Create("arena.bench.udp", new ArenaOptions { SizeBytes = 64L << 20, HugePages = false, Lock = false }, new MemoryRegistry(1L << 32));
        var udp = new UdpOptions { Group = group, Port = port, Interface = "127.0.0.1", ReceiveBufferBytes = receiveBufferBytes };
        switch (kind)
        {
            case UdpBenchKind.RecvPerPacket: _socket = new UdpSocketSource(udp); GrantedBytes = _socket.GrantedReceiveBufferBytes; break;
            case UdpBenchKind.Mmsg: _mmsg = new MmsgUdpSource(udp, _arena); GrantedBytes = _mmsg.GrantedReceiveBufferBytes; break;
            case UdpBenchKind.UringCoop:
                _uring = new UringUdpSource(udp, new UringOptions { Setup = UringSetupFlags.CoopTaskRun, BufferCount = uringBuffers }, _arena);
                GrantedBytes = _uring.GrantedReceiveBufferBytes;
                break;
            case UdpBenchKind.UringEnterAlways:
                _uring = new UringUdpSource(udp, new UringOptions { Setup = UringSetupFlags.DeferTaskRun | UringSetupFlags.EnterAlways, BufferCount = uringBuffers }, _arena);
                GrantedBytes = _uring.GrantedReceiveBufferBytes;
                break;
            default:
                _uring = new UringUdpSource(udp, new UringOptions { BufferCount = uringBuffers }, _arena);
                GrantedBytes = _uring.GrantedReceiveBufferBytes;
                break;
        }
        Destination = new IPEndPoint(IPAddress.Parse(group), port);
    }

    public UdpBenchKind Kind { get; }
    public int GrantedBytes { get; }
    public IPEndPoint Destination { get; }

    /// <summary>System calls the io_uring shim made in poll so far (0 for the socket kinds).</summary>
    public ulong Enters => _uring?.NativeStats.Enters ?? 0;

    public int Poll<T>(ref T handler, int limit) where T : struct, IPacketHandler =>
        _uring is not null ? _uring.Poll(ref handler, limit)
        : _mmsg is not null ? _mmsg.Poll(ref handler, limit)
        : _socket!.Poll(ref handler, limit);

    public void Dispose()
    {
        _uring?.Dispose();
        _mmsg?.Dispose();
        _socket?.Dispose();
        _arena.Dispose();
    }
}

/// <summary>Counts datagrams and MoldUDP64 messages (header: session 10, sequence 8, count 2).</summary>
public struct CountingPacketHandler : IPacketHandler
{
    public long Packets;
    public long Messages;
    public long LastRxNs;

    public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
    {
        Packets++;
        if (payload.Length >= 20) Messages += (ushort)(payload[18] << 8 | payload[19]);
        LastRxNs = info.ReceiveTimestampNs;
    }
}
