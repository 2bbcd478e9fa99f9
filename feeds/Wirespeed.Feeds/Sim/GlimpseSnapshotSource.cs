using System;
using Wirespeed.Feeds.SoupBin;

namespace Wirespeed.Feeds.Sim;

/// <summary>
/// Snapshots of the simulator's books for a GLIMPSE-style server: <see cref="Capture"/> (on the simulator's thread,
/// between messages, so the state is consistent) builds the snapshot as ITCH messages (per instrument a Stock Directory
/// 'R', then an Add Order 'A' per live order), closed by End of Snapshot 'G' carrying the next ITCH sequence number;
/// each login is then served the latest snapshot (<see cref="ForLogin"/>).
/// </summary>
public sealed class GlimpseSnapshotSource
{
    private volatile SimMessageStore _latest = Empty();

    /// <summary>The latest snapshot; pass as the server's store-per-login.</summary>
    public SimMessageStore ForLogin() => _latest;

    /// <summary>The ITCH sequence number the latest snapshot ends before (its 'G'), or 1 before any capture.</summary>
    public long NextSequence { get; private set; } = 1;

    /// <summary>
    /// Builds a snapshot of <paramref name="simulator"/>'s books after <paramref name="messagesApplied"/> messages of the
    /// ITCH stream (sequence numbers 1..messagesApplied), and serves it from now on. Call on the simulator's thread.
    /// </summary>
    public SimMessageStore Capture(ExchangeSimulator simulator, long messagesApplied)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        var store = new SimMessageStore();
        Span<byte> m = stackalloc byte[64];
        long ts = simulator.VirtualTimeNs;
        for (int locate = 1; locate <= simulator.InstrumentCount; locate++)
        {
            store.Append(m.Slice(0, simulator.WriteStockDirectory(m, locate, ts)));
            int live = simulator.LiveOrdersOf(locate);
            for (int k = 0; k < live; k++) store.Append(m.Slice(0, simulator.WriteLiveOrder(m, locate, k, ts)));
        }
        store.Append(m.Slice(0, GlimpseLayout.WriteEndOfSnapshot(m, (ulong)messagesApplied + 1)));
        NextSequence = messagesApplied + 1;
        _latest = store;
        return store;
    }

    private static SimMessageStore Empty()
    {
        var store = new SimMessageStore();
        Span<byte> m = stackalloc byte[GlimpseLayout.EndOfSnapshotLength];
        store.Append(m.Slice(0, GlimpseLayout.WriteEndOfSnapshot(m, 1)));
        return store;
    }
}
