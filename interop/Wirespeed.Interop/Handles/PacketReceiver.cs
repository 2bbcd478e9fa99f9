using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Wirespeed.Interop.Abi;

namespace Wirespeed.Interop.Handles;

/// <summary>Which native receive path a <see cref="PacketReceiver"/> drives.</summary>
internal enum ReceiverKind : byte
{
    /// <summary>recvmmsg into fixed slots; nothing to give back.</summary>
    Mmsg = 1,
    /// <summary>io_uring multishot recvmsg with a provided-buffer ring; buffers are given back after each batch.</summary>
    Uring = 2,
    /// <summary>AF_XDP: whole Ethernet frames in the UMEM; frames go back to the fill ring after each batch.</summary>
    Xdp = 3,
}

/// <summary>
/// One native receive handle (io_uring ring or recvmmsg receiver) over a caller's arena, with the descriptor array it
/// fills. Owned by one thread: the one that polls (for io_uring also the one that opened it: SINGLE_ISSUER).
/// </summary>
/// <remarks>
/// <see cref="Poll"/> fills the descriptors; <see cref="Payload"/> and <see cref="Descriptor"/> read them in place,
/// valid until the next <see cref="Poll"/>; <see cref="Recycle"/> gives the batch's io_uring buffers back (a no-op for
/// recvmmsg, whose slots are reused by the next poll). The arena is a span over unmanaged, page-aligned memory
/// (Core's Arena): its address never moves, so the shim keeps the pointer.
/// </remarks>
internal sealed unsafe class PacketReceiver : SafeHandle
{
    private readonly byte* _arena;
    private readonly RxDesc* _descs;     // pinned array below: the address is stable for the receiver's life
    private readonly RxDesc[] _descArray;
    private readonly int _batch;
    private int _count;

    private PacketReceiver(ReceiverKind kind, byte* arena, int batch) : base(IntPtr.Zero, ownsHandle: true)
    {
        Kind = kind;
        _arena = arena;
        _batch = batch;
        _descArray = GC.AllocateArray<RxDesc>(batch, pinned: true);
        _descs = (RxDesc*)Unsafe.AsPointer(ref _descArray[0]);
    }

    public ReceiverKind Kind { get; }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Descriptors per poll.</summary>
    public int Batch => _batch;

    /// <summary>Arena bytes an io_uring receiver needs for these settings; throws on bad settings (cold).</summary>
    public static long UringArenaBytes(in UringRxOptions options)
    {
        UringRxOptions o = options;
        ulong bytes;
        NativeError.ThrowIfFailed(Native.UringRxArenaBytes(&o, &bytes), "ws_uring_rx_arena_bytes");
        return (long)bytes;
    }

    /// <summary>Arena bytes a recvmmsg receiver needs; throws on bad settings (cold).</summary>
    public static long MmsgArenaBytes(int batch, int bufferSize)
    {
        ulong bytes;
        NativeError.ThrowIfFailed(Native.MmsgRxArenaBytes((uint)batch, (uint)bufferSize, &bytes), "ws_mmsg_rx_arena_bytes");
        return (long)bytes;
    }

