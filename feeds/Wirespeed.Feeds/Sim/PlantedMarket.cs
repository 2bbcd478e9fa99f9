using System;
using Wirespeed.Core.Signals;
using System.Collections.Generic;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Patterns;

namespace Wirespeed.Feeds.Sim;

/*
 * Planted-opportunity market: a deterministic stream of book-stage output (TopOfBook and trade MarketEvents, as the
 * top-of-book publish stage writes them) in which known opportunities of every pattern kind are planted inside noise,
 * with the ground truth of each (kind, instruments, time, the window in which a detector must see it).
 *
 * Noise. Log prices follow a market factor plus an idiosyncratic random walk, stepped every 100 µs of virtual time
 * (0.5 bp each). Pairs, the basket and the followers are tied to their partners: PAIRB = PAIRA × c × e^ε and
 * ETF = Σ wᵢ·BSKᵢ × e^ε, with ε drawn per quote (3 bp, clipped at 4σ: a bounded quoting noise), so their log spreads
 * are stationary. ARBX is quoted on two lines from the same fair price. Quotes are one tick either side of the fair
 * price rounded to $0.01; trades print at random sides. Each virtual µs carries one event.
 *
 * Plants (every PlantSpacingNs, cycling through the kinds, each also quoting the planted instrument at once):
 *   PairSpread  PAIRB's price is shifted ±45 bp (15σ of ε) for 200 µs.
 *   Basket      the ETF is shifted ±45 bp for 200 µs.
 *   LeadLag     LEAD jumps ±30 bp for good; FOLA and FOLB follow 2 ms later (so the lag is visible for 2 ms).
 *   Arbitrage   ARBX on line 0 is shifted ±10 ticks for 150 µs, so one line's bid crosses the other's ask by ~8 ticks.
 *   Momentum    10 trades on MOMO in one aggressor direction, 2 µs apart.
 */

/// <summary>Options of <see cref="PlantedMarket"/>; the same options give the same events and the same ground truth.</summary>
public sealed record PlantedMarketOptions
{
    /// <summary>Seed of the random stream. Default: 7.</summary>
    public ulong Seed { get; init; } = 7;
    /// <summary>Events to generate. Default: 200,000 (200 ms of virtual time).</summary>
    public long Events { get; init; } = 200_000;
    /// <summary>Time of the first plant after the start (windows must fill first), ns. Default: 10 ms.</summary>
    public long FirstPlantNs { get; init; } = 10_000_000;
    /// <summary>Time between plants, ns; each kind recurs every 5 × this. Default: 2 ms.</summary>
    public long PlantSpacingNs { get; init; } = 2_000_000;
    /// <summary>Share of events that are trades. Default: 0.2.</summary>
    public double TradeShare { get; init; } = 0.2;
    /// <summary>Instruments no pattern subscribes to (filtered out by the workers). Default: 4.</summary>
    public int NoiseInstruments { get; init; } = 4;
}

/// <summary>One planted opportunity: what a detector must find, on which instrument, in which window of exchange time.</summary>
public readonly record struct PlantedOpportunity(PatternKind Kind, string Pattern, int Instrument, byte Line, long StartNs, long DeadlineNs, int Direction);

/// <summary>Generates the planted-opportunity stream. Single-threaded; allocation-free per event after construction.</summary>
public sealed class PlantedMarket
{
    public const long Tick = 100;                       // $0.01 in Price(4) units
    public const long StartNs = 1_767_000_000_000_000_000; // a fixed epoch instant: deterministic exchange timestamps
    private const long StepNs = 100_000;
    private const long EventNs = 1_000;
    private const double StepSigma = 0.5e-4;
    private const double QuoteSigma = 3e-4;

