using System;
using System.Buffers.Binary;
using System.Net;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Interop;
using Wirespeed.Interop.Abi;
using Wirespeed.Interop.Handles;

namespace Wirespeed.Feeds.Udp;

/// <summary>
/// AF_XDP ingress (libxdp): one AF_XDP socket per receive queue, each with its UMEM carved from an <see cref="Arena"/>;
/// whole Ethernet frames are parsed in place (<see cref="UdpFrameParser"/>) and only UDP to the configured group and
/// port reaches the handler. libxdp's default program redirects every frame of the bound queues to us (ARP, IPv6,
/// IGMP and other groups too), so those frames leave the kernel stack: each is counted by cause in
/// <see cref="Frames"/> and dropped. The multicast group is still joined through an ordinary socket so that IGMP tells
/// the switch to forward it.
/// </summary>
/// <remarks>
/// Thread: poll from one thread. Receive stamps are the harvest time (AF_XDP carries none), on the monotonic clock.
/// Zero allocation and no locks in <see cref="Poll"/>. Start-up detaches a program a killed process left attached when
/// <see cref="XdpOptions.DetachLeftover"/> is set (PLATFORM.md). Dispose detaches libxdp's program.
/// </remarks>
public sealed class XdpUdpSource : IPacketSource, IDisposable
{
    private readonly PacketReceiver[] _queues;
    private readonly UdpSocketHandle? _join;
    private readonly uint _address;
    private readonly ushort _port;
    private readonly byte _lineId;
    private readonly int _batch;
    private int _next;

    /// <summary>Arena bytes this source carves for <paramref name="xdp"/>: one UMEM per receive queue it binds.</summary>
    public static long ArenaBytes(XdpOptions xdp)
    {
        var x = (xdp ?? throw new ArgumentNullException(nameof(xdp))).Validated();
        int queues = x.Queues?.Length ?? AllQueues(x.InterfaceName).Length;
        // The shim checks the whole option set (mode, interface name), as the open will: build it the same way.
        // Each UMEM is carved at Arena.MaxAlignment: count that padding too.
        return queues * (PacketReceiver.XdpArenaBytes(NativeOptions(x, 0)) + Arena.MaxAlignment);
    }

    /// <summary>Opens every configured queue. Throws (cold path) naming what failed; nothing stays attached on failure.</summary>
    public XdpUdpSource(UdpOptions udp, XdpOptions xdp, Arena arena)
    {
        ArgumentNullException.ThrowIfNull(arena);
        Options = (udp ?? throw new ArgumentNullException(nameof(udp))).Validated();
        Xdp = (xdp ?? throw new ArgumentNullException(nameof(xdp))).Validated();
        _lineId = Options.LineId;
        _batch = Xdp.Batch;
        IPAddress destination = Options.GroupAddress ?? Options.InterfaceAddress;
        _address = BinaryPrimitives.ReadUInt32BigEndian(destination.GetAddressBytes());
        _port = (ushort)Options.Port;

        int[] queues = Xdp.Queues ?? AllQueues(Xdp.InterfaceName);
        _queues = new PacketReceiver[queues.Length];
        var reasons = new System.Text.StringBuilder();
        try
        {
            for (int i = 0; i < queues.Length; i++)
            {
                var o = NativeOptions(Xdp, queues[i]);
                long bytes = PacketReceiver.XdpArenaBytes(o);
                Span<byte> umem = arena.AllocateSpan<byte>(checked((int)bytes), Arena.MaxAlignment);
                _queues[i] = PacketReceiver.OpenXdp(o, umem, _batch, out XdpOpenResult r);
                OpenResult |= r;
            }
            if (Options.GroupAddress is not null) _join = NativeUdpSocket.OpenReceiver(Options with { ReceiveBufferBytes = 64 * 1024 });
        }
        catch
        {
            Dispose();
            throw;
        }
        Queues = queues;
        ModeReason = (OpenResult & XdpOpenResult.ZeroCopy) != 0 ? "zero-copy"
            : (OpenResult & XdpOpenResult.CopyFallback) != 0 ? $"copy mode: {Xdp.InterfaceName}'s driver refused zero-copy (EOPNOTSUPP; veth and virtio do)"
            : "copy mode (zero-copy not requested)";
        if ((OpenResult & XdpOpenResult.Recovered) != 0) ModeReason += "; detached an XDP program left attached by an earlier process";
    }

