/* io_uring receive: one ring per worker thread, multishot recvmsg into a provided-buffer ring carved from the caller's
 * arena, per-packet SO_TIMESTAMPNS stamps.
 *
 * Arena layout (page aligned, ws_uring_rx_arena_bytes):
 *
 *   +-------------------------------+  arena
 *   | io_uring_buf ring[count]      |  16 bytes each, rounded up to a page (the kernel maps it by address)
 *   +-------------------------------+  arena + ring_bytes = buffers
 *   | buffer 0 | buffer 1 | ...     |  buffer_size each:
 *   +-------------------------------+    [recvmsg_out 16][sockaddr_in 16][control 32][payload ...]
 *
 * Why harvesting is a C call and not managed code reading the mapped CQ: one call per batch costs ~7 ns dynamic or
 * ~1.3 ns linked statically (PLATFORM.md), a few ns per packet at batch sizes of 16+, while mirroring liburing's ring
 * structs, its memory barriers and the recvmsg_out/cmsg layout in C# would duplicate subtle code in two languages.
 * The descriptor array the caller passes is the only thing that crosses, and it is read in place.
 *
 * Buffer accounting (PLATFORM.md): an ENOBUFS completion carries no buffer. The CQ is advanced by the number of
 * completions seen, the buffer ring only by the number of buffers actually given back (ws_uring_rx_recycle), never
 * both by one count. Multishot stops on ENOBUFS (no IORING_CQE_F_MORE) and is re-armed at the start of the next poll,
 * after the caller has had the chance to give buffers back; the datagrams wait in the socket buffer meanwhile.
 *
 * When to enter the kernel. With DEFER_TASKRUN (and COOP_TASKRUN) the receive itself runs as task work of this thread:
 * a datagram only becomes a completion when the thread enters the kernel (or, COOP, leaves it after any system call or
 * interrupt). Entering on every empty poll costs a system call per spin (~0.35 us here, ~3 million a second while
 * idle) and puts one more before the batch is processed. With IORING_SETUP_TASKRUN_FLAG the kernel sets
 * IORING_SQ_TASKRUN in the shared SQ flags when it queues task work (and clears it when the work runs), so an empty poll
 * reads one word and enters only when there is work; IORING_SQ_CQ_OVERFLOW likewise asks for an enter. A poll that
 * enters every WS_URING_SAFETY_POLLS empty polls bounds the cost of any case the flag would miss (none known: the
 * single multishot request is one task-work item, below the kernel's per-enter limit). */
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "wirespeed_native.h"
#include "ws_net_internal.h"

#define WS_RECV_TAG 1u
#define WS_PAGE 4096u
#define WS_URING_SAFETY_POLLS 4096u

enum ws_enter_mode { WS_ENTER_NEVER = 0, WS_ENTER_WHEN_FLAGGED = 1, WS_ENTER_ALWAYS = 2 };

_Static_assert(sizeof(struct io_uring_recvmsg_out) == 16, "headroom arithmetic");
_Static_assert(sizeof(struct io_uring_recvmsg_out) + sizeof(struct sockaddr_in) + CMSG_SPACE(sizeof(struct timespec))
                   <= WS_URING_RX_HEADROOM, "WS_URING_RX_HEADROOM covers header, name and control");
_Static_assert(sizeof(struct io_uring_buf) == 16, "buffer ring entries");

struct ws_uring_rx {
    struct io_uring ring;
    struct msghdr tmpl;          /* multishot template: name and control lengths only */
    struct io_uring_buf_ring *br;
    uint8_t *arena;
    uint8_t *buffers;
    uint64_t buffers_offset;     /* buffers - arena */
    uint32_t count;
    uint32_t size;
    int mask;
    int fd;
    uint16_t group;
    uint8_t armed;
    uint8_t sqpoll;
    uint8_t enter_mode;          /* enum ws_enter_mode */
    uint32_t empty_polls;        /* since the last enter (WS_ENTER_WHEN_FLAGGED) */
    ws_rx_stats_t stats;
};

