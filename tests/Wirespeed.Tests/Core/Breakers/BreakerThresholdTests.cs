using System;
using System.Linq;
using Wirespeed.Core.Breakers;
using Wirespeed.Core.Events;
using Xunit;
using static Wirespeed.Tests.Core.Breakers.BreakerDriver;

namespace Wirespeed.Tests.Core.Breakers;

/// <summary>Every detector threshold changes the level reached as documented (table-driven).</summary>
public class BreakerThresholdTests
{
    public enum Case
    {
        BandMove4Pct, BandMove6Pct, BandMove11Pct,
        VolatilitySwings,
        RateBurst,
        SpreadWide,
        OneSided15Seconds,
    }

    internal static void Drive(BreakerDriver d, Case c)
    {
        const int I = 1;
        switch (c)
        {
            case Case.BandMove4Pct: d.Trades(I, 100 * Dollar, 2 * Second); d.Trade(I, 104 * Dollar); break;
            case Case.BandMove6Pct: d.Trades(I, 100 * Dollar, 2 * Second); d.Trade(I, 106 * Dollar); break;
            case Case.BandMove11Pct: d.Trades(I, 100 * Dollar, 2 * Second); d.Trade(I, 89 * Dollar); break;
            case Case.VolatilitySwings:
                // ±1 % every second: σ ≈ 0.01/√s once the EWMA has filled (window 10 s here)
                for (int k = 0; k < 60; k++) d.Trades(I, (k % 2 == 0 ? 1000 : 1010) * Dollar / 10, Second, 100 * Ms);
                break;
            case Case.RateBurst:
                d.Trades(I, 100 * Dollar, 10 * Second, 100 * Ms); // 10 per 1-s window: baseline 10 → floor 20
                d.Trades(I, 100 * Dollar, Second, 2 * Ms);        // 500 in one window: 25 × the floor
                break;
            case Case.SpreadWide:
                d.Add(I, Side.Buy, 100 * Dollar);
                d.Add(I, Side.Sell, 100 * Dollar + 100);           // 1 bp
                d.Now += Second;
                ulong ask = d.Add(I, Side.Sell, 101 * Dollar);     // deeper ask
                d.Delete(d.Add(I, Side.Sell, 100 * Dollar + 50));  // noise at the top
                d.Now += Second;
                // remove the tight ask: spread jumps to ~100 bps, then hold it for 2 s
                d.Delete(1 + 1);
                for (int k = 0; k < 20; k++) { d.Now += 100 * Ms; d.Add(I, Side.Buy, 90 * Dollar); }
                _ = ask;
                break;
            case Case.OneSided15Seconds:
                d.Add(I, Side.Buy, 100 * Dollar);
                ulong only = d.Add(I, Side.Sell, 101 * Dollar);
                d.Delete(only);
                for (int k = 0; k < 150; k++) { d.Now += 100 * Ms; d.Add(I, Side.Buy, 99 * Dollar); }
                break;
        }
    }

