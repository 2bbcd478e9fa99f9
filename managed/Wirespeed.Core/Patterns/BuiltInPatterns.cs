using System;
using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Signals;

namespace Wirespeed.Core.Patterns;

/// <summary>
/// z-score of a log spread against its own rolling window, shared by pair spread and basket divergence. The score of a
/// sample is taken against the window before the sample joins it, so a jump is scored against the calm that preceded
/// it; a detection fires once per episode (<see cref="HoldsFor"/>), after the condition held for the configured time.
/// </summary>
internal struct SpreadScore
{
    private RollingStats _stats;
    private HoldsFor _hold;
    private readonly double _threshold;
    private readonly double _minStd;

    public SpreadScore(int window, double thresholdZ, long holdNs, double minStd)
    {
        _stats = new RollingStats(window);
        _hold = new HoldsFor(holdNs);
        _threshold = thresholdZ;
        _minStd = minStd;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Update(double spread, long timeNs, double multiplier, out double z)
    {
        z = 0;
        bool ready = _stats.IsFull;
        if (ready)
        {
            double std = _stats.StdDev;
            z = (spread - _stats.Mean) / (std > _minStd ? std : _minStd);
        }
        _stats.Push(spread);
        return _hold.Update(ready && Math.Abs(z) >= _threshold * multiplier, timeNs);
    }
}

/// <summary>Pair spread deviation: s = ln A − β·ln B; fires when |z(s)| ≥ ThresholdZ (held HoldUs). Direction +1: A is cheap.</summary>
public struct PairSpreadPattern : IPattern
{
    private readonly InstrumentKey _a, _b;
    private readonly double _beta;
    private SpreadScore _score;
    private double _midA, _midB;

    public PairSpreadPattern(InstrumentKey a, InstrumentKey b, double hedgeRatio, int window, double thresholdZ, long holdNs, double minStd = 1e-6)
    {
        _a = a;
        _b = b;
        _beta = hedgeRatio;
        _score = new SpreadScore(window, thresholdZ, holdNs, minStd);
        _midA = 0;
        _midB = 0;
    }

    public int LegCount => 2;
    public InstrumentKey Leg(int leg) => leg == 0 ? _a : _b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool OnEvent(ref MarketEvent evt, int leg, double thresholdMultiplier, ref Signal signal)
    {
        double mid = MarketData.Mid(ref evt);
        if (mid <= 0) return false;
        if (leg == 0) _midA = mid; else _midB = mid;
        if (_midA <= 0 || _midB <= 0) return false;
        double s = Math.Log(_midA) - _beta * Math.Log(_midB);
        if (!_score.Update(s, evt.ExchangeTimestampNs, thresholdMultiplier, out double z)) return false;
        signal.Kind = PatternKind.PairSpread;
        signal.Strength = z;
        signal.Direction = (sbyte)(z < 0 ? 1 : -1);
        signal.Instrument = _a.Instrument;
        signal.Line = _a.Line;
        signal.OtherInstrument = _b.Instrument;
        signal.OtherLine = _b.Line;
        return true;
    }
}

/// <summary>Basket divergence: s = ln target − ln Σ wᵢ·componentᵢ; fires when |z(s)| ≥ ThresholdZ. Direction +1: the target is cheap.</summary>
public struct BasketPattern : IPattern
{
    private readonly InstrumentKey[] _legs;   // [0] = target
    private readonly double[] _weights;       // per leg; [0] unused
    private readonly double[] _mids;
    private SpreadScore _score;
    private int _known;                       // legs with a mid so far

    public BasketPattern(InstrumentKey target, ReadOnlySpan<InstrumentKey> components, ReadOnlySpan<double> weights,
                         int window, double thresholdZ, long holdNs, double minStd = 1e-6)
    {
        if (components.Length < 1 || components.Length != weights.Length) throw new ArgumentException("one weight per component, at least one component");
        _legs = new InstrumentKey[components.Length + 1];
        _weights = new double[components.Length + 1];
        _mids = new double[components.Length + 1];
        _legs[0] = target;
        for (int i = 0; i < components.Length; i++)
        {
            _legs[i + 1] = components[i];
            _weights[i + 1] = weights[i];
        }
        _score = new SpreadScore(window, thresholdZ, holdNs, minStd);
        _known = 0;
    }

