namespace Wirespeed.Core.Memory;

/// <summary>What a <see cref="SlabPool{T}"/> does when every slot is rented. Either way the refusal is counted in the
/// pool's <see cref="MemoryAccount.Exhausted"/>, and nothing is ever allocated from the GC heap.</summary>
public enum PoolExhaustionPolicy : byte
{
    /// <summary>
    /// Default. <c>TryRent</c> returns false and counts the refusal. The caller degrades and carries on: a book drops
    /// the new order, counts it per cause and marks itself stale (a snapshot or retransmit repairs it); a stage drops
    /// the item and raises its alert. Use for every pool fed by wire data.
    /// </summary>
    RejectAndCount,

    /// <summary>
    /// <c>TryRent</c> counts the refusal, then throws <see cref="PoolExhaustedException"/> naming the pool and its
    /// capacity. Only for pools whose size is fixed by configuration and filled at start-up, where running out is a
    /// sizing bug that must stop the process before the market opens, never for pools fed by wire data.
    /// </summary>
    Throw,
}
