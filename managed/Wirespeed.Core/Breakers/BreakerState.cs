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
 * Cost per event (the calm case is most of a day): an instrument is evaluated against its thresholds only when a
 * trigger fires (SetTriggers): an input moved outside the range in which it cannot change a level (EvalDueNs =
 * long.MinValue), the message count reached the figure at which the rate could (EvalDueCount), a time-driven input or a
 * step-down falls due (EvalDueNs), or its sector's or the market's check is due. Otherwise an event counts itself and
 * passes the call-free common path (TryCommon: five integer compares). Volatility takes a logarithm once per sample
 * interval per instrument, never per event.
 *
 * Reconfiguration at run time (SIGHUP): TryPrepare validates and compiles new settings on the calling thread;
 * Reconfigure hands them over, and the breaker thread takes them at the start of its next event, so every event is
 * evaluated under exactly one set. Levels, hold timers and detector state carry over: see TakePending for what each
 * kind of change does to the state.
 *
 * Graceful degradation: breakers never drop, delay or alter an event; books and recording upstream are untouched.
 * They only answer the queries of the stages after them (patterns, signals) and call IBreakerActions.
 */
using System;
using Wirespeed.Core.Signals;
using System.Runtime.CompilerServices;
using System.Threading;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Breakers;

/// <summary>Breaker levels of every scope, the detectors that move them, and the query API for the stages after them.</summary>
public sealed class BreakerState
{
    /// <summary>Level, time in it, and since when conditions have allowed a step down (-1: not clear).</summary>
    private struct Machine
    {
        public int Level;
        public long LevelSinceNs;
        public long ClearSinceNs;
        public long NextStepNs;   // scopes are evaluated only when their inputs changed (long.MinValue) or this time has come
    }

    /// <summary>One instrument. The fields every event reads come first (one cache line); the detectors' state follows.</summary>
    private struct InstrumentSlot
    {
        public Machine M;
        public long EvalDueNs;        // evaluate at the first event at or after this (long.MinValue: an input moved)
        public long RateWindowEndNs;
        public int RateCount;
        public int EvalDueCount;      // ... or once RateCount reaches this (the rate figure may then reach RateHigh)
        public int Sector;
        public bool Active;
        public bool HadTwoSided;
        public byte TradingLevel;     // levels the exchange states impose, from the raw states below and the settings
        public byte CollarLevel;
        public byte OperationalLevel;
        public byte TradingCode;      // ITCH H trading state in force (0 before any)
        public bool Collar;           // ITCH J collar published, cleared by H 'T'
        public bool OperationalHalt;  // ITCH h action 'H' in force
        // price band
        public double RefPrice;
        public long RefTs;
        public double BandMove;       // |last price - RefPrice|: the figure without its division (see BandFigure)
        public double BandLow, BandHigh; // see Steady: between them the band figure cannot change an evaluation
        // volatility
        public long VolNextNs;
        public double VolFigure;
        public double VolLast;
        public double VolVar;         // EWMA of squared log returns per sample interval
        public double VolLow, VolHigh;
        // spread and one-sided book
        public long Bid;              // best prices at the last top-of-book change
        public long Ask;
        public bool TwoSided;
        public double SpreadNumerator; // (ask - bid) × 10^4, 0 unless ask > bid: the figure without its division (see SpreadBps)
        public double SpreadMid;
        public long SpreadSinceNs;
        public long OneSidedSinceNs;
        // message rate
        public double RateBaseline;   // messages per window
        public double RateScale;      // 1 / max(baseline, floor), set when a window rolls
        public double RateHigh;       // the rate figure rises within a window: only its upper bound matters
        public bool RateHasBaseline;

        /// <summary>The message-rate figure: messages in the current window over the baseline (0 before a baseline).</summary>
        public readonly double RateFigure => RateCount * RateScale;

        /// <summary>The price-band figure: move of the last price from the reference, as a fraction of the reference.</summary>
        public readonly double BandFigure => RefPrice != 0 ? BandMove / RefPrice : 0;

        /// <summary>The spread figure in basis points of the mid (0 for a one-sided or crossed book).</summary>
        public readonly double SpreadBps => SpreadNumerator > 0 ? SpreadNumerator / SpreadMid : 0;
    }

