/* Wirespeed native shim: the whole C API. Every export returns 0 (or a count >= 0) or a negative WS_E* code;
 * results come back through out-parameters; all types are blittable. C# mirrors live in interop/Wirespeed.Interop:
 * the structs and their flags in Abi/NetAbi.cs (sockets, recvmmsg, io_uring), Abi/XdpAbi.cs (AF_XDP) and
 * Abi/SysMapFlags.cs (arenas); the error codes in NativeError.cs; the ABI version in Native.Abi.cs.
 *
 * Layout: every field of every struct below has an offsetof assert, and every struct a sizeof assert, naming the C#
 * mirror ("UdpOpen.Group"; "(reserved)" where C# leaves the bytes unnamed). Every translation unit that includes this
 * header checks them, the library first; tests/Wirespeed.Tests/Interop/AbiLayout.cs holds the same numbers under the
 * same names for the C# side, and AbiLayoutTests checks the mirrors and this header against it. */
#ifndef WIRESPEED_NATIVE_H
#define WIRESPEED_NATIVE_H

#include <stddef.h>
#include <stdint.h>

#define WS_EXPORT __attribute__((visibility("default")))

/* ABI version: bump when any export or mirrored struct changes; the managed side checks it at start-up
 * (Native.ExpectedAbiVersion in interop/Wirespeed.Interop/Native.Abi.cs). */
#define WS_ABI_VERSION 2

/* Error codes: negative values returned by every export. Mirrored by interop/Wirespeed.Interop/NativeError.cs. */
#define WS_OK 0
#define WS_EINVAL (-1)
#define WS_ENOMEM (-2)
#define WS_EPERM (-3)
#define WS_ENOSYS (-4)
#define WS_EAGAIN (-5)
#define WS_EIO (-6)
#define WS_EEXIST (-7)
#define WS_EOTHER (-99)

/* Returns WS_ABI_VERSION. */
WS_EXPORT int32_t ws_abi_version(void);

/* Converts an errno value to a WS_E* code (never leaks errno). */
WS_EXPORT int32_t ws_error_from_errno(int32_t err);

/* ---- sys: arenas (native/src/ws_sys.c) ------------------------------------------------------------------------ */

/* Request flags for ws_sys_map_arena. Mirrored by interop/Wirespeed.Interop/Abi/SysMapFlags.cs (SysMapFlags). */
#define WS_MAP_HUGE 0x1u     /* try MAP_HUGETLB first; size must be a multiple of ws_sys_huge_page_size */
#define WS_MAP_POPULATE 0x2u /* pre-fault every page at map time (a first touch costs ~9 us on these VMs) */
#define WS_MAP_LOCK 0x4u     /* mlock the mapping; failure is reported in the result flags, not fatal */

/* Result flags written by ws_sys_map_arena (low byte), plus two failure reasons as positive WS_E* magnitudes.
 * Mirrored by interop/Wirespeed.Interop/Abi/SysMapFlags.cs (SysMapResult, SysMapResultExtensions). */
#define WS_MAPPED_HUGE 0x1u          /* backed by explicit huge pages (MAP_HUGETLB) */
#define WS_MAPPED_POPULATED 0x2u     /* every page was faulted in */
#define WS_MAPPED_LOCKED 0x4u        /* mlock succeeded */
#define WS_MAPPED_HUGE_FALLBACK 0x8u /* WS_MAP_HUGE asked but refused: normal pages used, reason in bits 8..15 */
#define WS_MAPPED_LOCK_FAILED 0x10u  /* WS_MAP_LOCK asked but refused: reason in bits 16..23 */
#define WS_MAPPED_THP 0x20u          /* fallback pages were advised MADV_HUGEPAGE (transparent huge pages) */
#define WS_MAPPED_HUGE_ERROR_SHIFT 8
#define WS_MAPPED_LOCK_ERROR_SHIFT 16
/* Negative WS_E* code stored in a result field (0 when none). */
#define WS_MAPPED_ERROR(result, shift) (-(int32_t)(((result) >> (shift)) & 0xffu))

