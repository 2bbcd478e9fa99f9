using System.Runtime.CompilerServices;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Time;

namespace Wirespeed.Hosting.Simulation;

/// <summary>
/// Releases pre-generated packets at a fixed rate from inside the worker's own poll, each stamped with the time it was
/// scheduled to arrive rather than the time it was handed over. A stall anywhere (worker, host) therefore shows up as
/// latency of every packet that was due during it: no coordinated omission, and no second thread spinning to inject.
/// </summary>
public sealed class PacedBlobState
{
    public PacedBlobState(PacketBlob blob, double packetsPerSecond, byte lineId)
    {
        Blob = blob;
        NsPerPacket = 1e9 / packetsPerSecond;
        LineId = lineId;
    }

    public PacketBlob Blob { get; }
    public double NsPerPacket { get; }
    public byte LineId { get; }
    /// <summary>Monotonic ns of packet 0's schedule; 0 until <see cref="Begin"/>.</summary>
    public long StartNs;
    /// <summary>Next packet to release (worker thread only).</summary>
    public int Next;
    /// <summary>Most packets that were due but not yet released at one poll (the worker's backlog).</summary>
    public int MaxBacklog;

    public bool Finished => System.Threading.Volatile.Read(ref Next) >= Blob.Count;

    /// <summary>Any thread, before the worker polls: the schedule starts now.</summary>
    public void Begin() => System.Threading.Volatile.Write(ref StartNs, MonoClock.NowNs()); // release; pairs with the read in Poll
}

/// <summary>The struct face of <see cref="PacedBlobState"/> for the packet batch source.</summary>
public readonly struct PacedBlobPackets : IPacketSource
{
    private readonly PacedBlobState _s;

    public PacedBlobPackets(PacedBlobState state) => _s = state;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
    {
        var s = _s;
        long start = System.Threading.Volatile.Read(ref s.StartNs);
        if (start == 0) return 0;
        int next = s.Next, count = s.Blob.Count;
        if (next >= count) return 0;
        long now = MonoClock.NowNs();
        int due = (int)System.Math.Min(count, (long)((now - start) / s.NsPerPacket) + 1);
        if (due - next > s.MaxBacklog) s.MaxBacklog = due - next;
        int n = 0;
        while (n < limit && next < due)
        {
            var info = new PacketInfo(start + (long)(next * s.NsPerPacket), s.LineId, PacketSourceKind.InProcess);
            handler.OnPacket(s.Blob[next], in info);
            next++;
            n++;
        }
        System.Threading.Volatile.Write(ref s.Next, next);   // release: the command thread polls Finished
        return n;
    }
}
