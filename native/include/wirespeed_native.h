/* Wirespeed native shim: the whole C API. Every export returns 0 (or a count >= 0) or a negative WS_E* code;
 * results come back through out-parameters; all types are blittable. C# mirrors live in interop/Wirespeed.Interop. */
#ifndef WIRESPEED_NATIVE_H
#define WIRESPEED_NATIVE_H

#include <stdint.h>

#define WS_EXPORT __attribute__((visibility("default")))

/* ABI version: bump when any export or mirrored struct changes; the managed side checks it at start-up. */
#define WS_ABI_VERSION 1

/* Error codes: negative values returned by every export. */
#define WS_OK 0
#define WS_EINVAL (-1)
#define WS_ENOMEM (-2)
#define WS_EPERM (-3)
#define WS_ENOSYS (-4)
#define WS_EAGAIN (-5)
#define WS_EIO (-6)
#define WS_EEXIST (-7)
#define WS_EOTHER (-99)

/* Returns WS_ABI_VERSION. */
WS_EXPORT int32_t ws_abi_version(void);

/* Converts an errno value to a WS_E* code (never leaks errno). */
WS_EXPORT int32_t ws_error_from_errno(int32_t err);

/* ---- sys: arenas (native/src/ws_sys.c) ------------------------------------------------------------------------ */

/* Request flags for ws_sys_map_arena. Mirrored by interop/Wirespeed.Interop/Abi/SysMapFlags.cs. */
#define WS_MAP_HUGE 0x1u     /* try MAP_HUGETLB first; size must be a multiple of ws_sys_huge_page_size */
#define WS_MAP_POPULATE 0x2u /* pre-fault every page at map time (a first touch costs ~9 us on these VMs) */
#define WS_MAP_LOCK 0x4u     /* mlock the mapping; failure is reported in the result flags, not fatal */

/* Result flags written by ws_sys_map_arena (low byte), plus two failure reasons as positive WS_E* magnitudes. */
#define WS_MAPPED_HUGE 0x1u          /* backed by explicit huge pages (MAP_HUGETLB) */
#define WS_MAPPED_POPULATED 0x2u     /* every page was faulted in */
#define WS_MAPPED_LOCKED 0x4u        /* mlock succeeded */
#define WS_MAPPED_HUGE_FALLBACK 0x8u /* WS_MAP_HUGE asked but refused: normal pages used, reason in bits 8..15 */
#define WS_MAPPED_LOCK_FAILED 0x10u  /* WS_MAP_LOCK asked but refused: reason in bits 16..23 */
#define WS_MAPPED_THP 0x20u          /* fallback pages were advised MADV_HUGEPAGE (transparent huge pages) */
#define WS_MAPPED_HUGE_ERROR_SHIFT 8
#define WS_MAPPED_LOCK_ERROR_SHIFT 16
/* Negative WS_E* code stored in a result field (0 when none). */
#define WS_MAPPED_ERROR(result, shift) (-(int32_t)(((result) >> (shift)) & 0xffu))

/* Maps an anonymous private read/write arena of size bytes (size > 0; a multiple of the huge page size when
 * WS_MAP_HUGE is to succeed). Returns 0 or -WS_E*; *out_addr and *out_result_flags are valid only on 0.
 * Unmap with ws_sys_unmap_arena and the same size. */
WS_EXPORT int32_t ws_sys_map_arena(uint64_t size, uint32_t flags, void **out_addr, uint32_t *out_result_flags);

/* Unmaps an arena mapped by ws_sys_map_arena (same addr and size). Returns 0 or -WS_E*. */
WS_EXPORT int32_t ws_sys_unmap_arena(void *addr, uint64_t size);

/* Default huge page size in bytes, from /proc/meminfo (Hugepagesize). Returns 0 or -WS_ENOSYS when unknown. */
WS_EXPORT int32_t ws_sys_huge_page_size(uint64_t *out_bytes);

/* Bytes of [addr, addr+size) resident in memory now, via mincore(2). addr must be page aligned. Returns 0 or -WS_E*. */
WS_EXPORT int32_t ws_sys_resident_bytes(void *addr, uint64_t size, uint64_t *out_bytes);

/* Advice for ws_sys_advise. Mirrored by interop/Wirespeed.Interop/Abi/SysAdvice.cs. */
#define WS_ADVISE_HUGEPAGE 1 /* MADV_HUGEPAGE: ask for transparent huge pages */
#define WS_ADVISE_DONTDUMP 2 /* MADV_DONTDUMP: leave the range out of core dumps */
#define WS_ADVISE_DONTFORK 3 /* MADV_DONTFORK: a forked child does not inherit the range */

/* madvise(2) over a page-aligned range. Returns 0 or -WS_E* (-WS_EINVAL for an unknown advice). */
WS_EXPORT int32_t ws_sys_advise(void *addr, uint64_t size, int32_t advice);

#endif
