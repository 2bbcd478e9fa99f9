/* io_uring receive and the recvmmsg fallback over loopback unicast: every datagram arrives intact with a kernel stamp
 * in the monotonic domain; a buffer ring that runs dry (ENOBUFS) loses nothing once buffers are given back and
 * multishot is re-armed; sendmmsg sends batches. Exit codes: PASS 0, FAIL 1, SKIP 77 (io_uring refused here). */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "wirespeed_native.h"

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
    fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); failures++; } } while (0)

static int64_t mono_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* A receiver on 127.0.0.1:port (port granted by the kernel) and a sender connected to it. */
static void open_pair(int *rx, int *tx, uint16_t *port)
{
    ws_udp_open_t o;
    memset(&o, 0, sizeof o);
    o.iface_addr = htonl(INADDR_LOOPBACK);
    o.flags = WS_UDP_TIMESTAMPNS | WS_UDP_NONBLOCK;
    o.buffer_bytes = 1 << 20;
    int32_t granted = 0;
    CHECK(ws_net_udp_open(&o, rx, &granted) == WS_OK, "receiver open");
    CHECK(granted > 0, "granted %d", granted);
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    getsockname(*rx, (struct sockaddr *)&a, &alen);
    *port = ntohs(a.sin_port);
    memset(&o, 0, sizeof o);
    o.group = htonl(INADDR_LOOPBACK); /* a unicast destination is fine for a sender */
    o.port = *port;
    o.flags = WS_UDP_SENDER;
    o.ttl = 0;
    o.loop = 1;
    CHECK(ws_net_udp_open(&o, tx, &granted) == WS_OK, "sender open");
}

static void send_numbered(int tx, uint32_t first, uint32_t count, uint8_t *scratch)
{
    ws_tx_desc_t d[64];
    for (uint32_t done = 0; done < count;) {
        uint32_t k = count - done < 64 ? count - done : 64;
        for (uint32_t i = 0; i < k; i++) {
            uint32_t seq = first + done + i;
            memset(scratch + i * 256, (int)(seq & 0xff), 200);
            memcpy(scratch + i * 256, &seq, 4);
            d[i].offset = i * 256;
            d[i].length = 100 + seq % 100;
            d[i].reserved = 0;
        }
        int32_t sent = ws_net_sendmmsg(tx, scratch, d, k);
        CHECK(sent == (int32_t)k, "sendmmsg %d of %u", sent, k);
        done += k;
    }
}

static int check_packet(const uint8_t *base, const ws_rx_desc_t *d, uint32_t expect_seq, int64_t t0)
{
    uint32_t seq;
    memcpy(&seq, base + d->offset, 4);
    int ok = seq == expect_seq && d->length == 100 + seq % 100 && base[d->offset + 4] == (uint8_t)(seq & 0xff)
             && !(d->flags & WS_RX_NO_STAMP) && d->rx_mono_ns >= t0 - 1000000 && d->rx_mono_ns <= mono_ns() + 1000000;
    if (!ok) fprintf(stderr, "packet seq %u (expected %u) len %u flags %u rx %lld t0 %lld\n", seq, expect_seq, d->length,
                     d->flags, (long long)d->rx_mono_ns, (long long)t0);
    return ok;
}

