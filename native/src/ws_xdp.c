/* AF_XDP receive with libxdp: one socket per (interface, queue), its UMEM the caller's arena.
 *
 *   arena = UMEM: frame 0 | frame 1 | ... | frame N-1   (frame_size each; a received frame's data starts at
 *                                                        frame base + XDP_PACKET_HEADROOM in copy mode)
 *
 * Frames cycle: fill ring (owned by the kernel) -> rx ring -> caller (ws_xdp_rx_poll hands out descriptors) ->
 * ws_xdp_rx_recycle puts the frame base back on the fill ring. At open every frame goes on the fill ring, so the fill
 * ring and rx ring are sized to hold all frames (PLATFORM.md: 32k frames survive most host stalls).
 *
 * libxdp's default program redirects every frame of the queue to the socket (ARP, IPv6, IGMP too): the managed parser
 * filters by destination. A process killed without cleanup leaves the program attached and the next attach in the
 * other mode fails with EEXIST/EBUSY: with WS_XDP_DETACH_LEFTOVER open detaches whatever is attached and retries once.
 * AF_XDP has no receive timestamp: descriptors carry the harvest time. */
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <xdp/libxdp.h>
#include <xdp/xsk.h>
#include "wirespeed_native.h"
#include "ws_net_internal.h"

#define WS_PAGE 4096u
#define WS_XDP_RETRIES 40       /* x 50 ms: start-up waits at most 2 s for a dead owner's queue */
#define WS_XDP_RETRY_US 50000

struct ws_xdp_rx {
    struct xsk_ring_prod fill;
    struct xsk_ring_cons comp;
    struct xsk_ring_cons rx;
    struct xsk_umem *umem;
    struct xsk_socket *xsk;
    uint8_t *arena;
    uint32_t frame_size;
    uint32_t frame_count;
    int fd;
    ws_rx_stats_t stats;
};

int32_t ws_xdp_rx_arena_bytes(const ws_xdp_rx_options_t *o, uint64_t *out_bytes)
{
    if (o == NULL || out_bytes == NULL) return WS_EINVAL;
    if (o->frame_count == 0 || o->frame_count > 65536 || (o->frame_count & (o->frame_count - 1)) != 0) return WS_EINVAL;
    if (o->frame_size != 2048 && o->frame_size != 4096) return WS_EINVAL;
    if (o->ring_size == 0 || o->ring_size > o->frame_count || (o->ring_size & (o->ring_size - 1)) != 0) return WS_EINVAL;
    if (o->mode != WS_XDP_MODE_SKB && o->mode != WS_XDP_MODE_DRV) return WS_EINVAL;
    if (memchr(o->ifname, 0, sizeof o->ifname) == NULL || o->ifname[0] == 0) return WS_EINVAL;
    *out_bytes = (uint64_t)o->frame_count * o->frame_size;
    return WS_OK;
}

int32_t ws_xdp_detach(const char *ifname)
{
    if (ifname == NULL) return WS_EINVAL;
    int ifindex = (int)if_nametoindex(ifname);
    if (ifindex == 0) return ws_error_from_errno(errno);
    struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
    if (!libxdp_get_error(mp) && mp != NULL) {
        xdp_multiprog__detach(mp);
        xdp_multiprog__close(mp);
    }
    /* Whatever libxdp did not recognise (a plain program): detach in both modes, as 'ip link ... xdp* off'. */
    bpf_xdp_detach(ifindex, XDP_FLAGS_SKB_MODE, NULL);
    bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
    return WS_OK;
}

/* libbpf and libxdp print warnings (unknown ELF sections, no bpffs, dispatcher fallback) that are expected here and
 * would interleave with our output; errors come back as codes. WIRESPEED_XDP_DEBUG=1 lets them through. */
static int quiet_bpf(enum libbpf_print_level level, const char *fmt, va_list args)
{
    (void)level;
    return getenv("WIRESPEED_XDP_DEBUG") ? vfprintf(stderr, fmt, args) : 0;
}

static int quiet_xdp(enum libxdp_print_level level, const char *fmt, va_list args)
{
    (void)level;
    return getenv("WIRESPEED_XDP_DEBUG") ? vfprintf(stderr, fmt, args) : 0;
}

/* UMEM then socket; on failure the UMEM is deleted too, because libxdp has already set up rings on its fd and a
 * second bind through the same UMEM would fail with EBUSY whatever the cause of the first failure. */
