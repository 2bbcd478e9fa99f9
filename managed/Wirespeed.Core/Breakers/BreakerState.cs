/*
 * Circuit breakers: graded protection per instrument, per sector and for the whole market.
 *
 * One thread (the breaker stage, after the book) calls OnEvent for every event in feed order; any thread may query
 * the levels (SignalPolicyFor, ThresholdMultiplier …): each scope's level is a byte written with a release store and
 * read with an acquire load, so a reader sees a level no older than the last event the stage finished.
 *
 * Detectors turn an instrument's events into figures (band move, volatility, rate ratio, spread, one-sided seconds);
 * exchange-declared states (ITCH H, h, J, W) impose levels of their own. Each detector maps its figure to an entry
 * level (figure >= entry threshold) and a hold level (figure > exit threshold): exit thresholds sit below entry
 * thresholds, so a figure hovering near a threshold does not flap. A level machine per scope then:
 *   - rises at once to the highest entry level asked for (Normal may jump straight to Halted);
 *   - steps down ONE level once every hold level stayed below the current level for StepDownWindowNs and the level
 *     has been held at least MinHoldNs; the next step needs another full window.
 * Sectors and the market run the same machine on the share of their instruments at or above each level (the market
 * also on MWCB breaches). An instrument's effective level is the highest of its own, its sector's and the market's.
 *
 * All time is exchange time (event timestamps): a simulated day runs as fast as it decodes, and the same input gives
 * the same transitions. Nothing here allocates, locks or formats after construction; the figures that tripped a
 * level go into a bounded transition log of structs.
 *
 * Graceful degradation: breakers never drop, delay or alter an event; books and recording upstream are untouched.
 * They only answer the queries of the stages after them (patterns, signals) and call IBreakerActions.
 */
using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Breakers;

