using System;
using System.Threading;

namespace Wirespeed.Core.Breakers;

/// <summary>
/// A bounded log of unmanaged records with one writer (a hot-path thread) and any number of readers (the monitor):
/// the newest <see cref="Capacity"/> records are kept, older ones are overwritten and counted. Appending never
/// allocates, locks or formats. A reader copies records with <see cref="CopyRecent"/> and discards any slot the
/// writer may have overwritten while it was copying (the written count is read before and after).
/// </summary>
public sealed class BoundedLog<T> where T : unmanaged
{
    private readonly T[] _slots;
    private readonly int _mask;
    private long _written;

    /// <param name="capacity">Records kept; rounded up to a power of two, at least 2.</param>
    public BoundedLog(int capacity)
    {
        if (capacity < 1) ThrowHelper.Argument(nameof(capacity), $"capacity={capacity} must be at least 1");
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity));
        _slots = new T[size];
        _mask = size - 1;
    }

    /// <summary>Records kept.</summary>
    public int Capacity => _slots.Length;

    /// <summary>Records ever appended (the oldest <c>Written - Capacity</c> are gone).</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>Writer thread only.</summary>
    public void Append(in T record)
    {
        long n = _written;
        _slots[n & _mask] = record;
        Volatile.Write(ref _written, n + 1); // release: the record is complete before readers see the count
    }

    /// <summary>
    /// Any thread: copies up to <c>destination.Length</c> of the newest records, oldest first; returns how many.
    /// Records the writer overwrote during the copy are left out.
    /// </summary>
    public int CopyRecent(Span<T> destination)
    {
        long end = Volatile.Read(ref _written); // acquire; pairs with the release in Append
        long start = Math.Max(0, end - Math.Min(destination.Length, _slots.Length));
        int n = (int)(end - start);
        for (int i = 0; i < n; i++) destination[i] = _slots[(start + i) & _mask];
        long after = Volatile.Read(ref _written);
        long firstIntact = after - _slots.Length; // slots below this index may have been overwritten while copying
        if (firstIntact <= start) return n;
        int lost = (int)Math.Min(n, firstIntact - start);
        destination.Slice(lost, n - lost).CopyTo(destination);
        return n - lost;
    }

    /// <summary>Cold path: the newest records as an array (for reports and tests).</summary>
    public T[] Snapshot()
    {
        var buffer = new T[_slots.Length];
        int n = CopyRecent(buffer);
        return buffer.AsSpan(0, n).ToArray();
    }
}
