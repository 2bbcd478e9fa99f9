using System.Runtime.InteropServices;

namespace Wirespeed.Interop;

internal static unsafe partial class Native
{
    /// <summary>Wraps ws_sys_map_arena (mmap, optional MAP_HUGETLB with fallback, pre-fault, mlock). Returns 0 or a
    /// negative <see cref="NativeError"/>; <paramref name="outResultFlags"/> is a <see cref="Abi.SysMapResult"/>.</summary>
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_sys_map_arena")]
    internal static partial int SysMapArena(ulong size, uint flags, void** outAddr, uint* outResultFlags);

    /// <summary>Wraps ws_sys_unmap_arena (munmap). Returns 0 or a negative <see cref="NativeError"/>.</summary>
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_sys_unmap_arena")]
    internal static partial int SysUnmapArena(void* addr, ulong size);

    /// <summary>Wraps ws_sys_huge_page_size (Hugepagesize of /proc/meminfo, bytes). Returns 0 or -WS_ENOSYS.</summary>
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_sys_huge_page_size")]
    internal static partial int SysHugePageSize(ulong* outBytes);

    /// <summary>Wraps ws_sys_resident_bytes (mincore). Returns 0 or a negative <see cref="NativeError"/>.</summary>
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_sys_resident_bytes")]
    internal static partial int SysResidentBytes(void* addr, ulong size, ulong* outBytes);

    /// <summary>Wraps ws_sys_advise (madvise); <paramref name="advice"/> is a <see cref="Abi.SysAdvice"/>.</summary>
    [LibraryImport(Libraries.WirespeedNative, EntryPoint = "ws_sys_advise")]
    internal static partial int SysAdvise(void* addr, ulong size, int advice);
}
