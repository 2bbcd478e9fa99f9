/* Field offsets of every struct the C# side mirrors (interop/Wirespeed.Interop/Abi/NetAbi.cs, XdpAbi.cs); a change
 * here fails the build before it can corrupt a descriptor. Exit codes: PASS 0. */
#include <stddef.h>
#include <stdio.h>
#include "wirespeed_native.h"

_Static_assert(offsetof(ws_udp_open_t, group) == 0, "UdpOpen.Group");
_Static_assert(offsetof(ws_udp_open_t, source) == 4, "UdpOpen.Source");
_Static_assert(offsetof(ws_udp_open_t, iface_addr) == 8, "UdpOpen.InterfaceAddress");
_Static_assert(offsetof(ws_udp_open_t, iface_index) == 12, "UdpOpen.InterfaceIndex");
_Static_assert(offsetof(ws_udp_open_t, port) == 16, "UdpOpen.Port");
_Static_assert(offsetof(ws_udp_open_t, flags) == 18, "UdpOpen.Flags");
_Static_assert(offsetof(ws_udp_open_t, buffer_bytes) == 20, "UdpOpen.BufferBytes");
_Static_assert(offsetof(ws_udp_open_t, ttl) == 24, "UdpOpen.Ttl");
_Static_assert(offsetof(ws_udp_open_t, loop) == 25, "UdpOpen.Loop");
_Static_assert(offsetof(ws_rx_desc_t, offset) == 0, "RxDesc.Offset");
_Static_assert(offsetof(ws_rx_desc_t, rx_mono_ns) == 8, "RxDesc.RxMonoNs");
_Static_assert(offsetof(ws_rx_desc_t, rx_real_ns) == 16, "RxDesc.RxRealNs");
_Static_assert(offsetof(ws_rx_desc_t, length) == 24, "RxDesc.Length");
_Static_assert(offsetof(ws_rx_desc_t, buffer_id) == 28, "RxDesc.BufferId");
_Static_assert(offsetof(ws_rx_desc_t, flags) == 30, "RxDesc.Flags");
_Static_assert(offsetof(ws_rx_stats_t, packets) == 0, "RxStats.Packets");
_Static_assert(offsetof(ws_rx_stats_t, truncated) == 8, "RxStats.Truncated");
_Static_assert(offsetof(ws_rx_stats_t, no_buffers) == 16, "RxStats.NoBuffers");
_Static_assert(offsetof(ws_rx_stats_t, rearms) == 24, "RxStats.Rearms");
_Static_assert(offsetof(ws_rx_stats_t, errors) == 32, "RxStats.Errors");
_Static_assert(offsetof(ws_rx_stats_t, enters) == 40, "RxStats.Enters");
_Static_assert(offsetof(ws_rx_stats_t, last_error) == 48, "RxStats.LastError");
_Static_assert(offsetof(ws_tx_desc_t, offset) == 0, "TxDesc.Offset");
_Static_assert(offsetof(ws_tx_desc_t, length) == 8, "TxDesc.Length");
_Static_assert(offsetof(ws_uring_rx_options_t, entries) == 0, "UringRxOptions.Entries");
_Static_assert(offsetof(ws_uring_rx_options_t, setup_flags) == 4, "UringRxOptions.SetupFlags");
_Static_assert(offsetof(ws_uring_rx_options_t, sqpoll_cpu) == 8, "UringRxOptions.SqPollCpu");
_Static_assert(offsetof(ws_uring_rx_options_t, sqpoll_idle_ms) == 12, "UringRxOptions.SqPollIdleMs");
_Static_assert(offsetof(ws_uring_rx_options_t, buffer_count) == 16, "UringRxOptions.BufferCount");
_Static_assert(offsetof(ws_uring_rx_options_t, buffer_size) == 20, "UringRxOptions.BufferSize");
_Static_assert(offsetof(ws_uring_rx_options_t, group_id) == 24, "UringRxOptions.GroupId");
_Static_assert(offsetof(ws_xdp_rx_options_t, ifname) == 0, "XdpRxOptions.InterfaceName");
_Static_assert(offsetof(ws_xdp_rx_options_t, queue_id) == 16, "XdpRxOptions.QueueId");
_Static_assert(offsetof(ws_xdp_rx_options_t, mode) == 20, "XdpRxOptions.Mode");
_Static_assert(offsetof(ws_xdp_rx_options_t, flags) == 24, "XdpRxOptions.Flags");
_Static_assert(offsetof(ws_xdp_rx_options_t, frame_count) == 28, "XdpRxOptions.FrameCount");
_Static_assert(offsetof(ws_xdp_rx_options_t, frame_size) == 32, "XdpRxOptions.FrameSize");
_Static_assert(offsetof(ws_xdp_rx_options_t, ring_size) == 36, "XdpRxOptions.RingSize");
_Static_assert(sizeof(ws_xdp_rx_options_t) == 48, "XdpRxOptions size");

int main(void)
{
    puts("PASS test_uring_layout");
    return 0;
}
