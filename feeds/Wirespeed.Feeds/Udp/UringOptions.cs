using System;
using System.Numerics;
using Wirespeed.Interop.Abi;

namespace Wirespeed.Feeds.Udp;

/// <summary>Settings of the io_uring transport (<see cref="UringUdpSource"/>). Check once with <see cref="Validated"/>.</summary>
public sealed record UringOptions
{
    /// <summary>Submission queue entries; power of two. Default: 64.</summary>
    public int Entries { get; init; } = 64;
    /// <summary>Ring setup: DeferTaskRun (lowest overhead without a spare core; an idle poll makes no system call, one is
    /// made when the kernel flags receive work), SqPoll (no system call in the loop, costs a core: never with a
    /// busy-polling receiver on this 2-vCPU VM, PLATFORM.md), CoopTaskRun. Default: DeferTaskRun.</summary>
    public UringSetupFlags Setup { get; init; } = UringSetupFlags.DeferTaskRun;
    /// <summary>CPU of the SQPOLL kernel thread, or -1 to let the kernel choose. Default: -1.</summary>
    public int SqPollCpu { get; init; } = -1;
    /// <summary>Provided buffers: the most datagrams in flight between two polls. Power of two, ≤ 32768; size it for the
    /// worst burst and host stall (a dry ring costs a re-arm, not data, while the socket buffer holds). Default: 4096.</summary>
    public int BufferCount { get; init; } = 4096;
    /// <summary>Datagrams handed to the handler per native call. Default: 64.</summary>
    public int Batch { get; init; } = 64;

    public UringOptions Validated()
    {
        if (Entries is < 4 or > 4096 || !BitOperations.IsPow2(Entries)) throw Bad(nameof(Entries), Entries, "must be a power of two 4..4096, e.g. 64");
        if ((Setup & UringSetupFlags.DeferTaskRun) != 0 && (Setup & UringSetupFlags.SqPoll) != 0)
            throw Bad(nameof(Setup), Setup, "cannot combine DeferTaskRun with SqPoll (the kernel refuses it); choose one");
        if (BufferCount is < 8 or > 32_768 || !BitOperations.IsPow2(BufferCount)) throw Bad(nameof(BufferCount), BufferCount, "must be a power of two 8..32768, e.g. 4096");
        if (Batch is < 1 or > 1024) throw Bad(nameof(Batch), Batch, "must be 1..1024, e.g. 64");
        if (SqPollCpu < -1) throw Bad(nameof(SqPollCpu), SqPollCpu, "must be -1 (any) or a CPU number");
        return this;
    }

    private static ArgumentException Bad(string name, object value, string fix) => new($"{name}={value} {fix}.", name);
}