/* Maps an anonymous private read/write arena of size bytes (size > 0; a multiple of the huge page size when
 * WS_MAP_HUGE is to succeed). Returns 0 or -WS_E*; *out_addr and *out_result_flags are valid only on 0.
 * Unmap with ws_sys_unmap_arena and the same size. */
WS_EXPORT int32_t ws_sys_map_arena(uint64_t size, uint32_t flags, void **out_addr, uint32_t *out_result_flags);

/* Unmaps an arena mapped by ws_sys_map_arena (same addr and size). Returns 0 or -WS_E*. */
WS_EXPORT int32_t ws_sys_unmap_arena(void *addr, uint64_t size);

/* Default huge page size in bytes, from /proc/meminfo (Hugepagesize). Returns 0 or -WS_ENOSYS when unknown. */
WS_EXPORT int32_t ws_sys_huge_page_size(uint64_t *out_bytes);

/* Bytes of [addr, addr+size) resident in memory now, via mincore(2). addr must be page aligned. Returns 0 or -WS_E*. */
WS_EXPORT int32_t ws_sys_resident_bytes(void *addr, uint64_t size, uint64_t *out_bytes);

/* Advice for ws_sys_advise. Mirrored by interop/Wirespeed.Interop/Abi/SysMapFlags.cs (SysAdvice). */
#define WS_ADVISE_HUGEPAGE 1 /* MADV_HUGEPAGE: ask for transparent huge pages */
#define WS_ADVISE_DONTDUMP 2 /* MADV_DONTDUMP: leave the range out of core dumps */
#define WS_ADVISE_DONTFORK 3 /* MADV_DONTFORK: a forked child does not inherit the range */

/* madvise(2) over a page-aligned range. Returns 0 or -WS_E* (-WS_EINVAL for an unknown advice). */
WS_EXPORT int32_t ws_sys_advise(void *addr, uint64_t size, int32_t advice);

/* ---- net: UDP sockets, recvmmsg, sendmmsg (native/src/ws_net.c) ---------------------------------------------- */

/* Flags of ws_udp_open_t. Mirrored by interop/Wirespeed.Interop/Abi/NetAbi.cs (UdpOpenFlags). */
#define WS_UDP_REUSEADDR 0x1u   /* SO_REUSEADDR before bind (several receivers of one group on a host) */
#define WS_UDP_TIMESTAMPNS 0x2u /* SO_TIMESTAMPNS: a CLOCK_REALTIME software receive stamp per datagram */
#define WS_UDP_RCVBUFFORCE 0x4u /* try SO_RCVBUFFORCE (CAP_NET_ADMIN; ignores net.core.rmem_max), else SO_RCVBUF */
#define WS_UDP_NONBLOCK 0x8u    /* O_NONBLOCK */
#define WS_UDP_SENDER 0x10u     /* a sender: connect to group:port, IP_MULTICAST_IF = iface_addr, TTL, loop */

