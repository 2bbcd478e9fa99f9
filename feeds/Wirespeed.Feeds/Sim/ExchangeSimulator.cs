using System;
using System.Runtime.CompilerServices;

namespace Wirespeed.Feeds.Sim;

/*
 * Deterministic exchange simulator: one ITCH 5.0 message per call, from a seeded random stream.
 *
 * Prices. Each instrument has a "base" price following a correlated random walk, updated every PriceStepNs of virtual
 * time: r_i = σ·(√ρm·M + √ρs·S_sector(i) + √(1−ρm−ρs)·ε_i), with M, S, ε standard normal. The mid is base × level(t),
 * where level(t) is the deterministic shape of the scenario (crash and recovery, news jump, correlated move), so the
 * scenario's signature sits on top of ordinary noise and ground truth is exact.
 *
 * Order flow. Every instrument keeps its live orders in a fixed slice of pre-allocated arrays (swap-remove), so every
 * cancel, execute, delete and replace references a live order and no size goes negative. Adds are placed on the tick
 * grid around the mid and never cross the opposite best price; executions take the oldest order at the best price of
 * the side that is stale against the mid (this is how the book follows the mid down in a crash).
 *
 * Scripted messages (start of day, halts, collars, crosses, end of day) are encoded into a FIFO of 64-byte slots and
 * emitted before random flow; their timestamps are patched when they leave. Nothing allocates after construction.
 *
 * Venues. Draws are of two kinds. Price draws set the price path: the opening prices, the crash depths, the sign of
 * the CorrelatedMove and the random walk's normals (constructor, PriceStep). Flow draws shape the book around it: which
 * instrument gets a message, the kind of message, sides, levels, sizes, MPIDs, which order is hit, and the auction
 * sizes and imbalance sides of the crosses (PickInstrument, OrderFlow and below, QueueCross; cross prices are the mid).
 * Price draws come from _price and flow draws from Flow. In venue 0 Flow is _price itself, so the draws interleave in
 * one stream exactly as before venues existed and the output is unchanged. That interleaving is also why venue v > 0
 * cannot simply own a second price stream: venue 0's walk takes its normals from wherever venue 0's flow left the shared
 * stream, which depends on venue 0's book. So venue v > 0 runs venue 0 (same options) beside it as a shadow, one message
 * for each of its own, and shares the shadow's price arrays; its Flow is a stream of its own seeded from (Seed, Venue).
 * Both venues then quote around the same mids at the same virtual times (the clock depends on the message count and
 * the scenario only, and halts on the mids only), with different books. The price of this: a venue v > 0 does the work
 * of two simulators per message (still allocation-free).
 */

/// <summary>
/// Generates a deterministic ITCH 5.0 message stream (same options → byte-identical output). Single-threaded.
/// </summary>
public sealed partial class ExchangeSimulator
{
    /// <summary>Longest message this simulator emits (NOII, 50 bytes).</summary>
    public const int MaxMessageLength = 50;

    /// <summary>Price tick, $0.01 in Price(4) units (ITCH 5.0 Data Types: 4 implied decimals).</summary>
    public const uint Tick = 100;

    private const int SlotBytes = 64;
    private static readonly uint ReasonLuldPause = Ascii4("LUDP");
    private static readonly uint ReasonNone = Ascii4("    ");

    private readonly SimulatorOptions _o;
    // Price draws; in venue 0 also the flow draws (see Flow). Unused in venue v > 0, whose prices come from _shadow.
    private SimRandom _price;
    // Flow draws of venue v > 0, seeded from (Seed, Venue); unused in venue 0.
    private SimRandom _venueFlow;
    // Venue v > 0: venue 0 of the same options, run one message per message of this one to keep the price path (header).
    private readonly ExchangeSimulator? _shadow;
    private readonly byte[]? _shadowDst;
    private readonly int _n;
    private readonly int _cap;
    private readonly double _stepSigma;
    private readonly double _baseIntervalNs;

    private readonly ulong[] _stock;
    private readonly int[] _sector;
    private readonly double[] _base;
    private readonly double[] _crashDepth;
    private readonly double[] _luldRef;
    private readonly long[] _haltUntil;
    private readonly bool[] _pausedOnce;
    private readonly double[] _sectorShock;
    private readonly uint[] _initialPrice;

    private readonly ulong[] _ordRef;
    private readonly uint[] _ordShares;
    private readonly uint[] _ordPrice;
    private readonly byte[] _ordSide;
    private readonly int[] _count;