    /// <summary>EventKind values (all below 64) of exchange-declared states, and of trades whose price passes to the band and volatility.</summary>
    private const ulong ExchangeStateKinds = 1UL << (int)EventKind.TradingAction | 1UL << (int)EventKind.OperationalHalt | 1UL << (int)EventKind.LuldCollar;
    private const ulong TradeKinds = KindSet.Executions;
    /// <summary>Kinds whose content moves an input other than the message count.</summary>
    private const ulong InputKinds = ExchangeStateKinds | TradeKinds;
    /// <summary>Kinds the common path leaves to the full one: exchange states and MWCB status.</summary>
    private const ulong FullPathKinds = ExchangeStateKinds | 1UL << (int)EventKind.MwcbStatus;

    private const int DetectorCount = (int)BreakerDetector.Reconfigured + 1;

    // Settings in force, copied from _settings by the breaker thread (constructor, TakePending): the hot path reads
    // plain fields of this object.
    private bool _enabled;
    private int _gate;                         // Disabled | Pending: the hot path tests both with one load
    private const int Disabled = 1, Pending = 2;
    private DetectorThresholds _band, _vol, _rate, _spread, _oneSided;
    private long _volIntervalNs, _rateWindowNs, _spreadSustainNs, _minHoldNs, _windowNs, _mwcbHoldNs;
    private double _volAlpha1, _volIntervalSeconds, _rateAlpha, _rateMinBaseline, _bandInvTau;
    private double _sectorEntry, _sectorExit, _marketEntry, _marketExit;
    private int _minSectorMembers, _minMarketMembers;
    private byte _collarLevel, _opHaltLevel, _mwcbLevel;
    private BreakerSettings _settings;         // in force; published for the query threads (responses, multipliers, throttle)
    private BreakerSettings? _pending;         // handed over by Reconfigure, taken by the breaker thread at its next event
    private readonly object _reconfigureGate = new();
    private BreakerSettings _newest;           // the newest settings handed over, in force or pending: under _reconfigureGate
                                               // (not "_pending ?? _settings": between the breaker thread taking _pending and
                                               // applying it, that would read the settings being replaced)
    private long _rejected;

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
    private Machine _market;
    private int _marketLevel;                 // published
    private int _marketMembers;
    private readonly int[] _marketAtLeast = new int[4];
    private readonly int[] _scopesAtLeast = new int[4]; // [level]: scopes of any kind at or above it
    private bool _marketDirty;
    private long _marketCheckNs = long.MaxValue; // min(market's next step, MWCB end); long.MinValue when dirty: one compare per event
    private long _mwcbAtNs;
    private long _mwcbUntilNs = long.MinValue;
    private bool _mwcbActive;
    private int _mwcbFigure;
    private readonly long[] _lastSignalNs;
    private readonly InstrumentTable? _instruments;

    private long _tripsUp;
    private long _stepsDown;
    private readonly long[] _tripsByDetector = new long[DetectorCount];

    /// <param name="options">Validated here (throws <see cref="BreakerConfigException"/>).</param>
    /// <param name="instruments">Where sectors come from (<see cref="InstrumentTable.Sector"/>); every instrument is sector 0 when null.
    /// An instrument's sector is read once, on its first event.</param>
    public BreakerState(BreakerOptions options, InstrumentTable? instruments = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new BreakerSettings(options, 1);
        var o = settings.Options;
        _instruments = instruments;
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
        for (int i = 0; i < _sector.Length; i++)
        {
            _sector[i].ClearSinceNs = -1;
            _sector[i].NextStepNs = long.MaxValue;
        }
        _market.ClearSinceNs = -1;
        _market.NextStepNs = long.MaxValue;
        Transitions = new BoundedLog<BreakerTransition>(o.TransitionLogCapacity);
        _settings = settings;
        _newest = settings;
        Apply(settings);
    }

    /// <summary>The validated options in force (the newest reload once the breaker thread has taken it).</summary>
    public BreakerOptions Options => Volatile.Read(ref _settings).Options;

    /// <summary>
    /// Tests only: evaluate every instrument at every event, as if no trigger could be trusted. The transitions, figures
    /// and levels must be exactly those of the triggered evaluation (BreakerEvaluationEquivalenceTests).
    /// </summary>
    internal bool EvaluateEveryEvent { get; set; }

