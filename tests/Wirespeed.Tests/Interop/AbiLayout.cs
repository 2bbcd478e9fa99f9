using System;
using Wirespeed.Interop.Abi;

namespace Wirespeed.Tests.Interop;

/// <summary>
/// The C# side's one statement of the native ABI's struct layouts: every struct of wirespeed_native.h with its size,
/// and every field with its offset, under the names the header's asserts use ("UdpOpen.Group"; a field C# leaves
/// unnamed is "(reserved)"). <see cref="AbiLayoutTests"/> checks the C# mirrors and the header against it.
/// </summary>
internal static class AbiLayout
{
    /// <summary>One field: its C name, its C# name (null where C# leaves the bytes unnamed), its offset in bytes.</summary>
    internal sealed record Field(string C, string? CSharp, int Offset)
    {
        /// <summary>The header's assert message for this field of <paramref name="type"/>.</summary>
        public string Label(Struct type) => CSharp is null ? $"{type.CSharp.Name} (reserved)" : $"{type.CSharp.Name}.{CSharp}";
    }

    /// <summary>One struct: its C typedef, its C# mirror, its size in bytes, and every field in order.</summary>
    internal sealed record Struct(string C, Type CSharp, int Size, Field[] Fields);

    public static readonly Struct[] Structs =
    [
        new("ws_udp_open_t", typeof(UdpOpen), 32,
        [
            new("group", "Group", 0), new("source", "Source", 4), new("iface_addr", "InterfaceAddress", 8),
            new("iface_index", "InterfaceIndex", 12), new("port", "Port", 16), new("flags", "Flags", 18),
            new("buffer_bytes", "BufferBytes", 20), new("ttl", "Ttl", 24), new("loop", "Loop", 25), new("reserved", null, 26),
        ]),
        new("ws_rx_desc_t", typeof(RxDesc), 32,
        [
            new("offset", "Offset", 0), new("rx_mono_ns", "RxMonoNs", 8), new("rx_real_ns", "RxRealNs", 16),
            new("length", "Length", 24), new("buffer_id", "BufferId", 28), new("flags", "Flags", 30),
        ]),
        new("ws_rx_stats_t", typeof(RxStats), 64,
        [
            new("packets", "Packets", 0), new("truncated", "Truncated", 8), new("no_buffers", "NoBuffers", 16),
            new("rearms", "Rearms", 24), new("errors", "Errors", 32), new("enters", "Enters", 40),
            new("last_error", "LastError", 48), new("reserved", null, 52), new("reserved2", null, 56),
        ]),
        new("ws_tx_desc_t", typeof(TxDesc), 16,
        [
            new("offset", "Offset", 0), new("length", "Length", 8), new("reserved", null, 12),
        ]),
        new("ws_uring_rx_options_t", typeof(UringRxOptions), 32,
        [
            new("entries", "Entries", 0), new("setup_flags", "SetupFlags", 4), new("sqpoll_cpu", "SqPollCpu", 8),
            new("sqpoll_idle_ms", "SqPollIdleMs", 12), new("buffer_count", "BufferCount", 16), new("buffer_size", "BufferSize", 20),
            new("group_id", "GroupId", 24), new("reserved", null, 26), new("reserved2", null, 28),
        ]),
        new("ws_xdp_rx_options_t", typeof(XdpRxOptions), 48,
        [
            new("ifname", "InterfaceName", 0), new("queue_id", "QueueId", 16), new("mode", "Mode", 20), new("flags", "Flags", 24),
            new("frame_count", "FrameCount", 28), new("frame_size", "FrameSize", 32), new("ring_size", "RingSize", 36),
            new("reserved", null, 40),
        ]),
    ];
}
