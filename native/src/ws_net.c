/* UDP sockets for every transport: open (bind, any-source or source-specific multicast join on a chosen interface,
 * receive buffer sizing with the granted size reported, SO_TIMESTAMPNS), the recvmmsg receiver that is the portable
 * fallback, and sendmmsg for the simulator's output.
 *
 * The recvmmsg receiver owns its mmsghdr/iovec/control arrays (malloc at open, never after) and points each iovec at a
 * slot of the caller's arena, so the payloads it reports are read in place by managed code. Kernel stamps are
 * CLOCK_REALTIME (SO_TIMESTAMPNS); poll reads both clocks once per batch and moves each stamp into the monotonic domain
 * with that offset, so a realtime step between two polls cannot corrupt more than one batch. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "wirespeed_native.h"
#include "ws_net_internal.h"

#define WS_EINTR_RETRIES 8
#define WS_CONTROL_BYTES 32 /* CMSG_SPACE(sizeof(struct timespec)) on x86-64 */

_Static_assert(CMSG_SPACE(sizeof(struct timespec)) <= WS_CONTROL_BYTES, "control space for SO_TIMESTAMPNS");

int64_t ws_net_clock_offset_ns(void)
{
    struct timespec real, mono;
    clock_gettime(CLOCK_REALTIME, &real);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    return ((int64_t)real.tv_sec - (int64_t)mono.tv_sec) * 1000000000LL + ((int64_t)real.tv_nsec - (int64_t)mono.tv_nsec);
}

int64_t ws_net_mono_now_ns(void)
{
    struct timespec mono;
    clock_gettime(CLOCK_MONOTONIC, &mono);
    return (int64_t)mono.tv_sec * 1000000000LL + mono.tv_nsec;
}

int64_t ws_net_stamp_from_cmsg(struct msghdr *msg)
{
    for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS && c->cmsg_len >= CMSG_LEN(sizeof(struct timespec))) {
            struct timespec ts;
            memcpy(&ts, CMSG_DATA(c), sizeof ts);
            return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
        }
    }
    return 0;
}

static int setsockopt_int(int fd, int level, int name, int value)
{
    return setsockopt(fd, level, name, &value, sizeof value) == 0 ? 0 : errno;
}

static int open_fail(int fd, int err)
{
    close(fd);
    return ws_error_from_errno(err);
}