/// <summary>Breaker levels of every scope, the detectors that move them, and the query API for the stages after them.</summary>
public sealed class BreakerState
{
    /// <summary>Thresholds of one detector, compiled from <see cref="LevelThresholds"/>.</summary>
    private readonly struct Thresholds
    {
        private readonly double _e1, _e2, _e3, _x1, _x2, _x3;
        public readonly bool Enabled;
        public readonly double LowestEntry;

        public Thresholds(LevelThresholds t, bool enabled)
        {
            _e1 = t.CautionEntry; _e2 = t.RestrictedEntry; _e3 = t.HaltedEntry;
            _x1 = t.CautionExit; _x2 = t.RestrictedExit; _x3 = t.HaltedExit;
            Enabled = enabled && (_e1 > 0 || _e2 > 0 || _e3 > 0);
            LowestEntry = _e1 > 0 ? _e1 : _e2 > 0 ? _e2 : _e3 > 0 ? _e3 : double.MaxValue;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Entry(double figure, out double threshold)
        {
            if (_e3 > 0 && figure >= _e3) { threshold = _e3; return 3; }
            if (_e2 > 0 && figure >= _e2) { threshold = _e2; return 2; }
            if (_e1 > 0 && figure >= _e1) { threshold = _e1; return 1; }
            threshold = 0;
            return 0;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Hold(double figure)
        {
            if (_e3 > 0 && figure > _x3) return 3;
            if (_e2 > 0 && figure > _x2) return 2;
            if (_e1 > 0 && figure > _x1) return 1;
            return 0;
        }
    }

    /// <summary>Level, time in it, and since when conditions have allowed a step down (-1: not clear).</summary>
    private struct Machine
    {
        public int Level;
        public long LevelSinceNs;
        public long ClearSinceNs;
        public long NextStepNs;   // scopes are evaluated only when their inputs changed or this time has come
    }

    private struct InstrumentSlot
    {
        public Machine M;
        public bool Active;
        public bool HadTwoSided;
        public bool Hot;              // some input other than the message count is at or above its lowest entry: see Refresh
        public byte TradingLevel;     // from ITCH H
        public byte CollarLevel;      // from ITCH J, cleared by H 'T'
        public byte OperationalLevel; // from ITCH h
        public byte TradingCode;
        public int Sector;
        // price band
        public double RefPrice;
        public long RefTs;
        public double BandFigure;
        // volatility
        public double VolLast;
        public long VolNextNs;
        public double VolVar;
        public double VolFigure;
        // message rate
        public long RateWindowEndNs;
        public int RateCount;
        public bool RateHasBaseline;
        public double RateBaseline;
        public double RateScale;      // 1 / max(baseline, floor), set when a window rolls
        public int RateQuietCount;    // counts below this keep the rate figure under its lowest entry, set when a window rolls
        // spread and one-sided book
        public double SpreadBps;
        public long SpreadSinceNs;
        public long OneSidedSinceNs;

        /// <summary>The message-rate figure: messages in the current window over the baseline (0 before a baseline).</summary>
        public readonly double RateFigure => RateCount * RateScale;
    }

    private readonly bool _enabled;
    private readonly Thresholds _band, _vol, _rate, _spread, _oneSided;
    private readonly long _bandTauNs, _volIntervalNs, _rateWindowNs, _spreadSustainNs, _minHoldNs, _windowNs, _mwcbHoldNs, _throttleNs;
    private readonly double _volAlpha1, _volIntervalSeconds, _rateAlpha, _rateMinBaseline, _bandInvTau, _quietBand, _quietVol, _quietRate, _quietSpread;
    private readonly double _sectorEntry, _sectorExit, _marketEntry, _marketExit;
    private readonly int _minSectorMembers, _minMarketMembers;
    private readonly byte _haltLevel, _pauseLevel, _quoteLevel, _collarLevel, _opHaltLevel, _mwcbLevel;
    private readonly BreakerResponse[] _responses = new BreakerResponse[4];
    private readonly double[] _multipliers = new double[4];

    private readonly InstrumentSlot[] _inst;
    private readonly byte[] _instLevel;       // published: read by other threads
    private readonly int[] _sectorOf;         // compact copy of InstrumentSlot.Sector
    private readonly byte[] _effective;       // published: max(instrument, sector), kept current at every transition
    private readonly int[] _activeIds;        // instruments seen, in order of first event
    private int _activeCount;
    private readonly Machine[] _sector;
    private readonly byte[] _sectorLevel;     // published
    private readonly int[] _sectorMembers;
    private readonly int[] _sectorAtLeast;    // [sector * 4 + level]: active instruments at or above the level
    private readonly bool[] _sectorDirty;
    private Machine _market;
    private int _marketLevel;                 // published
    private int _marketMembers;
    private readonly int[] _marketAtLeast = new int[4];
    private bool _marketDirty;
    private long _mwcbUntilNs = long.MinValue;
    private bool _mwcbActive;
    private int _mwcbFigure;
    private readonly long[] _lastSignalNs;
    private readonly InstrumentTable? _instruments;

    private long _tripsUp;
    private long _stepsDown;
    private readonly long[] _tripsByDetector = new long[9];

    /// <param name="options">Validated here (throws <see cref="BreakerConfigException"/>).</param>
    /// <param name="instruments">Where sectors come from (<see cref="InstrumentTable.Sector"/>); every instrument is sector 0 when null.
    /// An instrument's sector is read once, on its first event.</param>
    public BreakerState(BreakerOptions options, InstrumentTable? instruments = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Validated();
        Options = o;
        _instruments = instruments;
        _enabled = o.Enabled;
        _band = new Thresholds(o.PriceBand.Thresholds, o.PriceBand.Enabled);
        _vol = new Thresholds(o.Volatility.Thresholds, o.Volatility.Enabled);
        _rate = new Thresholds(o.MessageRate.Thresholds, o.MessageRate.Enabled);
        _spread = new Thresholds(o.Spread.Thresholds, o.Spread.Enabled);
        _oneSided = new Thresholds(o.OneSidedBook.Thresholds, o.OneSidedBook.Enabled);
        _bandTauNs = o.PriceBand.ReferenceWindowNs;
        _bandInvTau = 1.0 / _bandTauNs;
        _volIntervalNs = o.Volatility.SampleIntervalNs;
        _volIntervalSeconds = _volIntervalNs / 1e9;
        _volAlpha1 = _volIntervalNs / (double)o.Volatility.WindowNs;
        _rateWindowNs = o.MessageRate.WindowNs;
        _rateAlpha = 1 - Math.Exp(-(double)o.MessageRate.WindowNs / o.MessageRate.BaselineWindowNs);
        _rateMinBaseline = o.MessageRate.MinBaselineMessages;
        _spreadSustainNs = o.Spread.SustainNs;
        _minHoldNs = o.MinHoldNs;
        _quietBand = _band.Enabled ? _band.LowestEntry : double.MaxValue;
        _quietVol = _vol.Enabled ? _vol.LowestEntry : double.MaxValue;
        _quietRate = _rate.Enabled ? _rate.LowestEntry : double.MaxValue;
        _quietSpread = _spread.Enabled ? _spread.LowestEntry : double.MaxValue;
        _windowNs = o.StepDownWindowNs;
        _mwcbHoldNs = o.Exchange.MwcbHoldNs;
        _throttleNs = o.ThrottleIntervalNs;
        _sectorEntry = o.SectorEntryShare; _sectorExit = o.SectorExitShare;
        _marketEntry = o.MarketEntryShare; _marketExit = o.MarketExitShare;
        _minSectorMembers = o.MinSectorMembers;
        _minMarketMembers = o.MinMarketMembers;
        _haltLevel = (byte)BreakerOptions.ParseLevel("breakers.exchange.haltLevel", o.Exchange.HaltLevel);
        _pauseLevel = (byte)BreakerOptions.ParseLevel("breakers.exchange.pauseLevel", o.Exchange.PauseLevel);
        _quoteLevel = (byte)BreakerOptions.ParseLevel("breakers.exchange.quoteOnlyLevel", o.Exchange.QuoteOnlyLevel);
        _collarLevel = (byte)BreakerOptions.ParseLevel("breakers.exchange.collarLevel", o.Exchange.CollarLevel);
        _opHaltLevel = (byte)BreakerOptions.ParseLevel("breakers.exchange.operationalHaltLevel", o.Exchange.OperationalHaltLevel);
        _mwcbLevel = (byte)BreakerOptions.ParseLevel("breakers.exchange.mwcbLevel", o.Exchange.MwcbLevel);
        _responses[1] = BreakerOptions.ParseResponses("breakers.cautionResponses", o.CautionResponses);
        _responses[2] = BreakerOptions.ParseResponses("breakers.restrictedResponses", o.RestrictedResponses);
        _responses[3] = BreakerOptions.ParseResponses("breakers.haltedResponses", o.HaltedResponses);
        for (int i = 0; i < 4; i++) _multipliers[i] = o.ThresholdMultipliers[i];

        _inst = new InstrumentSlot[o.MaxInstruments];
        _instLevel = new byte[o.MaxInstruments];
        _sectorOf = new int[o.MaxInstruments];
        _effective = new byte[o.MaxInstruments];
        _activeIds = new int[o.MaxInstruments];
        _lastSignalNs = new long[o.MaxInstruments];
        Array.Fill(_lastSignalNs, long.MinValue);
        _sector = new Machine[o.MaxSectors];
        _sectorLevel = new byte[o.MaxSectors];
        _sectorMembers = new int[o.MaxSectors];
        _sectorAtLeast = new int[o.MaxSectors * 4];
        _sectorDirty = new bool[o.MaxSectors];
        for (int i = 0; i < _sector.Length; i++)
        {
            _sector[i].ClearSinceNs = -1;
            _sector[i].NextStepNs = long.MaxValue;
        }
        _market.ClearSinceNs = -1;
        _market.NextStepNs = long.MaxValue;
        Transitions = new BoundedLog<BreakerTransition>(o.TransitionLogCapacity);
    }

    /// <summary>The validated options in force.</summary>
    public BreakerOptions Options { get; }

    /// <summary>Every level change, newest <see cref="BreakerOptions.TransitionLogCapacity"/> kept. Any thread may read.</summary>
    public BoundedLog<BreakerTransition> Transitions { get; }

    /// <summary>Level rises over all scopes ("breaker trips" in the run summary).</summary>
    public long TripsUp => Volatile.Read(ref _tripsUp);

    /// <summary>Recovery steps over all scopes.</summary>
    public long StepsDown => Volatile.Read(ref _stepsDown);

    /// <summary>Level rises caused by <paramref name="detector"/>.</summary>
    public long TripsBy(BreakerDetector detector) => (uint)detector < (uint)_tripsByDetector.Length ? Volatile.Read(ref _tripsByDetector[(int)detector]) : 0;

    // ---------------------------------------------------------------- queries (any thread)

    /// <summary>The instrument's own level (Normal for an id out of range).</summary>
    public BreakerLevel InstrumentLevel(int instrument)
        => (uint)instrument < (uint)_instLevel.Length ? (BreakerLevel)Volatile.Read(ref _instLevel[instrument]) : BreakerLevel.Normal;

    /// <summary>A sector's level.</summary>
    public BreakerLevel SectorLevel(int sector)
        => (uint)sector < (uint)_sectorLevel.Length ? (BreakerLevel)Volatile.Read(ref _sectorLevel[sector]) : BreakerLevel.Normal;

    /// <summary>The market's level.</summary>
    public BreakerLevel MarketLevel => (BreakerLevel)Volatile.Read(ref _marketLevel);

    /// <summary>Highest of the instrument's, its sector's and the market's level: what governs its signals. Two loads:
    /// the breaker thread keeps max(instrument, sector) current at every transition of the instrument or its sector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public BreakerLevel EffectiveLevel(int instrument)
    {
        int level = Volatile.Read(ref _marketLevel);
        if ((uint)instrument < (uint)_effective.Length) level = Math.Max(level, Volatile.Read(ref _effective[instrument]));
        return (BreakerLevel)level;
    }

    /// <summary>Responses configured for <paramref name="level"/>.</summary>
    public BreakerResponse ResponsesOf(BreakerLevel level) => _responses[(int)level & 3];

    /// <summary>Allow, Throttle or Suppress for signals on <paramref name="instrument"/>, from its effective level's responses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SignalPolicy SignalPolicyFor(int instrument)
    {
        var r = _responses[(int)EffectiveLevel(instrument)];
        if ((r & BreakerResponse.SuppressSignals) != 0) return SignalPolicy.Suppress;
        return (r & BreakerResponse.ThrottleSignals) != 0 ? SignalPolicy.Throttle : SignalPolicy.Allow;
    }

    /// <summary>Factor (≥ 1) by which pattern thresholds are widened for <paramref name="instrument"/>; 1 unless its level widens thresholds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ThresholdMultiplier(int instrument)
    {
        int level = (int)EffectiveLevel(instrument);
        return (_responses[level] & BreakerResponse.WidenThresholds) != 0 ? _multipliers[level] : 1.0;
    }

    /// <summary>True when pattern stages should run their conservative pattern set for <paramref name="instrument"/>.</summary>
    public bool UseConservativePatterns(int instrument)
        => (_responses[(int)EffectiveLevel(instrument)] & BreakerResponse.ConservativePatterns) != 0;

    /// <summary>
    /// Signal gate for one signal thread: true if a signal on <paramref name="instrument"/> at
    /// <paramref name="exchangeNs"/> may go out (Allow; Throttle at most once per
    /// <see cref="BreakerOptions.ThrottleIntervalNs"/>; never under Suppress). Single caller thread.
    /// </summary>
    public bool TryAdmitSignal(int instrument, long exchangeNs)
    {
        switch (SignalPolicyFor(instrument))
        {
            case SignalPolicy.Allow: return true;
            case SignalPolicy.Suppress: return false;
        }
        if ((uint)instrument >= (uint)_lastSignalNs.Length) return false;
        ref long last = ref _lastSignalNs[instrument];
        if (last != long.MinValue && exchangeNs - last < _throttleNs) return false;
        last = exchangeNs;
        return true;
    }

    /// <summary>Current figure of a detector for an instrument (breaker thread, or tests after the run).</summary>
    public double Figure(int instrument, BreakerDetector detector)
    {
        if ((uint)instrument >= (uint)_inst.Length) return 0;
        ref var s = ref _inst[instrument];
        return detector switch
        {
            BreakerDetector.PriceBand => s.BandFigure,
            BreakerDetector.Volatility => s.VolFigure,
            BreakerDetector.MessageRate => s.RateFigure,
            BreakerDetector.Spread => s.SpreadBps,
            _ => 0,
        };
    }

    // ---------------------------------------------------------------- evaluation (breaker thread)

    /// <summary>
    /// Updates the detectors with one event and moves levels. Breaker stage thread only, events in feed order, after
    /// the book has applied the event (<paramref name="books"/> is read for the top of book when
    /// <see cref="EventFlags.TopChanged"/> is set; may be null). Never allocates or throws on event content.
    /// </summary>
    public void OnEvent<TActions>(ref MarketEvent evt, long monoNs, OrderBookSet? books, ref TActions actions)
        where TActions : struct, IBreakerActions
    {
        if (!_enabled) return;
        long ts = evt.ExchangeTimestampNs;
        int id = evt.Instrument;
        if (evt.Kind == EventKind.MwcbStatus)
        {
            _mwcbUntilNs = ts + _mwcbHoldNs;
            _mwcbFigure = (int)(evt.Aux & 0xFF) - '0';
            _mwcbActive = true;
            _marketDirty = true;
        }
        else if (id > 0 && id < _inst.Length) // locate 0 carries market-wide messages, not an instrument
        {
            ref var s = ref _inst[id];
            if (!s.Active) Activate(id, ref s);
            Observe(ref evt, ref s, ts, books, id);
            EvaluateInstrument(id, ref s, ts, monoNs, ref actions);
            int sector = s.Sector;
            if (_sectorDirty[sector] || ts >= _sector[sector].NextStepNs) EvaluateSector(sector, ts, monoNs, ref actions);
        }
        if (_mwcbActive && ts >= _mwcbUntilNs)
        {
            _mwcbActive = false; // the MWCB hold ended: the market's inputs changed
            _marketDirty = true;
        }
        if (_marketDirty || ts >= _market.NextStepNs) EvaluateMarket(ts, monoNs, ref actions);
    }

    private void RefreshEffective(int id)
    {
        int level = Math.Max(_instLevel[id], _sector[_sectorOf[id]].Level);
        Volatile.Write(ref _effective[id], (byte)level); // release; pairs with the acquire in EffectiveLevel
    }

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
        s.RateQuietCount = int.MaxValue; // no baseline yet: the rate figure is 0
        _sectorMembers[sector]++;
        _marketMembers++;
        _sectorDirty[sector] = true;
        _marketDirty = true;
    }

    private void Observe(ref MarketEvent evt, ref InstrumentSlot s, long ts, OrderBookSet? books, int id)
    {
        // Most events change no input but the message count (deeper book events): only the branches that change one
        // refresh s.Hot, which lets EvaluateInstrument skip its comparisons on calm events.
        bool changed = false;
        switch (evt.Kind)
        {
            case EventKind.TradingAction:
                // ITCH 5.0 §4.2.3: Trading State 'H' halted, 'P' paused (LULD), 'Q' quotation only, 'T' trading.
                byte state = (byte)evt.Aux;
                s.TradingCode = state;
                s.TradingLevel = state switch { (byte)'H' => _haltLevel, (byte)'P' => _pauseLevel, (byte)'Q' => _quoteLevel, _ => 0 };
                if (state == (byte)'T') s.CollarLevel = 0;
                changed = true;
                break;
            case EventKind.OperationalHalt:
                // ITCH 5.0 §4.2.7: Operational Halt Action 'H' halted, 'T' resumed.
                s.OperationalLevel = (byte)(evt.Aux >> 8) == (byte)'H' ? _opHaltLevel : (byte)0;
                changed = true;
                break;
            case EventKind.LuldCollar:
                s.CollarLevel = _collarLevel;
                changed = true;
                break;
            case EventKind.OrderExecuted:
            case EventKind.OrderExecutedWithPrice:
            case EventKind.Trade:
                if (evt.Price > 0)
                {
                    OnPrice(ref s, evt.Price, ts);
                    changed = true;
                }
                break;
        }

        if ((evt.Flags & EventFlags.TopChanged) != 0 && books is not null)
        {
            bool hasBid = books.TryGetBestBid(id, out long bid, out _);
            bool hasAsk = books.TryGetBestAsk(id, out long ask, out _);
            // A change of size only still passes the mid: the band's reference and the volatility grid follow exchange
            // time, and skipping them here was measured slower (the lagging reference kept more instruments off the fast path).
            changed = true;
            if (hasBid && hasAsk)
            {
                double mid = (bid + ask) * 0.5;
                s.HadTwoSided = true;
                s.OneSidedSinceNs = 0;
                s.SpreadBps = ask > bid ? (ask - bid) * 10_000.0 / mid : 0;
                if (s.SpreadBps >= _spread.LowestEntry) { if (s.SpreadSinceNs == 0) s.SpreadSinceNs = ts; }
                else s.SpreadSinceNs = 0;
                OnPrice(ref s, mid, ts);
            }
            else
            {
                s.SpreadBps = 0;
                s.SpreadSinceNs = 0;
                if (s.HadTwoSided && s.OneSidedSinceNs == 0) s.OneSidedSinceNs = ts;
            }
        }

        if (changed) s.Hot = IsHot(in s);
        if (_rate.Enabled) CountMessage(ref s, ts);
    }

    /// <summary>True when an input other than the message count is at or above its lowest entry threshold (or an exchange state is in force).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsHot(in InstrumentSlot s)
        => (s.TradingLevel | s.CollarLevel | s.OperationalLevel) != 0
           || s.BandFigure >= _quietBand || s.VolFigure >= _quietVol
           || (s.SpreadSinceNs != 0 && s.SpreadBps >= _quietSpread) || s.OneSidedSinceNs != 0;

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
        s.BandFigure = Math.Abs(price - s.RefPrice) / s.RefPrice;

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
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CountMessage(ref InstrumentSlot s, long ts)
    {
        if (ts >= s.RateWindowEndNs) RollRateWindow(ref s, ts);
        s.RateCount++; // the figure (RateCount × RateScale) is computed where it is compared, not per event
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RollRateWindow(ref InstrumentSlot s, long ts)
    {
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
        s.RateScale = 1.0 / Math.Max(s.RateBaseline, _rateMinBaseline);
        // RateCount × RateScale < quiet  ⇔  RateCount < quiet / RateScale  ⇔  RateCount < ⌈quiet / RateScale⌉ (integer count)
        s.RateQuietCount = (int)Math.Min(int.MaxValue, Math.Ceiling(_quietRate / s.RateScale));
        s.RateWindowEndNs += k * _rateWindowNs;
    }

    private void EvaluateInstrument<TActions>(int id, ref InstrumentSlot s, long ts, long monoNs, ref TActions actions)
        where TActions : struct, IBreakerActions
    {
        // Fast path, most events of a calm day: at Normal, no exchange state, every figure below every entry threshold.
        // Hot folds the exchange states, band, volatility, spread and one-sided inputs (refreshed when one changes); the
        // message count is the one input that moves on every event, compared as an integer against its quiet bound.
        if (s.M.Level == 0 && !s.Hot && s.RateCount < s.RateQuietCount)
            return;
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
        if (next < 0) return;
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
        _sectorDirty[sector] = true;
        _marketDirty = true;
        Record(BreakerScope.Instrument, id, from, next, detector, figure, threshold, ts, monoNs, ref actions);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Consider(in Thresholds t, double value, BreakerDetector d, ref int desired, ref int hold,
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

    private static void Move(ref Machine m, int level, long ts)
    {
        bool down = level < m.Level;
        m.Level = level;
        m.LevelSinceNs = ts;
        // After a step down the conditions are still clear, but the next step needs a full window of its own.
        m.ClearSinceNs = down ? ts : -1;
        m.NextStepNs = long.MinValue; // evaluate again at the next event
    }

    private void EvaluateSector<TActions>(int sector, long ts, long monoNs, ref TActions actions) where TActions : struct, IBreakerActions
    {
        _sectorDirty[sector] = false;
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
        if (to > from)
        {
            Interlocked.Increment(ref _tripsUp);
            Interlocked.Increment(ref _tripsByDetector[(int)detector]);
            var r = _responses[to];
            if ((r & BreakerResponse.CancelAll) != 0) actions.CancelAll(in t);
            if ((r & BreakerResponse.Alert) != 0) actions.Alert(in t);
        }
        else Interlocked.Increment(ref _stepsDown);
    }
}
