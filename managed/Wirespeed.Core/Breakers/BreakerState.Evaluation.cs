using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Breakers;

// Per-event entry: the call-free common path, the full path, the gate for pending settings and the market check (breaker thread).
public sealed partial class BreakerState
{
    // ---------------------------------------------------------------- evaluation (breaker thread)

    /// <summary>
    /// Updates the detectors with one event and moves levels. Breaker stage thread only, events in feed order, after
    /// the book has applied the event (<paramref name="books"/> is read for the top of book when
    /// <see cref="EventFlags.TopChanged"/> is set; may be null). Never allocates or throws on event content.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnEvent<TActions>(ref MarketEvent evt, long monoNs, OrderBookSet? books, ref TActions actions)
        where TActions : struct, IBreakerActions
    {
        if (Volatile.Read(ref _gate) == 0 && TryCommon(ref evt, books)) return; // acquire; pairs with Reconfigure
        OnEventInFull(ref evt, monoNs, books, ref actions);
    }

    /// <summary>
    /// The common event, with no call: no reload pending, an instrument past its first event and inside its rate
    /// window, no exchange state, no quote moved, no first price or volatility sample, no evaluation, sector or market
    /// step due, no figure leaving its steady range. It only counts the message and passes a trade's price and a
    /// top-of-book change's mid to the band's reference. Everything is computed into locals first and stored only once
    /// the event proved common: otherwise nothing was changed and <see cref="OnEventInFull"/> processes it from the
    /// start. (Rare work is kept out of this path because every call site in it, even one never taken, was measured
    /// to cost the common event several ns.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryCommon(ref MarketEvent evt, OrderBookSet? books)
    {
        long ts = evt.ExchangeTimestampNs;
        int id = evt.Instrument;
        var inst = _inst;
        int kind = (int)evt.Kind;
        if ((uint)id >= (uint)inst.Length || id == 0 || KindSet.Has(FullPathKinds, kind)) return false;
        ref var s = ref inst[id];
        int count = s.RateCount + 1;
        if (ts >= s.RateWindowEndNs || ts >= s.EvalDueNs || count >= s.EvalDueCount || ts >= _sector[s.Sector].NextStepNs || ts >= _marketCheckNs)
            return false;
        long tradePrice = evt.Price;
        bool trade = KindSet.Has(TradeKinds, kind) && tradePrice > 0;
        bool top = (evt.Flags & EventFlags.TopChanged) != 0 && books is not null;
        if (trade || top)
        {
            double refPrice = s.RefPrice, bandMove = s.BandMove;
            long refTs = s.RefTs;
            if (refPrice == 0 || s.VolNextNs == 0 || ts >= s.VolNextNs) return false; // a first price, or a volatility sample
            if (trade && !CommonPrice(in s, tradePrice, ts, ref refPrice, ref refTs, ref bandMove)) return false;
            if (top)
            {
                bool twoSided = books!.TryGetBestPrices(id, out long bid, out long ask);
                if (bid != s.Bid | ask != s.Ask | twoSided != s.TwoSided) return false; // the quote moved
                if (twoSided && !CommonPrice(in s, (bid + ask) * 0.5, ts, ref refPrice, ref refTs, ref bandMove)) return false;
            }
            s.RefPrice = refPrice;
            s.RefTs = refTs;
            s.BandMove = bandMove;
        }
        s.RateCount = count;
        return true;
    }

    /// <summary><see cref="OnPrice"/> into locals, for an instrument past its first price and before its next volatility sample; false when the band figure leaves its steady range (the event then needs an evaluation).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool CommonPrice(in InstrumentSlot s, double price, long ts, ref double refPrice, ref long refTs, ref double bandMove)
    {
        long dt = ts - refTs;
        if (dt > 0)
        {
            double w = dt * _bandInvTau;
            refPrice += (price - refPrice) * (w < 1 ? w : 1);
            refTs = ts;
        }
        bandMove = Math.Abs(price - refPrice);
        return !(bandMove >= s.BandHigh * refPrice * BelowByMargin || bandMove <= s.BandLow * refPrice * AboveByMargin);
    }

