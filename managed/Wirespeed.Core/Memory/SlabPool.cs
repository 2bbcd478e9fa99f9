using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Wirespeed.Core.Memory;

/// <summary>
/// A fixed number of <typeparamref name="T"/> slots carved from an <see cref="Arena"/>, handed out by index from a
/// free list. Rent, access and return never allocate, lock or throw on the normal path.
/// </summary>
/// <remarks>
/// Owner thread only: the free list is a plain singly linked list of slot indices (no atomics), so exactly one thread
/// may call <see cref="TryRent"/>, <see cref="Return"/> and the indexer. The monitor reads <see cref="Account"/>.
/// <code>
///   slots: [T0][T1]...[Tn-1]            next: [i0][i1]...[in-1]   next[i] = following free index, -1 = end,
///   free head --> 3 --> 0 --> 7 --> -1                            InUse (-2) while rented
/// </code>
/// A rented slot is zeroed before it is handed out. Returning an index twice, or one out of range, is a programmer
/// error and throws.
/// </remarks>
public sealed unsafe class SlabPool<T> where T : unmanaged
{
    private const int End = -1;
    private const int InUse = -2;

    private readonly T* _slots;      // arena-owned; lives as long as the arena
    private readonly int* _next;     // arena-owned free-list links, one per slot
    private readonly int _capacity;
    private readonly PoolExhaustionPolicy _policy;
    private int _freeHead;
    private int _inUse;

    /// <summary>Start-up: carves <paramref name="capacity"/> slots (and their links) from <paramref name="arena"/> and
    /// registers the pool with <paramref name="registry"/> as carved from the arena's account.</summary>
    public SlabPool(Arena arena, string name, int capacity, MemoryRegistry registry,
                    PoolExhaustionPolicy policy = PoolExhaustionPolicy.RejectAndCount)
    {
        ArgumentNullException.ThrowIfNull(arena);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (capacity < 1) ThrowHelper.Argument(nameof(capacity), $"capacity={capacity} must be at least 1");
        if (policy != PoolExhaustionPolicy.RejectAndCount && policy != PoolExhaustionPolicy.Throw)
            ThrowHelper.Argument(nameof(policy), $"policy={policy} is not a {nameof(PoolExhaustionPolicy)}");

        long before = arena.UsedBytes;
        _slots = arena.Allocate<T>(capacity);
        _next = arena.Allocate<int>(capacity);
        _capacity = capacity;
        _policy = policy;
        Name = name;
        for (int i = 0; i < capacity - 1; i++) _next[i] = i + 1;
        _next[capacity - 1] = End;
        _freeHead = 0;
        Account = registry.RegisterCarved(name, arena.Account, arena.UsedBytes - before, capacity);
    }

    /// <summary>Pool name, as in summaries.</summary>
    public string Name { get; }

    /// <summary>Number of slots.</summary>
    public int Capacity => _capacity;

    /// <summary>Slots rented now (owner thread).</summary>
    public int InUseCount => _inUse;

    /// <summary>The pool's account: used and high-water in slots, refusals in <see cref="MemoryAccount.Exhausted"/>.</summary>
    public MemoryAccount Account { get; }

    /// <summary>The exhaustion policy chosen at construction.</summary>
    public PoolExhaustionPolicy Policy => _policy;

    /// <summary>Owner thread: rents a zeroed slot. False (counted) when every slot is rented and the policy is
    /// <see cref="PoolExhaustionPolicy.RejectAndCount"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRent(out int index)
    {
        int head = _freeHead;
        if (head < 0) return RejectSlow(out index);
        _freeHead = _next[head];
        _next[head] = InUse;
        _slots[head] = default;
        Account.SetUsed(++_inUse);
        index = head;
        return true;
    }

    /// <summary>Owner thread: the rented slot at <paramref name="index"/>; valid until it is returned.</summary>
    public ref T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)_capacity) ThrowIndex(index);
            return ref _slots[index];
        }
    }

    /// <summary>Owner thread: gives a rented slot back. Throws on an index out of range or not rented.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Return(int index)
    {
        if ((uint)index >= (uint)_capacity) ThrowIndex(index);
        if (_next[index] != InUse) ThrowNotRented(index);
        _next[index] = _freeHead;
        _freeHead = index;
        Account.SetUsed(--_inUse);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool RejectSlow(out int index)
    {
        Account.CountExhausted();
        index = -1;
        if (_policy == PoolExhaustionPolicy.Throw) throw new PoolExhaustedException(Name, _capacity);
        return false;
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowIndex(int index)
        => throw new ArgumentOutOfRangeException(nameof(index), index, $"pool '{Name}' has slots 0..{_capacity - 1}");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNotRented(int index)
        => throw new InvalidOperationException($"pool '{Name}': slot {index} is not rented (returned twice?)");
}
