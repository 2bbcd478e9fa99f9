using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace Wirespeed.Core.Rings;

/// <summary>
/// Producer and consumer cursors of a single-producer single-consumer ring, each on its own pair of cache lines so the
/// two threads never write the same line. Explicit layout: the runtime may reorder a class's fields but not these.
/// The claim/publish/consume protocol lives here once, for every ring over these cursors (<see cref="SpscRing{T}"/>,
/// <see cref="SpscSlotRing"/>); a ring keeps only its slots. Hold it in a non-readonly field: the methods mutate it.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 3 * CacheLine.PadBytes)]
internal struct RingIndices
{
    /// <summary>Next sequence the consumer may read up to (exclusive); written by the producer only.</summary>
    [FieldOffset(1 * CacheLine.PadBytes)] public long Tail;
    /// <summary>Producer-private: next sequence to claim (Tail plus claimed-but-unpublished slots).</summary>
    [FieldOffset(1 * CacheLine.PadBytes + 8)] public long Claim;
    /// <summary>Producer-private cached copy of <see cref="Head"/>; refreshed only when the ring looks full.</summary>
    [FieldOffset(1 * CacheLine.PadBytes + 16)] public long HeadCache;
    /// <summary>Next sequence the consumer will read; written by the consumer only.</summary>
    [FieldOffset(2 * CacheLine.PadBytes)] public long Head;
    /// <summary>Consumer-private cached copy of <see cref="Tail"/>.</summary>
    [FieldOffset(2 * CacheLine.PadBytes + 8)] public long TailCache;

    /// <summary>Items published and not yet consumed (approximate when read from a third thread).</summary>
    public long Count
    {
        get
        {
            long head = Volatile.Read(ref Head);                   // Head first: Tail only grows, so the result is never negative
            return Volatile.Read(ref Tail) - head;
        }
    }

    /// <summary>Producer: claims the next sequence. False when all <paramref name="mask"/> + 1 slots are taken (nothing claimed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryClaim(long mask, out long sequence)
    {
        long claim = Claim;                                        // producer-owned: plain read
        if (claim - HeadCache > mask && !RefreshHeadSlow(claim, mask))
        {
            sequence = -1;
            return false;
        }
        Claim = claim + 1;
        sequence = claim;
        return true;
    }

    /// <summary>Producer: makes every claimed sequence visible to the consumer (one release store per batch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish() => Volatile.Write(ref Tail, Claim);     // release; pairs with Volatile.Read(Tail) in Available

    /// <summary>Consumer: how many published sequences from <see cref="Head"/> it may read, at most <paramref name="limit"/> (0: none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Available(int limit)
    {
        if (limit <= 0) return 0;                                  // a negative count would move Head backwards
        long available = TailCache - Head;                         // consumer-owned: plain reads
        if (available <= 0)
        {
            TailCache = Volatile.Read(ref Tail);                   // acquire; pairs with Volatile.Write(Tail) in Publish
            available = TailCache - Head;
            if (available <= 0) return 0;
        }
        return (int)System.Math.Min(available, limit);
    }

    /// <summary>Consumer: frees <paramref name="n"/> read sequences in one store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Release(int n) => Volatile.Write(ref Head, Head + n);   // release; pairs with Volatile.Read(Head) in RefreshHeadSlow

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool RefreshHeadSlow(long claim, long mask)
    {
        HeadCache = Volatile.Read(ref Head);                       // acquire: the consumer is done with those slots
        return claim - HeadCache <= mask;
    }
}
