using System;
using System.Threading;
using Wirespeed.Core.Events;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Rings;
using Wirespeed.Core.Pipeline;

namespace Wirespeed.Core.Pipeline.Topology;

/// <summary>
/// The ring joining two workers, with its back-pressure counters. The upstream worker writes through
/// <see cref="RingSinkStage"/>, the downstream worker reads through <see cref="RingSource"/>.
/// </summary>
/// <remarks>
/// Overflow policy: back-pressure. A full ring makes the sink wait (with its idle strategy) until the consumer frees a
/// slot; nothing is dropped. The wait is counted (<see cref="BackPressureEvents"/>, <see cref="BackPressureWaits"/>)
/// and shows in the sink stage's latency. Only when the consumer is gone for good (<see cref="Close"/>, e.g. its worker
/// faulted) does the sink stop waiting, and every event it then cannot deliver is counted in <see cref="Abandoned"/>
/// and dropped by verdict: never a silent drop, never a producer stuck forever.
/// </remarks>
public sealed class RingLink : IDisposable
{
    private readonly Arena _arena;
    private long _backPressureEvents;
    private long _backPressureWaits;
    private long _abandoned;
    private int _closed;

    /// <param name="name">Link name as in summaries, e.g. "feed->patterns".</param>
    /// <param name="capacity">Slots; a power of two, at least 2.</param>
    /// <param name="registry">Where the slot memory is accounted (arena "arena.ring.{name}", ring "ring.{name}");
    /// a private registry when null.</param>
    /// <remarks>The slots live in an arena of their own: pre-faulted, on huge pages when the kernel has some free.</remarks>
    public RingLink(string name, int capacity, MemoryRegistry? registry = null)
    {
        Name = name;
        if (capacity < 2 || !System.Numerics.BitOperations.IsPow2(capacity))
            ThrowHelper.Argument(nameof(capacity), $"capacity={capacity} must be a power of two >= 2");
        registry ??= new MemoryRegistry(0);
        _arena = Arena.Create("arena.ring." + name, new ArenaOptions
        {
            SizeBytes = SpscRing<MarketEvent>.RequiredBytes(capacity) + 64,
            HugePages = true,
            Lock = false,
            Prefault = true,
        }, registry);
        try
        {
            Ring = RingFactory.CreateSpsc<MarketEvent>(_arena, "ring." + name, capacity, registry, out var account);
            Account = account;
        }
        catch
        {
            _arena.Dispose();
            throw;
        }
    }

    public string Name { get; }

    /// <summary>The ring. Producer: the upstream worker only. Consumer: the downstream worker only.</summary>
    public SpscRing<MarketEvent> Ring { get; }

    /// <summary>Memory account of the slots.</summary>
    public MemoryAccount Account { get; }

    /// <summary>Events that found the ring full and had to wait.</summary>
    public long BackPressureEvents => Volatile.Read(ref _backPressureEvents);

    /// <summary>Idle steps taken while waiting for room.</summary>
    public long BackPressureWaits => Volatile.Read(ref _backPressureWaits);

    /// <summary>Events not delivered because the link was closed while the ring was full.</summary>
    public long Abandoned => Volatile.Read(ref _abandoned);

    /// <summary>True once <see cref="Close"/> was called.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Any thread: the consumer is gone; producers stop waiting for room. Irreversible.</summary>
    public void Close() => Volatile.Write(ref _closed, 1);   // release; pairs with the Volatile.Read in IsClosed

    internal void CountBackPressure() => _backPressureEvents++;   // producer thread only
    internal void CountWait() => _backPressureWaits++;
    internal void CountAbandoned() => _abandoned++;

    /// <summary>Frees the slot memory. Call only after both workers have stopped.</summary>
    public void Dispose() => _arena.Dispose();
}