    /// <summary>Cold path: opens an io_uring receiver on <paramref name="fd"/> over <paramref name="arena"/>.</summary>
    public static PacketReceiver OpenUring(in UringRxOptions options, int fd, Span<byte> arena, int batch)
    {
        UringRxOptions o = options;
        byte* p = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(arena));
        var r = new PacketReceiver(ReceiverKind.Uring, p, batch);
        nint h;
        NativeError.ThrowIfFailed(Native.UringRxOpen(&o, fd, p, (ulong)arena.Length, &h), "ws_uring_rx_open");
        r.SetHandle(h);
        return r;
    }

    /// <summary>Cold path: opens a recvmmsg receiver on <paramref name="fd"/> over <paramref name="arena"/>.</summary>
    public static PacketReceiver OpenMmsg(int fd, Span<byte> arena, int batch, int bufferSize)
    {
        byte* p = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(arena));
        var r = new PacketReceiver(ReceiverKind.Mmsg, p, batch);
        nint h;
        NativeError.ThrowIfFailed(Native.MmsgRxOpen(fd, p, (ulong)arena.Length, (uint)batch, (uint)bufferSize, &h), "ws_mmsg_rx_open");
        r.SetHandle(h);
        return r;
    }

    /// <summary>Arena bytes (UMEM) an AF_XDP receiver needs; throws on bad settings (cold).</summary>
    public static long XdpArenaBytes(in XdpRxOptions options)
    {
        XdpRxOptions o = options;
        ulong bytes;
        NativeError.ThrowIfFailed(Native.XdpRxArenaBytes(&o, &bytes), "ws_xdp_rx_arena_bytes");
        return (long)bytes;
    }

    /// <summary>Cold path: opens an AF_XDP receiver with <paramref name="arena"/> as its UMEM.</summary>
    public static PacketReceiver OpenXdp(in XdpRxOptions options, Span<byte> arena, int batch, out XdpOpenResult result)
    {
        XdpRxOptions o = options;
        byte* p = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(arena));
        var r = new PacketReceiver(ReceiverKind.Xdp, p, batch);
        nint h;
        uint res = 0;
        NativeError.ThrowIfFailed(Native.XdpRxOpen(&o, p, (ulong)arena.Length, &h, &res), "ws_xdp_rx_open");
        r.SetHandle(h);
        result = (XdpOpenResult)res;
        return r;
    }

    /// <summary>Detaches any XDP program from <paramref name="interfaceName"/> (cold; start-up recovery and tests).</summary>
    public static int DetachXdp(string interfaceName)
    {
        XdpRxOptions o = default;
        if (!o.TrySetInterface(interfaceName)) return NativeError.InvalidArgument;
        return Native.XdpDetach(o.InterfaceName);
    }

    /// <summary>Receive queues of <paramref name="interfaceName"/>, or a negative <see cref="NativeError"/>.</summary>
    public static int XdpQueueCount(string interfaceName)
    {
        XdpRxOptions o = default;
        if (!o.TrySetInterface(interfaceName)) return NativeError.InvalidArgument;
        uint n;
        int rc = Native.XdpQueueCount(o.InterfaceName, &n);
        return rc < 0 ? rc : (int)n;
    }

    /// <summary>Harvests up to <paramref name="max"/> datagrams (at most <see cref="Batch"/>). Returns the count or a
    /// negative <see cref="NativeError"/>. Hot path: no allocation; never blocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Poll(int max)
    {
        uint n = (uint)Math.Min(max, _batch);
        int got = Kind switch
        {
            ReceiverKind.Uring => Native.UringRxPoll(handle, _descs, n),
            ReceiverKind.Xdp => Native.XdpRxPoll(handle, _descs, n),
            _ => Native.MmsgRxPoll(handle, _descs, n),
        };
        _count = got > 0 ? got : 0;
        return got;
    }

    /// <summary>Descriptor <paramref name="i"/> of the last poll (0 ≤ i &lt; count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref readonly RxDesc Descriptor(int i) => ref _descArray[i];

    /// <summary>Payload of descriptor <paramref name="i"/>, in place in the arena; valid until <see cref="Recycle"/> or the next poll.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Payload(int i)
    {
        ref readonly RxDesc d = ref _descArray[i];
        return new ReadOnlySpan<byte>(_arena + d.Offset, (int)d.Length);
    }

    /// <summary>Gives every buffer of the last poll back to the kernel (io_uring); a no-op for recvmmsg.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Recycle()
    {
        int n = _count;
        _count = 0;
        if (n == 0) return 0;
        if (Kind == ReceiverKind.Uring) return Native.UringRxRecycle(handle, _descs, (uint)n);
        if (Kind == ReceiverKind.Xdp) return Native.XdpRxRecycle(handle, _descs, (uint)n);
        return 0;
    }

    /// <summary>The native counters (cold: reports).</summary>
    public RxStats Stats()
    {
        RxStats s;
        int rc = Kind switch
        {
            ReceiverKind.Uring => Native.UringRxStats(handle, &s),
            ReceiverKind.Xdp => Native.XdpRxStats(handle, &s),
            _ => Native.MmsgRxStats(handle, &s),
        };
        return rc == 0 ? s : default;
    }

    protected override bool ReleaseHandle() => Kind switch
    {
        ReceiverKind.Uring => Native.UringRxClose(handle),
        ReceiverKind.Xdp => Native.XdpRxClose(handle),
        _ => Native.MmsgRxClose(handle),
    } == NativeError.Ok;
}