static int create_socket(ws_xdp_rx_t *h, const ws_xdp_rx_options_t *o, uint16_t bind_flags, uint64_t umem_bytes)
{
    struct xsk_umem_config ucfg;
    memset(&ucfg, 0, sizeof ucfg);
    ucfg.fill_size = o->ring_size;
    ucfg.comp_size = 64; /* receive only: the completion ring is never used */
    ucfg.frame_size = o->frame_size;
    ucfg.frame_headroom = 0;
    int rc = xsk_umem__create(&h->umem, h->arena, umem_bytes, &h->fill, &h->comp, &ucfg);
    if (rc != 0) return rc;
    struct xsk_socket_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.rx_size = o->ring_size;
    cfg.tx_size = 0;
    cfg.xdp_flags = o->mode == WS_XDP_MODE_DRV ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE;
    cfg.bind_flags = bind_flags | XDP_USE_NEED_WAKEUP;
    rc = xsk_socket__create(&h->xsk, o->ifname, o->queue_id, h->umem, &h->rx, NULL, &cfg);
    if (rc != 0) {
        /* libxdp may leave the UMEM's fd bound to the queue after a failed attach (refcount kept, delete refuses with
         * EBUSY): close that fd so the queue is free for a retry; the small UMEM struct is leaked on this path only. */
        int ufd = xsk_umem__fd(h->umem);
        if (xsk_umem__delete(h->umem) != 0 && ufd >= 0) close(ufd);
        h->umem = NULL;
    }
    return rc;
}

int32_t ws_xdp_rx_open(const ws_xdp_rx_options_t *o, void *arena, uint64_t arena_bytes, ws_xdp_rx_t **out_handle,
                       uint32_t *out_result)
{
    uint64_t need;
    if (arena == NULL || out_handle == NULL || out_result == NULL || ((uintptr_t)arena % WS_PAGE) != 0) return WS_EINVAL;
    if (ws_xdp_rx_arena_bytes(o, &need) != WS_OK || arena_bytes < need) return WS_EINVAL;
    if ((o->flags & ~(WS_XDP_WANT_ZEROCOPY | WS_XDP_DETACH_LEFTOVER)) != 0) return WS_EINVAL;
    libbpf_set_print(quiet_bpf);
    libxdp_set_print(quiet_xdp);
    ws_xdp_rx_t *h = calloc(1, sizeof *h);
    if (h == NULL) return WS_ENOMEM;
    h->arena = arena;
    h->frame_size = o->frame_size;
    h->frame_count = o->frame_count;
    uint32_t result = 0;

    uint16_t bind = (o->flags & WS_XDP_WANT_ZEROCOPY) ? XDP_ZEROCOPY : XDP_COPY;
    if (o->flags & WS_XDP_DETACH_LEFTOVER) {
        /* A program attached in the other mode can only be a leftover for us (PLATFORM.md: the attach then fails with
         * EEXIST): detach it first. One in our own mode may be a live neighbour's on another queue: leave it. */
        int ifindex = (int)if_nametoindex(o->ifname);
        uint32_t other = o->mode == WS_XDP_MODE_DRV ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
        uint32_t id = 0;
        if (ifindex > 0 && bpf_xdp_query_id(ifindex, other, &id) == 0 && id != 0) {
            ws_xdp_detach(o->ifname);
            result |= WS_XDP_RECOVERED;
        }
    }
    int rc = create_socket(h, o, bind, need);
    /* EEXIST: a program in the other mode. EBUSY: the queue is still bound by a socket whose owner was just killed
     * (the kernel releases it asynchronously; measured here: well under a second). Detach and retry, bounded. */
    for (int attempt = 0; attempt < WS_XDP_RETRIES && (rc == -EEXIST || rc == -EBUSY) && (o->flags & WS_XDP_DETACH_LEFTOVER); attempt++) {
        ws_xdp_detach(o->ifname);
        result |= WS_XDP_RECOVERED;
        usleep(WS_XDP_RETRY_US);
        rc = create_socket(h, o, bind, need);
    }
    if (rc != 0 && bind == XDP_ZEROCOPY && (rc == -EOPNOTSUPP || rc == -EINVAL || rc == -ENOTSUP)) {
        result |= WS_XDP_COPY_FALLBACK; /* veth and most virtual devices refuse zero-copy (PLATFORM.md) */
        bind = XDP_COPY;
        rc = create_socket(h, o, bind, need);
    }
    if (rc != 0) {
        free(h);
        return ws_error_from_errno(-rc);
    }
    if (bind == XDP_ZEROCOPY) result |= WS_XDP_ZEROCOPY;
    h->fd = xsk_socket__fd(h->xsk);

    /* Every frame the fill ring can hold goes to the kernel now; the rest wait in no list: ring_size <= frame_count
     * and frames beyond it are never used (size the ring equal to the frame count). */
    uint32_t idx = 0;
    uint32_t n = xsk_ring_prod__reserve(&h->fill, o->ring_size, &idx);
    for (uint32_t i = 0; i < n; i++) *xsk_ring_prod__fill_addr(&h->fill, idx + i) = (uint64_t)i * o->frame_size;
    xsk_ring_prod__submit(&h->fill, n);

    *out_handle = h;
    *out_result = result;
    return WS_OK;
}