    /// <summary>The settings in force. Any thread.</summary>
    public BreakerSettings Settings => Volatile.Read(ref _settings);

    /// <summary>Reconfigurations refused (<see cref="TryPrepare"/> failures).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Every level change, newest <see cref="BreakerOptions.TransitionLogCapacity"/> kept. Any thread may read.</summary>
    public BoundedLog<BreakerTransition> Transitions { get; }

    /// <summary>Level rises over all scopes ("breaker trips" in the run summary).</summary>
    public long TripsUp => Volatile.Read(ref _tripsUp);

    /// <summary>Recovery steps over all scopes.</summary>
    public long StepsDown => Volatile.Read(ref _stepsDown);

    /// <summary>Level rises caused by <paramref name="detector"/>.</summary>
    public long TripsBy(BreakerDetector detector) => (uint)detector < (uint)_tripsByDetector.Length ? Volatile.Read(ref _tripsByDetector[(int)detector]) : 0;

    // ---------------------------------------------------------------- reconfiguration (cold path, any thread)

    /// <summary>
    /// Validates and compiles <paramref name="options"/> for a reload, without touching the settings in force. False with
    /// <paramref name="error"/> naming the field and the fix when invalid, or when it changes a setting fixed at start-up
    /// (maxInstruments, maxSectors, transitionLogCapacity: tables and the log are sized once). <paramref name="next"/> is
    /// null when nothing differs from the newest settings. Hand the result to <see cref="Reconfigure"/>.
    /// </summary>
    public bool TryPrepare(BreakerOptions options, out BreakerSettings? next, out string? error)
    {
        lock (_reconfigureGate) // serialises reconfigurations only; the breaker thread never takes it
        {
            next = null;
            try
            {
                if (options is null) throw new BreakerConfigException("breakers", "breakers: configuration section missing.");
                var newest = _newest;
                var old = newest.Options;
                options.Validated();
                if (options.MaxInstruments != old.MaxInstruments)
                    throw BreakerConfigException.Field("breakers.maxInstruments", options.MaxInstruments, $"cannot change at run time (running with {old.MaxInstruments}); restart to resize");
                if (options.MaxSectors != old.MaxSectors)
                    throw BreakerConfigException.Field("breakers.maxSectors", options.MaxSectors, $"cannot change at run time (running with {old.MaxSectors}); restart to resize");
                if (options.TransitionLogCapacity != old.TransitionLogCapacity)
                    throw BreakerConfigException.Field("breakers.transitionLogCapacity", options.TransitionLogCapacity, $"cannot change at run time (running with {old.TransitionLogCapacity}); restart to resize");
                var candidate = new BreakerSettings(options, newest.Version + 1, newest);
                error = null;
                if (candidate.Changes.Count > 0) next = candidate;
                return true;
            }
            catch (BreakerConfigException e)
            {
                Interlocked.Increment(ref _rejected);
                error = e.Message;
                return false;
            }
        }
    }

    /// <summary>
    /// Hands <paramref name="next"/> (from <see cref="TryPrepare"/> on this state, the newest prepared) to the breaker
    /// thread, which applies it at the start of its next event and records a <see cref="BreakerDetector.Reconfigured"/>
    /// transition. Until then the old settings stay in force (an idle line changes nothing). Any thread, cold path.
    /// </summary>
    public void Reconfigure(BreakerSettings next)
    {
        ArgumentNullException.ThrowIfNull(next);
        lock (_reconfigureGate)
        {
            if (next.Version != _newest.Version + 1)
                throw new InvalidOperationException($"breaker settings v{next.Version} were prepared against v{next.Version - 1}, but v{_newest.Version} is the newest: prepare again");
            _newest = next;
            Volatile.Write(ref _pending, next); // release: the settings are complete before the breaker thread can see them
            Interlocked.Or(ref _gate, Pending);
        }
    }

    /// <summary><see cref="TryPrepare"/> then <see cref="Reconfigure"/>; true also when nothing changed.</summary>
    public bool TryReconfigure(BreakerOptions options, out string? error)
    {
        if (!TryPrepare(options, out var next, out error)) return false;
        if (next is not null) Reconfigure(next);
        return true;
    }