    public static TheoryData<string, BreakerDetector, Case, Func<BreakerOptions, BreakerOptions>, BreakerLevel> Table() => new()
    {
        { "band defaults: 4 % is caution", BreakerDetector.PriceBand, Case.BandMove4Pct, o => o, BreakerLevel.Caution },
        { "band defaults: 6 % is restricted", BreakerDetector.PriceBand, Case.BandMove6Pct, o => o, BreakerLevel.Restricted },
        { "band defaults: 11 % is halted", BreakerDetector.PriceBand, Case.BandMove11Pct, o => o, BreakerLevel.Halted },
        { "band caution at 5 %: 4 % is normal", BreakerDetector.PriceBand, Case.BandMove4Pct,
            o => o with { PriceBand = o.PriceBand with { Thresholds = new LevelThresholds(0.05, 0.03, 0.08, 0.06, 0.15, 0.1) } }, BreakerLevel.Normal },
        { "band halted at 15 %: 11 % is restricted", BreakerDetector.PriceBand, Case.BandMove11Pct,
            o => o with { PriceBand = o.PriceBand with { Thresholds = new LevelThresholds(0.05, 0.03, 0.08, 0.06, 0.15, 0.1) } }, BreakerLevel.Restricted },
        { "band disabled: 11 % is normal", BreakerDetector.PriceBand, Case.BandMove11Pct, o => o with { PriceBand = o.PriceBand with { Enabled = false } }, BreakerLevel.Normal },
        { "volatility defaults (1 s samples, 10 s window): swings halt", BreakerDetector.Volatility, Case.VolatilitySwings,
            o => o with { Volatility = o.Volatility with { WindowNs = 10 * Second } }, BreakerLevel.Halted },
        { "volatility halted not used: swings are restricted", BreakerDetector.Volatility, Case.VolatilitySwings,
            o => o with { Volatility = o.Volatility with { WindowNs = 10 * Second, Thresholds = new LevelThresholds(0.0015, 0.001, 0.003, 0.002, 0, 0) } }, BreakerLevel.Restricted },
        { "volatility thresholds ×10: swings are normal", BreakerDetector.Volatility, Case.VolatilitySwings,
            o => o with { Volatility = o.Volatility with { WindowNs = 10 * Second, Thresholds = new LevelThresholds(0.015, 0.01, 0.03, 0.02, 0.06, 0.04) } }, BreakerLevel.Normal },
        { "rate defaults: 25× is restricted", BreakerDetector.MessageRate, Case.RateBurst, o => o, BreakerLevel.Restricted },
        { "rate restricted at 30×: 25× is caution", BreakerDetector.MessageRate, Case.RateBurst,
            o => o with { MessageRate = o.MessageRate with { Thresholds = new LevelThresholds(5, 3, 30, 20, 0, 0) } }, BreakerLevel.Caution },
        { "rate floor 200 messages: 500 is below caution", BreakerDetector.MessageRate, Case.RateBurst,
            o => o with { MessageRate = o.MessageRate with { MinBaselineMessages = 200 } }, BreakerLevel.Normal },
        { "spread defaults: 100 bps held 2 s is caution", BreakerDetector.Spread, Case.SpreadWide, o => o, BreakerLevel.Caution },
        { "spread restricted at 80 bps: restricted", BreakerDetector.Spread, Case.SpreadWide,
            o => o with { Spread = o.Spread with { Thresholds = new LevelThresholds(50, 30, 80, 60, 0, 0) } }, BreakerLevel.Restricted },
        { "spread sustain 5 s: 2 s of wide spread is normal", BreakerDetector.Spread, Case.SpreadWide, o => o with { Spread = o.Spread with { SustainNs = 5 * Second } }, BreakerLevel.Normal },
        { "one-sided defaults: 15 s is caution", BreakerDetector.OneSidedBook, Case.OneSided15Seconds, o => o, BreakerLevel.Caution },
        { "one-sided caution at 20 s: 15 s is normal", BreakerDetector.OneSidedBook, Case.OneSided15Seconds,
            o => o with { OneSidedBook = o.OneSidedBook with { Thresholds = new LevelThresholds(20, 10, 60, 30, 0, 0) } }, BreakerLevel.Normal },
        { "one-sided restricted at 12 s: restricted", BreakerDetector.OneSidedBook, Case.OneSided15Seconds,
            o => o with { OneSidedBook = o.OneSidedBook with { Thresholds = new LevelThresholds(10, 5, 12, 8, 0, 0) } }, BreakerLevel.Restricted },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Detector_threshold_decides_the_level_reached(string name, BreakerDetector detector, Case c, Func<BreakerOptions, BreakerOptions> configure, BreakerLevel expected)
    {
        var options = configure(Only(detector));
        var d = new BreakerDriver(options);
        Drive(d, c);
        Assert.True(expected == d.PeakOf(1), $"{name}: reached {d.PeakOf(1)}; transitions: {string.Join("; ", d.State.Transitions.Snapshot().Take(4))}");
        if (expected > BreakerLevel.Normal)
            Assert.Equal(detector, d.State.Transitions.Snapshot().First(t => t.Scope == BreakerScope.Instrument && t.To > t.From).Detector);
    }

    public static TheoryData<string, EventKind, ulong, Func<BreakerOptions, BreakerOptions>, BreakerLevel> ExchangeTable() => new()
    {
        { "H halted", EventKind.TradingAction, 'H', o => o, BreakerLevel.Halted },
        { "P paused (LULD)", EventKind.TradingAction, 'P' | ((ulong)0x5044554C << 8), o => o, BreakerLevel.Halted },
        { "P paused mapped to caution", EventKind.TradingAction, 'P', o => o with { Exchange = o.Exchange with { PauseLevel = "caution" } }, BreakerLevel.Caution },
        { "Q quotation only", EventKind.TradingAction, 'Q', o => o, BreakerLevel.Restricted },
        { "Q mapped to halted", EventKind.TradingAction, 'Q', o => o with { Exchange = o.Exchange with { QuoteOnlyLevel = "halted" } }, BreakerLevel.Halted },
        { "T trading", EventKind.TradingAction, 'T', o => o, BreakerLevel.Normal },
        { "J collar", EventKind.LuldCollar, 0, o => o, BreakerLevel.Restricted },
        { "J collar mapped to normal", EventKind.LuldCollar, 0, o => o with { Exchange = o.Exchange with { CollarLevel = "normal" } }, BreakerLevel.Normal },
        { "h operational halt", EventKind.OperationalHalt, 'Q' | ((ulong)'H' << 8), o => o, BreakerLevel.Halted },
        { "h operational resume", EventKind.OperationalHalt, 'Q' | ((ulong)'T' << 8), o => o, BreakerLevel.Normal },
    };

    [Theory]
    [MemberData(nameof(ExchangeTable))]
    public void Exchange_declared_state_imposes_its_configured_level(string name, EventKind kind, ulong aux, Func<BreakerOptions, BreakerOptions> configure, BreakerLevel expected)
    {
        var d = new BreakerDriver(configure(Only(BreakerDetector.Recovery)));
        d.Trade(1, 100 * Dollar);
        d.Status(kind, 1, aux);
        Assert.True(expected == d.State.InstrumentLevel(1), $"{name}: {d.State.InstrumentLevel(1)}");
    }

    [Fact]
    public void Exchange_halt_holds_until_resumed_then_steps_down_one_level_per_window()
    {
        var d = new BreakerDriver(Only(BreakerDetector.Recovery) with { StepDownWindowNs = Second });
        d.TradingState(1, 'H');
        d.Trades(1, 100 * Dollar, 5 * Second, 100 * Ms);
        Assert.Equal(BreakerLevel.Halted, d.State.InstrumentLevel(1)); // no step down while the exchange says halted
        d.TradingState(1, 'T');
        var seen = new System.Collections.Generic.List<BreakerLevel>();
        for (int k = 0; k < 50; k++) { d.Trades(1, 100 * Dollar, 100 * Ms, 100 * Ms); if (seen.Count == 0 || seen[^1] != d.State.InstrumentLevel(1)) seen.Add(d.State.InstrumentLevel(1)); }
        Assert.Equal([BreakerLevel.Halted, BreakerLevel.Restricted, BreakerLevel.Caution, BreakerLevel.Normal], seen);
        var downs = d.State.Transitions.Snapshot().Where(t => t.To < t.From).ToArray();
        Assert.Equal(3, downs.Length);
        for (int i = 1; i < downs.Length; i++) Assert.True(downs[i].ExchangeNs - downs[i - 1].ExchangeNs >= Second);
    }

    [Fact]
    public void Mwcb_breach_halts_the_market_for_the_hold_time_and_every_instrument_through_it()
    {
        var d = new BreakerDriver(Only(BreakerDetector.Recovery) with { Exchange = new ExchangeStateOptions { MwcbHoldNs = 3 * Second } });
        d.Trade(1, 100 * Dollar);
        d.Status(EventKind.MwcbStatus, 0, '1');
        Assert.Equal(BreakerLevel.Halted, d.State.MarketLevel);
        Assert.Equal(BreakerLevel.Halted, d.State.EffectiveLevel(1));
        Assert.Equal(BreakerLevel.Normal, d.State.InstrumentLevel(1));
        var t = d.State.Transitions.Snapshot().Single(x => x.Scope == BreakerScope.Market);
        Assert.Equal(BreakerDetector.Mwcb, t.Detector);
        Assert.Equal(1, t.Figure);
        d.Trades(1, 100 * Dollar, 2 * Second, 100 * Ms);
        Assert.Equal(BreakerLevel.Halted, d.State.MarketLevel);
        d.Trades(1, 100 * Dollar, 10 * Second, 100 * Ms);
        Assert.Equal(BreakerLevel.Normal, d.State.MarketLevel);
    }

    [Fact]
    public void Hysteresis_keeps_the_level_while_the_figure_sits_between_exit_and_entry()
    {
        // band caution entry 3 %, exit 2 %: trip at 3.5 %, then hover at 2.5 % (above exit) for 10 windows
        var d = new BreakerDriver(Only(BreakerDetector.PriceBand) with { PriceBand = new PriceBandOptions { ReferenceWindowNs = 10_000 * Second } });
        d.Trades(1, 100 * Dollar, Second);
        d.Trade(1, 1035 * Dollar / 10);
        Assert.Equal(BreakerLevel.Caution, d.State.InstrumentLevel(1));
        d.Trades(1, 1025 * Dollar / 10, 10 * Second, 100 * Ms);
        Assert.Equal(BreakerLevel.Caution, d.State.InstrumentLevel(1));
        d.Trades(1, 1015 * Dollar / 10, 3 * Second, 100 * Ms); // below exit for more than the 1-s window
        Assert.Equal(BreakerLevel.Normal, d.State.InstrumentLevel(1));
    }

    [Theory]
    [InlineData(0L, 2)]        // no hold: steps down after the window
    [InlineData(10L, 0)]       // 10 s hold: still restricted after 4 s of calm
    public void Minimum_hold_time_delays_the_step_down(long holdSeconds, int stepsExpected)
    {
        var d = new BreakerDriver(Only(BreakerDetector.PriceBand) with { MinHoldNs = holdSeconds * Second, PriceBand = new PriceBandOptions { ReferenceWindowNs = 10_000 * Second } });
        d.Trades(1, 100 * Dollar, Second);
        d.Trade(1, 106 * Dollar);
        Assert.Equal(BreakerLevel.Restricted, d.State.InstrumentLevel(1));
        d.Trades(1, 100 * Dollar, 4 * Second, 100 * Ms);
        Assert.Equal(stepsExpected, d.State.StepsDown);
    }

    [Fact]
    public void Sector_trips_when_its_share_of_instruments_reaches_the_entry_share_and_not_before()
    {
        // 8 instruments, 2 sectors: sector 1 holds 1,3,5,7. Entry share 0.5 → 2 of 4 at a level.
        var d = new BreakerDriver(Only(BreakerDetector.Recovery));
        for (int i = 1; i <= 8; i++) d.Trade(i, 100 * Dollar);
        d.TradingState(1, 'H');
        Assert.Equal(BreakerLevel.Normal, d.State.SectorLevel(1));
        d.TradingState(3, 'H');
        Assert.Equal(BreakerLevel.Halted, d.State.SectorLevel(1));
        Assert.Equal(BreakerLevel.Normal, d.State.SectorLevel(0));
        Assert.Equal(BreakerLevel.Halted, d.State.EffectiveLevel(5)); // through its sector
        Assert.Equal(BreakerLevel.Normal, d.State.EffectiveLevel(2));
        Assert.Equal(BreakerLevel.Normal, d.State.MarketLevel);      // 2 of 8 < 0.5
    }
}
