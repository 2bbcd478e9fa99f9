using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Books;

// Price levels: sorted per side, best at the end (book thread).
public sealed partial class OrderBookSet
{
    // ---------------------------------------------------------------- price levels

    // Index of the level with this key in side[0..count), or ~(insertion index). Keys ascend toward the best (end).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FindLevel(Span<PriceLevel> side, long key, long keyMask)
    {
        int i = side.Length - 1;
        int stop = side.Length - LinearScanLevels;
        for (; i >= 0 && i >= stop; i--)
        {
            long k = side[i].Price ^ keyMask;
            if (k == key) return i;
            if (k < key) return ~(i + 1);
        }
        return i < 0 ? ~0 : BinarySearchLevel(side[..(i + 1)], key, keyMask);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int BinarySearchLevel(Span<PriceLevel> side, long key, long keyMask)
    {
        int lo = 0, hi = side.Length - 1;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            long k = side[mid].Price ^ keyMask;
            if (k == key) return mid;
            if (k < key) lo = mid + 1;
            else hi = mid - 1;
        }
        return ~lo;
    }

    private bool AddToLevel(int book, long price, long shares)
    {
        int count = _levelCounts[book];
        long keyMask = -(book & 1); // 0 for bids, all ones for asks
        Span<PriceLevel> side = _levels.AsSpan(book * _maxLevels, _maxLevels);
        int index = FindLevel(side[..count], price ^ keyMask, keyMask);
        if (index >= 0)
        {
            ref PriceLevel level = ref side[index];
            level.Shares += shares;
            level.Orders++;
            return true;
        }
        if (count == _maxLevels) return false;
        index = ~index;
        side[index..count].CopyTo(side[(index + 1)..]); // only the levels better than the new one move
        side[index] = new PriceLevel(price, shares, 1);
        _levelCounts[book] = count + 1;
        _usedLevels++;
        LevelAccount.SetUsed(_usedLevels);
        return true;
    }

    private void ReduceLevel(int book, long price, long shares, bool removesOrder)
    {
        int count = _levelCounts[book];
        long keyMask = -(book & 1);
        Span<PriceLevel> side = _levels.AsSpan(book * _maxLevels, count);
        int index = FindLevel(side, price ^ keyMask, keyMask);
        if (index < 0) return; // unreachable while orders marked in-levels and levels agree
        ref PriceLevel level = ref side[index];
        level.Shares -= shares;
        if (removesOrder) level.Orders--;
        if (level.Orders > 0) return;
        side[(index + 1)..].CopyTo(side[index..]);
        _levelCounts[book] = count - 1;
        _usedLevels--;
        LevelAccount.SetUsed(_usedLevels);
    }
}
