using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Books;

// The order store: open addressing by order reference, backward-shift deletion (book thread).
public sealed partial class OrderBookSet
{
    // ---------------------------------------------------------------- order store (open addressing, backward shift)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(ulong orderId) => (int)((((orderId >> BlockBits) * FibonacciMultiplier) >> _hashShift << BlockBits | (orderId & BlockMask)) & (ulong)_slotMask);

    // Slot holding orderId, or ~(first empty slot of its probe run). The table is never full (load <= 0.5).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FindSlot(ulong orderId)
    {
        OrderSlot[] slots = _slots;
        int mask = _slotMask;
        int i = Home(orderId);
        while (true)
        {
            ref OrderSlot s = ref slots[i];
            if (s.Side == Side.None) return ~i;
            if (s.OrderId == orderId) return i;
            i = (i + 1) & mask;
        }
    }

    // Backward-shift deletion: walk the probe run after the hole and move back every entry whose home slot does not lie
    // cyclically in (hole, entry]; such an entry would be unreachable past an empty slot otherwise.
    private void DeleteSlot(int hole)
    {
        OrderSlot[] slots = _slots;
        int mask = _slotMask;
        int j = hole;
        while (true)
        {
            j = (j + 1) & mask;
            ref OrderSlot next = ref slots[j];
            if (next.Side == Side.None) break;
            int home = Home(next.OrderId);
            if (((j - home) & mask) >= ((j - hole) & mask))
            {
                slots[hole] = next;
                hole = j;
            }
        }
        slots[hole] = default;
    }

    /// <summary>Diagnostics (cold path): the longest run of occupied slots, i.e. the worst-case probe length.</summary>
    internal int LongestProbeRun()
    {
        int longest = 0, run = 0;
        // Two passes so a run that wraps past the end of the table is measured whole.
        for (int n = 0; n < _slots.Length * 2; n++)
        {
            run = _slots[n & _slotMask].Side == Side.None ? 0 : run + 1;
            if (run > longest) longest = run;
        }
        return Math.Min(longest, _slots.Length);
    }
}