    private readonly byte[] _pending;
    private readonly int[] _pendingLen;
    private readonly int _pendingMask;
    private long _pHead;
    private long _pTail;

    private readonly long[] _typeCounts = new long[256];

    private double _clockNs;
    private long _nextStepNs;
    private ulong _nextRef = 1;
    private ulong _nextMatch = 1;
    private long _messages;
    private bool _endQueued;
    private bool _finished;
    private bool _onsetSeen;
    private bool _closeQueued;

    private readonly double[]? _activityCdf;
    private readonly long _onsetNs;
    private readonly long _moveEndNs;
    private readonly long _recoveryEndNs;
    private readonly double _correlatedSign;

    /// <summary>Builds the instruments, their sectors and opening prices, and queues the start-of-day messages.</summary>
    public ExchangeSimulator(SimulatorOptions options)
    {
        _o = (options ?? throw new ArgumentNullException(nameof(options))).Validated();
        _n = _o.Instruments;
        _cap = _o.MaxLiveOrdersPerInstrument;
        _stepSigma = _o.VolatilityPerSqrtSecond * Math.Sqrt(_o.PriceStepNs / 1e9);
        _baseIntervalNs = 1e9 / _o.MessagesPerSecond;
        _clockNs = _o.StartTimeNs;
        _nextStepNs = _o.StartTimeNs + _o.PriceStepNs;
        _onsetNs = _o.StartTimeNs + _o.EventOffsetNs;
        _moveEndNs = _onsetNs + _o.EventDurationNs;
        _recoveryEndNs = _moveEndNs + _o.RecoveryDurationNs;

        _stock = new ulong[_n];
        _sector = new int[_n];
        _luldRef = new double[_n];
        _haltUntil = new long[_n];
        _pausedOnce = new bool[_n];
        _sectorShock = new double[_o.Sectors];
        _ordRef = new ulong[_n * _cap];
        _ordShares = new uint[_n * _cap];
        _ordPrice = new uint[_n * _cap];
        _ordSide = new byte[_n * _cap];
        _count = new int[_n];
        _activityCdf = ActivityCdf(_n, _o.ActivitySkew);

        for (int i = 0; i < _n; i++)
        {
            _sector[i] = i % _o.Sectors;
            _stock[i] = ItchMessageWriter.PackStock(SymbolOf(i + 1, _o.Sectors));
        }
        if (_o.Venue == 0)
        {
            _price = new SimRandom(_o.Seed);
            _base = new double[_n];
            _crashDepth = new double[_n];
            _initialPrice = new uint[_n];
            for (int i = 0; i < _n; i++)
            {
                double dollars = 20 + 180 * _price.NextDouble();
                _base[i] = Math.Round(dollars * 100) * Tick;
                _initialPrice[i] = (uint)_base[i];
                _crashDepth[i] = _o.Magnitude * (0.75 + 0.5 * _price.NextDouble());
            }
            _correlatedSign = _price.NextDouble() < 0.5 ? -1 : 1;
        }
        else
        {
            // The shadow draws the opening prices, crash depths and sign (and its own start-of-day cross sizes) from the
            // seed as venue 0 does; this venue reads its arrays, and _base keeps following its walk (PriceStep).
            _shadow = new ExchangeSimulator(_o with { Venue = 0 });
            _shadowDst = new byte[MaxMessageLength];
            _base = _shadow._base;
            _crashDepth = _shadow._crashDepth;
            _initialPrice = _shadow._initialPrice;
            _correlatedSign = _shadow._correlatedSign;
            _venueFlow = new SimRandom(FlowSeed(_o.Seed, _o.Venue));
        }

        int slots = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(9 * _n + 64));
        _pending = new byte[slots * SlotBytes];
        _pendingLen = new int[slots];
        _pendingMask = slots - 1;

