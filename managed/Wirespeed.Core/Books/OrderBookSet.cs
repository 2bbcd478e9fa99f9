/*
 * Order books of one feed line: an order store keyed by reference number, and per instrument two sides of
 * aggregated price levels. Everything is reserved at construction; Apply never allocates, locks or throws.
 *
 * Order store. ITCH executions, cancels, deletes and replaces name only the order reference (ITCH 5.0 §4.4 Modify
 * Order Messages), so every such event starts with a lookup by reference. The store is an open-addressing hash table with linear probing
 * of 32-byte slots holding the whole order inline (reference, price, shares, instrument, side): one cache line fetch
 * per lookup in the common case, no second indirection into a slab. The table has at least twice as many slots as
 * MaxLiveOrders (load factor <= 0.5), so probe runs stay short. The exchange assigns references in increasing order
 * (ITCH 5.0 §4.3 Add Order: the reference is unique for the day), and most messages concern orders added moments ago.
 * So the home slot keeps blocks of 32 consecutive references together (1 KiB: a burst of recent orders shares cache
 * lines, prefetches and one TLB entry) and scatters the blocks by Fibonacci hashing (block number times 2^64/phi, top
 * bits). Measured on the benchmark mix with a 1M-order store (shared 2-vCPU VM): about 180 ns/event when single
 * references were scattered, about 75 ns with blocks of 32; blocks of 64-128 gained a few ns more but doubled the
 * longest runs at full load. Scattering whole blocks keeps linear probing robust: mapping references to slots without
 * scattering ran into merged probe runs thousands long once the reference counter wrapped the table
 * (OrderStoreProbeTests checks run lengths for sequential, strided and random references at full load).
 * Deletion is by backward shift: later entries of the probe run are moved back into the hole, so there are no
 * tombstones, the table never degrades over a trading day, and lookups of absent keys stop at the first empty slot.
 *
 *   slot (32 bytes): | OrderId u64 | Price i64 | Shares i64 | Instrument i32 | Side u8 | Flags u8 | pad |
 *                    Side == 0 marks an empty slot (an add with another side is refused as InvalidSide).
 *
 * Price levels. Each side of each instrument owns a fixed array of MaxLevelsPerSide levels, sorted so that the BEST
 * price is at the END (bids ascending, asks descending). Best bid/offer is the last element: O(1). Depth N is the last
 * N elements read backwards: a contiguous copy. Almost all activity on a real feed lands within a few ticks of the
 * top, and with the best at the end:
 *   - finding a price scans from the top, so a price near the top is found after a handful of compares of adjacent
 *     memory (one or two cache lines); past 8 levels the search switches to binary search, so deep prices cost
 *     O(log n) compares too;
 *   - inserting or removing a level moves only the levels BETTER than it (a memmove of distance-from-top elements),
 *     which for near-top activity is a few elements, while the long tail of deep levels never moves.
 * A tree or skip list would give O(log n) everywhere but chases pointers across cache lines for every update; a
 * price-indexed ladder would give O(1) but needs a tick-size-aware window and recentring. The sorted array wins on
 * the typical case and stays allocation free.
 *
 * Comparisons use key = price for bids and ~price for asks (bitwise complement: order reversing, no overflow), so
 * one code path keeps both sides ascending toward the best.
 *
 * Exhaustion (documented policy, see ExhaustionPolicy): when MaxLiveOrders orders are live, an add is dropped and
 * counted (OrderPoolExhausted); later messages about it count as UnknownOrder. When a side has no free level for a
 * new price, the order is still stored (so its executions and deletes resolve) but marked as outside the levels; its
 * shares never enter the aggregated levels (LevelPoolExhausted). Both are counted in the pool's MemoryAccount and, by
 * default, mark the instrument stale, because its book no longer matches the exchange's until recovery.
 *
 * Threading: one thread (the book stage) calls Apply and the queries; there is no internal synchronisation.
 */
using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Memory;

namespace Wirespeed.Core.Books;

/// <summary>All order books of one feed line (order level in, aggregated price levels out). See the file-top comment.</summary>
/// <remarks>One class in partial files by concern: this one holds the tables, construction, pre-faulting and reset;
/// OrderBookSet.Apply (events), .Levels (price levels), .OrderStore (order hash table), .Queries, .Stale.</remarks>
public sealed partial class OrderBookSet
{
    private const int BidSide = 0;
    private const int AskSide = 1;
    private const int LinearScanLevels = 8;
    private const int BlockBits = 5;                                // 32 consecutive references share 1 KiB of slots
    private const ulong BlockMask = (1UL << BlockBits) - 1;
    private const byte FlagInLevels = 1;
    private const ulong FibonacciMultiplier = 0x9E3779B97F4A7C15UL; // 2^64 / golden ratio
    private const ulong FnvOffset = 0xCBF29CE484222325UL;           // FNV-1a 64-bit offset basis
    private const ulong FnvPrime = 0x100000001B3UL;                 // FNV-1a 64-bit prime

    private struct OrderSlot
    {
        public ulong OrderId;
        public long Price;
        public long Shares;
        public int Instrument;
        public Side Side;     // 0 = empty slot
        public byte Flags;
    }

    private readonly OrderSlot[] _slots;
    private readonly int _slotMask;
    private readonly int _hashShift;   // log2(slot count): the epoch of a reference is orderId >> _hashShift
    private readonly int _maxOrders;
    private int _liveOrders;

    private readonly PriceLevel[] _levels;       // [(instrument * 2 + side) * _maxLevels + i], best at the end
    private readonly int[] _levelCounts;         // [instrument * 2 + side]
    private readonly int _maxLevels;
    private long _usedLevels;

