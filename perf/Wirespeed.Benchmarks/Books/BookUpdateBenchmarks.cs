using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;

namespace Wirespeed.Benchmarks.Books;

/// <summary>
/// Book update cost per event on an order-level mix shaped like TotalView-ITCH: adds mostly near the top (40%), deletes
/// (36%), executions (8%), partial cancels (5%), replaces (6%), trades (5%), over a few hundred instruments with a skewed
/// activity (a few names carry most messages). The sequence ends by deleting every live order, so each invocation
/// replays it from an empty book with exactly the same work. Target: well under 60 ns/event, 0 bytes allocated.
/// </summary>
[MemoryDiagnoser]
public class BookUpdateBenchmarks
{
    private const int EventCount = 1 << 20;
    private const long Tick = 100; // $0.01 at 4 implied decimals

    private MarketEvent[] _events = Array.Empty<MarketEvent>();
    private OrderBookSet _set = null!;
    private MarketEvent _top;

    [Params(300)]
    public int Instruments { get; set; }

    /// <summary>Order store capacity: 64k keeps the store in cache on most machines; 1M is a production size whose
    /// lookups miss the cache and TLB.</summary>
    [Params(1 << 16, 1 << 20)]
    public int MaxLiveOrders { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _events = Generate(Instruments, seed: 12345);
        _set = new OrderBookSet(new BookOptions { MaxInstruments = 512, MaxLiveOrders = MaxLiveOrders, MaxLevelsPerSide = 256 });
        ApplyAll(); // first touch of the tables, and a check that the sequence replays from empty within capacity
        if (_set.LiveOrders != 0 || _set.OrderAccount.Exhausted != 0 || _set.LevelAccount.Exhausted != 0 || _set.StatusCount(BookStatus.UnknownOrder) != 0)
            throw new InvalidOperationException("the sequence must replay from an empty book without exhaustion or unknown orders");
    }

    [Benchmark(OperationsPerInvoke = EventCount)]
    public long ApplyAll()
    {
        MarketEvent[] events = _events;
        OrderBookSet set = _set;
        long applied = 0;
        for (int i = 0; i < events.Length; i++)
            if (set.Apply(ref events[i]) <= BookStatus.ReferenceApplied) applied++;
        return applied;
    }

    /// <summary>The book stage as the pipeline runs it: apply, and on a top change build the TopOfBook event.</summary>
    [Benchmark(OperationsPerInvoke = EventCount)]
    public long ApplyAndEmitTopOfBook()
    {
        MarketEvent[] events = _events;
        OrderBookSet set = _set;
        long tops = 0;
        for (int i = 0; i < events.Length; i++)
        {
            ref MarketEvent e = ref events[i];
            e.Flags &= ~EventFlags.TopChanged;
            set.Apply(ref e);
            if ((e.Flags & EventFlags.TopChanged) != 0)
            {
                set.GetTopOfBook(e.Instrument).WriteTo(ref _top);
                tops++;
            }
        }
        return tops;
    }

    private static MarketEvent[] Generate(int instruments, int seed)
    {
        var rng = new Random(seed);
        var events = new List<MarketEvent>(EventCount);
        var live = new List<ulong>();
        var liveIndex = new Dictionary<ulong, int>();
        var orders = new Dictionary<ulong, (int Instrument, Side Side, long Price, long Shares)>();
        var mid = new long[instruments];
        for (int i = 0; i < instruments; i++) mid[i] = (5 + rng.Next(500)) * 10_000L;
        ulong nextRef = 1;

        void Remove(ulong id)
        {
            orders.Remove(id);
            int index = liveIndex[id];
            ulong last = live[^1];
            live[index] = last;
            liveIndex[last] = index;
            live.RemoveAt(live.Count - 1);
            liveIndex.Remove(id);
        }

        void Add(ulong id, int inst, Side side, long price, long shares)
        {
            orders[id] = (inst, side, price, shares);
            liveIndex[id] = live.Count;
            live.Add(id);
        }

        int targetLive = 80 * instruments;
        while (events.Count + live.Count < EventCount - 1)
        {
            int roll = rng.Next(100);
            int addShare = live.Count < targetLive ? 50 : 40;
            if (live.Count < 100 || roll < addShare)
            {
                // Skewed activity: squaring a uniform draw puts most messages on the low ids.
                double u = rng.NextDouble();
                int inst = (int)(u * u * instruments);
                if (rng.Next(20) == 0) mid[inst] += (rng.Next(3) - 1) * Tick;
                Side side = rng.Next(2) == 0 ? Side.Buy : Side.Sell;
                int ticks = rng.Next(8) == 0 ? 1 + rng.Next(40) : 1 + rng.Next(1 + rng.Next(5));
                long price = side == Side.Buy ? mid[inst] - ticks * Tick : mid[inst] + ticks * Tick;
                long shares = 100 * (1 + rng.Next(5));
                ulong id = nextRef++;
                Add(id, inst, side, price, shares);
                events.Add(new MarketEvent { Kind = EventKind.AddOrder, OrderId = id, Instrument = inst, Side = side, Price = price, Quantity = shares });
                continue;
            }
            ulong target = live[rng.Next(live.Count)];
            var o = orders[target];
            if (roll < addShare + 33)
            {
                Remove(target);
                events.Add(new MarketEvent { Kind = EventKind.OrderDelete, OrderId = target, Instrument = o.Instrument });
            }
            else if (roll < addShare + 41)
            {
                long q = rng.Next(2) == 0 ? o.Shares : 1 + rng.NextInt64(o.Shares);
                if (q == o.Shares) Remove(target);
                else orders[target] = o with { Shares = o.Shares - q };
                events.Add(new MarketEvent { Kind = EventKind.OrderExecuted, OrderId = target, Instrument = o.Instrument, Quantity = q, Aux = nextRef });
            }
            else if (roll < addShare + 46 && o.Shares > 1)
            {
                long q = 1 + rng.NextInt64(o.Shares - 1);
                orders[target] = o with { Shares = o.Shares - q };
                events.Add(new MarketEvent { Kind = EventKind.OrderCancel, OrderId = target, Instrument = o.Instrument, Quantity = q });
            }
            else if (roll < addShare + 53)
            {
                ulong id = nextRef++;
                long price = Math.Max(Tick, o.Price + (rng.Next(5) - 2) * Tick);
                long shares = 100 * (1 + rng.Next(5));
                Remove(target);
                Add(id, o.Instrument, o.Side, price, shares);
                events.Add(new MarketEvent { Kind = EventKind.OrderReplace, OrderId = target, Aux = id, Instrument = o.Instrument, Price = price, Quantity = shares });
            }
            else
            {
                events.Add(new MarketEvent { Kind = EventKind.Trade, Instrument = o.Instrument, Side = o.Side, Price = o.Price, Quantity = 100 });
            }
        }
        // Drain: delete what is left so the sequence replays from empty, then pad with trades to the exact count.
        while (live.Count > 0)
        {
            ulong id = live[^1];
            events.Add(new MarketEvent { Kind = EventKind.OrderDelete, OrderId = id, Instrument = orders[id].Instrument });
            Remove(id);
        }
        while (events.Count < EventCount) events.Add(new MarketEvent { Kind = EventKind.Trade, Instrument = 0, Price = Tick, Quantity = 1 });
        return events.ToArray();
    }
}
