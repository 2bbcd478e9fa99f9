using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Breakers;

// Level machines of instruments, sectors and the market, and the transition log (breaker thread).
public sealed partial class BreakerState
{
    [MethodImpl(MethodImplOptions.NoInlining)] // called only when a trigger fired (see OnEvent, SetTriggers)
    private void EvaluateInstrument<TActions>(int id, ref InstrumentSlot s, long ts, long monoNs, ref TActions actions)
        where TActions : struct, IBreakerActions
    {
        int desired = 0, hold = 0;
        var detector = BreakerDetector.Recovery;
        double figure = 0, threshold = 0;
        if (_band.Enabled) Consider(in _band, s.BandFigure, BreakerDetector.PriceBand, ref desired, ref hold, ref detector, ref figure, ref threshold);
        if (_vol.Enabled) Consider(in _vol, s.VolFigure, BreakerDetector.Volatility, ref desired, ref hold, ref detector, ref figure, ref threshold);
        if (_rate.Enabled) Consider(in _rate, s.RateFigure, BreakerDetector.MessageRate, ref desired, ref hold, ref detector, ref figure, ref threshold);
        if (_spread.Enabled)
        {
            // Entry only once the spread has been wide for SustainNs; holding uses the spread as it is.
            double sustained = s.SpreadSinceNs != 0 && ts - s.SpreadSinceNs >= _spreadSustainNs ? s.SpreadBps : 0;
            int e = _spread.Entry(sustained, out double t);
            if (e > desired) { desired = e; detector = BreakerDetector.Spread; figure = sustained; threshold = t; }
            hold = Math.Max(hold, _spread.Hold(s.SpreadBps));
        }
        if (_oneSided.Enabled)
        {
            double seconds = s.OneSidedSinceNs != 0 ? (ts - s.OneSidedSinceNs) * 1e-9 : 0;
            Consider(in _oneSided, seconds, BreakerDetector.OneSidedBook, ref desired, ref hold, ref detector, ref figure, ref threshold);
        }
        int exchange = Math.Max(s.TradingLevel, Math.Max(s.CollarLevel, s.OperationalLevel));
        if (exchange > desired) { desired = exchange; detector = BreakerDetector.Exchange; figure = s.TradingCode; threshold = 0; }
        hold = Math.Max(hold, exchange);

        int next = Step(ref s.M, desired, hold, ts);
        if (next < 0)
        {
            SetTriggers(ref s, ts);
            return;
        }
        if (next < s.M.Level) { detector = BreakerDetector.Recovery; figure = 0; threshold = 0; }
        int from = s.M.Level;
        Move(ref s.M, next, ts);
        Volatile.Write(ref _instLevel[id], (byte)next); // release; pairs with the acquire in InstrumentLevel
        RefreshEffective(id);
        int sector = s.Sector;
        for (int l = 1; l <= 3; l++)
        {
            int delta = (next >= l ? 1 : 0) - (from >= l ? 1 : 0);
            _sectorAtLeast[sector * 4 + l] += delta;
            _marketAtLeast[l] += delta;
        }
        _sector[sector].NextStepNs = long.MinValue; // its inputs changed
        MarkMarketDirty();
        Record(BreakerScope.Instrument, id, from, next, detector, figure, threshold, ts, monoNs, ref actions);
        SetTriggers(ref s, ts);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Consider(in DetectorThresholds t, double value, BreakerDetector d, ref int desired, ref int hold,
        ref BreakerDetector detector, ref double figure, ref double threshold)
    {
        int e = t.Entry(value, out double th);
        if (e > desired) { desired = e; detector = d; figure = value; threshold = th; }
        int h = t.Hold(value);
        if (h > hold) hold = h;
    }

    /// <summary>The level the machine moves to now, or -1 to stay. Rises at once; falls one level after the window.
    /// Sets <see cref="Machine.NextStepNs"/>: the earliest time a step down could happen with nothing else changing.</summary>
    private int Step(ref Machine m, int desired, int hold, long ts)
    {
        if (desired > m.Level) return desired;
        if (m.Level == 0 || hold >= m.Level)
        {
            m.ClearSinceNs = -1;
            m.NextStepNs = long.MaxValue; // only a change of the inputs (dirty) can move it
            return -1;
        }
        if (m.ClearSinceNs < 0) m.ClearSinceNs = ts;
        long due = Math.Max(m.ClearSinceNs + _windowNs, m.LevelSinceNs + _minHoldNs);
        if (ts >= due) return m.Level - 1;
        m.NextStepNs = due;
        return -1;
    }

    private void Move(ref Machine m, int level, long ts)
    {
        for (int l = 1; l <= 3; l++) _scopesAtLeast[l] += (level >= l ? 1 : 0) - (m.Level >= l ? 1 : 0); // read by AnyAtOrAbove
        bool down = level < m.Level;
        m.Level = level;
        m.LevelSinceNs = ts;
        // After a step down the conditions are still clear, but the next step needs a full window of its own.
        m.ClearSinceNs = down ? ts : -1;
        m.NextStepNs = long.MinValue; // evaluate again at the next event
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EvaluateSector<TActions>(int sector, long ts, long monoNs, ref TActions actions) where TActions : struct, IBreakerActions
    {
        int members = _sectorMembers[sector];
        int desired = 0, hold = 0;
        double share = 0, threshold = 0;
        if (members >= _minSectorMembers)
        {
            for (int l = 3; l >= 1; l--)
            {
                double sh = _sectorAtLeast[sector * 4 + l] / (double)members;
                if (desired == 0 && sh >= _sectorEntry) { desired = l; share = sh; threshold = _sectorEntry; }
                if (hold == 0 && sh > _sectorExit) hold = l;
            }
        }
        ref var m = ref _sector[sector];
        int next = Step(ref m, desired, hold, ts);
        if (next < 0) return;
        int from = m.Level;
        Move(ref m, next, ts);
        Volatile.Write(ref _sectorLevel[sector], (byte)next);
        for (int i = 0; i < _activeCount; i++) // a sector transition is rare: refresh its members
        {
            int id = _activeIds[i];
            if (_sectorOf[id] == sector) RefreshEffective(id);
        }
        var d = next > from ? BreakerDetector.ScopeShare : BreakerDetector.Recovery;
        Record(BreakerScope.Sector, sector, from, next, d, next > from ? share : 0, next > from ? threshold : 0, ts, monoNs, ref actions);
    }

    private void EvaluateMarket<TActions>(long ts, long monoNs, ref TActions actions) where TActions : struct, IBreakerActions
    {
        _marketDirty = false;
        int members = _marketMembers;
        int desired = 0, hold = 0;
        double figure = 0, threshold = 0;
        var detector = BreakerDetector.ScopeShare;
        if (members >= _minMarketMembers)
        {
            for (int l = 3; l >= 1; l--)
            {
                double sh = _marketAtLeast[l] / (double)members;
                if (desired == 0 && sh >= _marketEntry) { desired = l; figure = sh; threshold = _marketEntry; }
                if (hold == 0 && sh > _marketExit) hold = l;
            }
        }
        if (ts < _mwcbUntilNs && _mwcbLevel > desired)
        {
            desired = _mwcbLevel;
            detector = BreakerDetector.Mwcb;
            figure = _mwcbFigure;
            threshold = 0;
        }
        if (ts < _mwcbUntilNs) hold = Math.Max(hold, _mwcbLevel);
        int next = Step(ref _market, desired, hold, ts);
        if (next < 0) return;
        int from = _market.Level;
        Move(ref _market, next, ts);
        Volatile.Write(ref _marketLevel, next);
        if (next < from) { detector = BreakerDetector.Recovery; figure = 0; threshold = 0; }
        Record(BreakerScope.Market, 0, from, next, detector, figure, threshold, ts, monoNs, ref actions);
    }

    private void Record<TActions>(BreakerScope scope, int id, int from, int to, BreakerDetector detector, double figure, double threshold,
        long ts, long monoNs, ref TActions actions) where TActions : struct, IBreakerActions
    {
        var t = new BreakerTransition
        {
            ExchangeNs = ts, MonoNs = monoNs, Figure = figure, Threshold = threshold, Id = id, Scope = scope,
            From = (BreakerLevel)from, To = (BreakerLevel)to, Detector = detector,
        };
        Transitions.Append(in t);
        if (detector == BreakerDetector.Reconfigured) return; // neither a trip nor a recovery
        if (to > from)
        {
            Interlocked.Increment(ref _tripsUp);
            Interlocked.Increment(ref _tripsByDetector[(int)detector]);
            var r = _settings.Responses[to];
            if ((r & BreakerResponse.CancelAll) != 0) actions.CancelAll(in t);
            if ((r & BreakerResponse.Alert) != 0) actions.Alert(in t);
        }
        else Interlocked.Increment(ref _stepsDown);
    }
}
