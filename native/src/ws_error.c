#include <errno.h>
#include "wirespeed_native.h"

int32_t ws_abi_version(void) { return WS_ABI_VERSION; }

int32_t ws_error_from_errno(int32_t err)
{
    switch (err) {
    case 0: return WS_OK;
    case EINVAL: return WS_EINVAL;
    case ENOMEM: return WS_ENOMEM;
    case EPERM: case EACCES: return WS_EPERM;
    case ENOSYS: case EOPNOTSUPP: return WS_ENOSYS;
    case EAGAIN: return WS_EAGAIN;
    case EIO: return WS_EIO;
    case EEXIST: case EBUSY: return WS_EEXIST;
    default: return WS_EOTHER;
    }
}