    private static XdpRxOptions NativeOptions(XdpOptions x, int queue)
    {
        var o = new XdpRxOptions
        {
            QueueId = (uint)queue,
            Mode = x.Mode,
            Flags = (x.ZeroCopy ? XdpOpenFlags.WantZeroCopy : XdpOpenFlags.None)
                    | (x.DetachLeftover ? XdpOpenFlags.DetachLeftover : XdpOpenFlags.None),
            FrameCount = (uint)x.FrameCount,
            FrameSize = (uint)x.FrameSize,
            RingSize = (uint)x.FrameCount,
        };
        o.TrySetInterface(x.InterfaceName);
        return o;
    }

    private static int[] AllQueues(string interfaceName)
    {
        int n = PacketReceiver.XdpQueueCount(interfaceName);
        NativeError.ThrowIfFailed(n, $"ws_xdp_queue_count({interfaceName})");
        var q = new int[n];
        for (int i = 0; i < n; i++) q[i] = i;
        return q;
    }

    /// <summary>The validated UDP options (group, port, line id).</summary>
    public UdpOptions Options { get; }
    /// <summary>The validated AF_XDP options.</summary>
    public XdpOptions Xdp { get; }
    /// <summary>The queues bound.</summary>
    public int[] Queues { get; }
    /// <summary>What the binds granted, OR-ed over queues.</summary>
    public XdpOpenResult OpenResult { get; }
    /// <summary>Human reason for the copy mode (print at start-up).</summary>
    public string ModeReason { get; }
    /// <summary>Frames rejected, by cause; <see cref="FrameStatus.NotOurDestination"/> counts other traffic on the queues.</summary>
    public FrameCounters Frames { get; } = new();
    /// <summary>Datagrams delivered.</summary>
    public long Packets { get; private set; }
    /// <summary>Payload bytes delivered.</summary>
    public long Bytes { get; private set; }
    /// <summary>Polls or recycles that returned an error.</summary>
    public long ReceiveErrors { get; private set; }
    /// <summary>The last such error (negative WS_E* code).</summary>
    public int LastError { get; private set; }

    /// <summary>Kernel counters summed over queues (fill-ring starvation in NoBuffers; cold: reports).</summary>
    public RxStats NativeStats
    {
        get
        {
            RxStats sum = default;
            foreach (var q in _queues)
            {
                if (q is null) continue;
                RxStats s = q.Stats();
                sum.Packets += s.Packets;
                sum.NoBuffers += s.NoBuffers;
                sum.Errors += s.Errors;
                sum.Enters += s.Enters;
            }
            return sum;
        }
    }

    /// <summary>Delivers up to <paramref name="limit"/> datagrams from the queues, round robin; returns how many. Never blocks.</summary>
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
    {
        int harvested = 0, delivered = 0;
        PacketReceiver[] queues = _queues;
        for (int visited = 0; visited < queues.Length && harvested < limit; visited++)
        {
            PacketReceiver rx = queues[_next];
            _next = _next + 1 == queues.Length ? 0 : _next + 1;
            int n = rx.Poll(limit - harvested);
            if (n <= 0)
            {
                if (n < 0) { ReceiveErrors++; LastError = n; }
                continue;
            }
            harvested += n;
            for (int i = 0; i < n; i++)
            {
                FrameStatus s = UdpFrameParser.TryParse(rx.Payload(i), _address, _port, out ReadOnlySpan<byte> payload);
                if (s != FrameStatus.Ok) { Frames.Increment(s); continue; }
                var info = new PacketInfo(rx.Descriptor(i).RxMonoNs, _lineId, PacketSourceKind.Xdp);
                handler.OnPacket(payload, in info);
                Bytes += payload.Length;
                delivered++;
            }
            int rc = rx.Recycle(); // frames back to the fill ring after the handler saw them
            if (rc < 0) { ReceiveErrors++; LastError = rc; }
        }
        Packets += delivered;
        return delivered;
    }

    /// <summary>Closes every AF_XDP socket (libxdp detaches its program with the last one), then the join socket.</summary>
    public void Dispose()
    {
        if (_queues is not null)
            foreach (var q in _queues) q?.Dispose();
        _join?.Dispose();
    }
}