    public int LegCount => _legs.Length;
    public InstrumentKey Leg(int leg) => _legs[leg];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool OnEvent(ref MarketEvent evt, int leg, double thresholdMultiplier, ref Signal signal)
    {
        double mid = MarketData.Mid(ref evt);
        if (mid <= 0) return false;
        double[] mids = _mids;
        if (mids[leg] <= 0) _known++;
        mids[leg] = mid;
        if (_known < mids.Length) return false;
        double basket = 0;
        double[] w = _weights;
        for (int i = 1; i < mids.Length; i++) basket += w[i] * mids[i];
        if (basket <= 0) return false;
        double s = Math.Log(mids[0]) - Math.Log(basket);
        if (!_score.Update(s, evt.ExchangeTimestampNs, thresholdMultiplier, out double z)) return false;
        signal.Kind = PatternKind.Basket;
        signal.Strength = z;
        signal.Direction = (sbyte)(z < 0 ? 1 : -1);
        signal.Instrument = _legs[0].Instrument;
        signal.Line = _legs[0].Line;
        signal.OtherInstrument = _legs[leg == 0 ? 1 : leg].Instrument;
        signal.OtherLine = _legs[leg == 0 ? 1 : leg].Line;
        return true;
    }
}

/// <summary>
/// Lead-lag: on a leader quote, the leader's mid moved more than MoveBps over the last WithinUs while every follower
/// moved less than half of that over the same span. Fires once, then re-arms when the leader's move falls below half.
/// Direction: the leader's move (followers expected to follow).
/// </summary>
public struct LeadLagPattern : IPattern
{
    private readonly InstrumentKey[] _legs;   // [0] = leader
    private readonly TimedSeries[] _series;   // mid history per leg
    private readonly double _moveBps;
    private readonly long _withinNs;
    private bool _fired;

    public LeadLagPattern(InstrumentKey leader, ReadOnlySpan<InstrumentKey> followers, double moveBps, long withinNs, int history = 256)
    {
        if (followers.Length < 1) throw new ArgumentException("at least one follower", nameof(followers));
        _legs = new InstrumentKey[followers.Length + 1];
        _series = new TimedSeries[followers.Length + 1];
        _legs[0] = leader;
        followers.CopyTo(_legs.AsSpan(1));
        for (int i = 0; i < _series.Length; i++) _series[i] = new TimedSeries(history);
        _moveBps = moveBps;
        _withinNs = withinNs;
        _fired = false;
    }

    public int LegCount => _legs.Length;
    public InstrumentKey Leg(int leg) => _legs[leg];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool OnEvent(ref MarketEvent evt, int leg, double thresholdMultiplier, ref Signal signal)
    {
        double mid = MarketData.Mid(ref evt);
        if (mid <= 0) return false;
        long now = evt.ExchangeTimestampNs;
        TimedSeries[] series = _series;
        series[leg].Push(now, mid);
        if (leg != 0) return false;
        long from = now - _withinNs;
        double leaderMove = Bps(mid, series[0].ValueAt(from));
        double threshold = _moveBps * thresholdMultiplier;
        if (Math.Abs(leaderMove) < threshold * 0.5) _fired = false;
        if (_fired || Math.Abs(leaderMove) <= threshold) return false;
        for (int f = 1; f < series.Length; f++)
        {
            if (series[f].Count == 0) return false;
            double move = Bps(series[f].Latest, series[f].ValueAt(from));
            if (Math.Abs(move) >= threshold * 0.5) return false;   // this follower has moved: no lag to trade
        }
        _fired = true;
        signal.Kind = PatternKind.LeadLag;
        signal.Strength = leaderMove;
        signal.Direction = (sbyte)(leaderMove > 0 ? 1 : -1);
        signal.Instrument = _legs[0].Instrument;
        signal.Line = _legs[0].Line;
        signal.OtherInstrument = _legs[1].Instrument;
        signal.OtherLine = _legs[1].Line;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Bps(double now, double then) => then > 0 ? (now / then - 1) * 10_000 : 0;
}

/// <summary>
/// Cross-line arbitrage: the same instrument on two books; fires when one book's best bid exceeds the other's best
/// ask by more than Cost (Price(4) units, both legs' fees together), held HoldUs. Direction +1: buy on the second
/// book, sell on the first (the first's bid is high); -1 the other way. Strength: the net edge in bps of the ask.
/// </summary>
public struct ArbitragePattern : IPattern
{
    private readonly InstrumentKey _a, _b;
    private readonly long _cost;
    private HoldsFor _hold;
    private long _bidA, _askA, _bidB, _askB;

