using System;
using Wirespeed.Core.Events;
using Wirespeed.Core.Orders;
using Xunit;
using static Wirespeed.Tests.Core.Orders.Orders;

namespace Wirespeed.Tests.Core.Orders;

/// <summary>Each pre-trade check refuses before the wire: nothing reaches the gateway, and the reason is counted.</summary>
public sealed class PreTradeRiskTests
{
    private static void Blocked(RiskReject expected, OrderRequest request, RiskLimits? limits = null, Action<OrderManager<RecordingGateway>>? before = null)
    {
        var m = Manager(out var log, limits);
        before?.Invoke(m);
        int sent = log.Sent.Count;
        Assert.Equal(expected, m.Submit(request, 0));
        Assert.Equal(sent, log.Sent.Count);
        Assert.Equal(1, m.Counters.BlockedBy(expected));
    }

    [Fact]
    public void Quantity_above_the_maximum_or_not_positive_is_refused()
    {
        Blocked(RiskReject.MaxQuantity, Limit(qty: 101), Loose with { MaxOrderQuantity = 100 });
        Blocked(RiskReject.MaxQuantity, Limit(qty: 0));
        var m = Manager(out _, Loose with { MaxOrderQuantity = 100 });
        Assert.Equal(RiskReject.None, m.Submit(Limit(qty: 100), 0));
    }

    [Fact]
    public void Notional_above_the_maximum_is_refused_also_for_market_orders_at_the_reference()
    {
        var limits = Loose with { MaxOrderNotional = 10_000 };   // 100 × 100.00 = 10,000
        Assert.Equal(RiskReject.None, Manager(out _, limits).Submit(Limit(qty: 100), 0));
        Blocked(RiskReject.MaxNotional, Limit(qty: 101), limits);
        var market = Limit(qty: 101);
        market.Type = OrderType.Market;
        Blocked(RiskReject.MaxNotional, market, limits);
    }

    [Fact]
    public void Open_orders_per_instrument_are_capped()
    {
        var limits = Loose with { MaxOpenOrdersPerInstrument = 2 };
        Blocked(RiskReject.MaxOpenOrders, Limit(), limits, m => { m.Submit(Limit(), 0); m.Submit(Limit(), 0); });
        var other = Manager(out _, limits);
        other.Submit(Limit(), 0);
        other.Submit(Limit(), 0);
        Assert.Equal(RiskReject.None, other.Submit(Limit(instrument: 2), 0));   // per instrument
    }

    [Fact]
    public void Position_counts_fills_and_working_quantity_on_the_same_side()
    {
        var limits = Loose with { MaxPositionPerInstrument = 250 };
        Blocked(RiskReject.MaxPosition, Limit(qty: 100), limits, m =>
        {
            m.Submit(Limit(qty: 100), 0);
            m.OnExecution(Exec(m.Order(m.LastSlot).ClientId, ExecKind.Trade, cum: 100, leaves: 0, last: 100));
            m.Submit(Limit(qty: 100), 0);   // 100 filled + 100 working + 100 asked = 300 > 250
        });
        var m2 = Manager(out _, limits);
        m2.Submit(Limit(qty: 200), 0);
        m2.OnExecution(Exec(m2.Order(m2.LastSlot).ClientId, ExecKind.Trade, cum: 200, leaves: 0, last: 200));
        Assert.Equal(RiskReject.None, m2.Submit(Limit(side: Side.Sell, qty: 200), 0));   // a sell reduces a long position
        Blocked(RiskReject.MaxPosition, Limit(side: Side.Sell, qty: 251), limits);
    }

    [Fact]
    public void The_rate_limit_refills_with_time()
    {
        var limits = Loose with { OrdersPerSecond = 10, OrderBurst = 2 };
        var m = Manager(out _, limits);
        Assert.Equal(RiskReject.None, m.Submit(Limit(), 1_000));
        Assert.Equal(RiskReject.None, m.Submit(Limit(), 1_000));
        Assert.Equal(RiskReject.RateLimit, m.Submit(Limit(), 1_000));
        Assert.Equal(RiskReject.RateLimit, m.Submit(Limit(), 1_000 + 99_000_000));   // 0.99 of a token
        Assert.Equal(RiskReject.None, m.Submit(Limit(), 1_000 + 100_000_000));       // one token after 100 ms
        Assert.Equal(RiskReject.None, m.Submit(Limit(), 1_000 + 10_000_000_000));    // long idle: full, not more
        Assert.Equal(RiskReject.None, m.Submit(Limit(), 1_000 + 10_000_000_000));
        Assert.Equal(RiskReject.RateLimit, m.Submit(Limit(), 1_000 + 10_000_000_000));
        Assert.Equal(3, m.Counters.BlockedBy(RiskReject.RateLimit));
    }

    [Fact]
    public void A_refusal_for_another_reason_spends_no_token()
    {
        var limits = Loose with { OrdersPerSecond = 1, OrderBurst = 1, MaxOrderQuantity = 10 };
        var m = Manager(out _, limits);
        Assert.Equal(RiskReject.MaxQuantity, m.Submit(Limit(qty: 11), 0));
        Assert.Equal(RiskReject.None, m.Submit(Limit(qty: 10), 0));
    }