    // Dense ids; ARBX is quoted on lines 0 and 1.
    public const int PairA = 1, PairB = 2, Lead = 3, FolA = 4, FolB = 5, ArbX = 6, Etf = 7, BskA = 8, BskB = 9, BskC = 10, Momo = 11;
    private static readonly string[] s_symbols = ["", "PAIRA", "PAIRB", "LEAD", "FOLA", "FOLB", "ARBX", "ETF", "BSKA", "BSKB", "BSKC", "MOMO"];
    private static readonly double[] s_basketWeights = [0.5, 0.3, 0.2];

    private readonly PlantedMarketOptions _o;
    private SimRandom _rng;
    private readonly int _instruments;       // ids 1.._instruments-1
    private readonly double[] _base;         // log price of independent walks (and the leader's base)
    private readonly double[] _offset;       // planted log offset per id (line 0)
    private readonly double[] _constant;     // log ratio of tied instruments to their partner
    private double _arbOffsetTicks;          // planted offset of ARBX on line 0
    private double _market;
    private long _nextStepNs;
    private long _events;
    private readonly ulong[] _sequence = new ulong[2];
    private readonly List<PlantedOpportunity> _truth = new();
    private readonly (int Id, byte Line, bool Trade, int Side)[] _forced = new (int, byte, bool, int)[64];
    private int _forcedHead, _forcedCount;
    private long _nextPlantNs;
    private int _plantIndex;
    private long _pairEndNs = long.MaxValue, _basketEndNs = long.MaxValue, _arbEndNs = long.MaxValue, _followNs = long.MaxValue;
    private double _pendingFollow;

    public PlantedMarket(PlantedMarketOptions options)
    {
        _o = options ?? throw new ArgumentNullException(nameof(options));
        if (_o.Events < 1) throw new ArgumentException($"Events={_o.Events} must be ≥ 1", nameof(options));
        if (_o.PlantSpacingNs < 1_000_000) throw new ArgumentException($"PlantSpacingNs={_o.PlantSpacingNs} must be ≥ 1 ms (plants must not overlap)", nameof(options));
        if (_o.NoiseInstruments < 0 || _o.NoiseInstruments > 100) throw new ArgumentException($"NoiseInstruments={_o.NoiseInstruments} must be 0..100", nameof(options));
        if (!(_o.TradeShare >= 0 && _o.TradeShare < 1)) throw new ArgumentException($"TradeShare={_o.TradeShare} must be in [0, 1)", nameof(options));
        _rng = new SimRandom(_o.Seed);
        _instruments = s_symbols.Length + _o.NoiseInstruments;
        _base = new double[_instruments];
        _offset = new double[_instruments];
        _constant = new double[_instruments];
        for (int i = 1; i < _instruments; i++) _base[i] = Math.Log((40 + 20 * _rng.NextDouble()) * 10_000);
        _constant[PairB] = Math.Log(0.8 + 0.4 * _rng.NextDouble());
        _constant[FolA] = Math.Log(0.8 + 0.4 * _rng.NextDouble());
        _constant[FolB] = Math.Log(0.8 + 0.4 * _rng.NextDouble());
        _constant[Etf] = Math.Log(0.9 + 0.2 * _rng.NextDouble());
        _nextStepNs = StepNs;
        _nextPlantNs = _o.FirstPlantNs;
    }

    /// <summary>Highest dense id + 1.</summary>
    public int InstrumentCount => _instruments;

    /// <summary>Planted opportunities so far (all of them once the stream has ended).</summary>
    public IReadOnlyList<PlantedOpportunity> Truth => _truth;

    public long EventsEmitted => _events;

    public static string SymbolOf(int id) => id < s_symbols.Length ? s_symbols[id] : $"NOISE{id - s_symbols.Length + 1}";

    /// <summary>The instrument table of this market (every id defined, round lot 100).</summary>
    public InstrumentTable CreateInstrumentTable(int capacity = 256)
    {
        var table = new InstrumentTable(Math.Max(capacity, _instruments));
        for (int i = 1; i < _instruments; i++) table.TrySet(i, SymbolOf(i), 100);
        return table;
    }

