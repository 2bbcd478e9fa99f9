using System.Runtime.CompilerServices;
using Wirespeed.Core.Ingress;
using Wirespeed.Interop.Abi;
using Wirespeed.Interop.Handles;

namespace Wirespeed.Feeds.Udp;

/// <summary>Counters of a native receive path (recvmmsg or io_uring). Written by the polling thread only.</summary>
public sealed class ReceiverCounters
{
    /// <summary>Datagrams delivered.</summary>
    public long Packets;
    /// <summary>Payload bytes delivered.</summary>
    public long Bytes;
    /// <summary>Datagrams longer than MaxDatagramBytes, dropped.</summary>
    public long Truncated;
    /// <summary>Polls that returned an error.</summary>
    public long ReceiveErrors;
    /// <summary>The last such error (negative WS_E* code).</summary>
    public int LastError;
}

/// <summary>
/// The harvest loop of the io_uring source (recvmmsg has its own, which carries datagrams over between polls): poll the
/// shim for a batch of completions, hand each datagram to the handler in place, give the buffers back after the handler
/// has seen the whole batch, and stop as soon as a batch comes back short (the completion queue is drained). Zero
/// allocation, no locks. Harvesting fewer completions than are ready costs nothing: the rest wait in the completion
/// queue, read from user space. <see cref="Deliver"/> is the per-datagram step both loops share.
/// </summary>
internal static class ReceiverDrain
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Poll<THandler>(PacketReceiver rx, int batch, int limit, byte lineId, PacketSourceKind kind,
        ReceiverCounters counters, ref THandler handler) where THandler : struct, IPacketHandler
    {
        int harvested = 0, delivered = 0;
        while (harvested < limit)
        {
            int n = rx.Poll(limit - harvested);
            if (n <= 0)
            {
                if (n < 0) { counters.ReceiveErrors++; counters.LastError = n; }
                break;
            }
            harvested += n;
            for (int i = 0; i < n; i++)
                if (Deliver(rx, i, lineId, kind, counters, ref handler)) delivered++;
            rx.Recycle();   // after the handler: the spans it saw point into these buffers
            if (n < batch) break;
        }
        counters.Packets += delivered;
        return delivered;
    }

    /// <summary>
    /// Hands descriptor <paramref name="i"/> of the last poll to the handler in place and counts its bytes; a truncated
    /// datagram is counted and skipped (false). The caller counts delivered packets.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Deliver<THandler>(PacketReceiver rx, int i, byte lineId, PacketSourceKind kind, ReceiverCounters counters,
        ref THandler handler) where THandler : struct, IPacketHandler
    {
        ref readonly RxDesc d = ref rx.Descriptor(i);
        if ((d.Flags & RxFlags.Truncated) != 0) { counters.Truncated++; return false; }
        var info = new PacketInfo(d.RxMonoNs, lineId, kind);
        handler.OnPacket(rx.Payload(i), in info);
        counters.Bytes += d.Length;
        return true;
    }
}