/* Addresses are IPv4 in network byte order (as in struct in_addr); port in host order. 32 bytes. */
typedef struct ws_udp_open {
    uint32_t group;        /* multicast group to join (receiver) or destination (sender); 0 = unicast receive */
    uint32_t source;       /* source-specific join (IP_ADD_SOURCE_MEMBERSHIP); 0 = any-source */
    uint32_t iface_addr;   /* interface address: join on it (receiver), send from it (sender), bind (unicast) */
    int32_t iface_index;   /* interface index for any-source joins (ip_mreqn); 0 = choose by iface_addr */
    uint16_t port;         /* UDP port, host order; 0 = any (receiver) */
    uint16_t flags;        /* WS_UDP_* */
    int32_t buffer_bytes;  /* SO_RCVBUF (receiver) or SO_SNDBUF (sender) request; 0 = kernel default */
    uint8_t ttl;           /* sender: IP_MULTICAST_TTL */
    uint8_t loop;          /* sender: IP_MULTICAST_LOOP (1 = deliver to local receivers too) */
    uint8_t reserved[6];
} ws_udp_open_t;
/* Layout of ws_udp_open_t: mirrored by interop/Wirespeed.Interop/Abi/NetAbi.cs (UdpOpen). */
_Static_assert(sizeof(ws_udp_open_t) == 32, "UdpOpen");
_Static_assert(offsetof(ws_udp_open_t, group) == 0, "UdpOpen.Group");
_Static_assert(offsetof(ws_udp_open_t, source) == 4, "UdpOpen.Source");
_Static_assert(offsetof(ws_udp_open_t, iface_addr) == 8, "UdpOpen.InterfaceAddress");
_Static_assert(offsetof(ws_udp_open_t, iface_index) == 12, "UdpOpen.InterfaceIndex");
_Static_assert(offsetof(ws_udp_open_t, port) == 16, "UdpOpen.Port");
_Static_assert(offsetof(ws_udp_open_t, flags) == 18, "UdpOpen.Flags");
_Static_assert(offsetof(ws_udp_open_t, buffer_bytes) == 20, "UdpOpen.BufferBytes");
_Static_assert(offsetof(ws_udp_open_t, ttl) == 24, "UdpOpen.Ttl");
_Static_assert(offsetof(ws_udp_open_t, loop) == 25, "UdpOpen.Loop");
_Static_assert(offsetof(ws_udp_open_t, reserved) == 26, "UdpOpen (reserved)");

/* Opens a UDP socket as described; *out_fd and *out_granted_bytes (SO_RCVBUF/SO_SNDBUF as the kernel reports it,
 * i.e. twice the usable size) are valid only on 0. Returns 0 or -WS_E*. Nothing is left open on failure. */
WS_EXPORT int32_t ws_net_udp_open(const ws_udp_open_t *options, int32_t *out_fd, int32_t *out_granted_bytes);

/* close(2), never retried. Returns 0 or -WS_E*. */
WS_EXPORT int32_t ws_net_close(int32_t fd);

/* One received datagram in an arena (32 bytes). Produced by ws_uring_rx_poll, ws_mmsg_rx_poll and ws_xdp_rx_poll. */
typedef struct ws_rx_desc {
    uint64_t offset;   /* payload start, bytes from the arena base given at open */
    int64_t rx_mono_ns;/* receive time on CLOCK_MONOTONIC: the kernel stamp moved into the monotonic domain; 0 if none */
    int64_t rx_real_ns;/* the kernel's SO_TIMESTAMPNS stamp (CLOCK_REALTIME); 0 if the datagram carried none */
    uint32_t length;   /* payload bytes delivered (after truncation) */
    uint16_t buffer_id;/* buffer to give back (io_uring, AF_XDP); 0 for recvmmsg */
    uint16_t flags;    /* WS_RX_* */
} ws_rx_desc_t;
/* Layout of ws_rx_desc_t: mirrored by interop/Wirespeed.Interop/Abi/NetAbi.cs (RxDesc). */
_Static_assert(sizeof(ws_rx_desc_t) == 32, "RxDesc");
_Static_assert(offsetof(ws_rx_desc_t, offset) == 0, "RxDesc.Offset");
_Static_assert(offsetof(ws_rx_desc_t, rx_mono_ns) == 8, "RxDesc.RxMonoNs");
_Static_assert(offsetof(ws_rx_desc_t, rx_real_ns) == 16, "RxDesc.RxRealNs");
_Static_assert(offsetof(ws_rx_desc_t, length) == 24, "RxDesc.Length");
_Static_assert(offsetof(ws_rx_desc_t, buffer_id) == 28, "RxDesc.BufferId");
_Static_assert(offsetof(ws_rx_desc_t, flags) == 30, "RxDesc.Flags");

/* Flags of ws_rx_desc_t. Mirrored by interop/Wirespeed.Interop/Abi/NetAbi.cs (RxFlags). */
#define WS_RX_TRUNCATED 0x1u /* the datagram was longer than the buffer: payload cut (MSG_TRUNC) */
#define WS_RX_NO_STAMP 0x2u  /* no SO_TIMESTAMPNS control message: the stamp is the time of the harvest */

