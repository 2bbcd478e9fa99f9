using System.Runtime.InteropServices;

namespace Wirespeed.Core.Rings;

/// <summary>
/// Producer and consumer cursors of a single-producer single-consumer ring, each on its own pair of cache lines so the
/// two threads never write the same line. Explicit layout: the runtime may reorder a class's fields but not these.
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
}
