/* ws_sys_map_arena: pre-faulting, huge-page fallback with a reason, mlock reporting, argument checks.
 * Exit codes: PASS 0, FAIL 1, SKIP 77 (when the machine cannot map even a small arena). */
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "wirespeed_native.h"

#define MIB (1024u * 1024u)
static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
    fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); failures++; } } while (0)

static long read_nr_hugepages(void)
{
    FILE *f = fopen("/proc/sys/vm/nr_hugepages", "re");
    long n = -1;
    if (f != NULL) { if (fscanf(f, "%ld", &n) != 1) n = -1; fclose(f); }
    return n;
}

static void populated_arena_is_resident_and_zeroed(void)
{
    void *p = NULL; uint32_t res = 0;
    int32_t rc = ws_sys_map_arena(4 * MIB, WS_MAP_POPULATE, &p, &res);
    CHECK(rc == WS_OK, "map rc=%d", rc);
    if (rc != WS_OK) return;
    CHECK(res & WS_MAPPED_POPULATED, "populated flag missing, res=0x%x", res);
    CHECK(!(res & WS_MAPPED_HUGE), "huge not asked, res=0x%x", res);
    uint64_t resident = 0;
    rc = ws_sys_resident_bytes(p, 4 * MIB, &resident);
    CHECK(rc == WS_OK && resident == 4 * MIB, "resident rc=%d bytes=%llu", rc, (unsigned long long)resident);
    const uint8_t *b = p;
    for (uint32_t i = 0; i < 4 * MIB; i += 4096) CHECK(b[i] == 0, "byte %u not zero", i);
    CHECK(ws_sys_unmap_arena(p, 4 * MIB) == WS_OK, "unmap");
}

static void unpopulated_arena_faults_on_first_touch(void)
{
    void *p = NULL; uint32_t res = 0;
    int32_t rc = ws_sys_map_arena(1 * MIB, 0, &p, &res);
    CHECK(rc == WS_OK && res == 0, "map rc=%d res=0x%x", rc, res);
    if (rc != WS_OK) return;
    uint64_t before = 1, after = 0;
    CHECK(ws_sys_resident_bytes(p, 1 * MIB, &before) == WS_OK && before == 0, "resident before touch %llu",
          (unsigned long long)before);
    memset(p, 1, 8192);
    CHECK(ws_sys_resident_bytes(p, 1 * MIB, &after) == WS_OK && after >= 8192 && after < 1 * MIB,
          "resident after touching two pages %llu", (unsigned long long)after);
    CHECK(ws_sys_unmap_arena(p, 1 * MIB) == WS_OK, "unmap");
}

static long read_free_hugepages(void)
{
    FILE *f = fopen("/proc/meminfo", "re");
    char line[128];
    long n = 0;
    if (f == NULL) return 0;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "HugePages_Free: %ld", &n) == 1) break;
    fclose(f);
    return n;
}

static void huge_request_uses_huge_pages_or_reports_why_not(void)
{
    uint64_t huge = 0;
    CHECK(ws_sys_huge_page_size(&huge) == WS_OK && huge >= 2 * MIB, "huge page size %llu", (unsigned long long)huge);
    if (huge == 0) return;
    long free_before = read_free_hugepages();
    void *p = NULL; uint32_t res = 0;
    int32_t rc = ws_sys_map_arena(huge, WS_MAP_HUGE | WS_MAP_POPULATE, &p, &res);
    CHECK(rc == WS_OK, "map rc=%d", rc);
    if (rc != WS_OK) return;
    CHECK(res & WS_MAPPED_POPULATED, "populated flag missing, res=0x%x", res);
    if (read_nr_hugepages() == 0) {
        CHECK(!(res & WS_MAPPED_HUGE) && (res & WS_MAPPED_HUGE_FALLBACK), "expected fallback, res=0x%x", res);
        CHECK(WS_MAPPED_ERROR(res, WS_MAPPED_HUGE_ERROR_SHIFT) == WS_ENOMEM, "expected ENOMEM reason, res=0x%x", res);
    } else if (free_before >= 1) {
        CHECK((res & WS_MAPPED_HUGE) && !(res & WS_MAPPED_HUGE_FALLBACK), "a huge page was free, res=0x%x", res);
    } else {
        CHECK((res & WS_MAPPED_HUGE) || WS_MAPPED_ERROR(res, WS_MAPPED_HUGE_ERROR_SHIFT) < 0,
              "neither huge nor a reason, res=0x%x", res);
    }
    memset(p, 0xab, (size_t)huge);
    CHECK(ws_sys_unmap_arena(p, huge) == WS_OK, "unmap");
}

static void huge_request_with_a_partial_huge_page_falls_back_with_einval(void)
{
    void *p = NULL; uint32_t res = 0;
    int32_t rc = ws_sys_map_arena(1 * MIB + 4096, WS_MAP_HUGE, &p, &res);
    CHECK(rc == WS_OK, "map rc=%d", rc);
    if (rc != WS_OK) return;
    CHECK((res & WS_MAPPED_HUGE_FALLBACK) && WS_MAPPED_ERROR(res, WS_MAPPED_HUGE_ERROR_SHIFT) == WS_EINVAL,
          "res=0x%x", res);
    CHECK(ws_sys_unmap_arena(p, 1 * MIB + 4096) == WS_OK, "unmap");
}