int32_t ws_xdp_rx_poll(ws_xdp_rx_t *h, ws_rx_desc_t *out, uint32_t max)
{
    if (h == NULL || out == NULL) return WS_EINVAL;
    uint32_t idx = 0;
    uint32_t n = xsk_ring_cons__peek(&h->rx, max, &idx);
    if (n == 0) {
        if (xsk_ring_prod__needs_wakeup(&h->fill)) {
            recvfrom(h->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
            h->stats.enters++;
        }
        return 0;
    }
    int64_t now = ws_net_mono_now_ns();
    for (uint32_t i = 0; i < n; i++) {
        const struct xdp_desc *d = xsk_ring_cons__rx_desc(&h->rx, idx + i);
        uint64_t addr = xsk_umem__add_offset_to_addr(d->addr);
        ws_rx_desc_t *o = &out[i];
        o->offset = addr;
        o->length = d->len;
        o->buffer_id = (uint16_t)(xsk_umem__extract_addr(d->addr) / h->frame_size);
        o->flags = WS_RX_NO_STAMP;
        o->rx_mono_ns = now;
        o->rx_real_ns = 0;
    }
    xsk_ring_cons__release(&h->rx, n);
    h->stats.packets += n;
    return (int32_t)n;
}

int32_t ws_xdp_rx_recycle(ws_xdp_rx_t *h, const ws_rx_desc_t *descs, uint32_t n)
{
    if (h == NULL || (descs == NULL && n != 0)) return WS_EINVAL;
    if (n == 0) return WS_OK;
    uint32_t idx = 0;
    if (xsk_ring_prod__reserve(&h->fill, n, &idx) != n) return WS_EAGAIN;
    for (uint32_t i = 0; i < n; i++) *xsk_ring_prod__fill_addr(&h->fill, idx + i) = (uint64_t)descs[i].buffer_id * h->frame_size;
    xsk_ring_prod__submit(&h->fill, n);
    return WS_OK;
}

int32_t ws_xdp_rx_stats(const ws_xdp_rx_t *h, ws_rx_stats_t *out)
{
    if (h == NULL || out == NULL) return WS_EINVAL;
    *out = h->stats;
    struct xdp_statistics xs;
    socklen_t len = sizeof xs;
    if (getsockopt(h->fd, SOL_XDP, XDP_STATISTICS, &xs, &len) == 0) {
        /* Kernel drops for want of a fill-ring frame are this transport's ENOBUFS. */
        out->no_buffers = xs.rx_fill_ring_empty_descs + xs.rx_ring_full;
        out->errors = xs.rx_dropped + xs.rx_invalid_descs;
    }
    return WS_OK;
}

int32_t ws_xdp_rx_close(ws_xdp_rx_t *h)
{
    if (h == NULL) return WS_EINVAL;
    xsk_socket__delete(h->xsk); /* socket before UMEM: the UMEM is busy while a socket uses it */
    xsk_umem__delete(h->umem);
    free(h);
    return WS_OK;
}

int32_t ws_xdp_queue_count(const char *ifname, uint32_t *out_count)
{
    if (ifname == NULL || out_count == NULL || strlen(ifname) >= IFNAMSIZ) return WS_EINVAL;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd >= 0) {
        struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };
        struct ifreq ifr;
        memset(&ifr, 0, sizeof ifr);
        strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
        ifr.ifr_data = (void *)&ch;
        int rc = ioctl(fd, SIOCETHTOOL, &ifr);
        close(fd);
        if (rc == 0 && (ch.rx_count + ch.combined_count) > 0) {
            *out_count = ch.rx_count + ch.combined_count;
            return WS_OK;
        }
    }
    /* No ethtool channels (veth on older kernels): count rx-N entries in sysfs. */
    uint32_t n = 0;
    char path[96];
    for (; n < 1024; n++) {
        snprintf(path, sizeof path, "/sys/class/net/%s/queues/rx-%u", ifname, n);
        if (access(path, F_OK) != 0) break;
    }
    if (n == 0) return WS_ENOSYS;
    *out_count = n;
    return WS_OK;
}