        Truth = new SimGroundTruth(_o.Scenario, _n) { SessionStartNs = _o.StartTimeNs };
        SetUpTruth();
        QueueStartOfDay();
    }

    /// <summary>The validated options.</summary>
    public SimulatorOptions Options => _o;
    /// <summary>What the scenario did, for checks.</summary>
    public SimGroundTruth Truth { get; }
    /// <summary>Virtual clock, ns since midnight: the timestamp of the next message.</summary>
    public long VirtualTimeNs => (long)_clockNs;
    /// <summary>Messages emitted so far.</summary>
    public long MessagesEmitted => _messages;
    /// <summary>True once the end-of-day messages have all been emitted; <see cref="NextMessage"/> then returns 0.</summary>
    public bool IsFinished => _finished;
    /// <summary>Number of instruments; their stock locates are 1..N.</summary>
    public int InstrumentCount => _n;

    /// <summary>Messages of one type emitted so far.</summary>
    public long CountOf(char type) => _typeCounts[(byte)type];
    /// <summary>Symbol of the instrument with stock locate <paramref name="locate"/>, as 8 space-padded ASCII bytes packed big-endian.</summary>
    public ulong StockOf(int locate) => _stock[locate - 1];
    /// <summary>Sector of the instrument with stock locate <paramref name="locate"/>.</summary>
    public int SectorOf(int locate) => _sector[locate - 1];

    /// <summary>
    /// Symbol the simulator gives stock locate <paramref name="locate"/> (1-based) when it has <paramref name="sectors"/>
    /// sectors: the sector letter (sector = (locate − 1) mod sectors), then the instrument's number within the sector in
    /// base 26 (AAAA, AAAB, … BAAA …): unique, alphabetic like NASDAQ symbols, and independent of the seed, so a
    /// configuration can name simulated instruments before the run.
    /// </summary>
    public static string SymbolOf(int locate, int sectors)
    {
        if (locate < 1) throw new ArgumentOutOfRangeException(nameof(locate), $"locate={locate} must be ≥ 1");
        if (sectors < 1) throw new ArgumentOutOfRangeException(nameof(sectors), $"sectors={sectors} must be ≥ 1");
        int i = locate - 1, k = i / sectors;
        Span<char> sym = stackalloc char[4];
        sym[0] = (char)('A' + i % sectors % 26);
        sym[1] = (char)('A' + k / 676 % 26);
        sym[2] = (char)('A' + k / 26 % 26);
        sym[3] = (char)('A' + k % 26);
        return new string(sym);
    }
    /// <summary>Opening price of the instrument, Price(4).</summary>
    public uint InitialPriceOf(int locate) => _initialPrice[locate - 1];
    /// <summary>Live orders the simulator holds for the instrument.</summary>
    public int LiveOrdersOf(int locate) => _count[locate - 1];
    /// <summary>Current fair (mid) price the flow is built around, Price(4) units, unrounded; the same in every venue at the same virtual time.</summary>
    public double MidOf(int locate) => Mid(locate - 1, (long)_clockNs);

    /// <summary>The stream flow draws come from: the price stream itself in venue 0 (the pre-venue draw order), else the venue's own.</summary>
    private ref SimRandom Flow
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (_shadow is null) return ref _price;
            return ref _venueFlow;
        }
    }

    /// <summary>
    /// Seed of venue <paramref name="venue"/>'s flow stream. Mixed (murmur3's 64-bit finalizer) rather than added: SimRandom
    /// seeds through SplitMix64, whose streams for seeds s and s + k·γ are the same stream shifted, so Seed + Venue (or
    /// Seed + Venue·γ) would make venues of neighbouring seeds replay each other's draws.
    /// </summary>
    private static ulong FlowSeed(ulong seed, int venue) => Fmix64(seed ^ Fmix64((ulong)venue));

    private static ulong Fmix64(ulong z)
    {
        z = (z ^ (z >> 33)) * 0xFF51AFD7ED558CCDUL;
        z = (z ^ (z >> 33)) * 0xC4CEB9FE1A85EC53UL;
        return z ^ (z >> 33);
    }

    /// <summary>
    /// Writes the next message at the start of <paramref name="dst"/> (at least <see cref="MaxMessageLength"/> bytes) and
    /// returns its length, or 0 when the session has ended. Timestamps come from the virtual clock.
    /// </summary>
    public int NextMessage(Span<byte> dst)
    {
        if (_finished) return 0;
        if (dst.Length < MaxMessageLength) ThrowShort();
        long now = (long)_clockNs;
        while (now >= _nextStepNs) PriceStep(_nextStepNs);
        // Venue v > 0: the shadow makes its message for the same virtual time after the same steps, as venue 0 alone would,
        // so its flow draws land between the same walk steps. Before Scenario: a session end the shadow reaches itself
        // happens inside its own Scenario, as alone (EndSession below then finds it queued).
        if (_shadow is not null) _shadow.NextMessage(_shadowDst);
        Scenario(now);

        int len;
        if (_pTail != _pHead) len = PopPending(dst, now);
        else if (_endQueued)
        {
            _finished = true;
            return 0;
        }
        else len = OrderFlow(dst, now);

        _typeCounts[dst[0]]++;
        _messages++;
        _clockNs += _baseIntervalNs / Activity(now);
        return len;
    }

    /// <summary>Queues the closing cross and the end-of-day system events; after them <see cref="NextMessage"/> returns 0.</summary>
    public void EndSession()
    {
        if (_endQueued) return;
        _shadow?.EndSession();   // at the same message as this venue, so its closing-cross draws sit where venue 0's would
        long now = (long)_clockNs;
        Truth.SessionEndNs = now;
        QueueCloseCross();
        QueueSystemEvent((byte)'M');
        QueueSystemEvent((byte)'E');
        QueueSystemEvent((byte)'C');
        _endQueued = true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowShort() => throw new ArgumentException($"Destination must hold at least {MaxMessageLength} bytes.", "dst");

    private static uint Ascii4(string s) => (uint)(s[0] << 24 | s[1] << 16 | s[2] << 8 | s[3]);

    // ---- scenario shape -------------------------------------------------------------------------------------------

    private void SetUpTruth()
    {
        var t = Truth;
        switch (_o.Scenario)
        {
            case SimScenario.FlashCrash:
                t.AffectedInstruments = AllLocates();
                t.IntendedMove = -_o.Magnitude;
                break;
            case SimScenario.NewsSpike:
            {
                int m = 0;
                for (int i = 0; i < _n; i++) if (_sector[i] == _o.AffectedSector) m++;
                var a = new int[m];
                m = 0;
                for (int i = 0; i < _n; i++) if (_sector[i] == _o.AffectedSector) a[m++] = i + 1;
                t.AffectedInstruments = a;
                t.SpikeSector = _o.AffectedSector;
                t.IntendedMove = _o.Magnitude;
                break;
            }
            case SimScenario.CorrelatedMove:
                t.AffectedInstruments = AllLocates();
                t.IntendedMove = _correlatedSign * _o.Magnitude;
                break;
            case SimScenario.OpenClose:
                t.OpenBurstEndNs = _o.StartTimeNs + _o.AuctionWindowNs;
                t.CloseBurstStartNs = _o.StartTimeNs + _o.SessionDurationNs - _o.AuctionWindowNs;
                break;
        }
    }

    private int[] AllLocates()
    {
        var a = new int[_n];
        for (int i = 0; i < _n; i++) a[i] = i + 1;
        return a;
    }

    private bool HasEvent => _o.Scenario is SimScenario.FlashCrash or SimScenario.NewsSpike or SimScenario.CorrelatedMove;

    /// <summary>Deterministic price multiplier of the scenario for instrument <paramref name="i"/> at virtual time <paramref name="now"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Level(int i, long now)
    {
        if (now < _onsetNs) return 1;
        switch (_o.Scenario)
        {
            case SimScenario.FlashCrash:
                if (now < _moveEndNs) return 1 - _crashDepth[i] * (now - _onsetNs) / _o.EventDurationNs;
                if (now < _recoveryEndNs) return 1 - _crashDepth[i] * (1 - (double)(now - _moveEndNs) / _o.RecoveryDurationNs);
                return 1;
            case SimScenario.NewsSpike:
                if (_sector[i] != _o.AffectedSector) return 1;
                return now < _moveEndNs ? 1 + _o.Magnitude * (now - _onsetNs) / _o.EventDurationNs : 1 + _o.Magnitude;
            case SimScenario.CorrelatedMove:
                return now < _moveEndNs ? 1 + _correlatedSign * _o.Magnitude * (now - _onsetNs) / _o.EventDurationNs : 1 + _correlatedSign * _o.Magnitude;
            default:
                return 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Mid(int i, long now) => _base[i] * Level(i, now);

    /// <summary>Liquidity is withdrawn and spreads widen from the crash onset to half-way through the recovery.</summary>
    private bool Stressed(long now) =>
        _o.Scenario == SimScenario.FlashCrash && now >= _onsetNs && now < _moveEndNs + _o.RecoveryDurationNs / 2;

    private bool InOpenCloseBurst(long now) =>
        _o.Scenario == SimScenario.OpenClose && (now < Truth.OpenBurstEndNs || now >= Truth.CloseBurstStartNs);

    private bool InNewsVolume(long now) =>
        _o.Scenario == SimScenario.NewsSpike && now >= _onsetNs && now < _recoveryEndNs;

    /// <summary>Message-rate multiple at <paramref name="now"/>: the virtual clock runs slower while volume bursts.</summary>
    private double Activity(long now)
    {
        if (InOpenCloseBurst(now)) return _o.VolumeMultiplier;
        if (InNewsVolume(now))
        {
            double f = (double)Truth.AffectedInstruments.Length / _n;
            return 1 + (_o.VolumeMultiplier - 1) * f;
        }
        return 1;
    }

    private void PriceStep(long stepTime)
    {
        if (_shadow is not null) _shadow.PriceStep(stepTime);   // walks _base, which this venue shares (header)
        else Walk(stepTime);
        _nextStepNs += _o.PriceStepNs;
        if (_o.Scenario == SimScenario.FlashCrash && stepTime >= _onsetNs) LuldAndBreakers(stepTime);
    }

    private void Walk(long stepTime)
    {
        double rm = _o.MarketCorrelation, rs = _o.SectorCorrelation;
        if (_o.Scenario == SimScenario.CorrelatedMove && stepTime >= _onsetNs && stepTime < _moveEndNs)
        {
            rm = _o.CorrelatedMoveCorrelation;
            rs = Math.Min(rs, 1 - rm);
        }
        double wm = Math.Sqrt(rm), ws = Math.Sqrt(rs), we = Math.Sqrt(Math.Max(0, 1 - rm - rs));
        double m = _price.NextGaussian();
        for (int s = 0; s < _sectorShock.Length; s++) _sectorShock[s] = _price.NextGaussian();
        double floor = 5 * 10_000.0; // keep prices above $5 so the tick stays $0.01 and bids stay positive
        for (int i = 0; i < _n; i++)
        {
            double r = _stepSigma * (wm * m + ws * _sectorShock[_sector[i]] + we * _price.NextGaussian());
            double b = _base[i] * (1 + r);
            _base[i] = b < floor ? floor : b;
        }
    }

    private void Scenario(long now)
    {
        if (_endQueued) return;
        if (HasEvent && !_onsetSeen && now >= _onsetNs)
        {
            _onsetSeen = true;
            Truth.OnsetNs = now;
            Truth.OnsetMessageIndex = _messages;
            Truth.MoveEndNs = _moveEndNs;
            if (_o.Scenario == SimScenario.FlashCrash)
            {
                Truth.RecoveryEndNs = _recoveryEndNs;
                for (int i = 0; i < _n; i++) _luldRef[i] = Mid(i, now);
            }
        }
        if (_o.SessionDurationNs > 0 && !_closeQueued && now >= _o.StartTimeNs + _o.SessionDurationNs)
        {
            _closeQueued = true;
            EndSession();
        }
    }

    /// <summary>
    /// Limit Up-Limit Down: an instrument whose mid leaves the band around its pre-crash reference is paused (state 'P' as NASDAQ publishes it,
    /// reason "LUDP"), its reopening auction collar 'J' is published, and it resumes ('T') after HaltDurationNs.
    /// The market-wide circuit breaker level 1 (a 7% decline of the market) is published as MWCB Status 'W'.
    /// </summary>
    private void LuldAndBreakers(long now)
    {
        if (_endQueued) return;
        double sumLevel = 0;
        for (int i = 0; i < _n; i++)
        {
            double mid = Mid(i, now);
            sumLevel += Level(i, now);
            if (_haltUntil[i] != 0)
            {
                if (now >= _haltUntil[i])
                {
                    _haltUntil[i] = 0;
                    QueueTradingAction(i, (byte)'T', ReasonNone);
                    Truth.ResumesEmitted++;
                }
                continue;
            }
            if (!_pausedOnce[i] && mid < _luldRef[i] * (1 - _o.LuldBand))
            {
                _pausedOnce[i] = true;
                _haltUntil[i] = now + _o.HaltDurationNs;
                QueueTradingAction(i, (byte)'P', ReasonLuldPause);
                Truth.HaltsEmitted++;
                Truth.HaltedInstruments.Add(i + 1);
                uint refPrice = OnGrid(mid);
                var slot = PushSlot(out int idx);
                _pendingLen[idx] = ItchMessageWriter.LuldAuctionCollar(slot, (ushort)(i + 1), 0, 0, _stock[i], refPrice,
                    OnGrid(refPrice * (1 + _o.LuldBand)), OnGrid(refPrice * (1 - _o.LuldBand)), 0);
                Truth.CollarsEmitted++;
            }
        }
        if (!Truth.MwcbLevel1Breached && sumLevel / _n <= 0.93)
        {
            Truth.MwcbLevel1Breached = true;
            var slot = PushSlot(out int idx);
            _pendingLen[idx] = ItchMessageWriter.MwcbStatus(slot, 0, 0, (byte)'1');
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint OnGrid(double price)
    {
        double t = Math.Round(price / Tick);
        return (uint)(t < 1 ? 1 : t) * Tick;
    }

    // ---- scripted messages ----------------------------------------------------------------------------------------

    private Span<byte> PushSlot(out int index)
    {
        if (_pTail - _pHead > _pendingMask) throw new InvalidOperationException("Scripted-message queue overflow: a bug in the queue sizing.");
        index = (int)(_pTail & _pendingMask);
        _pTail++;
        return _pending.AsSpan(index * SlotBytes, SlotBytes);
    }

    private int PopPending(Span<byte> dst, long now)
    {
        int index = (int)(_pHead & _pendingMask);
        _pHead++;
        int len = _pendingLen[index];
        _pending.AsSpan(index * SlotBytes, len).CopyTo(dst);
        ItchMessageWriter.PatchTimestamp(dst, now);
        return len;
    }

    private void QueueSystemEvent(byte code)
    {
        var slot = PushSlot(out int idx);
        _pendingLen[idx] = ItchMessageWriter.SystemEvent(slot, 0, 0, code);
    }

    private void QueueTradingAction(int i, byte state, uint reason)
    {
        var slot = PushSlot(out int idx);
        _pendingLen[idx] = ItchMessageWriter.StockTradingAction(slot, (ushort)(i + 1), 0, 0, _stock[i], state, reason);
    }

    private void QueueStartOfDay()
    {
        QueueSystemEvent((byte)'O');
        QueueSystemEvent((byte)'S');
        // MWCB decline levels: 7%, 13%, 20% below a notional index of 5000.00 (Price(8): 8 implied decimals).
        var v = PushSlot(out int vi);
        _pendingLen[vi] = ItchMessageWriter.MwcbDeclineLevel(v, 0, 0, 4650_00000000UL, 4350_00000000UL, 4000_00000000UL);
        for (int i = 0; i < _n; i++)
        {
            var r = PushSlot(out int ri);
            _pendingLen[ri] = ItchMessageWriter.StockDirectory(r, (ushort)(i + 1), 0, 0, _stock[i],
                marketCategory: (byte)'Q', financialStatus: (byte)'N', roundLotSize: (uint)_o.RoundLot, roundLotsOnly: (byte)'N',
                issueClassification: (byte)'C', issueSubType: (ushort)('Z' << 8 | ' '), authenticity: (byte)'P',
                shortSaleThreshold: (byte)'N', ipoFlag: (byte)'N', luldTier: (byte)'1', etpFlag: (byte)'N',
                etpLeverageFactor: 0, inverseIndicator: (byte)'N');
            QueueTradingAction(i, (byte)'T', ReasonNone);
        }
        QueueCross((byte)'O');
        QueueSystemEvent((byte)'Q');
    }

    private void QueueCloseCross() => QueueCross((byte)'C');

    /// <summary>Net Order Imbalance Indicators for every instrument, then the cross trades (ITCH: I before Q).</summary>
    private void QueueCross(byte crossType)
    {
        long now = (long)_clockNs;
        for (int i = 0; i < _n; i++)
        {
            uint refPrice = OnGrid(Mid(i, now));
            ulong paired = (ulong)(_o.RoundLot * (10 + Flow.Next(90)));
            ulong imbalance = (ulong)(_o.RoundLot * Flow.Next(20));
            byte dir = imbalance == 0 ? (byte)'N' : (Flow.Next(2) == 0 ? (byte)'B' : (byte)'S');
            var s = PushSlot(out int si);
            _pendingLen[si] = ItchMessageWriter.NetOrderImbalance(s, (ushort)(i + 1), 0, 0, paired, imbalance, dir, _stock[i],
                refPrice, refPrice, refPrice, crossType, (byte)'L');
        }
        for (int i = 0; i < _n; i++)
        {
            uint price = OnGrid(Mid(i, now));
            ulong shares = (ulong)(_o.RoundLot * (10 + Flow.Next(90)));
            var s = PushSlot(out int si);
            _pendingLen[si] = ItchMessageWriter.CrossTrade(s, (ushort)(i + 1), 0, 0, shares, _stock[i], price, _nextMatch++, crossType);
        }
    }
}
