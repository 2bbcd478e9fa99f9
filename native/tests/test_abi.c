/* The exported ABI version matches the header the managed side was built against. */
#include <errno.h>
#include <stdio.h>
#include "wirespeed_native.h"

int main(void)
{
    if (ws_abi_version() != WS_ABI_VERSION) { fprintf(stderr, "abi mismatch\n"); return 1; }
    if (ws_error_from_errno(ENOMEM) != WS_ENOMEM) { fprintf(stderr, "errno map\n"); return 1; }
    return 0;
}
