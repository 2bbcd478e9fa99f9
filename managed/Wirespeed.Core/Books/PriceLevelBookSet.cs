/*
 * Price-level books, for feeds that publish aggregated levels (FIX market data: MDUpdateAction New / Change / Delete
 * by price) rather than orders. The rest of the pipeline speaks order-level MarketEvents (ITCH's vocabulary) and the
 * book stage keeps an OrderBookSet, so this set turns every level change into the order-level events that make an
 * OrderBookSet hold exactly the same levels: each level is one synthetic order whose reference this set assigns.
 *
 *   new level            → AddOrder(ref, price, size)
 *   size down            → OrderCancel(ref, by the difference)
 *   size up              → OrderReplace(ref → new ref, price, size)   (one order per level: never a second add)
 *   level gone           → OrderDelete(ref)
 *
 * So breakers, priority and patterns see the same event stream whether the levels came from ITCH or from FIX, and
 * the OrderBookSet fed with these events has the same Checksum() as this set (each level holds one order).
 *
 * Layout: per instrument and side a fixed array of MaxLevelsPerSide levels, best first (bids descending, asks
 * ascending); a change scans from the top (market data moves near the top). Snapshots (full refresh) are applied as a
 * difference: every level the snapshot names is set and marked with the snapshot's generation, then unmarked levels
 * are deleted, so the top never flickers empty between a snapshot's first and last entry.
 *
 * Threading: one thread (the session thread that decodes the feed) calls everything. Nothing allocates after
 * construction; nothing throws on content.
 */
using System;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Books;

/// <summary>Outcome of one level operation of <see cref="PriceLevelBookSet"/>; each has a counter.</summary>
public enum LevelStatus : byte
{
    Applied = 0,
    /// <summary>Set to the size it already had: nothing emitted.</summary>
    Unchanged = 1,
    /// <summary>Delete of a price that is not a level.</summary>
    UnknownLevel = 2,
    /// <summary>A new price on a side whose levels are all in use: refused, the book marked stale.</summary>
    LevelPoolExhausted = 3,
    UnknownInstrument = 4,
    InvalidSide = 5,
    /// <summary>Negative size.</summary>
    InvalidSize = 6,
}

/// <summary>Aggregated price-level books that emit order-level events. See the file-top comment.</summary>
public sealed class PriceLevelBookSet
{
    private const ulong FnvOffset = 0xCBF29CE484222325UL;
    private const ulong FnvPrime = 0x100000001B3UL;

    private struct Level
    {
        public long Price;
        public long Size;
        public ulong Ref;
        public uint Generation;
    }

    private readonly Level[] _levels;      // [(instrument * 2 + side) * _maxLevels + i], best first
    private readonly int[] _counts;
    private readonly bool[] _stale;
    private readonly int _maxLevels;
    private readonly int _maxInstruments;
    private readonly long[] _statusCounts = new long[(int)LevelStatus.InvalidSize + 1];
    private ulong _nextRef = 1;
    private uint _generation;

    public PriceLevelBookSet(int maxInstruments, int maxLevelsPerSide)
    {
        if (maxInstruments is < 1 or > 1 << 20) ThrowHelper.Argument(nameof(maxInstruments), $"book.MaxInstruments={maxInstruments} must be 1..1048576.");
        if (maxLevelsPerSide is < 1 or > 1 << 16) ThrowHelper.Argument(nameof(maxLevelsPerSide), $"book.MaxLevelsPerSide={maxLevelsPerSide} must be 1..65536.");
        if ((long)maxInstruments * 2 * maxLevelsPerSide > int.MaxValue) ThrowHelper.Argument(nameof(maxLevelsPerSide), "book.MaxInstruments x 2 x book.MaxLevelsPerSide exceeds 2^31: lower one of them.");
        _maxInstruments = maxInstruments;
        _maxLevels = maxLevelsPerSide;
        _levels = new Level[maxInstruments * 2 * maxLevelsPerSide];
        _counts = new int[maxInstruments * 2];
        _stale = new bool[maxInstruments];
    }

    public int MaxInstruments => _maxInstruments;
    public int MaxLevelsPerSide => _maxLevels;

    public long StatusCount(LevelStatus status) => _statusCounts[(int)status];

