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

#endif