/* Counters of a receive handle (64 bytes). */
typedef struct ws_rx_stats {
    uint64_t packets;      /* datagrams delivered */
    uint64_t truncated;    /* of which cut */
    uint64_t no_buffers;   /* io_uring: ENOBUFS completions (the buffer ring ran dry) */
    uint64_t rearms;       /* io_uring: multishot re-submissions after the first */
    uint64_t errors;       /* failed completions or calls other than ENOBUFS/EAGAIN */
    uint64_t enters;       /* system calls made by poll */
    int32_t last_error;    /* last such error as -WS_E* */
    uint32_t reserved;
    uint64_t reserved2;
} ws_rx_stats_t;
/* Layout of ws_rx_stats_t: mirrored by interop/Wirespeed.Interop/Abi/NetAbi.cs (RxStats). */
_Static_assert(sizeof(ws_rx_stats_t) == 64, "RxStats");
_Static_assert(offsetof(ws_rx_stats_t, packets) == 0, "RxStats.Packets");
_Static_assert(offsetof(ws_rx_stats_t, truncated) == 8, "RxStats.Truncated");
_Static_assert(offsetof(ws_rx_stats_t, no_buffers) == 16, "RxStats.NoBuffers");
_Static_assert(offsetof(ws_rx_stats_t, rearms) == 24, "RxStats.Rearms");
_Static_assert(offsetof(ws_rx_stats_t, errors) == 32, "RxStats.Errors");
_Static_assert(offsetof(ws_rx_stats_t, enters) == 40, "RxStats.Enters");
_Static_assert(offsetof(ws_rx_stats_t, last_error) == 48, "RxStats.LastError");
_Static_assert(offsetof(ws_rx_stats_t, reserved) == 52, "RxStats (reserved)");
_Static_assert(offsetof(ws_rx_stats_t, reserved2) == 56, "RxStats (reserved)");

/* recvmmsg receiver: batch slots of buffer_size bytes carved from [arena, arena+arena_bytes). */
typedef struct ws_mmsg_rx ws_mmsg_rx_t;

/* Bytes of arena ws_mmsg_rx_open needs for batch buffers of buffer_size. Returns 0 or -WS_EINVAL. */
WS_EXPORT int32_t ws_mmsg_rx_arena_bytes(uint32_t batch, uint32_t buffer_size, uint64_t *out_bytes);

/* Opens a recvmmsg receiver on fd (not owned: close it after ws_mmsg_rx_close). All memory is taken here; poll
 * allocates nothing. Returns 0 or -WS_E*. */
WS_EXPORT int32_t ws_mmsg_rx_open(int32_t fd, void *arena, uint64_t arena_bytes, uint32_t batch, uint32_t buffer_size,
                                  ws_mmsg_rx_t **out_handle);

/* One recvmmsg(MSG_DONTWAIT) of up to min(max, batch) datagrams into out. Returns the count (0 when none waited) or
 * -WS_E*. The payloads stay valid until the next poll on this handle. */
WS_EXPORT int32_t ws_mmsg_rx_poll(ws_mmsg_rx_t *handle, ws_rx_desc_t *out, uint32_t max);

WS_EXPORT int32_t ws_mmsg_rx_stats(const ws_mmsg_rx_t *handle, ws_rx_stats_t *out);
WS_EXPORT int32_t ws_mmsg_rx_close(ws_mmsg_rx_t *handle);

/* One datagram to send (16 bytes): payload at base + offset. */
typedef struct ws_tx_desc {
    uint64_t offset;
    uint32_t length;
    uint32_t reserved;
} ws_tx_desc_t;
/* Layout of ws_tx_desc_t: mirrored by interop/Wirespeed.Interop/Abi/NetAbi.cs (TxDesc). */
_Static_assert(sizeof(ws_tx_desc_t) == 16, "TxDesc");
_Static_assert(offsetof(ws_tx_desc_t, offset) == 0, "TxDesc.Offset");
_Static_assert(offsetof(ws_tx_desc_t, length) == 8, "TxDesc.Length");
_Static_assert(offsetof(ws_tx_desc_t, reserved) == 12, "TxDesc (reserved)");