    /// <summary>
    /// Sets the size at <paramref name="price"/> (creates the level when new; size 0 deletes it) and emits the
    /// order-level events that make an OrderBookSet follow. <paramref name="template"/> carries the timestamps,
    /// sequence and line of the message; kind, ids, price, quantity, side and instrument are filled in here.
    /// </summary>
    public LevelStatus Set<THandler>(int instrument, Side side, long price, long size, in MarketEvent template, ref THandler handler)
        where THandler : struct, IEventHandler
    {
        int book = Book(instrument, side, out var status);
        if (book < 0) return Count(status);
        if (size < 0) return Count(LevelStatus.InvalidSize);
        if (size == 0) return Delete(instrument, side, price, in template, ref handler);
        int count = _counts[book];
        int at = Find(book, side, price, out bool found);
        if (found)
        {
            ref Level l = ref _levels[book * _maxLevels + at];
            l.Generation = _generation;
            if (l.Size == size) return Count(LevelStatus.Unchanged);
            var e = Event(in template, instrument, side, price);
            if (size < l.Size)
            {
                e.Kind = EventKind.OrderCancel;
                e.OrderId = l.Ref;
                e.Quantity = l.Size - size;
            }
            else
            {
                ulong next = _nextRef++;
                e.Kind = EventKind.OrderReplace;
                e.OrderId = l.Ref;
                e.Aux = next;
                e.Quantity = size;
                l.Ref = next;
            }
            l.Size = size;
            handler.OnEvent(ref e);
            return Count(LevelStatus.Applied);
        }
        if (count == _maxLevels)
        {
            _stale[instrument] = true;
            return Count(LevelStatus.LevelPoolExhausted);
        }
        var levels = _levels.AsSpan(book * _maxLevels, count + 1);
        levels.Slice(at, count - at).CopyTo(levels.Slice(at + 1));
        levels[at] = new Level { Price = price, Size = size, Ref = _nextRef++, Generation = _generation };
        _counts[book] = count + 1;
        var add = Event(in template, instrument, side, price);
        add.Kind = EventKind.AddOrder;
        add.OrderId = levels[at].Ref;
        add.Quantity = size;
        handler.OnEvent(ref add);
        return Count(LevelStatus.Applied);
    }

    /// <summary>Removes the level at <paramref name="price"/>, emitting an OrderDelete.</summary>
    public LevelStatus Delete<THandler>(int instrument, Side side, long price, in MarketEvent template, ref THandler handler)
        where THandler : struct, IEventHandler
    {
        int book = Book(instrument, side, out var status);
        if (book < 0) return Count(status);
        int at = Find(book, side, price, out bool found);
        if (!found) return Count(LevelStatus.UnknownLevel);
        RemoveAt(book, at, instrument, side, in template, ref handler);
        return Count(LevelStatus.Applied);
    }

    /// <summary>
    /// Removes the best <paramref name="levels"/> levels of a side (FIX MDUpdateAction 3, "delete thru"), or with
    /// <paramref name="fromPosition"/> every level from 1-based position <paramref name="levels"/> down (4, "delete
    /// from"). Returns the levels removed.
    /// </summary>
    public int DeleteLevels<THandler>(int instrument, Side side, int levels, bool fromPosition, in MarketEvent template, ref THandler handler)
        where THandler : struct, IEventHandler
    {
        int book = Book(instrument, side, out var status);
        if (book < 0) { Count(status); return 0; }
        int count = _counts[book];
        int removed = 0;
        if (fromPosition)
        {
            for (int i = count - 1; i >= Math.Max(0, levels - 1); i--, removed++) RemoveAt(book, i, instrument, side, in template, ref handler);
        }
        else
        {
            for (int i = Math.Min(levels, count); i > 0; i--, removed++) RemoveAt(book, 0, instrument, side, in template, ref handler);
        }
        _statusCounts[(int)LevelStatus.Applied] += removed;
        return removed;
    }

    /// <summary>Removes every level of the side except the one at <paramref name="price"/> (top-only feeds: a new
    /// best price replaces the old one). Call after setting <paramref name="price"/>. Returns the levels removed.</summary>
    public int KeepOnly<THandler>(int instrument, Side side, long price, in MarketEvent template, ref THandler handler)
        where THandler : struct, IEventHandler
    {
        int book = Book(instrument, side, out var status);
        if (book < 0) { Count(status); return 0; }
        int removed = 0;
        for (int i = _counts[book] - 1; i >= 0; i--)
        {
            if (_levels[book * _maxLevels + i].Price == price) continue;
            RemoveAt(book, i, instrument, side, in template, ref handler);
            removed++;
        }
        _statusCounts[(int)LevelStatus.Applied] += removed;
        return removed;
    }

    /// <summary>Starts a full refresh of one instrument: levels set from now on are marked (see <see cref="EndSnapshot"/>).</summary>
    public void BeginSnapshot() => _generation++;

