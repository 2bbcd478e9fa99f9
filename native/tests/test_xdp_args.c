/* AF_XDP setup arguments are checked before anything is created, and queue counting works on loopback.
 * The receive path itself needs root and a veth pair: tests/Wirespeed.Tests/Integration covers it.
 * Exit codes: PASS 0, FAIL 1. */
#include <stdio.h>
#include <string.h>
#include "wirespeed_native.h"

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
    fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); failures++; } } while (0)

int main(void)
{
    ws_xdp_rx_options_t o;
    memset(&o, 0, sizeof o);
    strcpy(o.ifname, "lo");
    o.mode = WS_XDP_MODE_SKB;
    o.frame_count = 4096;
    o.frame_size = 2048;
    o.ring_size = 4096;
    uint64_t bytes = 0;
    CHECK(ws_xdp_rx_arena_bytes(&o, &bytes) == WS_OK && bytes == 4096ull * 2048, "valid options: %llu", (unsigned long long)bytes);
    o.frame_size = 3000;
    CHECK(ws_xdp_rx_arena_bytes(&o, &bytes) == WS_EINVAL, "frame size must be 2048 or 4096");
    o.frame_size = 2048; o.ring_size = 8192;
    CHECK(ws_xdp_rx_arena_bytes(&o, &bytes) == WS_EINVAL, "ring larger than the frames");
    o.ring_size = 4096; o.mode = 7;
    CHECK(ws_xdp_rx_arena_bytes(&o, &bytes) == WS_EINVAL, "unknown mode");
    o.mode = WS_XDP_MODE_SKB;
    memset(o.ifname, 'x', sizeof o.ifname);
    CHECK(ws_xdp_rx_arena_bytes(&o, &bytes) == WS_EINVAL, "unterminated interface name");
    static unsigned char arena[4096] __attribute__((aligned(4096)));
    ws_xdp_rx_t *h; uint32_t r;
    strcpy(o.ifname, "lo");
    CHECK(ws_xdp_rx_open(&o, arena, sizeof arena, &h, &r) == WS_EINVAL, "arena too small");
    uint32_t q = 0;
    CHECK(ws_xdp_queue_count("lo", &q) == WS_OK && q >= 1, "lo has a queue: %u", q);
    CHECK(ws_xdp_queue_count("no-such-if0", &q) != WS_OK, "missing interface");
    if (failures) return 1;
    puts("PASS test_xdp_args");
    return 0;
}
