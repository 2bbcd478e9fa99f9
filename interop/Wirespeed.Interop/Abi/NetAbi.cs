using System;
using System.Runtime.InteropServices;

namespace Wirespeed.Interop.Abi;

/// <summary>Flags of <see cref="UdpOpen"/>; mirrors <c>WS_UDP_*</c> in wirespeed_native.h.</summary>
[Flags]
internal enum UdpOpenFlags : ushort
{
    None = 0,
    /// <summary>WS_UDP_REUSEADDR.</summary>
    ReuseAddress = 0x1,
    /// <summary>WS_UDP_TIMESTAMPNS: a CLOCK_REALTIME kernel receive stamp per datagram.</summary>
    TimestampNs = 0x2,
    /// <summary>WS_UDP_RCVBUFFORCE: SO_RCVBUFFORCE when permitted (CAP_NET_ADMIN), else SO_RCVBUF.</summary>
    ForceBuffer = 0x4,
    /// <summary>WS_UDP_NONBLOCK.</summary>
    NonBlocking = 0x8,
    /// <summary>WS_UDP_SENDER: connect to group:port, multicast interface, TTL and loop.</summary>
    Sender = 0x10,
}

/// <summary>Mirrors <c>ws_udp_open_t</c> (32 bytes). Addresses in network byte order, port in host order.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct UdpOpen
{
    [FieldOffset(0)] public uint Group;
    [FieldOffset(4)] public uint Source;
    [FieldOffset(8)] public uint InterfaceAddress;
    [FieldOffset(12)] public int InterfaceIndex;
    [FieldOffset(16)] public ushort Port;
    [FieldOffset(18)] public UdpOpenFlags Flags;
    [FieldOffset(20)] public int BufferBytes;
    [FieldOffset(24)] public byte Ttl;
    [FieldOffset(25)] public byte Loop;
}

/// <summary>Flags of <see cref="RxDesc"/>; mirrors <c>WS_RX_*</c>.</summary>
[Flags]
internal enum RxFlags : ushort
{
    None = 0,
    /// <summary>WS_RX_TRUNCATED: the datagram was longer than its buffer.</summary>
    Truncated = 0x1,
    /// <summary>WS_RX_NO_STAMP: no kernel stamp; the harvest time stands in.</summary>
    NoStamp = 0x2,
}

/// <summary>Mirrors <c>ws_rx_desc_t</c> (32 bytes): one received datagram in an arena.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct RxDesc
{
    /// <summary>Payload start, bytes from the arena base.</summary>
    [FieldOffset(0)] public ulong Offset;
    /// <summary>Kernel receive stamp moved into the CLOCK_MONOTONIC domain, ns.</summary>
    [FieldOffset(8)] public long RxMonoNs;
    /// <summary>The kernel's SO_TIMESTAMPNS stamp (CLOCK_REALTIME), ns; 0 when absent.</summary>
    [FieldOffset(16)] public long RxRealNs;
    [FieldOffset(24)] public uint Length;
    [FieldOffset(28)] public ushort BufferId;
    [FieldOffset(30)] public RxFlags Flags;
}

/// <summary>Mirrors <c>ws_rx_stats_t</c> (64 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
public struct RxStats
{
    /// <summary>Datagrams delivered.</summary>
    [FieldOffset(0)] public ulong Packets;
    /// <summary>Of which cut to the buffer size.</summary>
    [FieldOffset(8)] public ulong Truncated;
    /// <summary>io_uring: ENOBUFS completions (the buffer ring ran dry).</summary>
    [FieldOffset(16)] public ulong NoBuffers;
    /// <summary>io_uring: multishot re-submissions.</summary>
    [FieldOffset(24)] public ulong Rearms;
    /// <summary>Failed completions or calls (not ENOBUFS, not EAGAIN).</summary>
    [FieldOffset(32)] public ulong Errors;
    /// <summary>System calls made by poll.</summary>
    [FieldOffset(40)] public ulong Enters;
    /// <summary>Last error, a negative WS_E* code.</summary>
    [FieldOffset(48)] public int LastError;
}

/// <summary>Mirrors <c>ws_tx_desc_t</c> (16 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct TxDesc
{
    [FieldOffset(0)] public ulong Offset;
    [FieldOffset(8)] public uint Length;
}

/// <summary>io_uring setup flags; mirrors <c>WS_URING_*</c>.</summary>
[Flags]
public enum UringSetupFlags : uint
{
    None = 0,
    /// <summary>WS_URING_DEFER_TASKRUN: DEFER_TASKRUN + SINGLE_ISSUER + TASKRUN_FLAG; completions appear when the thread
    /// enters the kernel, which poll does only when the kernel has flagged work for it.</summary>
    DeferTaskRun = 0x1,
    /// <summary>WS_URING_SQPOLL: a kernel thread polls (no system call in the loop, at the price of a core).</summary>
    SqPoll = 0x2,
    /// <summary>WS_URING_COOP_TASKRUN: COOP_TASKRUN + TASKRUN_FLAG; no interrupting IPI for task work, which runs at the
    /// thread's next exit from the kernel (or the enter poll makes when the kernel has flagged it).</summary>
    CoopTaskRun = 0x4,
    /// <summary>WS_URING_ENTER_ALWAYS: enter the kernel on every empty poll, ignoring the TASKRUN flag (for comparisons).</summary>
    EnterAlways = 0x8,
}

/// <summary>Mirrors <c>ws_uring_rx_options_t</c> (32 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct UringRxOptions
{
    [FieldOffset(0)] public uint Entries;
    [FieldOffset(4)] public UringSetupFlags SetupFlags;
    [FieldOffset(8)] public int SqPollCpu;
    [FieldOffset(12)] public uint SqPollIdleMs;
    [FieldOffset(16)] public uint BufferCount;
    [FieldOffset(20)] public uint BufferSize;
    [FieldOffset(24)] public ushort GroupId;

    /// <summary>WS_URING_RX_HEADROOM: bytes before each payload in a buffer.</summary>
    public const int Headroom = 64;
}