    /// <summary>One definition per kind, tuned to the noise above, named as <see cref="PlantedOpportunity.Pattern"/>.</summary>
    public static List<PatternOptions> PatternDefinitions() =>
    [
        new() { Name = "pair", Kind = PatternKind.PairSpread, Legs = [Leg("PAIRA"), Leg("PAIRB")], HedgeRatio = 1, Window = 256, ThresholdZ = 6 },
        new() { Name = "leadlag", Kind = PatternKind.LeadLag, Legs = [Leg("LEAD"), Leg("FOLA"), Leg("FOLB")], MoveBps = 20, WithinUs = 500, History = 256 },
        new() { Name = "arb", Kind = PatternKind.Arbitrage, Legs = [Leg("ARBX", 0), Leg("ARBX", 1)], Cost = 2 * Tick },
        new() { Name = "basket", Kind = PatternKind.Basket, Legs = [Leg("ETF"), Leg("BSKA", w: 0.5), Leg("BSKB", w: 0.3), Leg("BSKC", w: 0.2)], Window = 256, ThresholdZ = 6 },
        new() { Name = "momentum", Kind = PatternKind.Momentum, Legs = [Leg("MOMO")], Count = 8, WithinUs = 100 },
    ];

    private static PatternLegOptions Leg(string symbol, int line = 0, double w = 1) => new() { Symbol = symbol, Line = line, Weight = w };

    /// <summary>Writes the next event; false when <see cref="PlantedMarketOptions.Events"/> have been generated.</summary>
    public bool Next(out MarketEvent evt)
    {
        evt = default;
        if (_events >= _o.Events) return false;
        long t = _events * EventNs;
        while (t >= _nextStepNs) Step();
        Expire(t);
        if (_forcedCount == 0 && t >= _nextPlantNs) Plant(t);

        if (_forcedCount > 0)
        {
            var f = _forced[_forcedHead];
            _forcedHead = (_forcedHead + 1) & (_forced.Length - 1);
            _forcedCount--;
            if (f.Trade) Trade(ref evt, f.Id, f.Side);
            else Quote(ref evt, f.Id, f.Line);
        }
        else if (_rng.NextDouble() < _o.TradeShare) Trade(ref evt, 1 + _rng.Next(_instruments - 1), _rng.Next(2) == 0 ? 1 : -1);
        else
        {
            int slot = _rng.Next(_instruments);        // slot 0 stands for ARBX on line 1
            if (slot == 0) Quote(ref evt, ArbX, 1);
            else Quote(ref evt, slot, 0);
        }
        evt.ExchangeTimestampNs = StartNs + t;
        evt.ReceiveTimestampNs = 1_000_000_000 + t + 5_000 + _rng.Next(2_000);
        evt.Sequence = ++_sequence[evt.LineId];
        _events++;
        return true;
    }

    private void Step()
    {
        _market += StepSigma * _rng.NextGaussian();
        for (int i = 1; i < _instruments; i++) _base[i] += StepSigma * _rng.NextGaussian();
        _nextStepNs += StepNs;
    }

    private void Expire(long t)
    {
        if (t >= _pairEndNs) { _offset[PairB] = 0; _pairEndNs = long.MaxValue; }
        if (t >= _basketEndNs) { _offset[Etf] = 0; _basketEndNs = long.MaxValue; }
        if (t >= _arbEndNs) { _arbOffsetTicks = 0; _arbEndNs = long.MaxValue; }
        if (t >= _followNs)
        {
            _offset[FolA] += _pendingFollow;
            _offset[FolB] += _pendingFollow;
            _followNs = long.MaxValue;
            Force(FolA, 0, false, 0);
            Force(FolB, 0, false, 0);
        }
    }