    /// <summary>Copies the hot-path fields of <paramref name="s"/> into this object and publishes it. Breaker thread (or constructor).</summary>
    private void Apply(BreakerSettings s)
    {
        _enabled = s.Enabled;
        if (s.Enabled) Interlocked.And(ref _gate, ~Disabled);
        else Interlocked.Or(ref _gate, Disabled);
        _band = s.Band; _vol = s.Vol; _rate = s.Rate; _spread = s.Spread; _oneSided = s.OneSided;
        _bandInvTau = s.BandInvTau;
        _volIntervalNs = s.VolIntervalNs;
        _volIntervalSeconds = s.VolIntervalSeconds;
        _volAlpha1 = s.VolAlpha1;
        _rateWindowNs = s.RateWindowNs;
        _rateAlpha = s.RateAlpha;
        _rateMinBaseline = s.RateMinBaseline;
        _spreadSustainNs = s.SpreadSustainNs;
        _minHoldNs = s.MinHoldNs;
        _windowNs = s.WindowNs;
        _mwcbHoldNs = s.MwcbHoldNs;
        _sectorEntry = s.SectorEntry; _sectorExit = s.SectorExit;
        _marketEntry = s.MarketEntry; _marketExit = s.MarketExit;
        _minSectorMembers = s.MinSectorMembers;
        _minMarketMembers = s.MinMarketMembers;
        _collarLevel = s.CollarLevel;
        _opHaltLevel = s.OpHaltLevel;
        _mwcbLevel = s.MwcbLevel;
        Volatile.Write(ref _settings, s); // release; pairs with the acquire of the queries
    }

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

    /// <summary>
    /// True when some scope (instrument, sector or the market) is at <paramref name="level"/> or above: when false, every
    /// instrument's effective level is below it, so a per-instrument query can be skipped. One load; any thread (as
    /// fresh as <see cref="EffectiveLevel"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool AnyAtOrAbove(BreakerLevel level) => Volatile.Read(ref _scopesAtLeast[(int)level & 3]) != 0 || level == BreakerLevel.Normal;

    /// <summary>Responses configured for <paramref name="level"/>.</summary>
    public BreakerResponse ResponsesOf(BreakerLevel level) => Volatile.Read(ref _settings).Responses[(int)level & 3];

    /// <summary>Allow, Throttle or Suppress for signals on <paramref name="instrument"/>, from its effective level's responses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SignalPolicy SignalPolicyFor(int instrument)
    {
        var r = Volatile.Read(ref _settings).Responses[(int)EffectiveLevel(instrument)];
        if ((r & BreakerResponse.SuppressSignals) != 0) return SignalPolicy.Suppress;
        return (r & BreakerResponse.ThrottleSignals) != 0 ? SignalPolicy.Throttle : SignalPolicy.Allow;
    }

    /// <summary>Factor (≥ 1) by which pattern thresholds are widened for <paramref name="instrument"/>; 1 unless its level widens thresholds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ThresholdMultiplier(int instrument)
    {
        int level = (int)EffectiveLevel(instrument);
        var settings = Volatile.Read(ref _settings); // one set for both reads
        return (settings.Responses[level] & BreakerResponse.WidenThresholds) != 0 ? settings.Multipliers[level] : 1.0;
    }

    /// <summary>True when pattern stages should run their conservative pattern set for <paramref name="instrument"/>.</summary>
    public bool UseConservativePatterns(int instrument)
        => (Volatile.Read(ref _settings).Responses[(int)EffectiveLevel(instrument)] & BreakerResponse.ConservativePatterns) != 0;

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
        if (last != long.MinValue && exchangeNs - last < Volatile.Read(ref _settings).ThrottleNs) return false;
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

