using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using Wirespeed.Core.Events;
using Wirespeed.Core.Rings;

namespace Wirespeed.Core.Time;

/// <summary>
/// What the clock-health watcher publishes to the hot path, and what the hot path shows the watcher back. The decoder
/// reads <see cref="SuspectFlag"/> once per packet (one volatile read, no allocation, no branch per event) and ORs it
/// into each event's flags; after the packet it stores the last event's exchange and receive timestamps
/// (<see cref="Observe"/>: plain stores), which the watcher turns into exchange-vs-local drift.
/// </summary>
/// <remarks>
/// Layout: the flag (written by the watcher a few times a day, read per packet) and the observation (written per
/// packet by the receiving worker, read by the watcher every interval) sit on separate cache-line pairs, so the
/// per-packet stores never invalidate the line the flag is read from. The two timestamps are stored without ordering:
/// the watcher may pair one packet's exchange time with the next packet's receive time, an error of one inter-packet
/// gap, far below any drift threshold. One writer: every line of a process is decoded on its first worker.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 3 * CacheLine.PadBytes)]
public sealed class ClockHealthState
{
    [FieldOffset(CacheLine.PadBytes)] private int _flag;                  // EventFlags.ClockSuspect or 0
    /// <summary>Exchange timestamp (epoch ns) of the last event of the last packet decoded.</summary>
    [FieldOffset(2 * CacheLine.PadBytes)] public long LastExchangeNs;
    /// <summary>Receive timestamp (monotonic ns) of that packet.</summary>
    [FieldOffset(2 * CacheLine.PadBytes + 8)] public long LastReceiveNs;
    /// <summary>Events that left the decoder with <see cref="EventFlags.ClockSuspect"/>.</summary>
    [FieldOffset(2 * CacheLine.PadBytes + 16)] public long SuspectEvents;

    /// <summary>The flag byte to OR into each event of the packet being decoded: ClockSuspect while the clock is distrusted.</summary>
    public byte SuspectFlag
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (byte)Volatile.Read(ref _flag);   // acquire; pairs with the release in Publish
    }

    /// <summary>True while the watcher distrusts the clock.</summary>
    public bool IsSuspect => SuspectFlag != 0;

    /// <summary>Receiving worker, after each packet: its last event's timestamps and how many events carried the flag.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Observe(long exchangeNs, long receiveNs, int flaggedEvents)
    {
        LastExchangeNs = exchangeNs;
        LastReceiveNs = receiveNs;
        SuspectEvents += flaggedEvents;
    }

    /// <summary>Watcher thread: sets or clears the flag; true when it changed.</summary>
    internal bool Publish(bool suspect)
    {
        int value = suspect ? (int)EventFlags.ClockSuspect : 0;
        if (Volatile.Read(ref _flag) == value) return false;
        Volatile.Write(ref _flag, value);       // release; pairs with the acquire in SuspectFlag
        return true;
    }
}
