/* Start-up recovers from an XDP program left attached by a killed process (PLATFORM.md): a child binds AF_XDP in
 * generic mode on a veth and is killed with SIGKILL; opening in native mode right away, with WS_XDP_DETACH_LEFTOVER,
 * detaches the leftover program, waits (bounded) for the dead socket to release the queue (EBUSY) and binds.
 * Needs root and iproute2. Exit codes: PASS 0, FAIL 1, SKIP 77 (not root, or no veth). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "wirespeed_native.h"

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
    fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); failures++; } } while (0)

static char a[16], b[16];

static void cleanup(void)
{
    char cmd[96];
    snprintf(cmd, sizeof cmd, "ip link del %s 2>/dev/null", a);
    if (system(cmd) < 0) perror("system");
}

static ws_xdp_rx_options_t options(uint32_t mode, uint32_t flags)
{
    ws_xdp_rx_options_t o;
    memset(&o, 0, sizeof o);
    strcpy(o.ifname, a);
    o.mode = mode;
    o.flags = flags;
    o.frame_count = 256;
    o.frame_size = 2048;
    o.ring_size = 256;
    return o;
}

int main(void)
{
    if (geteuid() != 0) { fprintf(stderr, "SKIP: needs root\n"); return 77; }
    snprintf(a, sizeof a, "wsxl%d", getpid() % 100000);
    snprintf(b, sizeof b, "wsxm%d", getpid() % 100000);
    cleanup();
    char cmd[160];
    snprintf(cmd, sizeof cmd, "ip link add %s numrxqueues 1 type veth peer name %s numrxqueues 1 && ip link set %s up && ip link set %s up", a, b, a, b);
    if (system(cmd) != 0) { fprintf(stderr, "SKIP: cannot create a veth pair\n"); cleanup(); return 77; }

    size_t bytes = 256u * 2048u;
    void *arena = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    int ready[2];
    if (pipe(ready) != 0) { perror("pipe"); cleanup(); return 1; }
    pid_t child = fork();
    if (child == 0) {
        ws_xdp_rx_options_t o = options(WS_XDP_MODE_SKB, 0);
        ws_xdp_rx_t *h = NULL;
        uint32_t r = 0;
        char ok = ws_xdp_rx_open(&o, arena, bytes, &h, &r) == WS_OK ? 'y' : 'n';
        if (write(ready[1], &ok, 1) != 1) _exit(2);
        pause(); /* killed here: no cleanup, the program stays attached */
        _exit(0);
    }
    char ok = 0;
    if (read(ready[0], &ok, 1) != 1) ok = 0;
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    CHECK(ok == 'y', "child could not bind AF_XDP in generic mode");

    /* Right after the kill: the program is attached and the queue may still be held by the dead socket. */
    ws_xdp_rx_options_t o;
    ws_xdp_rx_t *h = NULL;
    uint32_t r = 0;
    int32_t rc;
    o = options(WS_XDP_MODE_DRV, WS_XDP_DETACH_LEFTOVER);
    rc = ws_xdp_rx_open(&o, arena, bytes, &h, &r);
    CHECK(rc == WS_OK, "with recovery the bind must succeed, got %d", rc);
    if (rc == WS_OK) {
        CHECK((r & WS_XDP_RECOVERED) != 0, "result flags 0x%x should say RECOVERED", r); /* the generic program was there */
        ws_xdp_rx_close(h);
    }
    cleanup();
    munmap(arena, bytes);
    if (failures) return 1;
    puts("PASS test_xdp_leftover");
    return 0;
}
