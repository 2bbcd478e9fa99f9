/* Memory helpers for arenas: map (huge pages when the kernel has them reserved, else normal pages, optionally advised
 * for transparent huge pages), pre-fault, lock, advise, and measure residency.
 *
 * Every export returns 0 or -WS_E*; errno never leaves this file. A refused huge-page mapping or mlock is not an error:
 * the arena is still usable, so the reason travels back in the result flags and the managed side prints it. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "wirespeed_native.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14; older kernels answer EINVAL and we touch pages instead */
#endif

/* EINTR is retried this many times, then reported (STYLE.md 3.5: bounded, never forever). */
#define WS_EINTR_RETRIES 8

_Static_assert(WS_MAPPED_LOCK_ERROR_SHIFT >= WS_MAPPED_HUGE_ERROR_SHIFT + 8, "reason fields must not overlap");
_Static_assert(-WS_EOTHER <= 0xff, "a WS_E* magnitude must fit the 8-bit reason fields");

static int madvise_retry(void *addr, size_t len, int advice)
{
    for (int i = 0; i <= WS_EINTR_RETRIES; i++) {
        if (madvise(addr, len, advice) == 0) return 0;
        if (errno != EINTR) return errno;
    }
    return EINTR;
}

static int mlock_retry(void *addr, size_t len)
{
    for (int i = 0; i <= WS_EINTR_RETRIES; i++) {
        if (mlock(addr, len) == 0) return 0;
        if (errno != EINTR && errno != EAGAIN) return errno; /* EAGAIN: some pages could not be locked yet */
    }
    return errno;
}

static size_t page_size(void)
{
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? (size_t)p : 4096;
}

int32_t ws_sys_huge_page_size(uint64_t *out_bytes)
{
    if (out_bytes == NULL) return WS_EINVAL;
    FILE *f = fopen("/proc/meminfo", "re");
    if (f == NULL) return WS_ENOSYS;
    char line[128];
    unsigned long long kib = 0;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "Hugepagesize: %llu kB", &kib) == 1) break;
    fclose(f); /* never retried (STYLE.md 3.5) */
    if (kib == 0) return WS_ENOSYS;
    *out_bytes = (uint64_t)kib * 1024u;
    return WS_OK;
}

/* Writes one byte per page: the fallback when MADV_POPULATE_WRITE is unknown to the kernel. */
static void touch_pages(volatile uint8_t *p, size_t len)
{
    size_t step = page_size();
    for (size_t off = 0; off < len; off += step) p[off] = 0;
}

int32_t ws_sys_map_arena(uint64_t size, uint32_t flags, void **out_addr, uint32_t *out_result_flags)
{
    if (out_addr == NULL || out_result_flags == NULL || size == 0 || size > (uint64_t)SIZE_MAX) return WS_EINVAL;
    if ((flags & ~(WS_MAP_HUGE | WS_MAP_POPULATE | WS_MAP_LOCK)) != 0) return WS_EINVAL;

    size_t len = (size_t)size;
    uint32_t result = 0;
    void *addr = MAP_FAILED;

    if (flags & WS_MAP_HUGE) {
        uint64_t huge = 0;
        int32_t why = ws_sys_huge_page_size(&huge);
        if (why == WS_OK && size % huge != 0) why = WS_EINVAL; /* hugetlb munmap needs whole huge pages */
        if (why == WS_OK) {
            /* MAP_POPULATE here reserves and faults the huge pages now; ENOMEM when vm.nr_hugepages is too small. */
            int pop = (flags & WS_MAP_POPULATE) ? MAP_POPULATE : 0;
            addr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | pop, -1, 0);
            if (addr == MAP_FAILED) why = ws_error_from_errno(errno);
        }
        if (addr != MAP_FAILED) {
            result |= WS_MAPPED_HUGE;
            if (flags & WS_MAP_POPULATE) result |= WS_MAPPED_POPULATED;
        } else {
            result |= WS_MAPPED_HUGE_FALLBACK | ((uint32_t)(-why) << WS_MAPPED_HUGE_ERROR_SHIFT);
        }
    }

    if (addr == MAP_FAILED) {
        addr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (addr == MAP_FAILED) return ws_error_from_errno(errno);
        /* Transparent huge pages must be advised before the first fault to back the range with 2 MiB pages. */
        if ((flags & WS_MAP_HUGE) && madvise_retry(addr, len, MADV_HUGEPAGE) == 0) result |= WS_MAPPED_THP;
        if (flags & WS_MAP_POPULATE) {
            if (madvise_retry(addr, len, MADV_POPULATE_WRITE) != 0) touch_pages((volatile uint8_t *)addr, len);
            result |= WS_MAPPED_POPULATED;
        }
    }

    if (flags & WS_MAP_LOCK) {
        int err = mlock_retry(addr, len);
        if (err == 0) result |= WS_MAPPED_LOCKED;
        else result |= WS_MAPPED_LOCK_FAILED | ((uint32_t)(-ws_error_from_errno(err)) << WS_MAPPED_LOCK_ERROR_SHIFT);
    }

    *out_addr = addr;
    *out_result_flags = result;
    return WS_OK;
}

int32_t ws_sys_unmap_arena(void *addr, uint64_t size)
{
    if (addr == NULL || size == 0) return WS_EINVAL;
    /* munmap also drops any mlock on the range; it does not fail with EINTR. */
    if (munmap(addr, (size_t)size) != 0) return ws_error_from_errno(errno);
    return WS_OK;
}

int32_t ws_sys_resident_bytes(void *addr, uint64_t size, uint64_t *out_bytes)
{
    if (addr == NULL || out_bytes == NULL || size == 0) return WS_EINVAL;
    size_t ps = page_size();
    if (((uintptr_t)addr % ps) != 0) return WS_EINVAL;
    size_t pages = (size_t)((size + ps - 1) / ps);
    uint64_t resident = 0;
    unsigned char vec[256];
    for (size_t done = 0; done < pages;) {
        size_t n = pages - done < sizeof vec ? pages - done : sizeof vec;
        if (mincore((uint8_t *)addr + done * ps, n * ps, vec) != 0) return ws_error_from_errno(errno);
        for (size_t i = 0; i < n; i++) resident += (vec[i] & 1u);
        done += n;
    }
    *out_bytes = resident * ps;
    return WS_OK;
}

int32_t ws_sys_advise(void *addr, uint64_t size, int32_t advice)
{
    if (addr == NULL || size == 0) return WS_EINVAL;
    int native;
    switch (advice) {
    case WS_ADVISE_HUGEPAGE: native = MADV_HUGEPAGE; break;
    case WS_ADVISE_DONTDUMP: native = MADV_DONTDUMP; break;
    case WS_ADVISE_DONTFORK: native = MADV_DONTFORK; break;
    default: return WS_EINVAL;
    }
    int err = madvise_retry(addr, (size_t)size, native);
    return err == 0 ? WS_OK : ws_error_from_errno(err);
}
