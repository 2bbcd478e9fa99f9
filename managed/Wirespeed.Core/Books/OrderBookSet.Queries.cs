using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Books;

// Queries: best prices, top of book, depth, orders, checksum.
public sealed partial class OrderBookSet
{
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
}
