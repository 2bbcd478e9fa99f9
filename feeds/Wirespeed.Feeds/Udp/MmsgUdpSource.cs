using System;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Interop.Abi;
using Wirespeed.Interop.Handles;

namespace Wirespeed.Feeds.Udp;

/// <summary>
/// The batched socket fallback that works everywhere: one recvmmsg(MSG_DONTWAIT) per batch into fixed slots carved from
/// an <see cref="Arena"/>, each datagram read in place with its kernel stamp (SO_TIMESTAMPNS moved into the
/// CLOCK_MONOTONIC domain, as <see cref="UringUdpSource"/> does). About 3x the packet rate of one recv() per datagram
/// (PLATFORM.md: 1–1.5 M/s against 0.3–0.45 M/s per core).
/// </summary>
/// <remarks>Single thread: the spans handed to OnPacket are valid only during that call (the next batch reuses the slots).
/// Zero allocation and no locks in <see cref="Poll"/>; an empty poll costs one system call.
/// <para>
/// Every recvmmsg asks for a whole batch, whatever the caller's limit: datagrams received beyond the limit wait in their
/// slots and are delivered by the next polls before the socket is read again. The pipeline polls one packet at a time
/// whenever a batch of events has less room than the largest packet could decode to, so without this carry-over the
/// "batched" path made one system call per datagram, as recv() does.
/// </para></remarks>
public sealed class MmsgUdpSource : IPacketSource, IDisposable
{
    private readonly UdpSocketHandle _socket;
    private readonly PacketReceiver _rx;
    private readonly byte _lineId;
    private readonly int _batch;
    private int _next;      // first descriptor of the last recvmmsg not yet delivered
    private int _received;  // descriptors the last recvmmsg filled

    /// <summary>Arena bytes this source carves.</summary>
    public static long ArenaBytes(UdpOptions udp, int batch = 64) => PacketReceiver.MmsgArenaBytes(batch, udp.Validated().MaxDatagramBytes);

    /// <summary>Opens, sizes, binds and joins; carves <paramref name="batch"/> slots from <paramref name="arena"/>.
    /// Throws on configuration or system errors (cold path).</summary>
    public MmsgUdpSource(UdpOptions udp, Arena arena, int batch = 64)
    {
        ArgumentNullException.ThrowIfNull(arena);
        Options = (udp ?? throw new ArgumentNullException(nameof(udp))).Validated();
        if (batch is < 1 or > 1024) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be 1..1024, e.g. 64.");
        _lineId = Options.LineId;
        _batch = batch;
        long bytes = PacketReceiver.MmsgArenaBytes(batch, Options.MaxDatagramBytes);
        Span<byte> memory = arena.AllocateSpan<byte>(checked((int)bytes), 64);
        _socket = NativeUdpSocket.OpenReceiver(Options);
        try
        {
            _rx = PacketReceiver.OpenMmsg(_socket.Fd, memory, batch, Options.MaxDatagramBytes);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        GrantedReceiveBufferBytes = _socket.GrantedBufferBytes;
        LocalPort = _socket.LocalPort();
    }

    /// <summary>The validated options.</summary>
    public UdpOptions Options { get; }
    /// <summary>SO_RCVBUF as the kernel reports it (twice the usable size on Linux).</summary>
    public int GrantedReceiveBufferBytes { get; }
    /// <summary>Bound port.</summary>
    public int LocalPort { get; }
    /// <summary>Datagrams, bytes, truncations and errors (polling thread writes; others read between polls).</summary>
    public ReceiverCounters Counters { get; } = new();
    /// <summary>The shim's counters (cold: reports).</summary>
    public RxStats NativeStats => _rx.Stats();

    /// <summary>Delivers up to <paramref name="limit"/> datagrams, carried-over ones first; returns how many. Never blocks.
    /// Reads the socket again only once every datagram of the last read was delivered, and stops after a short read
    /// (the socket was drained: another call would only cost a system call).</summary>
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
    {
        int delivered = 0;
        var counters = Counters;
        while (delivered < limit)
        {
            if (_next == _received)
            {
                if (_received != 0 && _received < _batch && delivered > 0) break;   // drained at the last read
                int n = _rx.Poll(_batch);
                _next = 0;
                _received = n > 0 ? n : 0;
                if (n <= 0)
                {
                    if (n < 0) { counters.ReceiveErrors++; counters.LastError = n; }
                    break;
                }
            }
            while (_next < _received && delivered < limit)
            {
                if (!ReceiverDrain.Deliver(_rx, _next++, _lineId, PacketSourceKind.Socket, counters, ref handler)) continue;
                counters.Packets++;
                delivered++;
            }
        }
        return delivered;
    }

    public void Dispose()
    {
        _rx.Dispose();
        _socket.Dispose();
    }
}