static void lock_is_reported_either_way(void)
{
    void *p = NULL; uint32_t res = 0;
    int32_t rc = ws_sys_map_arena(1 * MIB, WS_MAP_LOCK, &p, &res);
    CHECK(rc == WS_OK, "map rc=%d", rc);
    if (rc != WS_OK) return;
    int locked = (res & WS_MAPPED_LOCKED) != 0, failed = (res & WS_MAPPED_LOCK_FAILED) != 0;
    CHECK(locked != failed, "exactly one of locked/failed expected, res=0x%x", res);
    if (failed) CHECK(WS_MAPPED_ERROR(res, WS_MAPPED_LOCK_ERROR_SHIFT) < 0, "lock failure without reason 0x%x", res);
    if (locked) {
        uint64_t resident = 0; /* mlock faults every page in */
        CHECK(ws_sys_resident_bytes(p, 1 * MIB, &resident) == WS_OK && resident == 1 * MIB, "locked not resident");
    }
    CHECK(ws_sys_unmap_arena(p, 1 * MIB) == WS_OK, "unmap");
}

/* Child process: without CAP_IPC_LOCK and with RLIMIT_MEMLOCK 0, mlock must be refused and the arena still mapped. */
static int lock_refusal_child(void)
{
    struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct caps[2];
    if (syscall(SYS_capget, &hdr, caps) == 0) {
        caps[CAP_IPC_LOCK / 32].effective &= ~(1u << (CAP_IPC_LOCK % 32));
        if (syscall(SYS_capset, &hdr, caps) != 0) return 77;
    }
    struct rlimit none = { 0, 0 };
    if (setrlimit(RLIMIT_MEMLOCK, &none) != 0) return 77;
    void *p = NULL; uint32_t res = 0;
    if (ws_sys_map_arena(1 * MIB, WS_MAP_LOCK | WS_MAP_POPULATE, &p, &res) != WS_OK) return 1;
    int ok = (res & WS_MAPPED_LOCK_FAILED) && !(res & WS_MAPPED_LOCKED) && (res & WS_MAPPED_POPULATED)
             && WS_MAPPED_ERROR(res, WS_MAPPED_LOCK_ERROR_SHIFT) < 0;
    if (!ok) fprintf(stderr, "lock refusal not reported, res=0x%x\n", res);
    memset(p, 1, 1 * MIB); /* the arena is usable all the same */
    ws_sys_unmap_arena(p, 1 * MIB);
    return ok ? 0 : 1;
}

static void lock_refusal_is_reported_with_a_reason_and_not_fatal(void)
{
    pid_t pid = fork();
    if (pid == 0) _exit(lock_refusal_child());
    int status = 0;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status), "child did not run");
    if (WIFEXITED(status) && WEXITSTATUS(status) == 77) { fprintf(stderr, "note: could not drop CAP_IPC_LOCK; lock refusal not tested\n"); return; }
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child exit %d", WEXITSTATUS(status));
}

static void bad_arguments_are_einval(void)
{
    void *p = NULL; uint32_t res = 0; uint64_t n = 0;
    CHECK(ws_sys_map_arena(0, 0, &p, &res) == WS_EINVAL, "size 0");
    CHECK(ws_sys_map_arena(4096, 0x80, &p, &res) == WS_EINVAL, "unknown flag");
    CHECK(ws_sys_map_arena(4096, 0, NULL, &res) == WS_EINVAL, "null addr out");
    CHECK(ws_sys_map_arena(4096, 0, &p, NULL) == WS_EINVAL, "null flags out");
    CHECK(ws_sys_unmap_arena(NULL, 4096) == WS_EINVAL, "unmap null");
    CHECK(ws_sys_huge_page_size(NULL) == WS_EINVAL, "huge size null");
    CHECK(ws_sys_resident_bytes(NULL, 4096, &n) == WS_EINVAL, "resident null");
    CHECK(ws_sys_map_arena(4096, 0, &p, &res) == WS_OK, "small map");
    CHECK(ws_sys_advise(p, 4096, 99) == WS_EINVAL, "unknown advice");
    CHECK(ws_sys_advise(p, 4096, WS_ADVISE_DONTDUMP) == WS_OK, "dontdump");
    CHECK(ws_sys_resident_bytes((uint8_t *)p + 1, 4096, &n) == WS_EINVAL, "unaligned resident");
    ws_sys_unmap_arena(p, 4096);
}

int main(void)
{
    void *p = NULL; uint32_t res = 0;
    if (ws_sys_map_arena(4096, 0, &p, &res) != WS_OK) { fprintf(stderr, "SKIP: cannot map 4 KiB\n"); return 77; }
    ws_sys_unmap_arena(p, 4096);

    populated_arena_is_resident_and_zeroed();
    unpopulated_arena_faults_on_first_touch();
    huge_request_uses_huge_pages_or_reports_why_not();
    huge_request_with_a_partial_huge_page_falls_back_with_einval();
    lock_is_reported_either_way();
    lock_refusal_is_reported_with_a_reason_and_not_fatal();
    bad_arguments_are_einval();
    if (failures) { fprintf(stderr, "%d check(s) failed\n", failures); return 1; }
    return 0;
}
