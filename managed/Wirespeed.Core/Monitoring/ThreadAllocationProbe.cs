using System;
using System.Threading;

namespace Wirespeed.Core.Monitoring;

/// <summary>
/// Bytes a hot thread allocated since its warm-up mark. The hot thread calls <see cref="Mark"/> once after warm-up and
/// <see cref="Publish"/> at a cheap point (once per batch interval, or when it stops); the monitor reads
/// <see cref="AllocatedSinceMark"/>. GC.GetAllocatedBytesForCurrentThread() counts the calling thread only, which is why
/// the hot thread itself must take the readings (PLATFORM.md).
/// </summary>
public sealed class ThreadAllocationProbe
{
    private long _mark;
    private long _allocated;
    private int _marked;

    public ThreadAllocationProbe(string name) => Name = name;

    /// <summary>Thread name as in summaries ("worker.0").</summary>
    public string Name { get; }

    /// <summary>True once the hot thread has called <see cref="Mark"/>.</summary>
    public bool IsMarked => Volatile.Read(ref _marked) != 0;

    /// <summary>Bytes allocated on the hot thread between <see cref="Mark"/> and the last <see cref="Publish"/>.</summary>
    public long AllocatedSinceMark => Volatile.Read(ref _allocated); // pairs with Volatile.Write in Publish

    /// <summary>Hot thread, after warm-up: starts counting from here.</summary>
    public void Mark()
    {
        _mark = GC.GetAllocatedBytesForCurrentThread();
        Volatile.Write(ref _allocated, 0);
        Volatile.Write(ref _marked, 1); // pairs with Volatile.Read in IsMarked
    }

    /// <summary>Hot thread: publishes the bytes allocated since <see cref="Mark"/>. Allocation-free; about 10 ns.</summary>
    public void Publish()
    {
        if (_marked == 0) return;
        Volatile.Write(ref _allocated, GC.GetAllocatedBytesForCurrentThread() - _mark); // pairs with AllocatedSinceMark
    }
}