    public ArbitragePattern(InstrumentKey a, InstrumentKey b, long costPrice, long holdNs)
    {
        _a = a;
        _b = b;
        _cost = costPrice;
        _hold = new HoldsFor(holdNs);
        _bidA = _askA = _bidB = _askB = 0;
    }

    public int LegCount => 2;
    public InstrumentKey Leg(int leg) => leg == 0 ? _a : _b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool OnEvent(ref MarketEvent evt, int leg, double thresholdMultiplier, ref Signal signal)
    {
        if (evt.Kind != EventKind.TopOfBook) return false;
        if (leg == 0)
        {
            _bidA = evt.Price;
            _askA = (long)evt.Aux;
        }
        else
        {
            _bidB = evt.Price;
            _askB = (long)evt.Aux;
        }
        long cost = (long)(_cost * thresholdMultiplier);
        long edgeAB = _bidA > 0 && _askB > 0 ? _bidA - _askB - cost : long.MinValue;   // sell on A, buy on B
        long edgeBA = _bidB > 0 && _askA > 0 ? _bidB - _askA - cost : long.MinValue;   // sell on B, buy on A
        bool crossed = edgeAB > 0 || edgeBA > 0;
        if (!_hold.Update(crossed, evt.ExchangeTimestampNs)) return false;
        bool ab = edgeAB >= edgeBA;
        signal.Kind = PatternKind.Arbitrage;
        signal.Direction = (sbyte)(ab ? 1 : -1);
        signal.Strength = ab ? edgeAB * 10_000.0 / _askB : edgeBA * 10_000.0 / _askA;
        signal.Instrument = _a.Instrument;
        signal.Line = _a.Line;
        signal.OtherInstrument = _b.Instrument;
        signal.OtherLine = _b.Line;
        return true;
    }
}

/// <summary>
/// Momentum burst: Count trades in a row with the same aggressor direction, the run spanning at most WithinUs
/// (<see cref="EventsWithin"/>). A trade in the other direction starts a new run; a detection starts a new run too.
/// </summary>
public struct MomentumPattern : IPattern
{
    private readonly InstrumentKey _leg;
    private EventsWithin _run;
    private int _direction;

    public MomentumPattern(InstrumentKey instrument, int count, long withinNs)
    {
        _leg = instrument;
        _run = new EventsWithin(count, withinNs);
        _direction = 0;
    }

    public int LegCount => 1;
    public InstrumentKey Leg(int leg) => _leg;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool OnEvent(ref MarketEvent evt, int leg, double thresholdMultiplier, ref Signal signal)
    {
        if (!MarketData.IsTrade(evt.Kind)) return false;
        int dir = MarketData.AggressorDirection(ref evt);
        if (dir == 0) return false;
        if (dir != _direction)
        {
            _direction = dir;
            _run.Reset();
        }
        if (!_run.Add(evt.ExchangeTimestampNs)) return false;
        _run.Reset();
        signal.Kind = PatternKind.Momentum;
        signal.Strength = _run.Count;
        signal.Direction = (sbyte)dir;
        signal.Instrument = _leg.Instrument;
        signal.Line = _leg.Line;
        signal.OtherInstrument = -1;
        signal.OtherLine = 0;
        return true;
    }
}
