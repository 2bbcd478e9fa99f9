using System;

namespace Wirespeed.Feeds.Mold.Arbitration;

/// <summary>Options of one arbitrated MoldUDP64 line; validated once at construction.</summary>
public sealed record MoldArbiterOptions
{
    /// <summary>First sequence the line wants; 0 starts from the first message received (joining mid-session). A first
    /// packet above it opens a gap from it, which is requested. MoldUDP64 numbers a session's first message 1. Default: 0.</summary>
    public ulong InitialSequence { get; init; }
    /// <summary>
    /// Packets held out of order while the gap before them is filled (the reorder window); a power of two. It must cover
    /// what the lines deliver while a gap waits and is requested: GapWaitNs + the server's round trip at the line's packet
    /// rate (1 ms at 200,000 packets/s is 200 packets); a packet beyond it is dropped and requested in turn. Memory:
    /// ReorderSlots × MaxPacketBytes, reserved at construction. Default: 1024 (1.5 MB).
    /// </summary>
    public int ReorderSlots { get; init; } = 1024;
    /// <summary>Largest packet a window slot holds, bytes: 1500 MTU − 20 IP − 8 UDP = 1472 fits. Default: 1472.</summary>
    public int MaxPacketBytes { get; init; } = 1472;
    /// <summary>How long a missing range may wait for either side (or the window) before it is requested, ns.
    /// Default: 1,000,000 (1 ms; A and B normally trail each other by microseconds).</summary>
    public long GapWaitNs { get; init; } = 1_000_000;
    /// <summary>Recent winning packets remembered to time the losing copy (how far each side trails); power of two. Default: 1024.</summary>
    public int TrailSlots { get; init; } = 1024;

    public MoldArbiterOptions Validated()
    {
        if (ReorderSlots is < 1 or > 65536 || (ReorderSlots & (ReorderSlots - 1)) != 0)
            throw new ArgumentException($"{nameof(ReorderSlots)}={ReorderSlots} must be a power of two from 1 to 65536, e.g. 1024.", nameof(ReorderSlots));
        if (MaxPacketBytes is < 20 or > 65507)
            throw new ArgumentException($"{nameof(MaxPacketBytes)}={MaxPacketBytes} must be 20..65507 (a MoldUDP64 header up to the largest UDP payload), e.g. 1472.", nameof(MaxPacketBytes));
        if (GapWaitNs < 0)
            throw new ArgumentException($"{nameof(GapWaitNs)}={GapWaitNs} must be >= 0, e.g. 1000000 (1 ms).", nameof(GapWaitNs));
        if (TrailSlots < 1 || (TrailSlots & (TrailSlots - 1)) != 0)
            throw new ArgumentException($"{nameof(TrailSlots)}={TrailSlots} must be a positive power of two, e.g. 1024.", nameof(TrailSlots));
        return this;
    }
}
