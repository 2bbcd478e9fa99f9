using System;
using System.Runtime.InteropServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Rings;

namespace Wirespeed.Core.Pipeline;

/// <summary>
/// Slot memory for the rings between workers: 64-byte aligned native memory, touched at allocation so no first-touch
/// page fault (about 9 µs here, PLATFORM.md) lands on the hot path. The one <c>unsafe</c> spot of the pipeline, and a
/// stop-gap: the lead moves ring memory to the arenas of Core/Memory, after which this helper goes away.
/// </summary>
internal static unsafe class AlignedSlots
{
    /// <summary>Allocates and zeroes slots for <paramref name="capacity"/> events and builds the ring over them.</summary>
    public static SpscRing<MarketEvent> AllocateRing(int capacity, out nint memory)
    {
        long bytes = SpscRing<MarketEvent>.RequiredBytes(capacity);
        void* p = NativeMemory.AlignedAlloc((nuint)bytes, 64);
        NativeMemory.Clear(p, (nuint)bytes);   // pre-fault every page now, not on the first publish
        try
        {
            var ring = new SpscRing<MarketEvent>(p, capacity);
            memory = (nint)p;
            return ring;
        }
        catch
        {
            NativeMemory.AlignedFree(p);
            throw;
        }
    }

    /// <summary>Frees memory from <see cref="AllocateRing"/>. The ring must no longer be used by any thread.</summary>
    public static void Free(nint memory)
    {
        if (memory != 0) NativeMemory.AlignedFree((void*)memory);
    }
}
