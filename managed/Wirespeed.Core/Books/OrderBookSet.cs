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
public sealed class OrderBookSet
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

    // ---------------------------------------------------------------- apply

    /// <summary>
    /// Applies one event. Sets <see cref="EventFlags.TopChanged"/> when the best bid or offer (price or size) of the
    /// event's instrument changed, and <see cref="EventFlags.BookStale"/> when that instrument's book is stale.
    /// For events that name an order (executions, cancel, delete, replace) it fills in <see cref="MarketEvent.Instrument"/>
    /// and <see cref="MarketEvent.Side"/> from the stored order, and for <see cref="EventKind.OrderExecuted"/> the
    /// resting price (the execution price) into <see cref="MarketEvent.Price"/>. Never throws on event content.
    /// </summary>
    public BookStatus Apply(ref MarketEvent evt)
    {
        BookStatus status;
        switch (evt.Kind)
        {
            case EventKind.AddOrder: status = Add(ref evt); break;
            case EventKind.OrderExecuted:
            case EventKind.OrderExecutedWithPrice:
            case EventKind.OrderCancel: status = Reduce(ref evt); break;
            case EventKind.OrderDelete: status = Delete(ref evt); break;
            case EventKind.OrderReplace: status = Replace(ref evt); break;
            case EventKind.Reference: status = ApplyReference(ref evt); break;
            default: status = BookStatus.NotBookEvent; break; // trades, crosses, broken trades, status: book untouched
        }
        _statusCounts[(int)status]++;
        int instrument = evt.Instrument;
        if ((uint)instrument < (uint)_stale.Length && _stale[instrument]) evt.Flags |= EventFlags.BookStale;
        return status;
    }

    private BookStatus Add(ref MarketEvent evt)
    {
        int instrument = evt.Instrument;
        if ((uint)instrument >= (uint)_maxInstruments) return BookStatus.UnknownInstrument;
        int side = SideIndex(evt.Side);
        if (side < 0) return BookStatus.InvalidSide;
        if (evt.Quantity <= 0) return BookStatus.InvalidQuantity;

        int book = instrument * 2 + side;
        ReadTop(book, out long topPrice, out long topShares);
        BookStatus status = Insert(evt.OrderId, instrument, evt.Side, side, evt.Price, evt.Quantity);
        FlagTopChange(ref evt, book, topPrice, topShares);
        return status;
    }

    private BookStatus Reduce(ref MarketEvent evt)
    {
        int slot = FindSlot(evt.OrderId);
        if (slot < 0) return BookStatus.UnknownOrder;
        if (evt.Quantity <= 0) return BookStatus.InvalidQuantity;

        ref OrderSlot order = ref _slots[slot];
        evt.Instrument = order.Instrument;
        evt.Side = order.Side;
        if (evt.Kind == EventKind.OrderExecuted) evt.Price = order.Price;

        int book = order.Instrument * 2 + SideIndex(order.Side);
        ReadTop(book, out long topPrice, out long topShares);
        BookStatus status = BookStatus.Applied;
        long shares = evt.Quantity;
        if (shares >= order.Shares)
        {
            // ITCH never executes or cancels more than is left; when a feed does, the order is gone either way.
            if (shares > order.Shares) status = BookStatus.AppliedClamped;
            RemoveOrder(slot);
        }
        else
        {
            order.Shares -= shares;
            if ((order.Flags & FlagInLevels) != 0) ReduceLevel(book, order.Price, shares, removesOrder: false);
        }
        FlagTopChange(ref evt, book, topPrice, topShares);
        return status;
    }

    private BookStatus Delete(ref MarketEvent evt)
    {
        int slot = FindSlot(evt.OrderId);
        if (slot < 0) return BookStatus.UnknownOrder;
        ref OrderSlot order = ref _slots[slot];
        evt.Instrument = order.Instrument;
        evt.Side = order.Side;
        int book = order.Instrument * 2 + SideIndex(order.Side);
        ReadTop(book, out long topPrice, out long topShares);
        RemoveOrder(slot);
        FlagTopChange(ref evt, book, topPrice, topShares);
        return BookStatus.Applied;
    }

    // ITCH 5.0 §4.4.5 Order Replace: the original is cancelled and a new order with a new reference takes its side and
    // instrument, at the back of the queue at its (possibly new) price. The original goes first, so a full store
    // always has room for the replacement. A replacement whose new reference is already live is refused
    // (DuplicateOrderId) after the original is gone: the exchange did cancel the original.
    private BookStatus Replace(ref MarketEvent evt)
    {
        int slot = FindSlot(evt.OrderId);
        if (slot < 0) return BookStatus.UnknownOrder;
        if (evt.Quantity <= 0) return BookStatus.InvalidQuantity;

        ref OrderSlot order = ref _slots[slot];
        int instrument = order.Instrument;
        Side side = order.Side;
        evt.Instrument = instrument;
        evt.Side = side;
        int sideIndex = SideIndex(side);
        int book = instrument * 2 + sideIndex;
        ReadTop(book, out long topPrice, out long topShares);
        RemoveOrder(slot);
        BookStatus status = Insert(evt.Aux, instrument, side, sideIndex, evt.Price, evt.Quantity);
        FlagTopChange(ref evt, book, topPrice, topShares);
        return status;
    }

    // Stock directory (ITCH 5.0 §4.2.1 'R'): OrderId = the 8 symbol bytes, Quantity = round lot. Other reference
    // messages carry no instrument table fields.
    private BookStatus ApplyReference(ref MarketEvent evt)
    {
        if (evt.Aux != (byte)'R') return BookStatus.NotBookEvent;
        int roundLot = evt.Quantity < 0 ? 0 : evt.Quantity > int.MaxValue ? int.MaxValue : (int)evt.Quantity;
        return Instruments.TrySet(evt.Instrument, evt.OrderId, roundLot) ? BookStatus.ReferenceApplied : BookStatus.UnknownInstrument;
    }

    private BookStatus Insert(ulong orderId, int instrument, Side side, int sideIndex, long price, long shares)
    {
        int slot = FindSlot(orderId);
        if (slot >= 0) return BookStatus.DuplicateOrderId;
        if (_liveOrders >= _maxOrders)
        {
            OrderAccount.CountExhausted();
            OnExhausted(instrument);
            return BookStatus.OrderPoolExhausted;
        }

        bool inLevels = AddToLevel(instrument * 2 + sideIndex, price, shares);
        ref OrderSlot free = ref _slots[~slot];
        free.OrderId = orderId;
        free.Price = price;
        free.Shares = shares;
        free.Instrument = instrument;
        free.Side = side;
        free.Flags = inLevels ? FlagInLevels : (byte)0;
        _liveOrders++;
        OrderAccount.SetUsed(_liveOrders);
        _ordersPerInstrument[instrument]++;
        if (inLevels) return BookStatus.Applied;
        LevelAccount.CountExhausted();
        OnExhausted(instrument);
        return BookStatus.LevelPoolExhausted;
    }

    private void RemoveOrder(int slot)
    {
        ref OrderSlot order = ref _slots[slot];
        if ((order.Flags & FlagInLevels) != 0)
            ReduceLevel(order.Instrument * 2 + SideIndex(order.Side), order.Price, order.Shares, removesOrder: true);
        _ordersPerInstrument[order.Instrument]--;
        _liveOrders--;
        OrderAccount.SetUsed(_liveOrders);
        DeleteSlot(slot);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnExhausted(int instrument)
    {
        if (_policy == ExhaustionPolicy.CountAndMarkStale) _stale[instrument] = true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SideIndex(Side side) => side == Side.Buy ? BidSide : side == Side.Sell ? AskSide : -1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ReadTop(int book, out long price, out long shares)
    {
        int count = _levelCounts[book];
        if (count == 0)
        {
            price = 0;
            shares = 0;
            return;
        }
        ref PriceLevel top = ref _levels[book * _maxLevels + count - 1];
        price = top.Price;
        shares = top.Shares;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void FlagTopChange(ref MarketEvent evt, int book, long priceBefore, long sharesBefore)
    {
        ReadTop(book, out long price, out long shares);
        if (price != priceBefore || shares != sharesBefore) evt.Flags |= EventFlags.TopChanged;
    }

    // ---------------------------------------------------------------- price levels

    // Index of the level with this key in side[0..count), or ~(insertion index). Keys ascend toward the best (end).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FindLevel(Span<PriceLevel> side, long key, long keyMask)
    {
        int i = side.Length - 1;
        int stop = side.Length - LinearScanLevels;
        for (; i >= 0 && i >= stop; i--)
        {
            long k = side[i].Price ^ keyMask;
            if (k == key) return i;
            if (k < key) return ~(i + 1);
        }
        return i < 0 ? ~0 : BinarySearchLevel(side[..(i + 1)], key, keyMask);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int BinarySearchLevel(Span<PriceLevel> side, long key, long keyMask)
    {
        int lo = 0, hi = side.Length - 1;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            long k = side[mid].Price ^ keyMask;
            if (k == key) return mid;
            if (k < key) lo = mid + 1;
            else hi = mid - 1;
        }
        return ~lo;
    }

    private bool AddToLevel(int book, long price, long shares)
    {
        int count = _levelCounts[book];
        long keyMask = -(book & 1); // 0 for bids, all ones for asks
        Span<PriceLevel> side = _levels.AsSpan(book * _maxLevels, _maxLevels);
        int index = FindLevel(side[..count], price ^ keyMask, keyMask);
        if (index >= 0)
        {
            ref PriceLevel level = ref side[index];
            level.Shares += shares;
            level.Orders++;
            return true;
        }
        if (count == _maxLevels) return false;
        index = ~index;
        side[index..count].CopyTo(side[(index + 1)..]); // only the levels better than the new one move
        side[index] = new PriceLevel(price, shares, 1);
        _levelCounts[book] = count + 1;
        _usedLevels++;
        LevelAccount.SetUsed(_usedLevels);
        return true;
    }

    private void ReduceLevel(int book, long price, long shares, bool removesOrder)
    {
        int count = _levelCounts[book];
        long keyMask = -(book & 1);
        Span<PriceLevel> side = _levels.AsSpan(book * _maxLevels, count);
        int index = FindLevel(side, price ^ keyMask, keyMask);
        if (index < 0) return; // unreachable while orders marked in-levels and levels agree
        ref PriceLevel level = ref side[index];
        level.Shares -= shares;
        if (removesOrder) level.Orders--;
        if (level.Orders > 0) return;
        side[(index + 1)..].CopyTo(side[index..]);
        _levelCounts[book] = count - 1;
        _usedLevels--;
        LevelAccount.SetUsed(_usedLevels);
    }

    // ---------------------------------------------------------------- order store (open addressing, backward shift)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(ulong orderId) => (int)((((orderId >> BlockBits) * FibonacciMultiplier) >> _hashShift << BlockBits | (orderId & BlockMask)) & (ulong)_slotMask);

    // Slot holding orderId, or ~(first empty slot of its probe run). The table is never full (load <= 0.5).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FindSlot(ulong orderId)
    {
        OrderSlot[] slots = _slots;
        int mask = _slotMask;
        int i = Home(orderId);
        while (true)
        {
            ref OrderSlot s = ref slots[i];
            if (s.Side == Side.None) return ~i;
            if (s.OrderId == orderId) return i;
            i = (i + 1) & mask;
        }
    }

    // Backward-shift deletion: walk the probe run after the hole and move back every entry whose home slot does not lie
    // cyclically in (hole, entry]; such an entry would be unreachable past an empty slot otherwise.
    private void DeleteSlot(int hole)
    {
        OrderSlot[] slots = _slots;
        int mask = _slotMask;
        int j = hole;
        while (true)
        {
            j = (j + 1) & mask;
            ref OrderSlot next = ref slots[j];
            if (next.Side == Side.None) break;
            int home = Home(next.OrderId);
            if (((j - home) & mask) >= ((j - hole) & mask))
            {
                slots[hole] = next;
                hole = j;
            }
        }
        slots[hole] = default;
    }

    /// <summary>Diagnostics (cold path): the longest run of occupied slots, i.e. the worst-case probe length.</summary>
    internal int LongestProbeRun()
    {
        int longest = 0, run = 0;
        // Two passes so a run that wraps past the end of the table is measured whole.
        for (int n = 0; n < _slots.Length * 2; n++)
        {
            run = _slots[n & _slotMask].Side == Side.None ? 0 : run + 1;
            if (run > longest) longest = run;
        }
        return Math.Min(longest, _slots.Length);
    }

    // ---------------------------------------------------------------- queries

    /// <summary>Best bid: false (price and size 0) when the instrument is out of range or the side is empty.</summary>
    public bool TryGetBestBid(int instrument, out long price, out long shares) => TryGetBest(instrument, BidSide, out price, out shares);

    /// <summary>Best offer: false (price and size 0) when the instrument is out of range or the side is empty.</summary>
    public bool TryGetBestAsk(int instrument, out long price, out long shares) => TryGetBest(instrument, AskSide, out price, out shares);

    /// <summary>
    /// Best bid and offer prices with one range check: true when both sides have a level. When false, a price is that
    /// side's best or 0 for an empty side (0 and 0 for an id out of range). For the breakers, once per top-of-book change.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetBestPrices(int instrument, out long bid, out long ask)
    {
        bid = 0;
        ask = 0;
        if ((uint)instrument >= (uint)_maxInstruments) return false;
        int book = instrument * 2;
        int bids = _levelCounts[book], asks = _levelCounts[book + 1];
        if (bids > 0) bid = _levels[book * _maxLevels + bids - 1].Price;
        if (asks > 0) ask = _levels[(book + 1) * _maxLevels + asks - 1].Price;
        return (bids > 0) & (asks > 0);
    }

    private bool TryGetBest(int instrument, int side, out long price, out long shares)
    {
        price = 0;
        shares = 0;
        if ((uint)instrument >= (uint)_maxInstruments) return false;
        int book = instrument * 2 + side;
        ReadTop(book, out price, out shares);
        return _levelCounts[book] > 0;
    }

    /// <summary>Best bid and offer with order counts; all zero for an empty side or an id out of range.</summary>
    public TopOfBook GetTopOfBook(int instrument)
    {
        if ((uint)instrument >= (uint)_maxInstruments) return new TopOfBook(instrument, 0, 0, 0, 0, 0, 0);
        PriceLevel bid = TopLevel(instrument * 2 + BidSide);
        PriceLevel ask = TopLevel(instrument * 2 + AskSide);
        return new TopOfBook(instrument, bid.Price, bid.Shares, bid.Orders, ask.Price, ask.Shares, ask.Orders);
    }

    private PriceLevel TopLevel(int book)
    {
        int count = _levelCounts[book];
        return count == 0 ? default : _levels[book * _maxLevels + count - 1];
    }

    /// <summary>Copies up to <c>destination.Length</c> levels of one side, best first; returns how many were written.
    /// 0 for an id out of range or a side other than Buy/Sell.</summary>
    public int GetDepth(int instrument, Side side, Span<PriceLevel> destination)
    {
        int sideIndex = SideIndex(side);
        if ((uint)instrument >= (uint)_maxInstruments || sideIndex < 0) return 0;
        int book = instrument * 2 + sideIndex;
        int count = _levelCounts[book];
        int n = Math.Min(count, destination.Length);
        ReadOnlySpan<PriceLevel> levels = _levels.AsSpan(book * _maxLevels, count);
        for (int i = 0; i < n; i++) destination[i] = levels[count - 1 - i];
        return n;
    }

    /// <summary>Number of price levels on one side (0 for an id out of range or an invalid side).</summary>
    public int LevelCount(int instrument, Side side)
    {
        int sideIndex = SideIndex(side);
        if ((uint)instrument >= (uint)_maxInstruments || sideIndex < 0) return 0;
        return _levelCounts[instrument * 2 + sideIndex];
    }

    /// <summary>Live orders of one instrument, including any held outside the levels after level exhaustion.</summary>
    public int OrderCount(int instrument) => (uint)instrument < (uint)_maxInstruments ? _ordersPerInstrument[instrument] : 0;

    /// <summary>The live order with this reference, if any.</summary>
    public bool TryGetOrder(ulong orderId, out BookOrder order)
    {
        int slot = FindSlot(orderId);
        if (slot < 0)
        {
            order = default;
            return false;
        }
        ref OrderSlot s = ref _slots[slot];
        order = new BookOrder(s.OrderId, s.Instrument, s.Side, s.Price, s.Shares, (s.Flags & FlagInLevels) != 0);
        return true;
    }

    /// <summary>
    /// FNV-1a (64-bit) over every non-empty side, instruments in id order, bids then asks, levels best first: instrument
    /// id, side, level count, then price, shares and order count of each level, each as 8 little-endian bytes. It depends
    /// only on the levels, never on the order store's layout or capacities, so the same events give the same checksum in
    /// differently sized sets (as long as neither ran out of capacity). Cold path: walks every instrument.
    /// </summary>
    public ulong Checksum()
    {
        ulong hash = FnvOffset;
        for (int instrument = 0; instrument < _maxInstruments; instrument++)
        {
            for (int side = BidSide; side <= AskSide; side++)
            {
                int book = instrument * 2 + side;
                int count = _levelCounts[book];
                if (count == 0) continue;
                hash = Mix(hash, (ulong)instrument);
                hash = Mix(hash, (ulong)side);
                hash = Mix(hash, (ulong)count);
                ReadOnlySpan<PriceLevel> levels = _levels.AsSpan(book * _maxLevels, count);
                for (int i = count - 1; i >= 0; i--)
                {
                    hash = Mix(hash, (ulong)levels[i].Price);
                    hash = Mix(hash, (ulong)levels[i].Shares);
                    hash = Mix(hash, (ulong)levels[i].Orders);
                }
            }
        }
        return hash;
    }

    private static ulong Mix(ulong hash, ulong value)
    {
        for (int b = 0; b < 8; b++)
        {
            hash ^= value & 0xFF;
            hash *= FnvPrime;
            value >>= 8;
        }
        return hash;
    }

    // ---------------------------------------------------------------- stale state

    /// <summary>Marks one book stale (a sequence gap touched it). Events still apply; they carry
    /// <see cref="EventFlags.BookStale"/> until <see cref="ClearStale"/>. False when the id is out of range.</summary>
    public bool MarkStale(int instrument)
    {
        if ((uint)instrument >= (uint)_maxInstruments) return false;
        _stale[instrument] = true;
        return true;
    }

    /// <summary>Marks every book stale (a gap on the line: any instrument may have missed messages).</summary>
    public void MarkAllStale()
    {
        Array.Fill(_stale, true);
        _allStale = true;
    }

    /// <summary>
    /// True from <see cref="MarkAllStale"/> until any book is cleared: lets the book stage mark everything once per gap
    /// instead of once per event (a fill of up to 65,536 flags).
    /// </summary>
    public bool IsAllStale => _allStale;

    /// <summary>Recovery finished for one book. False when the id is out of range.</summary>
    public bool ClearStale(int instrument)
    {
        if ((uint)instrument >= (uint)_maxInstruments) return false;
        _stale[instrument] = false;
        _allStale = false;
        return true;
    }

    /// <summary>Recovery finished for the whole line.</summary>
    public void ClearAllStale()
    {
        Array.Clear(_stale);
        _allStale = false;
    }

    /// <summary>True while the book is stale; false for an id out of range.</summary>
    public bool IsStale(int instrument) => (uint)instrument < (uint)_maxInstruments && _stale[instrument];

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
