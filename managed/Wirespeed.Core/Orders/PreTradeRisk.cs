using System;
using Wirespeed.Core.Events;

namespace Wirespeed.Core.Orders;

/// <summary>
/// The pre-trade checks, in the order they run: terms (quantity, notional), exposure (open orders, position), price
/// band, then the rate limit last, so that a request refused for another reason does not spend a token. Pure
/// arithmetic over the caller's figures; one thread (the session thread).
/// </summary>
public struct PreTradeRisk
{
    private const long PriceScale = 10_000;   // MarketEvent prices carry 4 implied decimals
    private readonly RiskLimits _limits;
    private TokenBucket _rate;

    public PreTradeRisk(RiskLimits limits)
    {
        _limits = limits.Validated();
        _rate = new TokenBucket(limits.OrdersPerSecond, limits.OrderBurst);
    }

    public readonly RiskLimits Limits => _limits;

    /// <summary>
    /// Checks one new order or replace. <paramref name="openOrders"/>: the instrument's working orders, not counting
    /// this one when it is a replace (<paramref name="isReplace"/>); <paramref name="position"/>: signed filled
    /// position; <paramref name="workingSameSide"/>: working quantity on the order's side, without this order's.
    /// </summary>
    public RiskReject Check(Side side, OrderType type, long quantity, long price, long refBid, long refAsk,
                            int openOrders, long position, long workingSameSide, bool isReplace, long nowNs)
    {
        if (quantity < 1 || quantity > _limits.MaxOrderQuantity) return RiskReject.MaxQuantity;
        long reference = side == Side.Buy ? (refAsk > 0 ? refAsk : refBid) : (refBid > 0 ? refBid : refAsk);
        long notionalPrice = type == OrderType.Market ? reference : price;
        if (type == OrderType.Limit && price <= 0) return RiskReject.InvalidOrder;
        if (notionalPrice <= 0) return RiskReject.NoReferencePrice;
        if ((Int128)quantity * notionalPrice > (Int128)_limits.MaxOrderNotional * PriceScale) return RiskReject.MaxNotional;
        if (!isReplace && openOrders >= _limits.MaxOpenOrdersPerInstrument) return RiskReject.MaxOpenOrders;
        long projected = side == Side.Buy ? position + workingSameSide + quantity : position - workingSameSide - quantity;
        if (Math.Abs(projected) > _limits.MaxPositionPerInstrument) return RiskReject.MaxPosition;
        if (type == OrderType.Limit)
        {
            if (reference <= 0) return RiskReject.NoReferencePrice;
            // |price − reference| / reference > band / 10,000, without division: both sides × 10,000 × reference.
            if ((Int128)Math.Abs(price - reference) * 10_000 > (Int128)_limits.PriceBandBps * reference) return RiskReject.PriceBand;
        }
        return _rate.TryTake(nowNs) ? RiskReject.None : RiskReject.RateLimit;
    }
}
