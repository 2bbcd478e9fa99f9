using System;

namespace Wirespeed.Interop.Abi;

/// <summary>Request flags of <c>ws_sys_map_arena</c>; mirrors <c>WS_MAP_*</c> in wirespeed_native.h.</summary>
[Flags]
internal enum SysMapFlags : uint
{
    None = 0,
    /// <summary>WS_MAP_HUGE: try MAP_HUGETLB first, fall back to normal pages (advised for transparent huge pages).</summary>
    Huge = 0x1,
    /// <summary>WS_MAP_POPULATE: fault every page in at map time.</summary>
    Populate = 0x2,
    /// <summary>WS_MAP_LOCK: mlock the mapping; a refusal is reported, not fatal.</summary>
    Lock = 0x4,
}

/// <summary>Result flags written by <c>ws_sys_map_arena</c>; mirrors <c>WS_MAPPED_*</c> in wirespeed_native.h.</summary>
[Flags]
internal enum SysMapResult : uint
{
    None = 0,
    /// <summary>WS_MAPPED_HUGE: backed by explicit huge pages.</summary>
    Huge = 0x1,
    /// <summary>WS_MAPPED_POPULATED: every page was faulted in.</summary>
    Populated = 0x2,
    /// <summary>WS_MAPPED_LOCKED: mlock succeeded.</summary>
    Locked = 0x4,
    /// <summary>WS_MAPPED_HUGE_FALLBACK: huge pages refused; the reason is <see cref="SysMapResultExtensions.HugeError"/>.</summary>
    HugeFallback = 0x8,
    /// <summary>WS_MAPPED_LOCK_FAILED: mlock refused; the reason is <see cref="SysMapResultExtensions.LockError"/>.</summary>
    LockFailed = 0x10,
    /// <summary>WS_MAPPED_THP: fallback pages were advised MADV_HUGEPAGE.</summary>
    TransparentHuge = 0x20,
}

/// <summary>Reads the two reason fields packed into a <see cref="SysMapResult"/>.</summary>
internal static class SysMapResultExtensions
{
    /// <summary>WS_MAPPED_HUGE_ERROR_SHIFT.</summary>
    public const int HugeErrorShift = 8;
    /// <summary>WS_MAPPED_LOCK_ERROR_SHIFT.</summary>
    public const int LockErrorShift = 16;
    /// <summary>Bits that carry flags rather than reasons.</summary>
    public const uint FlagMask = 0xff;

    /// <summary>Negative <see cref="NativeError"/> code explaining a huge-page fallback; 0 when none.</summary>
    public static int HugeError(this SysMapResult r) => -(int)(((uint)r >> HugeErrorShift) & 0xff);

    /// <summary>Negative <see cref="NativeError"/> code explaining an mlock refusal; 0 when none.</summary>
    public static int LockError(this SysMapResult r) => -(int)(((uint)r >> LockErrorShift) & 0xff);

    /// <summary>The flag bits alone, reasons masked off.</summary>
    public static SysMapResult Flags(this SysMapResult r) => (SysMapResult)((uint)r & FlagMask);
}

/// <summary>Advice for <c>ws_sys_advise</c>; mirrors <c>WS_ADVISE_*</c> in wirespeed_native.h.</summary>
internal enum SysAdvice : int
{
    /// <summary>MADV_HUGEPAGE.</summary>
    HugePage = 1,
    /// <summary>MADV_DONTDUMP.</summary>
    DontDump = 2,
    /// <summary>MADV_DONTFORK.</summary>
    DontFork = 3,
}