    private readonly int[] _ordersPerInstrument;
    private readonly bool[] _stale;
    private bool _allStale;
    private readonly long[] _statusCounts;
    private readonly int _maxInstruments;
    private readonly ExhaustionPolicy _policy;

    private static int SlotCount(BookOptions options) => (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, options.MaxLiveOrders * 2L));

    /// <summary>
    /// The bytes a book set of <paramref name="options"/> registers (its "orders" and "levels" accounts), computed without
    /// allocating: start-up and check-config compare the process's sum with memory.ceilingBytes before anything is made.
    /// </summary>
    public static (long Orders, long Levels) ReservedBytes(BookOptions options)
    {
        if (options is null) ThrowHelper.ArgumentNull(nameof(options));
        long levelCount = (long)options.MaxInstruments * 2 * options.MaxLevelsPerSide;
        return ((long)SlotCount(options) * Unsafe.SizeOf<OrderSlot>(),
                levelCount * Unsafe.SizeOf<PriceLevel>() + (long)options.MaxInstruments * 2 * sizeof(int));
    }

    /// <summary>Reserves every table for <paramref name="options"/> (cold path; the only allocation this type makes).</summary>
    /// <param name="options">Capacities; validated here.</param>
    /// <param name="instruments">Instrument table updated by stock directory events; a new one of
    /// <see cref="BookOptions.MaxInstruments"/> ids when null.</param>
    /// <param name="registry">Where the "NAME.orders" and "NAME.levels" accounts are registered; unregistered accounts
    /// when null. Throws <see cref="MemoryCeilingException"/> when the ceiling would be exceeded.</param>
    public OrderBookSet(BookOptions options, InstrumentTable? instruments = null, MemoryRegistry? registry = null)
    {
        if (options is null) ThrowHelper.ArgumentNull(nameof(options));
        options.Validated();
        _maxInstruments = options.MaxInstruments;
        _maxOrders = options.MaxLiveOrders;
        _maxLevels = options.MaxLevelsPerSide;
        _policy = options.Exhaustion;

        int slotCount = SlotCount(options);
        _slotMask = slotCount - 1;
        _hashShift = 64 - Math.Max(1, BitOperations.Log2((uint)slotCount) - BlockBits);
        long levelCount = (long)_maxInstruments * 2 * _maxLevels;
        var (orderBytes, levelBytes) = ReservedBytes(options);

        // Register before allocating so that a ceiling violation costs nothing.
        OrderAccount = registry?.Register(options.Name + ".orders", orderBytes, _maxOrders)
                       ?? new MemoryAccount(options.Name + ".orders", orderBytes, _maxOrders);
        LevelAccount = registry?.Register(options.Name + ".levels", levelBytes, levelCount)
                       ?? new MemoryAccount(options.Name + ".levels", levelBytes, levelCount);

        _slots = new OrderSlot[slotCount];
        _levels = new PriceLevel[levelCount];
        _levelCounts = new int[_maxInstruments * 2];
        _ordersPerInstrument = new int[_maxInstruments];
        _stale = new bool[_maxInstruments];
        _statusCounts = new long[(int)BookStatus.InvalidQuantity + 1];
        Instruments = instruments ?? new InstrumentTable(_maxInstruments);
    }

    /// <summary>Instrument table this set updates from stock directory events.</summary>
    public InstrumentTable Instruments { get; }

    /// <summary>Footprint of the order store: used = live orders, Exhausted = adds refused.</summary>
    public MemoryAccount OrderAccount { get; }

    /// <summary>Footprint of the price levels: used = levels in use over all sides, Exhausted = prices refused a level.</summary>
    public MemoryAccount LevelAccount { get; }

    /// <summary>Capacity in instruments.</summary>
    public int MaxInstruments => _maxInstruments;

    /// <summary>Live orders over all instruments.</summary>
    public int LiveOrders => _liveOrders;

    /// <summary>Price levels in use over all instruments and sides.</summary>
    public long UsedLevels => _usedLevels;

    /// <summary>How many events ended with <paramref name="status"/> since construction.</summary>
    public long StatusCount(BookStatus status) => (uint)status < (uint)_statusCounts.Length ? _statusCounts[(int)status] : 0;

    /// <summary>
    /// Touches every page of the order store and the level tables once (cold path, at start-up, before any event), so
    /// the hot path never takes a first-touch page fault (about 9 µs each on these VMs, PLATFORM.md). The tables are
    /// empty then: writing their default values changes nothing. Returns the bytes touched.
    /// </summary>
    public long Prefault()
    {
        const int Page = 4096;
        long touched = 0;
        int slotStride = Math.Max(1, Page / Unsafe.SizeOf<OrderSlot>());
        for (int i = 0; i < _slots.Length; i += slotStride) _slots[i] = default;
        touched += (long)_slots.Length * Unsafe.SizeOf<OrderSlot>();
        int levelStride = Math.Max(1, Page / Unsafe.SizeOf<PriceLevel>());
        for (long i = 0; i < _levels.LongLength; i += levelStride) _levels[i] = default;
        touched += _levels.LongLength * Unsafe.SizeOf<PriceLevel>();
        return touched;
    }

    /// <summary>Empties every book and the order store (start of a session, or before a snapshot rebuild). Keeps stale
    /// marks, counters and the instrument table. Cold path: clears every table.</summary>
    public void Reset()
    {
        Array.Clear(_slots);
        Array.Clear(_levelCounts);
        Array.Clear(_ordersPerInstrument);
        _liveOrders = 0;
        _usedLevels = 0;
        OrderAccount.SetUsed(0);
        LevelAccount.SetUsed(0);
    }
}
