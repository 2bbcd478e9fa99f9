using System.Runtime.InteropServices;
using Wirespeed.Interop.Abi;

namespace Wirespeed.Interop;

internal static unsafe partial class Native
{
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_xdp_rx_arena_bytes")]
    internal static partial int XdpRxArenaBytes(XdpRxOptions* options, ulong* outBytes);

    /// <summary>Wraps ws_xdp_rx_open: UMEM over the arena, AF_XDP socket bound to one queue, fill ring filled.</summary>
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_xdp_rx_open")]
    internal static partial int XdpRxOpen(XdpRxOptions* options, byte* arena, ulong arenaBytes, nint* outHandle, uint* outResult);

    /// <summary>Wraps ws_xdp_rx_poll: ring reads; a recvfrom wake-up only when the kernel asks. Never blocks.</summary>
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_xdp_rx_poll")]
    internal static partial int XdpRxPoll(nint handle, RxDesc* outDescs, uint max);

    /// <summary>Wraps ws_xdp_rx_recycle: fill-ring stores; never blocks.</summary>
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_xdp_rx_recycle")]
    [SuppressGCTransition]
    internal static partial int XdpRxRecycle(nint handle, RxDesc* descs, uint count);

    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_xdp_rx_stats")]
    internal static partial int XdpRxStats(nint handle, RxStats* outStats);

    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_xdp_rx_close")]
    internal static partial int XdpRxClose(nint handle);

    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_xdp_detach")]
    internal static partial int XdpDetach(byte* interfaceName);

    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_xdp_queue_count")]
    internal static partial int XdpQueueCount(byte* interfaceName, uint* outCount);
}
