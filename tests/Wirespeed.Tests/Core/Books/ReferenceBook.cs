using System.Collections.Generic;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;

namespace Wirespeed.Tests.Core.Books;

/// <summary>
/// A slow, obviously correct model of <see cref="OrderBookSet"/> semantics: orders in a dictionary, levels in sorted
/// dictionaries (best first). Used to check the real books after random event sequences.
/// </summary>
internal sealed class ReferenceBook
{
    public sealed record Order(int Instrument, Side Side, long Price, long Shares);

    private sealed class Descending : IComparer<long>
    {
        public int Compare(long x, long y) => y.CompareTo(x);
    }

    private readonly int _instruments;
    private readonly Dictionary<ulong, Order> _orders = new();
    private readonly List<ulong> _live = new();
    private readonly Dictionary<ulong, int> _liveIndex = new();
    private readonly SortedDictionary<long, (long Shares, int Orders)>[] _levels;

    public ReferenceBook(int instruments)
    {
        _instruments = instruments;
        _levels = new SortedDictionary<long, (long, int)>[instruments * 2];
        for (int i = 0; i < instruments; i++)
        {
            _levels[i * 2] = new SortedDictionary<long, (long, int)>(new Descending());
            _levels[i * 2 + 1] = new SortedDictionary<long, (long, int)>();
        }
    }

    public int LiveOrders => _orders.Count;
    public IReadOnlyList<ulong> Live => _live;
    public bool TryGet(ulong id, out Order order) => _orders.TryGetValue(id, out order!);

    public int OrderCount(int instrument)
    {
        int n = 0;
        foreach (var o in _orders.Values) if (o.Instrument == instrument) n++;
        return n;
    }

    public SortedDictionary<long, (long Shares, int Orders)> Levels(int instrument, Side side) => _levels[instrument * 2 + (side == Side.Buy ? 0 : 1)];

    public (long Price, long Shares) Best(int instrument, Side side)
    {
        foreach (var kv in Levels(instrument, side)) return (kv.Key, kv.Value.Shares);
        return (0, 0);
    }

    public BookStatus Apply(in MarketEvent e)
    {
        switch (e.Kind)
        {
            case EventKind.AddOrder:
                if ((uint)e.Instrument >= (uint)_instruments) return BookStatus.UnknownInstrument;
                if (e.Side != Side.Buy && e.Side != Side.Sell) return BookStatus.InvalidSide;
                if (e.Quantity <= 0) return BookStatus.InvalidQuantity;
                return Insert(e.OrderId, new Order(e.Instrument, e.Side, e.Price, e.Quantity));
            case EventKind.OrderExecuted:
            case EventKind.OrderExecutedWithPrice:
            case EventKind.OrderCancel:
            {
                if (!_orders.TryGetValue(e.OrderId, out var o)) return BookStatus.UnknownOrder;
                if (e.Quantity <= 0) return BookStatus.InvalidQuantity;
                if (e.Quantity >= o.Shares)
                {
                    Remove(e.OrderId);
                    return e.Quantity > o.Shares ? BookStatus.AppliedClamped : BookStatus.Applied;
                }
                _orders[e.OrderId] = o with { Shares = o.Shares - e.Quantity };
                var levels = Levels(o.Instrument, o.Side);
                var l = levels[o.Price];
                levels[o.Price] = (l.Shares - e.Quantity, l.Orders);
                return BookStatus.Applied;
            }
            case EventKind.OrderDelete:
                if (!_orders.ContainsKey(e.OrderId)) return BookStatus.UnknownOrder;
                Remove(e.OrderId);
                return BookStatus.Applied;
            case EventKind.OrderReplace:
            {
                if (!_orders.TryGetValue(e.OrderId, out var o)) return BookStatus.UnknownOrder;
                if (e.Quantity <= 0) return BookStatus.InvalidQuantity;
                Remove(e.OrderId);
                return Insert(e.Aux, new Order(o.Instrument, o.Side, e.Price, e.Quantity));
            }
            default:
                return BookStatus.NotBookEvent;
        }
    }

    private BookStatus Insert(ulong id, Order o)
    {
        if (_orders.ContainsKey(id)) return BookStatus.DuplicateOrderId;
        _orders[id] = o;
        _liveIndex[id] = _live.Count;
        _live.Add(id);
        var levels = Levels(o.Instrument, o.Side);
        levels[o.Price] = levels.TryGetValue(o.Price, out var l) ? (l.Shares + o.Shares, l.Orders + 1) : (o.Shares, 1);
        return BookStatus.Applied;
    }

    private void Remove(ulong id)
    {
        var o = _orders[id];
        _orders.Remove(id);
        int index = _liveIndex[id];
        ulong last = _live[^1];
        _live[index] = last;
        _liveIndex[last] = index;
        _live.RemoveAt(_live.Count - 1);
        _liveIndex.Remove(id);
        var levels = Levels(o.Instrument, o.Side);
        var l = levels[o.Price];
        if (l.Orders == 1) levels.Remove(o.Price);
        else levels[o.Price] = (l.Shares - o.Shares, l.Orders - 1);
    }

    /// <summary>The checksum as <see cref="OrderBookSet.Checksum"/> documents it, computed independently.</summary>
    public ulong Checksum()
    {
        ulong h = 0xCBF29CE484222325UL;
        void Mix(ulong v)
        {
            for (int b = 0; b < 8; b++) { h ^= (v >> (8 * b)) & 0xFF; h *= 0x100000001B3UL; }
        }
        for (int i = 0; i < _instruments; i++)
        {
            for (int s = 0; s < 2; s++)
            {
                var levels = _levels[i * 2 + s];
                if (levels.Count == 0) continue;
                Mix((ulong)i); Mix((ulong)s); Mix((ulong)levels.Count);
                foreach (var kv in levels) { Mix((ulong)kv.Key); Mix((ulong)kv.Value.Shares); Mix((ulong)kv.Value.Orders); }
            }
        }
        return h;
    }
}