/* sendmmsg(2) of n datagrams on a connected socket (WS_UDP_SENDER), in chunks of 64 with no heap. Returns the number
 * sent (< n when the socket buffer filled, EAGAIN) or -WS_E* when none was. */
WS_EXPORT int32_t ws_net_sendmmsg(int32_t fd, const uint8_t *base, const ws_tx_desc_t *descs, uint32_t n);

/* ---- io_uring receive (native/src/ws_uring.c) ------------------------------------------------------------------ */

/* Setup flags of ws_uring_rx_options_t. Mirrored by interop/Wirespeed.Interop/Abi/NetAbi.cs (UringSetupFlags). */
#define WS_URING_DEFER_TASKRUN 0x1u /* IORING_SETUP_DEFER_TASKRUN | SINGLE_ISSUER | TASKRUN_FLAG (not with SQPOLL) */
#define WS_URING_SQPOLL 0x2u        /* IORING_SETUP_SQPOLL (+ SQ_AFF when sqpoll_cpu >= 0): a kernel thread polls */
#define WS_URING_COOP_TASKRUN 0x4u  /* IORING_SETUP_COOP_TASKRUN | TASKRUN_FLAG */
#define WS_URING_ENTER_ALWAYS 0x8u  /* enter the kernel on every empty poll, ignoring IORING_SQ_TASKRUN (for comparisons) */

/* 32 bytes. */
typedef struct ws_uring_rx_options {
    uint32_t entries;       /* submission queue entries (the CQ gets 8x); power of two; e.g. 64 */
    uint32_t setup_flags;   /* WS_URING_* */
    int32_t sqpoll_cpu;     /* CPU of the SQPOLL thread, or -1 */
    uint32_t sqpoll_idle_ms;/* SQPOLL idle time before the thread sleeps */
    uint32_t buffer_count;  /* provided buffers; power of two, <= 32768; size it for the worst burst */
    uint32_t buffer_size;   /* bytes per buffer: header (16) + name (16) + control (32) + payload */
    uint16_t group_id;      /* buffer group id */
    uint16_t reserved;
    uint32_t reserved2;
} ws_uring_rx_options_t;
/* Layout of ws_uring_rx_options_t: mirrored by interop/Wirespeed.Interop/Abi/NetAbi.cs (UringRxOptions). */
_Static_assert(sizeof(ws_uring_rx_options_t) == 32, "UringRxOptions");
_Static_assert(offsetof(ws_uring_rx_options_t, entries) == 0, "UringRxOptions.Entries");
_Static_assert(offsetof(ws_uring_rx_options_t, setup_flags) == 4, "UringRxOptions.SetupFlags");
_Static_assert(offsetof(ws_uring_rx_options_t, sqpoll_cpu) == 8, "UringRxOptions.SqPollCpu");
_Static_assert(offsetof(ws_uring_rx_options_t, sqpoll_idle_ms) == 12, "UringRxOptions.SqPollIdleMs");
_Static_assert(offsetof(ws_uring_rx_options_t, buffer_count) == 16, "UringRxOptions.BufferCount");
_Static_assert(offsetof(ws_uring_rx_options_t, buffer_size) == 20, "UringRxOptions.BufferSize");
_Static_assert(offsetof(ws_uring_rx_options_t, group_id) == 24, "UringRxOptions.GroupId");
_Static_assert(offsetof(ws_uring_rx_options_t, reserved) == 26, "UringRxOptions (reserved)");
_Static_assert(offsetof(ws_uring_rx_options_t, reserved2) == 28, "UringRxOptions (reserved)");

/* Bytes of io_uring_recvmsg_out + sockaddr_in + SO_TIMESTAMPNS control that precede each payload in a buffer. */
#define WS_URING_RX_HEADROOM 64u