int32_t ws_net_udp_open(const ws_udp_open_t *o, int32_t *out_fd, int32_t *out_granted_bytes)
{
    if (o == NULL || out_fd == NULL || out_granted_bytes == NULL || o->buffer_bytes < 0) return WS_EINVAL;
    int sender = (o->flags & WS_UDP_SENDER) != 0;
    if (sender && (o->group == 0 || o->port == 0)) return WS_EINVAL;
    int type = SOCK_DGRAM | SOCK_CLOEXEC | ((o->flags & WS_UDP_NONBLOCK) ? SOCK_NONBLOCK : 0);
    int fd = socket(AF_INET, type, IPPROTO_UDP);
    if (fd < 0) return ws_error_from_errno(errno);
    int err;

    if ((o->flags & WS_UDP_REUSEADDR) && (err = setsockopt_int(fd, SOL_SOCKET, SO_REUSEADDR, 1)) != 0) return open_fail(fd, err);
    if (o->buffer_bytes > 0) {
        int name = sender ? SO_SNDBUF : SO_RCVBUF;
        int force = sender ? SO_SNDBUFFORCE : SO_RCVBUFFORCE;
        /* FORCE needs CAP_NET_ADMIN; without it the plain option still applies, capped by net.core.[rw]mem_max. */
        if (!(o->flags & WS_UDP_RCVBUFFORCE) || setsockopt_int(fd, SOL_SOCKET, force, o->buffer_bytes) != 0)
            if ((err = setsockopt_int(fd, SOL_SOCKET, name, o->buffer_bytes)) != 0) return open_fail(fd, err);
    }
    int granted = 0;
    socklen_t glen = sizeof granted;
    if (getsockopt(fd, SOL_SOCKET, sender ? SO_SNDBUF : SO_RCVBUF, &granted, &glen) != 0) return open_fail(fd, errno);

    if (sender) {
        struct in_addr ifa = { .s_addr = o->iface_addr };
        if (o->iface_addr != 0 && setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &ifa, sizeof ifa) != 0) return open_fail(fd, errno);
        if ((err = setsockopt_int(fd, IPPROTO_IP, IP_MULTICAST_TTL, o->ttl)) != 0) return open_fail(fd, err);
        if ((err = setsockopt_int(fd, IPPROTO_IP, IP_MULTICAST_LOOP, o->loop ? 1 : 0)) != 0) return open_fail(fd, err);
        struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(o->port), .sin_addr.s_addr = o->group };
        if (connect(fd, (struct sockaddr *)&dst, sizeof dst) != 0) return open_fail(fd, errno);
    } else {
        if ((o->flags & WS_UDP_TIMESTAMPNS) && (err = setsockopt_int(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1)) != 0) return open_fail(fd, err);
        /* Bind to the group, not INADDR_ANY: on Linux that keeps other groups sharing the port out of this socket. */
        struct sockaddr_in local = { .sin_family = AF_INET, .sin_port = htons(o->port),
                                     .sin_addr.s_addr = o->group != 0 ? o->group : o->iface_addr };
        if (bind(fd, (struct sockaddr *)&local, sizeof local) != 0) return open_fail(fd, errno);
        if (o->group != 0) {
            int rc;
            if (o->source != 0) {
                struct ip_mreq_source m = { .imr_multiaddr.s_addr = o->group, .imr_interface.s_addr = o->iface_addr,
                                            .imr_sourceaddr.s_addr = o->source };
                rc = setsockopt(fd, IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP, &m, sizeof m);
            } else {
                struct ip_mreqn m = { .imr_multiaddr.s_addr = o->group, .imr_address.s_addr = o->iface_addr,
                                      .imr_ifindex = o->iface_index };
                rc = setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m);
            }
            if (rc != 0) return open_fail(fd, errno);
        }
    }
    *out_fd = fd;
    *out_granted_bytes = granted;
    return WS_OK;
}

int32_t ws_net_close(int32_t fd)
{
    if (fd < 0) return WS_EINVAL;
    return close(fd) == 0 ? WS_OK : ws_error_from_errno(errno); /* never retried: the fd is gone even on EINTR */
}

struct ws_mmsg_rx {
    int fd;
    uint32_t batch;
    uint32_t buffer_size;
    uint8_t *arena;
    struct mmsghdr *msgs;
    struct iovec *iov;
    uint8_t *control;
    ws_rx_stats_t stats;
};

int32_t ws_mmsg_rx_arena_bytes(uint32_t batch, uint32_t buffer_size, uint64_t *out_bytes)
{
    if (out_bytes == NULL || batch == 0 || batch > 1024 || buffer_size < 64 || buffer_size > 65536) return WS_EINVAL;
    *out_bytes = (uint64_t)batch * buffer_size;
    return WS_OK;
}

int32_t ws_mmsg_rx_open(int32_t fd, void *arena, uint64_t arena_bytes, uint32_t batch, uint32_t buffer_size,
                        ws_mmsg_rx_t **out_handle)
{
    uint64_t need;
    if (fd < 0 || arena == NULL || out_handle == NULL) return WS_EINVAL;
    if (ws_mmsg_rx_arena_bytes(batch, buffer_size, &need) != WS_OK || arena_bytes < need) return WS_EINVAL;
    ws_mmsg_rx_t *h = calloc(1, sizeof *h);
    if (h == NULL) return WS_ENOMEM;
    h->msgs = calloc(batch, sizeof *h->msgs);
    h->iov = calloc(batch, sizeof *h->iov);
    h->control = calloc(batch, WS_CONTROL_BYTES);
    if (h->msgs == NULL || h->iov == NULL || h->control == NULL) {
        ws_mmsg_rx_close(h);
        return WS_ENOMEM;
    }
    h->fd = fd;
    h->batch = batch;
    h->buffer_size = buffer_size;
    h->arena = arena;
    for (uint32_t i = 0; i < batch; i++) {
        h->iov[i].iov_base = h->arena + (size_t)i * buffer_size;
        h->iov[i].iov_len = buffer_size;
    }
    *out_handle = h;
    return WS_OK;
}

