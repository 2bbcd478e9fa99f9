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
/// <remarks>One class in partial files by concern: this one holds the state and construction; BreakerState.Reconfigure
/// (new settings), .Queries (any thread), .Evaluation (per-event entry), .Detectors (inputs and triggers), .Levels
/// (level machines and the transition log).</remarks>
public sealed partial class BreakerState
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
}