    /// <summary>
    /// Takes the settings handed over by <see cref="Reconfigure"/> (breaker thread, before the event at
    /// <paramref name="ts"/>). What carries over: every level, hold timer and recovery window; the reference price, the
    /// volatility EWMA (rescaled when the sample interval changes, so the figure in σ per √s is the same) and the
    /// message-rate baseline (rescaled when the window changes; the window in progress ends at its old length). What the
    /// new settings decide at once: the fast-path bounds of every instrument, the levels the exchange states in force
    /// impose (a halt declared under haltLevel "halted" now imposes the new haltLevel), whether a wide spread has
    /// started its sustain time (from now, if the new lowest entry makes it wide), and the MWCB hold (from the breach).
    /// Scopes are re-evaluated at their next event: a level the new thresholds no longer hold steps down after the
    /// recovery window as usual; one they exceed rises at once. Responses apply from the next query; a level's entry
    /// actions (cancel-all, alert) fire at the next entry into it. Turning the breakers off puts every scope back to
    /// Normal now (recorded as Reconfigured transitions); turning them on again starts every detector afresh, as at
    /// start-up, since nothing was observed in between.
    /// </summary>
    private void TakePending<TActions>(long ts, long monoNs, ref TActions actions) where TActions : struct, IBreakerActions
    {
        var next = Interlocked.Exchange(ref _pending, null);
        if (next is null) return;
        var old = _settings;
        bool wasEnabled = _enabled;
        Apply(next);
        double volScale = (double)next.VolIntervalNs / old.VolIntervalNs;
        double rateScale = (double)next.RateWindowNs / old.RateWindowNs;
        for (int i = 0; i < _activeCount; i++)
        {
            int id = _activeIds[i];
            ref var s = ref _inst[id];
            if (!wasEnabled && _enabled) ResetDetectors(ref s);
            s.VolVar *= volScale;
            if (s.RateHasBaseline)
            {
                s.RateBaseline *= rateScale;
                SetRateScale(ref s);
            }
            RefreshExchangeLevels(ref s);
            if (SpreadAtLeast(in s, _spread.LowestEntry)) { if (s.SpreadSinceNs == 0) s.SpreadSinceNs = ts; }
            else s.SpreadSinceNs = 0;
            s.EvalDueNs = long.MinValue; // every instrument is evaluated under the new thresholds at its next event
        }
        if (!wasEnabled && _enabled) _mwcbActive = false;
        if (_mwcbActive) _mwcbUntilNs = _mwcbAtNs + _mwcbHoldNs;
        for (int i = 0; i < _sector.Length; i++) _sector[i].NextStepNs = long.MinValue;
        MarkMarketDirty();
        if (wasEnabled && !_enabled) AllToNormal(ts, monoNs, ref actions);
        Record(BreakerScope.Market, 0, _market.Level, _market.Level, BreakerDetector.Reconfigured, next.Version, old.Version, ts, monoNs, ref actions);
    }

    /// <summary>The breakers were turned off: every scope back to Normal at once (nothing would move them again).</summary>
    private void AllToNormal<TActions>(long ts, long monoNs, ref TActions actions) where TActions : struct, IBreakerActions
    {
        for (int i = 0; i < _activeCount; i++)
        {
            int id = _activeIds[i];
            ref var s = ref _inst[id];
            int from = s.M.Level;
            if (from == 0) continue;
            Move(ref s.M, 0, ts);
            Volatile.Write(ref _instLevel[id], 0);
            for (int l = 1; l <= from; l++)
            {
                _sectorAtLeast[s.Sector * 4 + l]--;
                _marketAtLeast[l]--;
            }
            Record(BreakerScope.Instrument, id, from, 0, BreakerDetector.Reconfigured, 0, 0, ts, monoNs, ref actions);
        }
        for (int sector = 0; sector < _sector.Length; sector++)
        {
            int from = _sector[sector].Level;
            if (from == 0) continue;
            Move(ref _sector[sector], 0, ts);
            Volatile.Write(ref _sectorLevel[sector], 0);
            Record(BreakerScope.Sector, sector, from, 0, BreakerDetector.Reconfigured, 0, 0, ts, monoNs, ref actions);
        }
        for (int i = 0; i < _activeCount; i++) RefreshEffective(_activeIds[i]);
        if (_market.Level != 0)
        {
            int from = _market.Level;
            Move(ref _market, 0, ts);
            Volatile.Write(ref _marketLevel, 0);
            Record(BreakerScope.Market, 0, from, 0, BreakerDetector.Reconfigured, 0, 0, ts, monoNs, ref actions);
        }
    }

    /// <summary>Detector state as on an instrument's first event (breakers turned on again at run time).</summary>
    private static void ResetDetectors(ref InstrumentSlot s)
    {
        var fresh = new InstrumentSlot { M = s.M, Sector = s.Sector, Active = true, EvalDueNs = long.MinValue };
        s = fresh;
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
