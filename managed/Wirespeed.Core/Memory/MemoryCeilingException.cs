using System;

namespace Wirespeed.Core.Memory;

/// <summary>Start-up reservations would exceed the configured memory ceiling.</summary>
public sealed class MemoryCeilingException : Exception
{
    public MemoryCeilingException(string pool, long requested, long total, long ceiling)
        : base($"memory.ceilingBytes={ceiling}: reserving {requested} bytes for '{pool}' brings the total to {total}. " +
               $"Raise memory.ceilingBytes to at least {total}, or lower that pool's capacity.")
    {
        Pool = pool;
    }

    public string Pool { get; }
}