static uint64_t ring_bytes(uint32_t count) { return ((uint64_t)count * sizeof(struct io_uring_buf) + WS_PAGE - 1) / WS_PAGE * WS_PAGE; }

int32_t ws_uring_rx_arena_bytes(const ws_uring_rx_options_t *o, uint64_t *out_bytes)
{
    if (o == NULL || out_bytes == NULL) return WS_EINVAL;
    if (o->buffer_count == 0 || o->buffer_count > 32768 || (o->buffer_count & (o->buffer_count - 1)) != 0) return WS_EINVAL;
    if (o->buffer_size < WS_URING_RX_HEADROOM + 64 || o->buffer_size > 65536 || (o->buffer_size % 64) != 0) return WS_EINVAL;
    *out_bytes = ring_bytes(o->buffer_count) + (uint64_t)o->buffer_count * o->buffer_size;
    return WS_OK;
}

static int arm(ws_uring_rx_t *h)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&h->ring);
    if (sqe == NULL) return WS_EAGAIN;
    io_uring_prep_recvmsg_multishot(sqe, h->fd, &h->tmpl, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = h->group;
    io_uring_sqe_set_data64(sqe, WS_RECV_TAG);
    int rc = io_uring_submit(&h->ring);
    if (!h->sqpoll) h->stats.enters++;
    if (rc < 0) return ws_error_from_errno(-rc);
    h->armed = 1;
    return WS_OK;
}

int32_t ws_uring_rx_open(const ws_uring_rx_options_t *o, int32_t fd, void *arena, uint64_t arena_bytes,
                         ws_uring_rx_t **out_handle)
{
    uint64_t need;
    if (fd < 0 || arena == NULL || out_handle == NULL || ((uintptr_t)arena % WS_PAGE) != 0) return WS_EINVAL;
    if (ws_uring_rx_arena_bytes(o, &need) != WS_OK || arena_bytes < need) return WS_EINVAL;
    if ((o->setup_flags & ~(WS_URING_DEFER_TASKRUN | WS_URING_SQPOLL | WS_URING_COOP_TASKRUN | WS_URING_ENTER_ALWAYS)) != 0)
        return WS_EINVAL;
    if ((o->setup_flags & WS_URING_DEFER_TASKRUN) && (o->setup_flags & WS_URING_SQPOLL)) return WS_EINVAL; /* kernel refuses */
    uint32_t entries = o->entries == 0 ? 64 : o->entries;
    if ((entries & (entries - 1)) != 0 || entries > 4096) return WS_EINVAL;

    ws_uring_rx_t *h = calloc(1, sizeof *h);
    if (h == NULL) return WS_ENOMEM;
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    /* A big CQ: multishot posts one completion per datagram, and a CQ overflow costs the kernel a slow path. */
    p.flags = IORING_SETUP_CQSIZE;
    p.cq_entries = o->buffer_count > entries * 8 ? o->buffer_count : entries * 8;
    if (o->setup_flags & WS_URING_DEFER_TASKRUN)
        p.flags |= IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_TASKRUN_FLAG;
    if (o->setup_flags & WS_URING_COOP_TASKRUN) p.flags |= IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG;
    if (o->setup_flags & WS_URING_SQPOLL) {
        p.flags |= IORING_SETUP_SQPOLL;
        p.sq_thread_idle = o->sqpoll_idle_ms == 0 ? 1000 : o->sqpoll_idle_ms;
        if (o->sqpoll_cpu >= 0) {
            p.flags |= IORING_SETUP_SQ_AFF;
            p.sq_thread_cpu = (uint32_t)o->sqpoll_cpu;
        }
    }
    int rc = io_uring_queue_init_params(entries, &h->ring, &p);
    if (rc < 0) {
        free(h);
        return ws_error_from_errno(-rc);
    }
    h->arena = arena;
    h->br = (struct io_uring_buf_ring *)arena;
    h->buffers_offset = ring_bytes(o->buffer_count);
    h->buffers = h->arena + h->buffers_offset;
    h->count = o->buffer_count;
    h->size = o->buffer_size;
    h->mask = io_uring_buf_ring_mask(o->buffer_count);
    h->fd = fd;
    h->group = o->group_id;
    h->sqpoll = (o->setup_flags & WS_URING_SQPOLL) != 0;
    h->enter_mode = h->sqpoll ? WS_ENTER_NEVER
                  : (o->setup_flags & WS_URING_ENTER_ALWAYS) || !(p.flags & IORING_SETUP_TASKRUN_FLAG) ? WS_ENTER_ALWAYS
                  : WS_ENTER_WHEN_FLAGGED;

    /* liburing 2.3 has no io_uring_setup_buf_ring: register the arena's page-aligned region ourselves. */
    struct io_uring_buf_reg reg;
    memset(&reg, 0, sizeof reg);
    reg.ring_addr = (unsigned long)(uintptr_t)h->br;
    reg.ring_entries = o->buffer_count;
    reg.bgid = o->group_id;
    io_uring_buf_ring_init(h->br);
    rc = io_uring_register_buf_ring(&h->ring, &reg, 0);
    if (rc < 0) {
        io_uring_queue_exit(&h->ring);
        free(h);
        return ws_error_from_errno(-rc);
    }
    for (uint32_t i = 0; i < h->count; i++)
        io_uring_buf_ring_add(h->br, h->buffers + (size_t)i * h->size, h->size, (unsigned short)i, h->mask, (int)i);
    io_uring_buf_ring_advance(h->br, (int)h->count);

    h->tmpl.msg_namelen = sizeof(struct sockaddr_in);
    h->tmpl.msg_controllen = CMSG_SPACE(sizeof(struct timespec));
    rc = arm(h);
    if (rc != WS_OK) {
        io_uring_unregister_buf_ring(&h->ring, h->group);
        io_uring_queue_exit(&h->ring);
        free(h);
        return rc;
    }
    h->stats.rearms = 0;
    *out_handle = h;
    return WS_OK;
}