    /// <summary>Ends a full refresh: deletes the instrument's levels the snapshot did not name, and clears its stale mark.</summary>
    public void EndSnapshot<THandler>(int instrument, in MarketEvent template, ref THandler handler) where THandler : struct, IEventHandler
    {
        if ((uint)instrument >= (uint)_maxInstruments) return;
        for (int side = 0; side < 2; side++)
        {
            int book = instrument * 2 + side;
            Side s = side == 0 ? Side.Buy : Side.Sell;
            for (int i = _counts[book] - 1; i >= 0; i--)
                if (_levels[book * _maxLevels + i].Generation != _generation) RemoveAt(book, i, instrument, s, in template, ref handler);
        }
        _stale[instrument] = false;
    }

    public bool IsStale(int instrument) => (uint)instrument < (uint)_maxInstruments && _stale[instrument];

    /// <summary>Marks a book stale (a gap in its sequence); a snapshot clears it.</summary>
    public void MarkStale(int instrument)
    {
        if ((uint)instrument < (uint)_maxInstruments) _stale[instrument] = true;
    }

    public int LevelCount(int instrument, Side side) => Book(instrument, side, out _) is int b and >= 0 ? _counts[b] : 0;

    /// <summary>Best bid and offer with one order per level; all zero for an empty side or an id out of range.</summary>
    public TopOfBook GetTopOfBook(int instrument)
    {
        if ((uint)instrument >= (uint)_maxInstruments) return new TopOfBook(instrument, 0, 0, 0, 0, 0, 0);
        int bid = instrument * 2, ask = bid + 1;
        Level b = _counts[bid] > 0 ? _levels[bid * _maxLevels] : default;
        Level a = _counts[ask] > 0 ? _levels[ask * _maxLevels] : default;
        return new TopOfBook(instrument, b.Price, b.Size, _counts[bid] > 0 ? 1 : 0, a.Price, a.Size, _counts[ask] > 0 ? 1 : 0);
    }

    /// <summary>
    /// The same FNV-1a checksum as <see cref="OrderBookSet.Checksum"/> (instrument, side, level count, then price,
    /// size and order count of each level best first) with one order per level: equal to the checksum of an
    /// OrderBookSet fed this set's events. Cold path.
    /// </summary>
    public ulong Checksum()
    {
        ulong hash = FnvOffset;
        for (int instrument = 0; instrument < _maxInstruments; instrument++)
        {
            for (int side = 0; side < 2; side++)
            {
                int book = instrument * 2 + side;
                int count = _counts[book];
                if (count == 0) continue;
                hash = Mix(hash, (ulong)instrument);
                hash = Mix(hash, (ulong)side);
                hash = Mix(hash, (ulong)count);
                for (int i = 0; i < count; i++)
                {
                    ref Level l = ref _levels[book * _maxLevels + i];
                    hash = Mix(hash, (ulong)l.Price);
                    hash = Mix(hash, (ulong)l.Size);
                    hash = Mix(hash, 1);
                }
            }
        }
        return hash;
    }

    private void RemoveAt<THandler>(int book, int at, int instrument, Side side, in MarketEvent template, ref THandler handler)
        where THandler : struct, IEventHandler
    {
        int count = _counts[book];
        var levels = _levels.AsSpan(book * _maxLevels, count);
        var e = Event(in template, instrument, side, levels[at].Price);
        e.Kind = EventKind.OrderDelete;
        e.OrderId = levels[at].Ref;
        levels.Slice(at + 1).CopyTo(levels.Slice(at));
        _counts[book] = count - 1;
        handler.OnEvent(ref e);
    }

    /// <summary>Index of <paramref name="price"/> on the side, or where it would go (best first).</summary>
    private int Find(int book, Side side, long price, out bool found)
    {
        int count = _counts[book];
        var levels = _levels.AsSpan(book * _maxLevels, count);
        bool bid = side == Side.Buy;
        for (int i = 0; i < count; i++)
        {
            long p = levels[i].Price;
            if (p == price) { found = true; return i; }
            if (bid ? p < price : p > price) { found = false; return i; }
        }
        found = false;
        return count;
    }

    private int Book(int instrument, Side side, out LevelStatus status)
    {
        status = LevelStatus.Applied;
        if ((uint)instrument >= (uint)_maxInstruments) { status = LevelStatus.UnknownInstrument; return -1; }
        if (side != Side.Buy && side != Side.Sell) { status = LevelStatus.InvalidSide; return -1; }
        return instrument * 2 + (side == Side.Buy ? 0 : 1);
    }

    private static MarketEvent Event(in MarketEvent template, int instrument, Side side, long price)
    {
        var e = template;
        e.Instrument = instrument;
        e.Side = side;
        e.Price = price;
        e.Aux = 0;
        e.OrderId = 0;
        return e;
    }

    private LevelStatus Count(LevelStatus status)
    {
        _statusCounts[(int)status]++;
        return status;
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
}