typedef struct ws_uring_rx ws_uring_rx_t;

/* Bytes of page-aligned arena ws_uring_rx_open needs (buffer ring + buffers). Returns 0 or -WS_EINVAL. */
WS_EXPORT int32_t ws_uring_rx_arena_bytes(const ws_uring_rx_options_t *options, uint64_t *out_bytes);

/* Creates a ring for the calling thread, registers a provided-buffer ring carved from the page-aligned arena, and
 * arms multishot recvmsg on fd (not owned; open it with WS_UDP_TIMESTAMPNS for kernel stamps). Returns 0 or -WS_E*;
 * on failure everything is undone. Poll, recycle and close from the thread that opened it. */
WS_EXPORT int32_t ws_uring_rx_open(const ws_uring_rx_options_t *options, int32_t fd, void *arena, uint64_t arena_bytes,
                                   ws_uring_rx_t **out_handle);

/* Harvests up to max completions into out; re-arms multishot first if it stopped. A system call (a non-waiting
 * io_uring_enter) only when the CQ is empty and the kernel has flagged pending task work (IORING_SQ_TASKRUN) or a CQ
 * overflow, plus one every 4096 empty polls as a safety net; with SQPOLL none; without a TASKRUN flag (plain setup,
 * WS_URING_ENTER_ALWAYS) on every empty poll. Returns the count or -WS_E*. Each returned buffer belongs to the caller
 * until ws_uring_rx_recycle gives it back; ENOBUFS completions carry none and are only counted. */
WS_EXPORT int32_t ws_uring_rx_poll(ws_uring_rx_t *handle, ws_rx_desc_t *out, uint32_t max);

/* Gives the buffers of n descriptors back to the kernel (buffer ring tail advanced by n). Returns 0 or -WS_EINVAL. */
WS_EXPORT int32_t ws_uring_rx_recycle(ws_uring_rx_t *handle, const ws_rx_desc_t *descs, uint32_t n);

WS_EXPORT int32_t ws_uring_rx_stats(const ws_uring_rx_t *handle, ws_rx_stats_t *out);

/* Tears down the ring (cancelling the multishot receive). Returns 0 or -WS_E*. */
WS_EXPORT int32_t ws_uring_rx_close(ws_uring_rx_t *handle);

/* 0 when this kernel lets this process create a ring and register a buffer ring, else -WS_E* (probe for 'auto'). */
WS_EXPORT int32_t ws_uring_probe(void);

/* ---- AF_XDP receive (native/src/ws_xdp.c) ---------------------------------------------------------------------- */

/* Modes, request and result flags of ws_xdp_rx_open. Mirrored by interop/Wirespeed.Interop/Abi/XdpAbi.cs
 * (XdpMode, XdpOpenFlags, XdpOpenResult). */
#define WS_XDP_MODE_SKB 1u /* generic: works on every device, a copy in the stack */
#define WS_XDP_MODE_DRV 2u /* native driver hook */

#define WS_XDP_WANT_ZEROCOPY 0x1u /* ask for XDP_ZEROCOPY; fall back to copy when the driver refuses (reported) */
#define WS_XDP_DETACH_LEFTOVER 0x2u /* on EEXIST/EBUSY detach a program left attached (a killed process) and retry */

/* Result flags of ws_xdp_rx_open. */
#define WS_XDP_ZEROCOPY 0x1u         /* bound zero-copy */
#define WS_XDP_COPY_FALLBACK 0x2u    /* zero-copy asked and refused: bound in copy mode */
#define WS_XDP_RECOVERED 0x4u        /* a program left attached was detached before the bind succeeded */