    /// <summary>Every event the common path declined, in full (the reference behaviour: the common path is this, minus what it proved unneeded).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnEventInFull<TActions>(ref MarketEvent evt, long monoNs, OrderBookSet? books, ref TActions actions)
        where TActions : struct, IBreakerActions
    {
        if (Volatile.Read(ref _gate) != 0 && !PassGate(evt.ExchangeTimestampNs, monoNs, ref actions)) return;
        long ts = evt.ExchangeTimestampNs;
        int id = evt.Instrument;
        var inst = _inst;
        // Locate 0 carries market-wide messages, not an instrument.
        if ((uint)id < (uint)inst.Length && id != 0 && evt.Kind != EventKind.MwcbStatus)
        {
            ref var s = ref inst[id];
            if (ts >= s.RateWindowEndNs) RollRateWindow(id, ref s, ts); // also an instrument's first event (its window end is 0)
            s.RateCount++; // the figure (RateCount × RateScale) is computed where it is compared, not per event
            int kind = (int)evt.Kind;
            // One branch for "an input moved" (kinds arrive in no predictable order); TopChanged is the packed byte's top bit.
            int moves = KindSet.Bit(InputKinds, kind) | (evt.PackedLaneAndFlags >> 7);
            if (moves != 0) Observe(ref evt, ref s, ts, books, id);
            // Evaluation only where its outcome may differ from the last one (see SetTriggers): an input left the range
            // in which it cannot change a level (EvalDueNs set to long.MinValue), a time-driven input or a step down
            // fell due, or the message count reached its bound. Most events of a day, calm or not, pass these two compares.
            if (ts >= s.EvalDueNs || s.RateCount >= s.EvalDueCount) EvaluateInstrument(id, ref s, ts, monoNs, ref actions);
            int sector = s.Sector;
            if (ts >= _sector[sector].NextStepNs) EvaluateSector(sector, ts, monoNs, ref actions);
        }
        else if (evt.Kind == EventKind.MwcbStatus) OnMwcb(ref evt, ts);
        if (ts >= _marketCheckNs) MarketDue(ts, monoNs, ref actions);
    }

    /// <summary>Takes pending settings, if any; false when the breakers are off.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool PassGate<TActions>(long ts, long monoNs, ref TActions actions) where TActions : struct, IBreakerActions
    {
        if ((Volatile.Read(ref _gate) & Pending) != 0)
        {
            Interlocked.And(ref _gate, ~Pending); // before taking: a reload handed over after this sets it again
            TakePending(ts, monoNs, ref actions);
        }
        return _enabled;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnMwcb(ref MarketEvent evt, long ts)
    {
        _mwcbAtNs = ts;
        _mwcbUntilNs = ts + _mwcbHoldNs;
        _mwcbFigure = (int)(evt.Aux & 0xFF) - '0';
        _mwcbActive = true;
        MarkMarketDirty();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MarkMarketDirty()
    {
        _marketDirty = true;
        _marketCheckNs = long.MinValue;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void MarketDue<TActions>(long ts, long monoNs, ref TActions actions) where TActions : struct, IBreakerActions
    {
        if (_mwcbActive && ts >= _mwcbUntilNs)
        {
            _mwcbActive = false; // the MWCB hold ended: the market's inputs changed
            _marketDirty = true;
        }
        if (_marketDirty || ts >= _market.NextStepNs) EvaluateMarket(ts, monoNs, ref actions);
        _marketCheckNs = _marketDirty ? long.MinValue : Math.Min(_market.NextStepNs, _mwcbActive ? _mwcbUntilNs : long.MaxValue);
    }

    private void RefreshEffective(int id)
    {
        int level = Math.Max(_instLevel[id], _sector[_sectorOf[id]].Level);
        Volatile.Write(ref _effective[id], (byte)level); // release; pairs with the acquire in EffectiveLevel
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Activate(int id, ref InstrumentSlot s)
    {
        int sector = _instruments?.Sector(id) ?? 0;
        if ((uint)sector >= (uint)_sector.Length) sector = 0;
        s.Active = true;
        s.Sector = sector;
        _sectorOf[id] = sector;
        _activeIds[_activeCount++] = id;
        RefreshEffective(id);
        s.M.ClearSinceNs = -1;
        s.EvalDueNs = long.MinValue; // evaluated at its first event, which sets its triggers
        _sectorMembers[sector]++;
        _marketMembers++;
        _sector[sector].NextStepNs = long.MinValue; // its inputs changed
        MarkMarketDirty();
    }
}
