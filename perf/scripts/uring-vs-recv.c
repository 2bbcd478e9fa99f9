/* Why io_uring loses to recv() at the median on loopback: one thread sends a 200-byte UDP datagram to itself over
 * 127.0.0.1 and receives it, 20,000 times per variant, five interleaved rounds; prints the median over rounds of each
 * round's p50 of send -> datagram in hand.
 *
 * On loopback the kernel's whole receive path (IP, UDP, queue on the socket, wake-up) runs inside the sender's
 * sendto(). With COOP_TASKRUN the io_uring task work is queued to this same thread and runs on sendto's way out, so the
 * completion is posted before sendto returns: the io_uring variants make no receive system call at all, recv() makes
 * one. Whatever io_uring still costs more is its own receive machinery (poll wake-up, task work, multishot recvmsg with
 * buffer selection, a second receive that finds the socket empty, the completion), not system calls.
 *
 * Build and run (Debian: liburing-dev):  gcc -O2 -o /tmp/uring-vs-recv perf/scripts/uring-vs-recv.c -luring && /tmp/uring-vs-recv */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

enum method { RECV, RECVMSG_STAMP, URING_RECVMSG_STAMP, URING_RECVMSG_BARE, URING_RECV };
static const char *const method_names[] = { "recv()", "recvmsg() + SO_TIMESTAMPNS", "io_uring recvmsg + name + stamp",
                                            "io_uring recvmsg, bare", "io_uring recv" };
#define ROUNDS 5
#define COUNT 20000
#define WARMUP 1000
#define BUFFERS 1024u
#define BUFFER_SIZE 2048u

static long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

static void die(const char *what) { perror(what); exit(1); }

static long receive_calls; /* receive system calls of the last measure() */

