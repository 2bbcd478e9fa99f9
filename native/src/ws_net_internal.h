/* Helpers shared by the receive paths (ws_net.c, ws_uring.c, ws_xdp.c); not exported. */
#ifndef WS_NET_INTERNAL_H
#define WS_NET_INTERNAL_H
#include <stdint.h>
#include <sys/socket.h>

/* CLOCK_REALTIME minus CLOCK_MONOTONIC now, ns: subtract it from a kernel SO_TIMESTAMPNS stamp to get monotonic time. */
int64_t ws_net_clock_offset_ns(void);
/* CLOCK_MONOTONIC now, ns. */
int64_t ws_net_mono_now_ns(void);
/* The SCM_TIMESTAMPNS stamp of a received message in ns (CLOCK_REALTIME), or 0 when it has none. */
int64_t ws_net_stamp_from_cmsg(struct msghdr *msg);
#endif
