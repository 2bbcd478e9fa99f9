using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using Wirespeed.Core.Rings;
using Wirespeed.Core.Signals;

namespace Wirespeed.Core.Orders;

/// <summary>What the strategy adapter did with signals (written by the pattern worker, read by the monitor).</summary>
public sealed class StrategyCounters
{
    public long Signals;
    /// <summary>Requests written to the ring.</summary>
    public long Requests;
    /// <summary>Signals of a pattern with no mapping or a disabled one, or with direction 0.</summary>
    public long Unmapped;
    /// <summary>Signals whose instrument had no book price.</summary>
    public long NoPrice;
    /// <summary>Requests lost because the ring to the session thread was full.</summary>
    public long Overflow;
    /// <summary>Times the ring went from accepting to full: each one is an alert for the monitor.</summary>
    public long OverflowAlerts;
}

/// <summary>
/// The orders sink of the signal path: turns each signal into an <see cref="OrderRequest"/> by its pattern's
/// <see cref="OrderMapping"/> and the current book, and writes it into a bounded SPSC ring to the session thread. It
/// never blocks: a full ring drops the request, counts it and raises an alert once per episode. Runs on the pattern
/// worker; the mapping table is fixed at construction.
/// </summary>
public struct StrategyAdapter<TPrices> : ISignalSink where TPrices : struct, IReferencePrices
{
    private readonly OrderMapping?[] _mappings;   // by pattern id
    private readonly SpscRing<OrderRequest> _ring;
    private TPrices _prices;
    private bool _full;

    public StrategyAdapter(OrderMapping?[] mappings, SpscRing<OrderRequest> ring, TPrices prices, StrategyCounters? counters = null)
    {
        if (mappings is null) ThrowHelper.ArgumentNull(nameof(mappings));
        if (ring is null) ThrowHelper.ArgumentNull(nameof(ring));
        for (int i = 0; i < mappings.Length; i++) mappings[i]?.Validated(i);
        _mappings = mappings;
        _ring = ring;
        _prices = prices;
        _full = false;
        Counters = counters ?? new StrategyCounters();
    }

    public readonly StrategyCounters Counters { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OnSignal(in Signal signal)
    {
        Counters.Signals++;
        int pattern = signal.PatternId;
        var mapping = (uint)pattern < (uint)_mappings.Length ? _mappings[pattern] : null;
        if (mapping is null || !mapping.Enabled) { Counters.Unmapped++; return; }
        Side side = SideOf(mapping.Side, signal.Direction);
        if (side == Side.None) { Counters.Unmapped++; return; }
        if (!_prices.TryGetTop(signal.Instrument, out long bid, out long ask)) { Counters.NoPrice++; return; }
        long price = PriceOf(mapping, side, bid, ask);
        if (mapping.Type == OrderType.Limit && price <= 0) { Counters.NoPrice++; return; }

        if (!_ring.TryClaim(out long seq))
        {
            Counters.Overflow++;
            if (!_full) Counters.OverflowAlerts++;
            _full = true;
            return;
        }
        _full = false;
        ref OrderRequest r = ref _ring[seq];
        r.Instrument = signal.Instrument;
        r.Side = side;
        r.Type = mapping.Type;
        r.TimeInForce = mapping.TimeInForce;
        r.Quantity = mapping.Quantity;
        r.Price = mapping.Type == OrderType.Market ? 0 : price;
        r.ReferenceBid = bid;
        r.ReferenceAsk = ask;
        r.SignalTimestampNs = signal.DetectionTimestampNs;
        r.PatternId = pattern;
        _ring.Publish();
        Counters.Requests++;
    }

    private static Side SideOf(SideRule rule, sbyte direction) => rule switch
    {
        SideRule.AlwaysBuy => Side.Buy,
        SideRule.AlwaysSell => Side.Sell,
        SideRule.Inverted => direction > 0 ? Side.Sell : direction < 0 ? Side.Buy : Side.None,
        _ => direction > 0 ? Side.Buy : direction < 0 ? Side.Sell : Side.None,
    };

    private static long PriceOf(OrderMapping m, Side side, long bid, long ask)
    {
        long basePrice = m.Reference switch
        {
            PriceReference.Cross => side == Side.Buy ? ask : bid,
            PriceReference.Mid => bid > 0 && ask > 0 ? (bid + ask) / 2 : 0,
            _ => side == Side.Buy ? bid : ask,
        };
        if (basePrice <= 0) return 0;
        return side == Side.Buy ? basePrice + m.PriceOffset : basePrice - m.PriceOffset;
    }
}
