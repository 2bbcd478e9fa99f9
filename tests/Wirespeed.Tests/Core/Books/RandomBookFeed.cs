using System;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;

namespace Wirespeed.Tests.Core.Books;

/// <summary>
/// Deterministic random event stream shaped like a busy order-level feed: adds near the top, executions (partial,
/// full, over-sized, with price), cancels, deletes, replaces, trades, unknown references, duplicates and invalid events.
/// It keeps a <see cref="ReferenceBook"/> in step so it can pick live orders; that model is the expected state.
/// </summary>
internal sealed class RandomBookFeed
{
    private const long Tick = 100; // $0.01 at 4 implied decimals
    private readonly Random _rng;
    private readonly int _instruments;
    private readonly long[] _mid;
    private ulong _nextRef = 1;

    public RandomBookFeed(int seed, int instruments)
    {
        _rng = new Random(seed);
        _instruments = instruments;
        _mid = new long[instruments];
        for (int i = 0; i < instruments; i++) _mid[i] = (10 + _rng.Next(200)) * 10_000L;
        Model = new ReferenceBook(instruments);
    }

    public ReferenceBook Model { get; }

    /// <summary>The next event; the model has already applied it and its expected status is returned.</summary>
    public MarketEvent Next(out BookStatus expected) => Next(out expected, out _, out _, out _);

    /// <summary>The next event, with the instrument whose book it may touch (-1 when none) and that instrument's best bid
    /// and offer in the model before the event.</summary>
    public MarketEvent Next(out BookStatus expected, out int touched, out (long, long) bidBefore, out (long, long) askBefore)
    {
        MarketEvent e = Make();
        e.Sequence = _nextRef;
        touched = -1;
        if (e.Kind == EventKind.AddOrder && (uint)e.Instrument < (uint)_instruments) touched = e.Instrument;
        else if (e.Kind is EventKind.OrderExecuted or EventKind.OrderExecutedWithPrice or EventKind.OrderCancel
                     or EventKind.OrderDelete or EventKind.OrderReplace && Model.TryGet(e.OrderId, out var o))
            touched = o.Instrument;
        bidBefore = touched >= 0 ? Model.Best(touched, Side.Buy) : default;
        askBefore = touched >= 0 ? Model.Best(touched, Side.Sell) : default;
        expected = Model.Apply(e);
        return e;
    }

    private MarketEvent Make()
    {
        int roll = _rng.Next(1000);
        var live = Model.Live;
        // Adds outnumber removals below ~100 live orders per instrument and fall behind above it: a steady book.
        if (live.Count < 50 || roll < (live.Count < 100 * _instruments ? 450 : 250)) return NewAdd(roll);

        ulong id = live[_rng.Next(live.Count)];
        Model.TryGet(id, out var o);
        int locate = o.Instrument; // the feed's locate code; the book must not depend on it for order-ref events
        MarketEvent e;
        if (roll < 520)
        {
            long q = _rng.Next(3) == 0 ? o.Shares : _rng.Next(20) == 0 ? o.Shares + 1 + _rng.Next(100) : 1 + _rng.NextInt64(o.Shares);
            e = BookEvents.Executed(id, q);
        }
        else if (roll < 560) e = BookEvents.ExecutedWithPrice(id, 1 + _rng.NextInt64(o.Shares), o.Price + Tick);
        else if (roll < 660)
        {
            long q = _rng.Next(10) == 0 ? o.Shares + _rng.Next(50) : 1 + _rng.NextInt64(o.Shares);
            e = BookEvents.Cancel(id, q);
        }
        else if (roll < 810) e = BookEvents.Delete(id);
        else if (roll < 930)
        {
            ulong newId = _rng.Next(50) == 0 ? live[_rng.Next(live.Count)] : _nextRef++;
            long price = Math.Max(Tick, o.Price + (_rng.Next(7) - 3) * Tick);
            e = BookEvents.Replace(id, newId, 100 * (1 + _rng.Next(10)), price);
        }
        else if (roll < 960)
        {
            ulong unknown = 1_000_000_000UL + (ulong)_rng.Next(1_000_000);
            e = _rng.Next(4) switch
            {
                0 => BookEvents.Executed(unknown, 100),
                1 => BookEvents.Cancel(unknown, 100),
                2 => BookEvents.Delete(unknown),
                _ => BookEvents.Replace(unknown, _nextRef++, 100, o.Price),
            };
        }
        else if (roll < 980)
        {
            e = _rng.Next(4) switch
            {
                0 => BookEvents.Trade(o.Instrument, o.Side, o.Price, 100),
                1 => BookEvents.Of(EventKind.CrossTrade, o.Instrument),
                2 => BookEvents.Of(EventKind.BrokenTrade, o.Instrument),
                _ => BookEvents.Of(EventKind.TradingAction, o.Instrument),
            };
        }
        else
        {
            e = _rng.Next(3) switch
            {
                0 => BookEvents.Executed(id, 0),
                1 => BookEvents.Replace(id, _nextRef++, -5, o.Price),
                _ => BookEvents.Cancel(id, -1),
            };
        }
        if (e.Instrument == -1 && _rng.Next(2) == 0) e.Instrument = locate;
        return e;
    }

    private MarketEvent NewAdd(int roll)
    {
        int inst = _rng.Next(_instruments);
        if (_rng.Next(50) == 0) _mid[inst] += (_rng.Next(3) - 1) * Tick;
        Side side = _rng.Next(2) == 0 ? Side.Buy : Side.Sell;
        // Most adds land within a few ticks of the top; a few go deep.
        int ticks = _rng.Next(10) == 0 ? 1 + _rng.Next(60) : 1 + _rng.Next(1 + _rng.Next(6));
        long price = side == Side.Buy ? _mid[inst] - ticks * Tick : _mid[inst] + ticks * Tick;
        long shares = 100 * (1 + _rng.Next(10)) + (_rng.Next(5) == 0 ? _rng.Next(100) : 0);
        ulong id = _nextRef++;
        var live = Model.Live;
        if (roll % 97 == 0 && live.Count > 0) id = live[_rng.Next(live.Count)];   // duplicate reference
        if (roll % 89 == 0) side = Side.None;                                      // invalid side
        if (roll % 83 == 0) inst = 2_000_000;                                      // beyond any instrument capacity
        if (roll % 79 == 0) shares = 0;                                            // invalid quantity
        return BookEvents.Add(id, inst, side, price, shares);
    }
}