int32_t ws_mmsg_rx_poll(ws_mmsg_rx_t *h, ws_rx_desc_t *out, uint32_t max)
{
    if (h == NULL || out == NULL) return WS_EINVAL;
    uint32_t n = max < h->batch ? max : h->batch;
    if (n == 0) return 0;
    for (uint32_t i = 0; i < n; i++) {
        struct msghdr *m = &h->msgs[i].msg_hdr;
        m->msg_name = NULL;
        m->msg_namelen = 0;
        m->msg_iov = &h->iov[i];
        m->msg_iovlen = 1;
        m->msg_control = h->control + (size_t)i * WS_CONTROL_BYTES;
        m->msg_controllen = WS_CONTROL_BYTES; /* the kernel shrinks it to what it wrote: reset every call */
        m->msg_flags = 0;
    }
    int got = -1;
    for (int r = 0; r <= WS_EINTR_RETRIES; r++) {
        got = recvmmsg(h->fd, h->msgs, n, MSG_DONTWAIT, NULL);
        if (got >= 0 || errno != EINTR) break;
    }
    h->stats.enters++;
    if (got < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
        h->stats.errors++;
        h->stats.last_error = ws_error_from_errno(errno);
        return h->stats.last_error;
    }
    int64_t offset = ws_net_clock_offset_ns();
    int64_t now = 0;
    for (int i = 0; i < got; i++) {
        struct msghdr *m = &h->msgs[i].msg_hdr;
        ws_rx_desc_t *d = &out[i];
        d->offset = (uint64_t)i * h->buffer_size;
        d->length = h->msgs[i].msg_len;
        d->buffer_id = 0;
        d->flags = 0;
        if (m->msg_flags & MSG_TRUNC) {
            d->flags |= WS_RX_TRUNCATED;
            h->stats.truncated++;
        }
        d->rx_real_ns = ws_net_stamp_from_cmsg(m);
        if (d->rx_real_ns != 0) d->rx_mono_ns = d->rx_real_ns - offset;
        else {
            if (now == 0) now = ws_net_mono_now_ns();
            d->rx_mono_ns = now;
            d->flags |= WS_RX_NO_STAMP;
        }
    }
    h->stats.packets += (uint64_t)got;
    return got;
}

int32_t ws_mmsg_rx_stats(const ws_mmsg_rx_t *h, ws_rx_stats_t *out)
{
    if (h == NULL || out == NULL) return WS_EINVAL;
    *out = h->stats;
    return WS_OK;
}

int32_t ws_mmsg_rx_close(ws_mmsg_rx_t *h)
{
    if (h == NULL) return WS_EINVAL;
    free(h->msgs);
    free(h->iov);
    free(h->control);
    free(h);
    return WS_OK;
}

#define WS_SEND_CHUNK 64

int32_t ws_net_sendmmsg(int32_t fd, const uint8_t *base, const ws_tx_desc_t *descs, uint32_t n)
{
    if (fd < 0 || base == NULL || descs == NULL) return WS_EINVAL;
    struct mmsghdr msgs[WS_SEND_CHUNK];
    struct iovec iov[WS_SEND_CHUNK];
    uint32_t sent = 0;
    while (sent < n) {
        uint32_t k = n - sent < WS_SEND_CHUNK ? n - sent : WS_SEND_CHUNK;
        memset(msgs, 0, sizeof(struct mmsghdr) * k);
        for (uint32_t i = 0; i < k; i++) {
            iov[i].iov_base = (void *)(base + descs[sent + i].offset);
            iov[i].iov_len = descs[sent + i].length;
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        int rc = -1;
        for (int r = 0; r <= WS_EINTR_RETRIES; r++) {
            rc = sendmmsg(fd, msgs, k, MSG_DONTWAIT);
            if (rc >= 0 || errno != EINTR) break;
        }
        if (rc < 0) {
            if (sent > 0 || errno == EAGAIN || errno == EWOULDBLOCK) return (int32_t)sent;
            return ws_error_from_errno(errno);
        }
        sent += (uint32_t)rc;
        if ((uint32_t)rc < k) break; /* socket buffer full: the caller retries the rest */
    }
    return (int32_t)sent;
}