    private void Plant(long t)
    {
        int dir = _rng.Next(2) == 0 ? 1 : -1;
        long at = StartNs + t;
        switch (_plantIndex % 5)
        {
            case 0:
                _offset[PairB] = dir * 15 * QuoteSigma;
                _pairEndNs = t + 200_000;
                Force(PairB, 0, false, 0);
                _truth.Add(new(PatternKind.PairSpread, "pair", PairA, 0, at, at + 200_000, dir));   // PAIRB rich: PAIRA cheap, buy it
                break;
            case 1:
                _offset[Lead] += dir * 30e-4;
                _pendingFollow = dir * 30e-4;
                _followNs = t + 2_000_000;
                Force(Lead, 0, false, 0);
                _truth.Add(new(PatternKind.LeadLag, "leadlag", Lead, 0, at, at + 500_000, dir));
                break;
            case 2:
                _arbOffsetTicks = dir * 10;
                _arbEndNs = t + 150_000;
                Force(ArbX, 0, false, 0);
                _truth.Add(new(PatternKind.Arbitrage, "arb", ArbX, 0, at, at + 150_000, dir));
                break;
            case 3:
                _offset[Etf] = dir * 15 * QuoteSigma;
                _basketEndNs = t + 200_000;
                Force(Etf, 0, false, 0);
                _truth.Add(new(PatternKind.Basket, "basket", Etf, 0, at, at + 200_000, -dir));
                break;
            case 4:
                for (int k = 0; k < 10; k++) Force(Momo, 0, true, dir);
                _truth.Add(new(PatternKind.Momentum, "momentum", Momo, 0, at, at + 100_000, dir));
                break;
        }
        _plantIndex++;
        _nextPlantNs += _o.PlantSpacingNs;
    }

    private void Force(int id, byte line, bool trade, int side)
    {
        _forced[(_forcedHead + _forcedCount) & (_forced.Length - 1)] = (id, line, trade, side);
        _forcedCount++;
    }

    /// <summary>Clipped standard normal: the quoting noise is bounded at 4σ.</summary>
    private double Noise()
    {
        double z = _rng.NextGaussian();
        return z > 4 ? 4 : z < -4 ? -4 : z;
    }

    /// <summary>Fair price of <paramref name="id"/> on line 0 without quoting noise, Price(4) units.</summary>
    private double Fair(int id)
    {
        switch (id)
        {
            case PairB: return Math.Exp(_market + _base[PairA] + _constant[PairB] + _offset[PairB]);
            case FolA:
            case FolB: return Math.Exp(_market + _base[Lead] + _constant[id] + _offset[id]);
            case Etf:
                double basket = s_basketWeights[0] * Fair(BskA) + s_basketWeights[1] * Fair(BskB) + s_basketWeights[2] * Fair(BskC);
                return basket * Math.Exp(_constant[Etf] + _offset[Etf]);
            default: return Math.Exp(_market + _base[id] + _offset[id]);
        }
    }

    private void Quote(ref MarketEvent evt, int id, byte line)
    {
        double fair = Fair(id);
        if (id is PairB or Etf) fair *= Math.Exp(QuoteSigma * Noise());
        long mid = (long)Math.Round(fair / Tick) * Tick;
        if (id == ArbX && line == 0) mid += (long)_arbOffsetTicks * Tick;
        var top = new TopOfBook(id, mid - Tick, 100 * (1 + _rng.Next(10)), 1, mid + Tick, 100 * (1 + _rng.Next(10)), 1);
        top.WriteTo(ref evt);
        evt.LineId = line;
        evt.Flags = EventFlags.TopChanged;
    }

    /// <summary>A trade; <paramref name="aggressor"/> +1 buyer-initiated (it lifted a resting sell), -1 seller-initiated.</summary>
    private void Trade(ref MarketEvent evt, int id, int aggressor)
    {
        long mid = (long)Math.Round(Fair(id) / Tick) * Tick;
        evt.Kind = (_events & 1) == 0 ? EventKind.OrderExecuted : EventKind.Trade;
        evt.Instrument = id;
        evt.LineId = 0;
        evt.Side = aggressor > 0 ? Side.Sell : Side.Buy;   // the resting side, as the book fills it in
        evt.Price = aggressor > 0 ? mid + Tick : mid - Tick;
        evt.Quantity = 100;
        evt.Aux = (ulong)(_events + 1);
    }
}