/* The CQ is empty: is there anything an enter would bring? One read of the shared SQ flags word. */
static inline int should_enter(ws_uring_rx_t *h)
{
    unsigned flags = IO_URING_READ_ONCE(*h->ring.sq.kflags);
    if (flags & IORING_SQ_CQ_OVERFLOW) return 1;
    if (h->enter_mode != WS_ENTER_WHEN_FLAGGED) return h->enter_mode == WS_ENTER_ALWAYS;
    if ((flags & IORING_SQ_TASKRUN) || ++h->empty_polls >= WS_URING_SAFETY_POLLS) {
        h->empty_polls = 0;
        return 1;
    }
    return 0;
}

int32_t ws_uring_rx_poll(ws_uring_rx_t *h, ws_rx_desc_t *out, uint32_t max)
{
    if (h == NULL || out == NULL) return WS_EINVAL;
    if (!h->armed) {
        int rc = arm(h);
        if (rc != WS_OK) return rc;
        h->stats.rearms++;
    }
    if (io_uring_cq_ready(&h->ring) == 0 && should_enter(h)) {
        /* Runs the task work the kernel queued for this thread: the receive completes here (see the header comment). */
        io_uring_get_events(&h->ring);
        h->stats.enters++;
    }
    uint32_t n = 0, seen = 0;
    int64_t offset = 0, now = 0;
    unsigned head;
    struct io_uring_cqe *cqe;
    io_uring_for_each_cqe(&h->ring, head, cqe) {
        if (n == max) break;
        seen++;
        if (!(cqe->flags & IORING_CQE_F_MORE)) h->armed = 0; /* multishot ended (ENOBUFS, error or cancel): re-arm */
        if (cqe->res < 0) {
            if (cqe->res == -ENOBUFS) h->stats.no_buffers++;
            else if (cqe->res != -ECANCELED) {
                h->stats.errors++;
                h->stats.last_error = ws_error_from_errno(-cqe->res);
            }
            continue; /* no buffer attached: nothing to recycle for this completion */
        }
        if (!(cqe->flags & IORING_CQE_F_BUFFER)) continue;
        uint16_t bid = (uint16_t)(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
        uint8_t *buf = h->buffers + (size_t)bid * h->size;
        ws_rx_desc_t *d = &out[n++];
        d->buffer_id = bid;
        d->flags = 0;
        struct io_uring_recvmsg_out *ro = io_uring_recvmsg_validate(buf, cqe->res, &h->tmpl);
        if (ro == NULL) {
            d->offset = h->buffers_offset + (uint64_t)bid * h->size;
            d->length = 0;
            d->flags = WS_RX_TRUNCATED;
            d->rx_real_ns = 0;
            d->rx_mono_ns = 0;
            h->stats.truncated++;
            continue;
        }
        uint8_t *payload = io_uring_recvmsg_payload(ro, &h->tmpl);
        d->offset = (uint64_t)(payload - h->arena);
        d->length = io_uring_recvmsg_payload_length(ro, cqe->res, &h->tmpl);
        if (ro->flags & MSG_TRUNC) {
            d->flags |= WS_RX_TRUNCATED;
            h->stats.truncated++;
        }
        /* Control messages of this datagram: a msghdr view over its own control bytes. */
        struct msghdr view;
        memset(&view, 0, sizeof view);
        view.msg_control = (uint8_t *)(ro + 1) + h->tmpl.msg_namelen;
        view.msg_controllen = ro->controllen;
        d->rx_real_ns = ws_net_stamp_from_cmsg(&view);
        if (d->rx_real_ns != 0) {
            if (offset == 0) offset = ws_net_clock_offset_ns();
            d->rx_mono_ns = d->rx_real_ns - offset;
        } else {
            if (now == 0) now = ws_net_mono_now_ns();
            d->rx_mono_ns = now;
            d->flags |= WS_RX_NO_STAMP;
        }
    }
    io_uring_cq_advance(&h->ring, seen); /* completions seen, not buffers: see the header comment */
    h->stats.packets += n;
    return (int32_t)n;
}

int32_t ws_uring_rx_recycle(ws_uring_rx_t *h, const ws_rx_desc_t *descs, uint32_t n)
{
    if (h == NULL || (descs == NULL && n != 0) || n > h->count) return WS_EINVAL;
    for (uint32_t i = 0; i < n; i++) {
        uint16_t bid = descs[i].buffer_id;
        if (bid >= h->count) return WS_EINVAL;
        io_uring_buf_ring_add(h->br, h->buffers + (size_t)bid * h->size, h->size, bid, h->mask, (int)i);
    }
    io_uring_buf_ring_advance(h->br, (int)n); /* release store: the kernel sees the entries before the tail */
    return WS_OK;
}

int32_t ws_uring_rx_stats(const ws_uring_rx_t *h, ws_rx_stats_t *out)
{
    if (h == NULL || out == NULL) return WS_EINVAL;
    *out = h->stats;
    return WS_OK;
}

int32_t ws_uring_rx_close(ws_uring_rx_t *h)
{
    if (h == NULL) return WS_EINVAL;
    /* Exiting the ring cancels the multishot receive; the buffer ring memory is the caller's arena, unmapped later. */
    io_uring_unregister_buf_ring(&h->ring, h->group);
    io_uring_queue_exit(&h->ring);
    free(h);
    return WS_OK;
}

int32_t ws_uring_probe(void)
{
    struct io_uring ring;
    int rc = io_uring_queue_init(8, &ring, 0);
    if (rc < 0) return ws_error_from_errno(-rc);
    void *mem = mmap(NULL, WS_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) {
        io_uring_queue_exit(&ring);
        return WS_ENOMEM;
    }
    struct io_uring_buf_reg reg;
    memset(&reg, 0, sizeof reg);
    reg.ring_addr = (unsigned long)(uintptr_t)mem;
    reg.ring_entries = 8;
    reg.bgid = 0;
    rc = io_uring_register_buf_ring(&ring, &reg, 0);
    if (rc == 0) io_uring_unregister_buf_ring(&ring, 0);
    io_uring_queue_exit(&ring);
    munmap(mem, WS_PAGE);
    return rc < 0 ? ws_error_from_errno(-rc) : WS_OK;
}
