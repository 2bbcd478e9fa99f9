using Wirespeed.Core.Books;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Events;

namespace Wirespeed.Tests.Core.Breakers;

/// <summary>Feeds hand-made events to a <see cref="BreakerState"/> on an exchange clock the test moves.</summary>
internal sealed class BreakerDriver
{
    public const long Ms = 1_000_000;
    public const long Second = 1_000_000_000;
    public const long Dollar = 10_000; // Price(4)

    private NoBreakerActions _none;
    private ulong _nextOrder = 1;

    public BreakerDriver(BreakerOptions options, int instruments = 8, int sectors = 2)
    {
        Table = new InstrumentTable(instruments + 1);
        for (int i = 1; i <= instruments; i++) Table.TrySetSector(i, i % sectors);
        Books = new OrderBookSet(new BookOptions { MaxInstruments = instruments + 1, MaxLiveOrders = 1 << 14, MaxLevelsPerSide = 64 }, Table);
        State = new BreakerState(options with { MaxInstruments = instruments + 1, MaxSectors = sectors }, Table);
    }

    public InstrumentTable Table { get; }
    public OrderBookSet Books { get; }
    public BreakerState State { get; }
    public long Now { get; set; } = 34_200 * Second;

    /// <summary>Options with every detector off but <paramref name="keep"/> (the exchange states always apply).</summary>
    public static BreakerOptions Only(BreakerDetector keep, BreakerOptions? start = null)
    {
        var o = start ?? new BreakerOptions();
        return o with
        {
            PriceBand = o.PriceBand with { Enabled = keep == BreakerDetector.PriceBand },
            Volatility = o.Volatility with { Enabled = keep == BreakerDetector.Volatility },
            MessageRate = o.MessageRate with { Enabled = keep == BreakerDetector.MessageRate },
            Spread = o.Spread with { Enabled = keep == BreakerDetector.Spread },
            OneSidedBook = o.OneSidedBook with { Enabled = keep == BreakerDetector.OneSidedBook },
            MinHoldNs = 0,
            StepDownWindowNs = Second,
        };
    }

    public void Send(ref MarketEvent e, IBreakerActions? _ = null)
    {
        e.ExchangeTimestampNs = Now;
        Books.Apply(ref e);
        State.OnEvent(ref e, Now, Books, ref _none);
    }

    public void Send<TActions>(ref MarketEvent e, ref TActions actions) where TActions : struct, IBreakerActions
    {
        e.ExchangeTimestampNs = Now;
        Books.Apply(ref e);
        State.OnEvent(ref e, Now, Books, ref actions);
    }

    public void Trade(int instrument, long price)
    {
        var e = new MarketEvent { Kind = EventKind.Trade, Instrument = instrument, Price = price, Quantity = 100, Side = Side.Buy };
        Send(ref e);
    }

    /// <summary>Trades at <paramref name="price"/> every <paramref name="stepNs"/> for <paramref name="durationNs"/>.</summary>
    public void Trades(int instrument, long price, long durationNs, long stepNs = 10 * Ms)
    {
        for (long t = 0; t < durationNs; t += stepNs)
        {
            Trade(instrument, price);
            Now += stepNs;
        }
    }

    public ulong Add(int instrument, Side side, long price, long shares = 100)
    {
        var e = new MarketEvent { Kind = EventKind.AddOrder, Instrument = instrument, OrderId = _nextOrder++, Side = side, Price = price, Quantity = shares };
        Send(ref e);
        return e.OrderId;
    }

    public void Delete(ulong orderId)
    {
        var e = new MarketEvent { Kind = EventKind.OrderDelete, OrderId = orderId };
        Send(ref e);
    }

    public void Status(EventKind kind, int instrument, ulong aux)
    {
        var e = new MarketEvent { Kind = kind, Instrument = instrument, Aux = aux };
        Send(ref e);
    }

    /// <summary>ITCH H: state byte, reason in the upper bytes (ItchNormaliser layout).</summary>
    public void TradingState(int instrument, char state) => Status(EventKind.TradingAction, instrument, (byte)state);

    /// <summary>The highest level the instrument has been at (from the transition log).</summary>
    public BreakerLevel PeakOf(int instrument)
    {
        var peak = BreakerLevel.Normal;
        foreach (var t in State.Transitions.Snapshot())
            if (t.Scope == BreakerScope.Instrument && t.Id == instrument && t.To > peak) peak = t.To;
        return peak;
    }

    /// <summary>Two transitions are the same but for MonoNs (the stage's clock, which differs between two runs).</summary>
    public static bool Same(in BreakerTransition x, in BreakerTransition y)
        => x.ExchangeNs == y.ExchangeNs && x.Scope == y.Scope && x.Id == y.Id && x.From == y.From && x.To == y.To
           && x.Detector == y.Detector && x.Figure.Equals(y.Figure) && x.Threshold.Equals(y.Threshold);
}
