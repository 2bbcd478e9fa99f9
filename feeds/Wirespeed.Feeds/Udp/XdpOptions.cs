using System;
using Wirespeed.Interop.Abi;

namespace Wirespeed.Feeds.Udp;

/// <summary>Settings of the AF_XDP transport (<see cref="XdpUdpSource"/>). Check once with <see cref="Validated"/>.</summary>
public sealed record XdpOptions
{
    /// <summary>Network device to bind, e.g. "enp1s0f0" (AF_XDP binds a device, not an address). Required.</summary>
    public string InterfaceName { get; init; } = "";
    /// <summary>Receive queues to bind, or null for every queue of the device (traffic can reach any of them unless
    /// steered: PLATFORM.md). Default: null.</summary>
    public int[]? Queues { get; init; }
    /// <summary>Attach mode: Drv (native driver hook) or Skb (generic, works everywhere). Default: Drv.</summary>
    public XdpMode Mode { get; init; } = XdpMode.Drv;
    /// <summary>Ask for zero-copy; a driver that refuses (veth, virtio) gets copy mode and the reason is reported.
    /// Default: true.</summary>
    public bool ZeroCopy { get; init; } = true;
    /// <summary>UMEM frames per queue, all on the fill ring at start; power of two ≤ 65536. Size for host stalls
    /// (PLATFORM.md: 32k frames survived most). Default: 8192.</summary>
    public int FrameCount { get; init; } = 8192;
    /// <summary>Frame size: 2048 or 4096. Default: 2048 (a 1500-byte MTU frame plus the kernel's 256 bytes of headroom).</summary>
    public int FrameSize { get; init; } = 2048;
    /// <summary>Frames handed to the parser per native call. Default: 64.</summary>
    public int Batch { get; init; } = 64;
    /// <summary>At start, detach a program a killed process left attached, then retry (EEXIST/EBUSY). Default: true.</summary>
    public bool DetachLeftover { get; init; } = true;

    public XdpOptions Validated()
    {
        if (string.IsNullOrEmpty(InterfaceName) || InterfaceName.Length >= 16)
            throw Bad(nameof(InterfaceName), InterfaceName, "must name a network device (1..15 characters), e.g. eth0; see 'ip link'");
        if (FrameCount is < 64 or > 65_536 || (FrameCount & (FrameCount - 1)) != 0)
            throw Bad(nameof(FrameCount), FrameCount, "must be a power of two 64..65536, e.g. 8192");
        if (FrameSize is not (2048 or 4096)) throw Bad(nameof(FrameSize), FrameSize, "must be 2048 or 4096");
        if (Batch is < 1 or > 1024) throw Bad(nameof(Batch), Batch, "must be 1..1024, e.g. 64");
        if (Mode is not (XdpMode.Skb or XdpMode.Drv)) throw Bad(nameof(Mode), Mode, "must be Skb or Drv");
        if (Queues is { Length: 0 }) throw Bad(nameof(Queues), "[]", "must list at least one queue, or be omitted for all");
        if (Queues is not null)
            foreach (int q in Queues)
                if (q < 0) throw Bad(nameof(Queues), q, "queue ids are 0 or more");
        return this;
    }

    private static ArgumentException Bad(string name, object value, string fix) => new($"{name}={value} {fix}.", name);
}
