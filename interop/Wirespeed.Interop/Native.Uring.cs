using System.Runtime.InteropServices;
using Wirespeed.Interop.Abi;

namespace Wirespeed.Interop;

internal static unsafe partial class Native
{
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_uring_rx_arena_bytes")]
    internal static partial int UringRxArenaBytes(UringRxOptions* options, ulong* outBytes);

    /// <summary>Wraps ws_uring_rx_open: ring, buffer ring over the page-aligned arena, multishot recvmsg armed.</summary>
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_uring_rx_open")]
    internal static partial int UringRxOpen(UringRxOptions* options, int fd, byte* arena, ulong arenaBytes, nint* outHandle);

    /// <summary>Wraps ws_uring_rx_poll: harvests completions (one non-waiting io_uring_enter when the CQ is empty).
    /// Not SuppressGCTransition: it may enter the kernel.</summary>
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_uring_rx_poll")]
    internal static partial int UringRxPoll(nint handle, RxDesc* outDescs, uint max);

    /// <summary>Wraps ws_uring_rx_recycle: a few stores and a release; never blocks.</summary>
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_uring_rx_recycle")]
    [SuppressGCTransition]
    internal static partial int UringRxRecycle(nint handle, RxDesc* descs, uint count);

    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_uring_rx_stats")]
    internal static partial int UringRxStats(nint handle, RxStats* outStats);

    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_uring_rx_close")]
    internal static partial int UringRxClose(nint handle);

    /// <summary>Wraps ws_uring_probe: 0 when a ring and a buffer ring can be created here.</summary>
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_uring_probe")]
    internal static partial int UringProbe();
}