static void uring_receives_everything_with_stamps(uint32_t flags, const char *name)
{
    ws_uring_rx_options_t o;
    memset(&o, 0, sizeof o);
    o.entries = 64;
    o.setup_flags = flags;
    o.sqpoll_cpu = (flags & WS_URING_SQPOLL) ? 0 : -1;
    o.sqpoll_idle_ms = 10; /* the kernel thread spins only 10 ms after the last submission: short on a shared box */
    o.buffer_count = 256;
    o.buffer_size = 2048;
    uint64_t need = 0;
    CHECK(ws_uring_rx_arena_bytes(&o, &need) == WS_OK, "arena bytes");
    void *arena = mmap(NULL, need, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    int rx, tx;
    uint16_t port;
    open_pair(&rx, &tx, &port);
    ws_uring_rx_t *h = NULL;
    int32_t rc = ws_uring_rx_open(&o, rx, arena, need, &h);
    if (rc != WS_OK) {
        fprintf(stderr, "%s: ws_uring_rx_open = %d\n", name, rc);
        CHECK(flags != 0, "plain io_uring must open"); /* flags may be refused by an older kernel */
        close(rx); close(tx); munmap(arena, need);
        return;
    }
    uint8_t *scratch = malloc(64 * 256);
    int64_t t0 = mono_ns();
    uint32_t total = 1000, got = 0, bad = 0;
    ws_rx_desc_t d[64];
    for (uint32_t sent = 0; sent < total; sent += 100) {
        send_numbered(tx, sent, 100, scratch);
        int64_t deadline = mono_ns() + 2000000000LL;
        while (got < sent + 100 && mono_ns() < deadline) {
            int32_t n = ws_uring_rx_poll(h, d, 64);
            CHECK(n >= 0, "poll %d", n);
            if (n <= 0) { usleep(100); continue; }
            for (int32_t i = 0; i < n; i++) bad += !check_packet(arena, &d[i], got + (uint32_t)i, t0);
            got += (uint32_t)n;
            CHECK(ws_uring_rx_recycle(h, d, (uint32_t)n) == WS_OK, "recycle");
        }
    }
    ws_rx_stats_t s;
    ws_uring_rx_stats(h, &s);
    CHECK(got == total && bad == 0, "%s: got %u of %u, %u bad", name, got, total, bad);
    CHECK(s.packets == total && s.no_buffers == 0, "%s: stats packets %llu nobufs %llu", name,
          (unsigned long long)s.packets, (unsigned long long)s.no_buffers);
    if (flags & WS_URING_SQPOLL) CHECK(s.enters == 0, "%s: poll made %llu system calls", name, (unsigned long long)s.enters);
    else CHECK(s.enters > 0, "%s: without SQPOLL the receive runs when the thread enters the kernel", name);

    /* Idle polls: with the TASKRUN flag (DEFER, COOP) they only read the SQ flags (at most one safety enter per 4096);
     * entering always costs one system call each; SQPOLL none. */
    uint64_t before = s.enters;
    for (int i = 0; i < 1000; i++) CHECK(ws_uring_rx_poll(h, d, 64) == 0, "%s: idle poll found data", name);
    ws_uring_rx_stats(h, &s);
    uint64_t idle = s.enters - before;
    int always = (flags & WS_URING_ENTER_ALWAYS) || !(flags & (WS_URING_DEFER_TASKRUN | WS_URING_COOP_TASKRUN | WS_URING_SQPOLL));
    if (always) CHECK(idle == 1000, "%s: %llu enters in 1000 idle polls, expected one each", name, (unsigned long long)idle);
    else CHECK(idle <= 1, "%s: %llu enters in 1000 idle polls", name, (unsigned long long)idle);

    /* ...and a datagram that arrives is harvested by the next poll: the flag asked for the enter, not the safety net. */
    if (!(flags & WS_URING_SQPOLL)) {
        send_numbered(tx, total, 1, scratch);
        int polls = 0, n = 0;
        while (n == 0 && polls < 3) { n = ws_uring_rx_poll(h, d, 64); polls++; }
        CHECK(n == 1 && check_packet(arena, &d[0], total, t0), "%s: a datagram after idling took more than %d polls", name, polls);
        if (n > 0) ws_uring_rx_recycle(h, d, (uint32_t)n);
    }
    CHECK(ws_uring_rx_close(h) == WS_OK, "close");
    free(scratch);
    close(rx); close(tx); munmap(arena, need);
}

static void uring_survives_a_dry_buffer_ring(void)
{
    ws_uring_rx_options_t o;
    memset(&o, 0, sizeof o);
    o.entries = 16;
    o.sqpoll_cpu = -1;
    o.buffer_count = 8; /* far fewer than the burst */
    o.buffer_size = 512;
    uint64_t need = 0;
    ws_uring_rx_arena_bytes(&o, &need);
    void *arena = mmap(NULL, need, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    int rx, tx;
    uint16_t port;
    open_pair(&rx, &tx, &port);
    ws_uring_rx_t *h = NULL;
    CHECK(ws_uring_rx_open(&o, rx, arena, need, &h) == WS_OK, "open");
    if (h == NULL) return;
    uint8_t *scratch = malloc(64 * 256);
    int64_t t0 = mono_ns();
    send_numbered(tx, 0, 40, scratch); /* 40 datagrams queue; only 8 buffers: the ring runs dry */
    ws_rx_desc_t d[64];
    uint32_t got = 0, bad = 0;
    int64_t deadline = mono_ns() + 2000000000LL;
    while (got < 40 && mono_ns() < deadline) {
        int32_t n = ws_uring_rx_poll(h, d, 64);
        CHECK(n >= 0, "poll %d", n);
        if (n <= 0) { usleep(100); continue; }
        for (int32_t i = 0; i < n; i++) bad += !check_packet(arena, &d[i], got + (uint32_t)i, t0);
        got += (uint32_t)n;
        ws_uring_rx_recycle(h, d, (uint32_t)n);
    }
    ws_rx_stats_t s;
    ws_uring_rx_stats(h, &s);
    CHECK(got == 40 && bad == 0, "dry ring: got %u of 40, %u bad (ENOBUFS %llu, rearms %llu)", got, bad,
          (unsigned long long)s.no_buffers, (unsigned long long)s.rearms);
    CHECK(s.no_buffers >= 1 && s.rearms >= 1, "the ring should have run dry and been re-armed");
    ws_uring_rx_close(h);
    free(scratch);
    close(rx); close(tx); munmap(arena, need);
}

static void mmsg_receives_everything_with_stamps(void)
{
    uint64_t need = 0;
    CHECK(ws_mmsg_rx_arena_bytes(32, 2048, &need) == WS_OK, "arena bytes");
    uint8_t *arena = malloc(need);
    int rx, tx;
    uint16_t port;
    open_pair(&rx, &tx, &port);
    ws_mmsg_rx_t *h = NULL;
    CHECK(ws_mmsg_rx_open(rx, arena, need, 32, 2048, &h) == WS_OK, "open");
    uint8_t *scratch = malloc(64 * 256);
    int64_t t0 = mono_ns();
    send_numbered(tx, 0, 300, scratch);
    ws_rx_desc_t d[32];
    uint32_t got = 0, bad = 0;
    int64_t deadline = mono_ns() + 2000000000LL;
    while (got < 300 && mono_ns() < deadline) {
        int32_t n = ws_mmsg_rx_poll(h, d, 32);
        CHECK(n >= 0, "poll %d", n);
        for (int32_t i = 0; i < n; i++) bad += !check_packet(arena, &d[i], got + (uint32_t)i, t0);
        got += n > 0 ? (uint32_t)n : 0;
    }
    CHECK(got == 300 && bad == 0, "mmsg: got %u of 300, %u bad", got, bad);
    CHECK(ws_mmsg_rx_poll(h, d, 32) == 0, "empty socket polls 0");
    ws_mmsg_rx_close(h);
    free(scratch); free(arena);
    close(rx); close(tx);
}

static void bad_arguments_are_refused(void)
{
    ws_uring_rx_options_t o;
    memset(&o, 0, sizeof o);
    uint64_t need;
    o.buffer_count = 100; o.buffer_size = 2048;
    CHECK(ws_uring_rx_arena_bytes(&o, &need) == WS_EINVAL, "count not a power of two");
    o.buffer_count = 128; o.buffer_size = 100;
    CHECK(ws_uring_rx_arena_bytes(&o, &need) == WS_EINVAL, "size too small");
    o.buffer_size = 2048; o.setup_flags = WS_URING_DEFER_TASKRUN | WS_URING_SQPOLL;
    ws_uring_rx_t *h;
    static uint8_t arena[1 << 20] __attribute__((aligned(4096)));
    CHECK(ws_uring_rx_open(&o, 0, arena, sizeof arena, &h) == WS_EINVAL, "DEFER_TASKRUN with SQPOLL");
    ws_udp_open_t u;
    memset(&u, 0, sizeof u);
    u.flags = WS_UDP_SENDER;
    int32_t fd, g;
    CHECK(ws_net_udp_open(&u, &fd, &g) == WS_EINVAL, "sender without destination");
}

int main(void)
{
    int32_t probe = ws_uring_probe();
    bad_arguments_are_refused();
    mmsg_receives_everything_with_stamps();
    if (probe != WS_OK) {
        fprintf(stderr, "SKIP io_uring parts: ws_uring_probe = %d\n", probe);
        return failures ? 1 : 77;
    }
    uring_receives_everything_with_stamps(0, "plain");
    uring_receives_everything_with_stamps(WS_URING_DEFER_TASKRUN, "defer_taskrun");
    uring_receives_everything_with_stamps(WS_URING_COOP_TASKRUN, "coop_taskrun");
    uring_receives_everything_with_stamps(WS_URING_DEFER_TASKRUN | WS_URING_ENTER_ALWAYS, "defer_taskrun_enter_always");
    uring_receives_everything_with_stamps(WS_URING_SQPOLL, "sqpoll"); /* no system call in poll */
    uring_survives_a_dry_buffer_ring();
    if (failures) return 1;
    puts("PASS test_uring_rx");
    return 0;
}