    [Fact]
    public void The_price_band_is_measured_from_the_top_of_book_on_the_crossing_side()
    {
        var limits = Loose with { PriceBandBps = 100 };   // 1 %: best offer 100.01 → buys up to 101.0101
        Assert.Equal(RiskReject.None, Manager(out _, limits).Submit(Limit(price: 1_010_100), 0));
        Blocked(RiskReject.PriceBand, Limit(price: 1_010_200), limits);
        Blocked(RiskReject.PriceBand, Limit(price: 989_000), limits);
        Assert.Equal(RiskReject.None, Manager(out _, limits).Submit(Limit(side: Side.Sell, price: 989_901), 0));   // bid 99.99 − 1 %
        Blocked(RiskReject.PriceBand, Limit(side: Side.Sell, price: 989_800), limits);
        var oneSided = Limit(price: 1_000_000);
        oneSided.ReferenceAsk = 0;                 // buy with no offer: the bid is the reference
        Assert.Equal(RiskReject.None, Manager(out _, limits).Submit(oneSided, 0));
    }

    [Fact]
    public void No_book_price_or_no_limit_price_is_refused()
    {
        var empty = Limit();
        empty.ReferenceBid = 0;
        empty.ReferenceAsk = 0;
        Blocked(RiskReject.NoReferencePrice, empty);
        var market = empty;
        market.Type = OrderType.Market;
        Blocked(RiskReject.NoReferencePrice, market);
        Blocked(RiskReject.InvalidOrder, Limit(price: 0));
    }

    [Fact]
    public void A_market_order_skips_the_band()
    {
        var market = Limit(price: 5);
        market.Type = OrderType.Market;
        var m = Manager(out var log);
        Assert.Equal(RiskReject.None, m.Submit(market, 0));
        Assert.Equal(0, log.Last.Price);
    }

    [Fact]
    public void Invalid_requests_session_down_and_full_slots_are_refused_by_name()
    {
        Blocked(RiskReject.InvalidOrder, Limit(instrument: 8));
        Blocked(RiskReject.InvalidOrder, Limit(instrument: -1));
        Blocked(RiskReject.InvalidOrder, Limit(side: Side.None));
        var badType = Limit();
        badType.Type = (OrderType)'9';
        Blocked(RiskReject.InvalidOrder, badType);
        Blocked(RiskReject.SessionDown, Limit(), before: m => m.Gateway.Log.Up = false);
        Blocked(RiskReject.NoFreeSlot, Limit(), Loose with { OrderSlots = 2 }, m => { m.Submit(Limit(), 0); m.Submit(Limit(), 0); });
        var kill = new KillSwitch();
        var manager = Manager(out _, Loose, kill);
        manager.Submit(Limit(instrument: 9), 0);
        manager.Submit(Limit(qty: 0), 0);
        Assert.Equal(2, manager.Counters.BlockedTotal);
        Assert.Same(kill, manager.Kill);
        Assert.Same(Loose, manager.Limits);
    }

    [Fact]
    public void A_replace_is_checked_like_a_new_order_without_counting_itself()
    {
        var limits = Loose with { MaxOpenOrdersPerInstrument = 1, MaxPositionPerInstrument = 150, PriceBandBps = 100 };
        var m = Manager(out _, limits);
        m.Submit(Limit(qty: 100), 0);
        int slot = m.LastSlot;
        m.OnExecution(Exec(m.Order(slot).ClientId, ExecKind.New, leaves: 100));
        Assert.Equal(RiskReject.PriceBand, m.Replace(slot, 100, 1_100_000, 999_900, 1_000_100, 0));
        Assert.Equal(RiskReject.MaxPosition, m.Replace(slot, 151, 1_000_000, 999_900, 1_000_100, 0));
        Assert.Equal(RiskReject.None, m.Replace(slot, 150, 1_000_000, 999_900, 1_000_100, 0));   // open-order cap not hit by itself
    }

    [Fact]
    public void Limits_out_of_range_fail_naming_the_field()
    {
        Assert.Contains("MaxOrderQuantity", Assert.Throws<ArgumentException>(() => new RiskLimits { MaxOrderQuantity = 0 }.Validated()).Message);
        Assert.Contains("MaxOrderNotional", Assert.Throws<ArgumentException>(() => new RiskLimits { MaxOrderNotional = 0 }.Validated()).Message);
        Assert.Contains("MaxOpenOrdersPerInstrument", Assert.Throws<ArgumentException>(() => new RiskLimits { MaxOpenOrdersPerInstrument = 0 }.Validated()).Message);
        Assert.Contains("MaxPositionPerInstrument", Assert.Throws<ArgumentException>(() => new RiskLimits { MaxPositionPerInstrument = 0 }.Validated()).Message);
        Assert.Contains("OrdersPerSecond", Assert.Throws<ArgumentException>(() => new RiskLimits { OrdersPerSecond = 0 }.Validated()).Message);
        Assert.Contains("OrderBurst", Assert.Throws<ArgumentException>(() => new RiskLimits { OrderBurst = 0 }.Validated()).Message);
        Assert.Contains("PriceBandBps", Assert.Throws<ArgumentException>(() => new RiskLimits { PriceBandBps = 0 }.Validated()).Message);
        Assert.Contains("OrderSlots", Assert.Throws<ArgumentException>(() => new RiskLimits { OrderSlots = 1 }.Validated()).Message);
        Assert.Contains("MaxInstruments", Assert.Throws<ArgumentException>(() => new RiskLimits { MaxInstruments = 0 }.Validated()).Message);
        Assert.Throws<ArgumentNullException>(() => new OrderManager<RecordingGateway>(default, null!));
    }
}