/* 48 bytes. */
typedef struct ws_xdp_rx_options {
    char ifname[16];        /* interface name, NUL-terminated (IFNAMSIZ) */
    uint32_t queue_id;      /* receive queue to bind */
    uint32_t mode;          /* WS_XDP_MODE_* */
    uint32_t flags;         /* WS_XDP_WANT_ZEROCOPY | WS_XDP_DETACH_LEFTOVER */
    uint32_t frame_count;   /* UMEM frames; power of two, <= 65536 */
    uint32_t frame_size;    /* 2048 or 4096 */
    uint32_t ring_size;     /* fill and rx ring entries; power of two, <= frame_count */
    uint32_t reserved[2];
} ws_xdp_rx_options_t;
/* Layout of ws_xdp_rx_options_t: mirrored by interop/Wirespeed.Interop/Abi/XdpAbi.cs (XdpRxOptions). */
_Static_assert(sizeof(ws_xdp_rx_options_t) == 48, "XdpRxOptions");
_Static_assert(offsetof(ws_xdp_rx_options_t, ifname) == 0, "XdpRxOptions.InterfaceName");
_Static_assert(offsetof(ws_xdp_rx_options_t, queue_id) == 16, "XdpRxOptions.QueueId");
_Static_assert(offsetof(ws_xdp_rx_options_t, mode) == 20, "XdpRxOptions.Mode");
_Static_assert(offsetof(ws_xdp_rx_options_t, flags) == 24, "XdpRxOptions.Flags");
_Static_assert(offsetof(ws_xdp_rx_options_t, frame_count) == 28, "XdpRxOptions.FrameCount");
_Static_assert(offsetof(ws_xdp_rx_options_t, frame_size) == 32, "XdpRxOptions.FrameSize");
_Static_assert(offsetof(ws_xdp_rx_options_t, ring_size) == 36, "XdpRxOptions.RingSize");
_Static_assert(offsetof(ws_xdp_rx_options_t, reserved) == 40, "XdpRxOptions (reserved)");

typedef struct ws_xdp_rx ws_xdp_rx_t;

/* Bytes of page-aligned arena (the UMEM) ws_xdp_rx_open needs. Returns 0 or -WS_EINVAL. */
WS_EXPORT int32_t ws_xdp_rx_arena_bytes(const ws_xdp_rx_options_t *options, uint64_t *out_bytes);

/* Creates the UMEM over the arena, binds an AF_XDP socket to ifname/queue_id (libxdp loads its default program, which
 * redirects every frame of the queue: filter in the caller), fills the fill ring. *out_result gets WS_XDP_* result
 * flags; on failure everything is undone. Returns 0 or -WS_E*. */
WS_EXPORT int32_t ws_xdp_rx_open(const ws_xdp_rx_options_t *options, void *arena, uint64_t arena_bytes,
                                 ws_xdp_rx_t **out_handle, uint32_t *out_result);

/* Harvests up to max frames (whole Ethernet frames; offset from the arena base; rx_mono_ns is the harvest time, flag
 * WS_RX_NO_STAMP: AF_XDP carries no stamp). Wakes the kernel only when it asks (need_wakeup). Returns count or -WS_E*. */
WS_EXPORT int32_t ws_xdp_rx_poll(ws_xdp_rx_t *handle, ws_rx_desc_t *out, uint32_t max);

/* Returns the frames of n descriptors to the fill ring. Returns 0, or -WS_EAGAIN when the fill ring is full. */
WS_EXPORT int32_t ws_xdp_rx_recycle(ws_xdp_rx_t *handle, const ws_rx_desc_t *descs, uint32_t n);

WS_EXPORT int32_t ws_xdp_rx_stats(const ws_xdp_rx_t *handle, ws_rx_stats_t *out);

/* Deletes the socket and UMEM, and detaches libxdp's program when no other socket uses it. Returns 0 or -WS_E*. */
WS_EXPORT int32_t ws_xdp_rx_close(ws_xdp_rx_t *handle);

/* Detaches any XDP program from ifname (SKB and DRV), as 'ip link set dev X xdp off' does. Returns 0 or -WS_E*. */
WS_EXPORT int32_t ws_xdp_detach(const char *ifname);

/* Number of receive queues of ifname (ethtool channels, else /sys/class/net/X/queues). Returns 0 or -WS_E*. */
WS_EXPORT int32_t ws_xdp_queue_count(const char *ifname, uint32_t *out_count);

#endif
