using System;
using System.Runtime.CompilerServices;

namespace Wirespeed.Feeds.Sim;

/// <summary>
/// The simulator's random order flow: which instrument a message is about (uniform, or Zipf-skewed by
/// <see cref="SimulatorOptions.ActivitySkew"/>), which kind of message it is (the mixes of normal, stressed and burst
/// flow), and the add, cancel, delete, replace, execute and trade messages against the simulator's own books.
/// </summary>
public sealed partial class ExchangeSimulator
{
    // ---- random order flow ----------------------------------------------------------------------------------------

    private int PickInstrument(long now)
    {
        if (InNewsVolume(now))
        {
            int[] sector = Truth.AffectedInstruments;
            double f = (double)sector.Length / _n;
            double pSector = f * _o.VolumeMultiplier / (1 - f + f * _o.VolumeMultiplier);
            if (Flow.NextDouble() < pSector) return sector[Flow.Next(sector.Length)] - 1;
            for (int tries = 0; tries < 16; tries++)
            {
                int j = NextInstrument();
                if (_sector[j] != _o.AffectedSector) return j;
            }
        }
        return NextInstrument();
    }

    /// <summary>An instrument drawn by its share of the flow: uniform, or by the Zipf weights of <see cref="SimulatorOptions.ActivitySkew"/>.</summary>
    private int NextInstrument()
    {
        if (_activityCdf is null) return Flow.Next(_n);
        // The first instrument whose cumulative share exceeds u (binary search: ~13 steps for 8,000 instruments).
        double u = Flow.NextDouble();
        int lo = 0, hi = _n - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_activityCdf[mid] > u) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    /// <summary>Cumulative shares of the flow under weights 1/k^skew (k = stock locate), or null when uniform.</summary>
    private static double[]? ActivityCdf(int n, double skew)
    {
        if (skew == 0) return null;
        var cdf = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) cdf[k] = sum += Math.Pow(k + 1, -skew);
        for (int k = 0; k < n; k++) cdf[k] /= sum;
        cdf[n - 1] = 1.0;                          // no rounding gap at the top: every u in [0, 1) finds an instrument
        return cdf;
    }

    private int OrderFlow(Span<byte> dst, long now)
    {
        int i = PickInstrument(now);
        double mid = Mid(i, now);
        int c = _count[i];
        bool stressed = Stressed(now);
        int depth = stressed ? 2 * _o.DepthLevels : _o.DepthLevels;
        int halfSpread = stressed ? 4 * _o.HalfSpreadTicks : _o.HalfSpreadTicks;
        if (c < 2 * _o.DepthLevels) return Add(dst, i, now, mid, halfSpread, depth);
        if (c >= _cap - 1) return Delete(dst, i, now, mid);
        double u = Flow.NextDouble();
        if (_haltUntil[i] != 0) return u < 0.5 ? Add(dst, i, now, mid, halfSpread, depth) : Delete(dst, i, now, mid);
        if (stressed)
        {
            // Liquidity withdrawal: fewer adds, more deletes, and aggressive selling into whatever is left.
            if (u < 0.25) return Add(dst, i, now, mid, halfSpread, depth);
            if (u < 0.30) return Cancel(dst, i, now, mid);
            if (u < 0.68) return Delete(dst, i, now, mid);
            if (u < 0.95) return Execute(dst, i, now, mid, halfSpread, depth, big: false);
            if (u < 0.98) return Replace(dst, i, now, mid, halfSpread, depth);
            return NonDisplayedTrade(dst, i, now, mid, halfSpread, depth);
        }
        if (InOpenCloseBurst(now))
        {
            if (u < 0.36) return Add(dst, i, now, mid, halfSpread, depth);
            if (u < 0.40) return Cancel(dst, i, now, mid);
            if (u < 0.55) return Delete(dst, i, now, mid);
            if (u < 0.90) return Execute(dst, i, now, mid, halfSpread, depth, big: true);
            if (u < 0.95) return Replace(dst, i, now, mid, halfSpread, depth);
            return NonDisplayedTrade(dst, i, now, mid, halfSpread, depth);
        }
        if (u < 0.40) return Add(dst, i, now, mid, halfSpread, depth);
        if (u < 0.48) return Cancel(dst, i, now, mid);
        if (u < 0.70) return Delete(dst, i, now, mid);
        if (u < 0.88) return Execute(dst, i, now, mid, halfSpread, depth, big: false);
        if (u < 0.98) return Replace(dst, i, now, mid, halfSpread, depth);
        return NonDisplayedTrade(dst, i, now, mid, halfSpread, depth);
    }

    /// <summary>Finds the best bid and ask slots (oldest order at the best price; -1 when a side is empty).</summary>
    private void Best(int i, out int bid, out int ask)
    {
        int start = i * _cap, end = start + _count[i];
        bid = -1;
        ask = -1;
        uint bp = 0, ap = uint.MaxValue;
        for (int k = start; k < end; k++)
        {
            uint p = _ordPrice[k];
            if (_ordSide[k] == (byte)'B')
            {
                if (p > bp || (p == bp && _ordRef[k] < _ordRef[bid])) { bp = p; bid = k; }
            }
            else if (p < ap || (p == ap && _ordRef[k] < _ordRef[ask])) { ap = p; ask = k; }
        }
    }

    private uint Lots()
    {
        int a = Flow.Next(10), b = Flow.Next(10);
        return (uint)((1 + Math.Min(a, b)) * _o.RoundLot);
    }

    /// <summary>A price on the tick grid for a new order on <paramref name="side"/> that never crosses the opposite best.</summary>
    private uint QuotePrice(int i, byte side, double mid, int halfSpread, int depth)
    {
        int level = Math.Min(Flow.Next(depth), Flow.Next(depth));
        Best(i, out int bid, out int ask);
        if (side == (byte)'B')
        {
            long p = (long)Math.Floor(mid / Tick) - halfSpread + 1 - level;
            if (ask >= 0) p = Math.Min(p, _ordPrice[ask] / Tick - 1);
            return p < 1 ? 0 : (uint)p * Tick;
        }
        else
        {
            long p = (long)Math.Ceiling(mid / Tick) + halfSpread - 1 + level;
            if (bid >= 0) p = Math.Max(p, _ordPrice[bid] / Tick + 1);
            return (uint)p * Tick;
        }
    }

    private int Add(Span<byte> dst, int i, long now, double mid, int halfSpread, int depth)
    {
        byte side = Flow.Next(2) == 0 ? (byte)'B' : (byte)'S';
        uint price = QuotePrice(i, side, mid, halfSpread, depth);
        if (price == 0)
        {
            side = (byte)'S';
            price = QuotePrice(i, side, mid, halfSpread, depth);
        }
        uint shares = Lots();
        ulong orderRef = _nextRef++;
        int k = i * _cap + _count[i]++;
        _ordRef[k] = orderRef;
        _ordShares[k] = shares;
        _ordPrice[k] = price;
        _ordSide[k] = side;
        ushort locate = (ushort)(i + 1);
        if (Flow.Next(10) == 0)
        {
            // MPID attribution on one add in ten (ITCH 'F').
            uint mpid = Ascii4("SIMA") + (uint)Flow.Next(4);
            return ItchMessageWriter.AddOrderMpid(dst, locate, 0, now, orderRef, side, shares, _stock[i], price, mpid);
        }
        return ItchMessageWriter.AddOrder(dst, locate, 0, now, orderRef, side, shares, _stock[i], price);
    }

    private void Remove(int i, int k)
    {
        int last = i * _cap + --_count[i];
        if (k != last)
        {
            _ordRef[k] = _ordRef[last];
            _ordShares[k] = _ordShares[last];
            _ordPrice[k] = _ordPrice[last];
            _ordSide[k] = _ordSide[last];
        }
    }

    private int Delete(Span<byte> dst, int i, long now, double mid)
    {
        // Of two random orders, delete the one further from the mid: stale orders go first, as traders pull them.
        int start = i * _cap, c = _count[i];
        int a = start + Flow.Next(c), b = start + Flow.Next(c);
        int k = Math.Abs(_ordPrice[a] - mid) >= Math.Abs(_ordPrice[b] - mid) ? a : b;
        ulong orderRef = _ordRef[k];
        Remove(i, k);
        return ItchMessageWriter.OrderDelete(dst, (ushort)(i + 1), 0, now, orderRef);
    }

    private int Cancel(Span<byte> dst, int i, long now, double mid)
    {
        int k = i * _cap + Flow.Next(_count[i]);
        uint lots = _ordShares[k] / (uint)_o.RoundLot;
        if (lots < 2) return Delete(dst, i, now, mid);
        uint cancelled = (uint)(1 + Flow.Next((int)lots - 1)) * (uint)_o.RoundLot;
        _ordShares[k] -= cancelled;
        return ItchMessageWriter.OrderCancel(dst, (ushort)(i + 1), 0, now, _ordRef[k], cancelled);
    }

    private int Execute(Span<byte> dst, int i, long now, double mid, int halfSpread, int depth, bool big)
    {
        Best(i, out int bid, out int ask);
        int k;
        if (bid >= 0 && _ordPrice[bid] > mid) k = bid;          // stale bid above fair value: sellers hit it
        else if (ask >= 0 && _ordPrice[ask] < mid) k = ask;     // stale ask below fair value: buyers lift it
        else if (bid >= 0 && ask >= 0) k = Flow.Next(2) == 0 ? bid : ask;
        else if (bid >= 0) k = bid;
        else if (ask >= 0) k = ask;
        else return Add(dst, i, now, mid, halfSpread, depth);

        uint shares = _ordShares[k];
        uint lots = shares / (uint)_o.RoundLot;
        uint executed = (big || lots < 2 || Flow.Next(5) < 2) ? shares : (uint)(1 + Flow.Next((int)lots - 1)) * (uint)_o.RoundLot;
        ulong orderRef = _ordRef[k];
        uint price = _ordPrice[k];
        if (executed == shares) Remove(i, k);
        else _ordShares[k] = shares - executed;
        ushort locate = (ushort)(i + 1);
        if (Flow.Next(10) == 0)
            return ItchMessageWriter.OrderExecutedWithPrice(dst, locate, 0, now, orderRef, executed, _nextMatch++, (byte)'Y', price);
        return ItchMessageWriter.OrderExecuted(dst, locate, 0, now, orderRef, executed, _nextMatch++);
    }

    private int Replace(Span<byte> dst, int i, long now, double mid, int halfSpread, int depth)
    {
        int k = i * _cap + Flow.Next(_count[i]);
        byte side = _ordSide[k];
        uint price = QuotePrice(i, side, mid, halfSpread, depth);
        if (price == 0) return Delete(dst, i, now, mid);
        ulong original = _ordRef[k];
        ulong fresh = _nextRef++;
        uint shares = Lots();
        _ordRef[k] = fresh;
        _ordPrice[k] = price;
        _ordShares[k] = shares;
        return ItchMessageWriter.OrderReplace(dst, (ushort)(i + 1), 0, now, original, fresh, shares, price);
    }

    private int NonDisplayedTrade(Span<byte> dst, int i, long now, double mid, int halfSpread, int depth)
    {
        Best(i, out int bid, out int ask);
        if (bid < 0 || ask < 0) return Add(dst, i, now, mid, halfSpread, depth);
        // A hidden order trades inside the displayed spread (ITCH 5.0 Trade message; order reference is zero).
        uint price = OnGrid(mid);
        if (price < _ordPrice[bid]) price = _ordPrice[bid];
        if (price > _ordPrice[ask]) price = _ordPrice[ask];
        byte side = Flow.Next(2) == 0 ? (byte)'B' : (byte)'S';
        return ItchMessageWriter.Trade(dst, (ushort)(i + 1), 0, now, 0, side, Lots(), _stock[i], price, _nextMatch++);
    }
}
