using System;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Interop.Abi;
using Wirespeed.Interop.Handles;

namespace Wirespeed.Feeds.Udp;

/// <summary>
/// io_uring ingress: multishot recvmsg into a provided-buffer ring carved from an <see cref="Arena"/>, each datagram
/// read in place and stamped by the kernel (SO_TIMESTAMPNS, CLOCK_REALTIME, moved into the CLOCK_MONOTONIC domain by the
/// shim with the clock offset read once per batch, so <see cref="PacketInfo.ReceiveTimestampNs"/> is comparable with
/// <c>MonoClock.NowNs</c>). Buffers go back to the kernel after the handler has seen the whole batch.
/// </summary>
/// <remarks>
/// Thread: construct, poll and dispose on the same thread (the ring is SINGLE_ISSUER with DeferTaskRun). The span given
/// to OnPacket is valid only during that call. Zero allocation and no locks in <see cref="Poll"/>. The arena must outlive
/// this source. With DeferTaskRun (the default) or CoopTaskRun an empty poll reads the ring's shared flags and makes a
/// non-waiting system call only when the kernel has flagged receive work for this thread (IORING_SQ_TASKRUN); with SqPoll
/// none (see native/src/ws_uring.c).
/// </remarks>
public sealed class UringUdpSource : IPacketSource, IDisposable
{
    private readonly UdpSocketHandle _socket;
    private readonly PacketReceiver _rx;
    private readonly byte _lineId;
    private readonly int _batch;

    /// <summary>Arena bytes this source carves for <paramref name="udp"/> and <paramref name="uring"/> (page aligned).</summary>
    public static long ArenaBytes(UdpOptions udp, UringOptions uring)
    {
        var o = NativeOptions(udp.Validated(), uring.Validated());
        return PacketReceiver.UringArenaBytes(o);
    }

    /// <summary>Opens the socket and the ring, carving buffers from <paramref name="arena"/>. Throws on configuration or
    /// system errors (cold path); nothing stays open on failure.</summary>
    public UringUdpSource(UdpOptions udp, UringOptions uring, Arena arena)
    {
        ArgumentNullException.ThrowIfNull(arena);
        Options = (udp ?? throw new ArgumentNullException(nameof(udp))).Validated();
        Uring = (uring ?? throw new ArgumentNullException(nameof(uring))).Validated();
        _lineId = Options.LineId;
        _batch = Uring.Batch;
        var o = NativeOptions(Options, Uring);
        long bytes = PacketReceiver.UringArenaBytes(o);
        Span<byte> memory = arena.AllocateSpan<byte>(checked((int)bytes), Arena.MaxAlignment);
        _socket = NativeUdpSocket.OpenReceiver(Options);
        try
        {
            _rx = PacketReceiver.OpenUring(o, _socket.Fd, memory, _batch);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        GrantedReceiveBufferBytes = _socket.GrantedBufferBytes;
        LocalPort = _socket.LocalPort();
    }

    private static UringRxOptions NativeOptions(UdpOptions udp, UringOptions uring) => new()
    {
        Entries = (uint)uring.Entries,
        SetupFlags = uring.Setup,
        SqPollCpu = uring.SqPollCpu,
        BufferCount = (uint)uring.BufferCount,
        // Header, name and control before each payload; buffers are whole cache lines.
        BufferSize = (uint)((UringRxOptions.Headroom + udp.MaxDatagramBytes + 63) & ~63),
    };

    /// <summary>The validated UDP options.</summary>
    public UdpOptions Options { get; }
    /// <summary>The validated io_uring options.</summary>
    public UringOptions Uring { get; }
    /// <summary>SO_RCVBUF as the kernel reports it (twice the usable size on Linux).</summary>
    public int GrantedReceiveBufferBytes { get; }
    /// <summary>Bound port.</summary>
    public int LocalPort { get; }
    /// <summary>Datagrams, bytes, truncations and errors (polling thread writes; others read between polls).</summary>
    public ReceiverCounters Counters { get; } = new();

    /// <summary>The shim's counters: ENOBUFS completions, re-arms, system calls (cold: reports).</summary>
    public RxStats NativeStats => _rx.Stats();

    /// <summary>Delivers up to <paramref name="limit"/> datagrams; returns how many. Never blocks.</summary>
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
        => ReceiverDrain.Poll(_rx, _batch, limit, _lineId, PacketSourceKind.Uring, Counters, ref handler);

    /// <summary>Closes the ring, then the socket. Call from the polling thread once polling has stopped.</summary>
    public void Dispose()
    {
        _rx.Dispose();    // ring first: it still references the fd
        _socket.Dispose();
    }
}
