using System.Runtime.InteropServices;
using Wirespeed.Interop.Abi;

namespace Wirespeed.Interop;

internal static unsafe partial class Native
{
    /// <summary>Wraps ws_net_udp_open. Returns 0 or a negative <see cref="NativeError"/>.</summary>
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_net_udp_open")]
    internal static partial int NetUdpOpen(UdpOpen* options, int* outFd, int* outGrantedBytes);

    /// <summary>Wraps ws_net_close (close(2), never retried).</summary>
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_net_close")]
    internal static partial int NetClose(int fd);

    /// <summary>Wraps ws_net_sendmmsg: returns the number sent or a negative <see cref="NativeError"/>. Never blocks.</summary>
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_net_sendmmsg")]
    internal static partial int NetSendMmsg(int fd, byte* baseAddress, TxDesc* descs, uint count);

    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_mmsg_rx_arena_bytes")]
    internal static partial int MmsgRxArenaBytes(uint batch, uint bufferSize, ulong* outBytes);

    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_mmsg_rx_open")]
    internal static partial int MmsgRxOpen(int fd, byte* arena, ulong arenaBytes, uint batch, uint bufferSize, nint* outHandle);

    /// <summary>Wraps ws_mmsg_rx_poll: one recvmmsg(MSG_DONTWAIT). Returns the count or a negative code. Never blocks.</summary>
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_mmsg_rx_poll")]
    internal static partial int MmsgRxPoll(nint handle, RxDesc* outDescs, uint max);

    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_mmsg_rx_stats")]
    internal static partial int MmsgRxStats(nint handle, RxStats* outStats);

    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_mmsg_rx_close")]
    internal static partial int MmsgRxClose(nint handle);
}

internal static unsafe partial class Libc
{
    /// <summary>Wraps getsockname(2) (cold: reports the port a receiver was given).</summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "getsockname")]
    internal static partial int GetSockName(int fd, byte* addr, uint* len);
}

internal static partial class Libc
{
    /// <summary>CLONE_NEWNET for <see cref="SetNs"/>.</summary>
    internal const int CloneNewNet = 0x40000000;

    /// <summary>Wraps setns(2): moves the calling thread into the namespace of <paramref name="fd"/>. Returns 0 or -1
    /// with errno. Cold: tests and tools that open sockets inside a network namespace.</summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "setns", SetLastError = true)]
    internal static partial int SetNs(int fd, int nsType);
}

internal static unsafe partial class Libc
{
    [LibraryImport(Libraries.Libc, EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Libraries.Libc, EntryPoint = "bind", SetLastError = true)]
    internal static partial int Bind(int fd, byte* addr, uint len);

    [LibraryImport(Libraries.Libc, EntryPoint = "send", SetLastError = true)]
    internal static partial nint Send(int fd, byte* buf, nuint len, int flags);

    [LibraryImport(Libraries.Libc, EntryPoint = "if_nametoindex", SetLastError = true)]
    internal static partial uint IfNameToIndex(byte* name);
}
