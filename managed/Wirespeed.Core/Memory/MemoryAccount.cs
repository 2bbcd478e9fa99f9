using System.Threading;

namespace Wirespeed.Core.Memory;

/// <summary>
/// Footprint of one pool or arena, as the monitor reports it: bytes reserved at start-up, bytes (or slots) in use,
/// high-water mark, and how often a request found it exhausted. Updated by the owning thread with plain stores,
/// read by the monitor with <see cref="Volatile"/> reads (figures are advisory between samples).
/// </summary>
public sealed class MemoryAccount
{
    private long _used;
    private long _highWater;
    private long _exhausted;

    public MemoryAccount(string name, long reservedBytes, long capacityUnits)
    {
        Name = name;
        ReservedBytes = reservedBytes;
        CapacityUnits = capacityUnits;
    }

    /// <summary>
    /// The arena this account's bytes were carved from, or null for a top-level reservation (an arena). Carved bytes
    /// are already inside their parent's reservation, so the registry's ceiling counts only top-level accounts.
    /// </summary>
    public MemoryAccount? Parent { get; internal set; }

    /// <summary>Pool name as in summaries ("book.orders", "ring.decode->book").</summary>
    public string Name { get; }

    /// <summary>Bytes reserved at start-up; fixed for the life of the process.</summary>
    public long ReservedBytes { get; }

    /// <summary>Units (slots, orders, bytes) the pool can hold.</summary>
    public long CapacityUnits { get; }

    /// <summary>Units in use now.</summary>
    public long Used => Volatile.Read(ref _used);

    /// <summary>Most units ever in use at once.</summary>
    public long HighWater => Volatile.Read(ref _highWater);

    /// <summary>Requests refused because the pool was full.</summary>
    public long Exhausted => Volatile.Read(ref _exhausted);

    /// <summary>Owner thread: sets the units in use and raises the high-water mark.</summary>
    public void SetUsed(long units)
    {
        _used = units;
        if (units > _highWater) _highWater = units;
    }

    /// <summary>Owner thread: counts one refused request.</summary>
    public void CountExhausted() => _exhausted++;
}
