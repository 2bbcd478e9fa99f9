using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Breakers;

// Detector inputs: exchange states, prices, quotes, message rate; the triggers that decide when an instrument is evaluated (breaker thread).
public sealed partial class BreakerState
{
    /// <summary>An exchange state, a trade or a top-of-book change: refreshes the inputs it moves (and triggers an evaluation where one may matter).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Observe(ref MarketEvent evt, ref InstrumentSlot s, long ts, OrderBookSet? books, int id)
    {
        int kind = (int)evt.Kind;
        if (KindSet.Has(ExchangeStateKinds, kind)) ObserveExchangeState(ref evt, ref s);
        else if (KindSet.Has(TradeKinds, kind) && evt.Price > 0) OnPrice(ref s, evt.Price, ts);

        if ((evt.Flags & EventFlags.TopChanged) != 0 && books is not null)
        {
            bool twoSided = books.TryGetBestPrices(id, out long bid, out long ask);
            // Most top-of-book changes change a size only (nine in ten on the simulator's day): the spread and
            // one-sided inputs are then exactly as they were, and only the mid passes on.
            if (bid != s.Bid | ask != s.Ask | twoSided != s.TwoSided) QuoteMoved(ref s, bid, ask, twoSided, ts);
            // A change of size only still passes the mid: the band's reference and the volatility grid follow exchange
            // time, and skipping them here was measured slower (the lagging reference kept more instruments off the fast path).
            if (twoSided) OnPrice(ref s, (bid + ask) * 0.5, ts);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ObserveExchangeState(ref MarketEvent evt, ref InstrumentSlot s)
    {
        switch (evt.Kind)
        {
            case EventKind.TradingAction:
                // ITCH 5.0 §4.2.3: Trading State 'H' halted, 'P' paused (LULD), 'Q' quotation only, 'T' trading.
                byte state = (byte)evt.Aux;
                s.TradingCode = state;
                if (state == (byte)'T') s.Collar = false;
                break;
            case EventKind.OperationalHalt:
                // ITCH 5.0 §4.2.7: Operational Halt Action 'H' halted, 'T' resumed.
                s.OperationalHalt = (byte)(evt.Aux >> 8) == (byte)'H';
                break;
            case EventKind.LuldCollar:
                s.Collar = true;
                break;
        }
        RefreshExchangeLevels(ref s);
        s.EvalDueNs = long.MinValue;
    }

    /// <summary>The best bid or offer price moved (or a side emptied or filled): spread and one-sided inputs.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // one top-of-book change in ten: keep Observe small
    private void QuoteMoved(ref InstrumentSlot s, long bid, long ask, bool twoSided, long ts)
    {
        s.EvalDueNs = long.MinValue; // spread or one-sided inputs changed: rare enough to evaluate every time
        s.Bid = bid;
        s.Ask = ask;
        s.TwoSided = twoSided;
        if (twoSided)
        {
            s.HadTwoSided = true;
            s.OneSidedSinceNs = 0;
            s.SpreadNumerator = ask > bid ? (ask - bid) * 10_000.0 : 0;
            s.SpreadMid = (bid + ask) * 0.5;
            if (SpreadAtLeast(in s, _spread.LowestEntry)) { if (s.SpreadSinceNs == 0) s.SpreadSinceNs = ts; }
            else s.SpreadSinceNs = 0;
        }
        else
        {
            s.SpreadNumerator = 0;
            s.SpreadSinceNs = 0;
            if (s.HadTwoSided && s.OneSidedSinceNs == 0) s.OneSidedSinceNs = ts;
        }
    }

    /// <summary>Levels the exchange states in force impose under the settings in force.</summary>
    private void RefreshExchangeLevels(ref InstrumentSlot s)
    {
        var settings = _settings;
        s.TradingLevel = settings.TradingStateLevel(s.TradingCode);
        s.CollarLevel = s.Collar ? _collarLevel : (byte)0;
        s.OperationalLevel = s.OperationalHalt ? _opHaltLevel : (byte)0;
    }

    // The band and spread figures are quotients, compared against a threshold on every top-of-book change. A product
    // with a margin far wider than rounding settles the comparison without dividing: for the spread, a figure within a
    // millionth of the threshold (or above it) is divided out and compared exactly as the figure itself; for the band's
    // evaluation triggers, a figure within a millionth of a bound counts as at the bound (an evaluation too many, never
    // one too few).
    private const double BelowByMargin = 1 - 1e-6, AboveByMargin = 1 + 1e-6;

    /// <summary>SpreadBps >= threshold.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SpreadAtLeast(in InstrumentSlot s, double threshold)
        => s.SpreadNumerator >= threshold * s.SpreadMid * BelowByMargin && s.SpreadBps >= threshold;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void OnPrice(ref InstrumentSlot s, double price, long ts)
    {
        if (s.RefPrice == 0)
        {
            s.RefPrice = price;
            s.RefTs = ts;
        }
        else
        {
            // Exponential average in exchange time: weight min(1, dt / tau), the first-order form of 1 - e^(-dt/tau)
            // (exact to (dt/tau)^2, and events are far closer than tau), with no division or exp per event.
            long dt = ts - s.RefTs;
            if (dt > 0)
            {
                double w = dt * _bandInvTau;
                s.RefPrice += (price - s.RefPrice) * (w < 1 ? w : 1);
                s.RefTs = ts;
            }
        }
        s.BandMove = Math.Abs(price - s.RefPrice);
        // BandFigure (BandMove / RefPrice) at or beyond a bound of its steady range: evaluate.
        if (s.BandMove >= s.BandHigh * s.RefPrice * BelowByMargin || s.BandMove <= s.BandLow * s.RefPrice * AboveByMargin) s.EvalDueNs = long.MinValue;

        if (s.VolNextNs == 0)
        {
            s.VolLast = price;
            s.VolNextNs = ts + _volIntervalNs;
        }
        else if (ts >= s.VolNextNs)
        {
            SampleVolatility(ref s, price, ts);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // once per sample interval per instrument: keep OnPrice small
    private void SampleVolatility(ref InstrumentSlot s, double price, long ts)
    {
        long k = 1 + (ts - s.VolNextNs) / _volIntervalNs; // intervals this return spans
        double r = Math.Log(price / s.VolLast);
        double alpha = k == 1 ? 1 - Math.Exp(-_volAlpha1) : 1 - Math.Exp(-_volAlpha1 * k);
        s.VolVar += alpha * (r * r / k - s.VolVar);
        s.VolLast = price;
        s.VolNextNs += k * _volIntervalNs;
        s.VolFigure = Math.Sqrt(s.VolVar / _volIntervalSeconds);
        if (s.VolFigure <= s.VolLow || s.VolFigure >= s.VolHigh) s.EvalDueNs = long.MinValue;
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // once per window per instrument
    private void RollRateWindow(int id, ref InstrumentSlot s, long ts)
    {
        if (!s.Active) Activate(id, ref s);
        if (s.RateWindowEndNs == 0)
        {
            s.RateWindowEndNs = ts + _rateWindowNs;
            return;
        }
        long k = 1 + (ts - s.RateWindowEndNs) / _rateWindowNs; // the window that ended plus k - 1 empty ones
        if (!s.RateHasBaseline)
        {
            s.RateBaseline = s.RateCount;
            s.RateHasBaseline = true;
        }
        else s.RateBaseline += _rateAlpha * (s.RateCount - s.RateBaseline);
        if (k > 1) s.RateBaseline *= Math.Pow(1 - _rateAlpha, k - 1);
        s.RateCount = 0;
        SetRateScale(ref s);
        s.RateWindowEndNs += k * _rateWindowNs;
        if (s.M.Level != 0) s.EvalDueNs = long.MinValue; // the count restarts: the rate may no longer hold the level
    }

    private void SetRateScale(ref InstrumentSlot s)
    {
        s.RateScale = 1.0 / Math.Max(s.RateBaseline, _rateMinBaseline);
        s.EvalDueCount = CountReaching(s.RateHigh, s.RateScale);
    }

    /// <summary>A count at or below the first at which RateCount × <paramref name="scale"/> reaches <paramref name="figure"/> (early by up to two: an evaluation too many, never one too few).</summary>
    private static int CountReaching(double figure, double scale)
    {
        if (!(scale > 0) || figure >= double.MaxValue) return int.MaxValue;
        double n = Math.Floor(figure / scale) - 1;
        return n >= int.MaxValue ? int.MaxValue : n <= 0 ? 0 : (int)n;
    }

    /// <summary>
    /// After an evaluation: the ranges within which the figures cannot change its outcome (no entry above the level
    /// reached; whether each detector holds the level unchanged), and when a time-driven input or a step down falls
    /// due. Until one of them is crossed an evaluation would change nothing: no level, no hold timer; so the fast
    /// path skips it, for calm instruments and for instruments under a breaker alike. Inputs that move rarely
    /// (exchange states, quotes, one-sided books) trigger an evaluation whenever they move.
    /// </summary>
    private void SetTriggers(ref InstrumentSlot s, long ts)
    {
        int level = s.M.Level;
        _band.Steady(level, s.BandFigure, out s.BandLow, out s.BandHigh);
        _vol.Steady(level, s.VolFigure, out s.VolLow, out s.VolHigh);
        _rate.Steady(level, s.RateFigure, out _, out s.RateHigh);
        s.EvalDueCount = CountReaching(s.RateHigh, s.RateScale);
        long due = s.M.NextStepNs; // a pending step down (long.MaxValue if none; long.MinValue right after a move)
        if (_spread.Enabled && s.SpreadSinceNs != 0 && ts - s.SpreadSinceNs < _spreadSustainNs)
            due = Math.Min(due, s.SpreadSinceNs + _spreadSustainNs); // the wide spread starts to count then
        if (_oneSided.Enabled && s.OneSidedSinceNs != 0) due = long.MinValue; // its seconds grow with every event
        s.EvalDueNs = EvaluateEveryEvent ? long.MinValue : due;
    }
}