/* p50 of COUNT sends, each received before the next. */
static long measure(enum method m, unsigned setup_flags)
{
    receive_calls = 0;
    int rx = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    if (bind(rx, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(rx, (struct sockaddr *)&a, &alen) != 0) die("bind");
    int one = 1;
    if (m == RECVMSG_STAMP || m == URING_RECVMSG_STAMP) setsockopt(rx, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);

    int uring = m >= URING_RECVMSG_STAMP;
    struct io_uring ring;
    struct io_uring_buf_ring *br = NULL;
    struct msghdr tmpl;
    memset(&tmpl, 0, sizeof tmpl);
    size_t map_bytes = BUFFERS * sizeof(struct io_uring_buf) + (size_t)BUFFERS * BUFFER_SIZE;
    uint8_t *map = NULL, *buffers = NULL;
    if (uring) {
        struct io_uring_params p;
        memset(&p, 0, sizeof p);
        p.flags = setup_flags;
        if (io_uring_queue_init_params(64, &ring, &p) < 0) die("io_uring_queue_init_params");
        map = mmap(NULL, map_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        if (map == MAP_FAILED) die("mmap");
        br = (struct io_uring_buf_ring *)map;
        buffers = map + BUFFERS * sizeof(struct io_uring_buf);
        struct io_uring_buf_reg reg = { .ring_addr = (unsigned long)map, .ring_entries = BUFFERS, .bgid = 0 };
        io_uring_buf_ring_init(br);
        if (io_uring_register_buf_ring(&ring, &reg, 0) != 0) die("io_uring_register_buf_ring");
        for (unsigned i = 0; i < BUFFERS; i++)
            io_uring_buf_ring_add(br, buffers + i * BUFFER_SIZE, BUFFER_SIZE, (unsigned short)i, BUFFERS - 1, (int)i);
        io_uring_buf_ring_advance(br, BUFFERS);
        struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
        if (m == URING_RECV) {
            io_uring_prep_recv_multishot(sqe, rx, NULL, 0, 0);
        } else {
            if (m == URING_RECVMSG_STAMP) {
                tmpl.msg_namelen = sizeof(struct sockaddr_in);
                tmpl.msg_controllen = CMSG_SPACE(sizeof(struct timespec));
            }
            io_uring_prep_recvmsg_multishot(sqe, rx, &tmpl, 0);
        }
        sqe->flags |= IOSQE_BUFFER_SELECT;
        sqe->buf_group = 0;
        io_uring_submit(&ring);
    }

    static long lat[COUNT];
    char out[200] = { 1 }, in[2048], control[64];
    for (int i = 0; i < WARMUP + COUNT; i++) {
        long t0 = now_ns();
        sendto(tx, out, sizeof out, 0, (struct sockaddr *)&a, sizeof a);
        if (m == RECV) {
            while (receive_calls++, recv(rx, in, sizeof in, 0) < 0) { }
        } else if (m == RECVMSG_STAMP) {
            struct iovec io = { in, sizeof in };
            struct msghdr mh = { .msg_iov = &io, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
            while (receive_calls++, recvmsg(rx, &mh, 0) < 0) { }
        } else {
            /* Enter only when the kernel flagged task work (DEFER_TASKRUN); with COOP it already ran. */
            while (io_uring_cq_ready(&ring) == 0)
                if (IO_URING_READ_ONCE(*ring.sq.kflags) & IORING_SQ_TASKRUN) { receive_calls++; io_uring_get_events(&ring); }
            struct io_uring_cqe *c;
            io_uring_peek_cqe(&ring, &c);
            if (c->res < 0 || !(c->flags & IORING_CQE_F_MORE)) { fprintf(stderr, "completion %d\n", c->res); exit(1); }
            unsigned short bid = (unsigned short)(c->flags >> IORING_CQE_BUFFER_SHIFT);
            io_uring_cqe_seen(&ring, c);
            io_uring_buf_ring_add(br, buffers + bid * BUFFER_SIZE, BUFFER_SIZE, bid, BUFFERS - 1, 0);
            io_uring_buf_ring_advance(br, 1);
        }
        if (i >= WARMUP) lat[i - WARMUP] = now_ns() - t0;
    }
    if (uring) {
        io_uring_queue_exit(&ring);
        munmap(map, map_bytes);
    }
    close(rx);
    close(tx);
    qsort(lat, COUNT, sizeof lat[0], cmp_long);
    return lat[COUNT / 2];
}

int main(void)
{
    const unsigned coop = IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG;
    const unsigned defer = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_TASKRUN_FLAG;
    struct { enum method m; unsigned setup; const char *setup_name; } v[] = {
        { RECV, 0, "" }, { RECVMSG_STAMP, 0, "" }, { URING_RECVMSG_STAMP, coop, "COOP" }, { URING_RECVMSG_BARE, coop, "COOP" },
        { URING_RECV, coop, "COOP" }, { URING_RECVMSG_STAMP, defer, "DEFER" }, { URING_RECV, defer, "DEFER" },
    };
    enum { N = sizeof v / sizeof v[0] };
    long p50[N][ROUNDS];
    double calls[N];
    for (int r = 0; r < ROUNDS; r++)
        for (int i = 0; i < N; i++) {
            p50[i][r] = measure(v[i].m, v[i].setup);
            calls[i] = (double)receive_calls / (WARMUP + COUNT);
        }
    printf("send -> datagram in hand, one thread, loopback, 200 bytes: median over %d interleaved rounds of p50 (ns)\n", ROUNDS);
    for (int i = 0; i < N; i++) {
        long sorted[ROUNDS];
        memcpy(sorted, p50[i], sizeof sorted);
        qsort(sorted, ROUNDS, sizeof sorted[0], cmp_long);
        printf("%-34s %-5s %6ld   receive system calls per datagram %.2f   rounds:", method_names[v[i].m], v[i].setup_name,
               sorted[ROUNDS / 2], calls[i]);
        for (int r = 0; r < ROUNDS; r++) printf(" %ld", p50[i][r]);
        printf("\n");
    }
    return 0;
}
