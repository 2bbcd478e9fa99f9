using System;
using System.Runtime.InteropServices;

namespace Wirespeed.Tests.Core.Rings;

/// <summary>64-byte aligned, zeroed unmanaged memory for ring tests that do not need an arena.</summary>
internal sealed unsafe class AlignedBuffer : IDisposable
{
    public AlignedBuffer(long bytes)
    {
        Pointer = NativeMemory.AlignedAlloc((nuint)bytes, 64);
        NativeMemory.Clear(Pointer, (nuint)bytes);
    }

    public void* Pointer { get; private set; }

    public void Dispose()
    {
        NativeMemory.AlignedFree(Pointer);
        Pointer = null;
    }
}

/// <summary>Collects polled items in order (test handler; a struct so Poll is specialised as in production).</summary>
internal struct CollectingHandler : Wirespeed.Core.Rings.IRingHandler<long>
{
    public long[] Seen;
    public int Count;

    public CollectingHandler(int capacity) { Seen = new long[capacity]; Count = 0; }

    public void OnItem(ref long item) => Seen[Count++] = item;
}
