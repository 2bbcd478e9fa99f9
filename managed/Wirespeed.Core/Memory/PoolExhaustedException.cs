using System;

namespace Wirespeed.Core.Memory;

/// <summary>A pool configured with <see cref="PoolExhaustionPolicy.Throw"/> ran out of slots.</summary>
public sealed class PoolExhaustedException : Exception
{
    public PoolExhaustedException(string pool, long capacity)
        : base($"pool '{pool}' is exhausted: all {capacity} slots are rented. Raise its capacity, or use " +
               $"{nameof(PoolExhaustionPolicy)}.{nameof(PoolExhaustionPolicy.RejectAndCount)} if running out is expected under load.")
    {
        Pool = pool;
        Capacity = capacity;
    }

    /// <summary>Pool name.</summary>
    public string Pool { get; }

    /// <summary>Slots in the pool.</summary>
    public long Capacity { get; }
}
