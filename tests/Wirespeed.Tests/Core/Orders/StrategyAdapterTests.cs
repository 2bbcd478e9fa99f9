using System;
using Wirespeed.Core.Events;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Orders;
using Wirespeed.Core.Rings;
using Wirespeed.Core.Signals;
using Xunit;
using static Wirespeed.Tests.Core.Orders.Orders;

namespace Wirespeed.Tests.Core.Orders;

/// <summary>Signals become orders through the mapping; the ring to the session thread never blocks and counts overflow.</summary>
public sealed class StrategyAdapterTests : IDisposable
{
    private readonly MemoryRegistry _registry = new(0);
    private readonly Arena _arena;

    public StrategyAdapterTests() => _arena = Arena.Create("arena.orders", new ArenaOptions { SizeBytes = 1 << 16, HugePages = false, Lock = false }, _registry);

    public void Dispose() => _arena.Dispose();

    /// <summary>Instrument 1: 99.99 / 100.01; instrument 2: bid only; others: no price.</summary>
    private readonly struct Book : IReferencePrices
    {
        public bool TryGetTop(int instrument, out long bid, out long ask)
        {
            (bid, ask) = instrument switch { 1 => (999_900L, 1_000_100L), 2 => (999_900L, 0L), _ => (0L, 0L) };
            return instrument is 1 or 2;
        }
    }

    private SpscRing<OrderRequest> Ring(int capacity) => RingFactory.CreateSpsc<OrderRequest>(_arena, "ring.orders" + capacity, capacity, _registry, out _);

    private static Signal Sig(int pattern, sbyte direction, int instrument = 1) =>
        new() { PatternId = pattern, Direction = direction, Instrument = instrument, DetectionTimestampNs = 42 };

    private static OrderRequest Take(SpscRing<OrderRequest> ring)
    {
        var h = new Collect();
        Assert.Equal(1, ring.Poll(ref h, 1));
        return h.Item;
    }

    private struct Collect : IRingHandler<OrderRequest>
    {
        public OrderRequest Item;
        public void OnItem(ref OrderRequest item) => Item = item;
    }

    [Theory]
    [InlineData(SideRule.FromDirection, 1, PriceReference.Join, 0, Side.Buy, 999_900)]
    [InlineData(SideRule.FromDirection, -1, PriceReference.Join, 0, Side.Sell, 1_000_100)]
    [InlineData(SideRule.Inverted, 1, PriceReference.Cross, 0, Side.Sell, 999_900)]
    [InlineData(SideRule.Inverted, -1, PriceReference.Cross, 0, Side.Buy, 1_000_100)]
    [InlineData(SideRule.AlwaysBuy, -1, PriceReference.Mid, 50, Side.Buy, 1_000_050)]
    [InlineData(SideRule.AlwaysSell, 1, PriceReference.Mid, 50, Side.Sell, 999_950)]
    public void A_signal_becomes_an_order_by_its_mapping(SideRule rule, int direction, PriceReference reference, long offset, Side side, long price)
    {
        var ring = Ring(4);
        var mapping = new OrderMapping { Side = rule, Reference = reference, PriceOffset = offset, Quantity = 300, TimeInForce = TimeInForce.Day };
        var adapter = new StrategyAdapter<Book>(new[] { null, mapping }, ring, default);
        adapter.OnSignal(Sig(1, (sbyte)direction));
        var r = Take(ring);
        Assert.Equal((1, side, price, 300L, TimeInForce.Day, OrderType.Limit), (r.Instrument, r.Side, r.Price, r.Quantity, r.TimeInForce, r.Type));
        Assert.Equal((999_900L, 1_000_100L, 42L, 1), (r.ReferenceBid, r.ReferenceAsk, r.SignalTimestampNs, r.PatternId));
        Assert.Equal(1, adapter.Counters.Requests);
    }

    [Fact]
    public void Signals_without_a_mapping_a_direction_or_a_price_send_nothing_and_are_counted()
    {
        var ring = Ring(4);
        var adapter = new StrategyAdapter<Book>(new[] { new OrderMapping(), new OrderMapping { Enabled = false }, new OrderMapping { Reference = PriceReference.Mid } }, ring, default);
        adapter.OnSignal(Sig(7, 1));            // no such pattern
        adapter.OnSignal(Sig(-1, 1));
        adapter.OnSignal(Sig(1, 1));            // disabled
        adapter.OnSignal(Sig(0, 0));            // no direction
        adapter.OnSignal(Sig(0, 1, instrument: 5));   // no book
        adapter.OnSignal(Sig(2, 1, instrument: 2));   // mid of a one-sided book
        adapter.OnSignal(Sig(0, -1, instrument: 2));  // a sell joins an empty offer
        Assert.Equal(0, ring.Count);
        Assert.Equal((7L, 4L, 3L), (adapter.Counters.Signals, adapter.Counters.Unmapped, adapter.Counters.NoPrice));
    }

    [Fact]
    public void A_market_order_carries_no_price()
    {
        var ring = Ring(2);
        var adapter = new StrategyAdapter<Book>(new[] { new OrderMapping { Type = OrderType.Market, Reference = PriceReference.Cross } }, ring, default);
        adapter.OnSignal(Sig(0, -1, instrument: 2));
        Assert.Equal(0, Take(ring).Price);
    }

    [Fact]
    public void A_full_ring_drops_counts_and_alerts_once_per_episode()
    {
        var ring = Ring(2);
        var adapter = new StrategyAdapter<Book>(new[] { new OrderMapping() }, ring, default);
        for (int i = 0; i < 5; i++) adapter.OnSignal(Sig(0, 1));
        Assert.Equal((2L, 3L, 1L), (adapter.Counters.Requests, adapter.Counters.Overflow, adapter.Counters.OverflowAlerts));
        Take(ring);
        adapter.OnSignal(Sig(0, 1));             // room again: the episode ends
        adapter.OnSignal(Sig(0, 1));
        Assert.Equal((3L, 4L, 2L), (adapter.Counters.Requests, adapter.Counters.Overflow, adapter.Counters.OverflowAlerts));
    }

    [Fact]
    public void The_session_thread_drains_the_ring_into_the_order_manager()
    {
        var ring = Ring(8);
        var adapter = new StrategyAdapter<Book>(new[] { new OrderMapping { Quantity = 10 } }, ring, default);
        adapter.OnSignal(Sig(0, 1));
        adapter.OnSignal(Sig(0, -1));
        adapter.OnSignal(Sig(0, 1, instrument: 2));
        var m = Manager(out var log);
        Assert.Equal(3, m.Drain(ring, 16, 0));
        Assert.Equal(3, log.Sent.Count);
        Assert.Equal(new[] { Side.Buy, Side.Sell, Side.Buy }, log.Sent.ConvertAll(s => s.Side).ToArray());
        Assert.Equal(42, m.Order(m.LastSlot).SignalTimestampNs);
        Assert.Equal(0, m.Order(m.LastSlot).PatternId);
    }

    [Fact]
    public void Bad_mappings_fail_at_construction_naming_the_field()
    {
        var ring = Ring(2);
        Assert.Contains("strategy[0].Quantity", Assert.Throws<ArgumentException>(() => new StrategyAdapter<Book>(new[] { new OrderMapping { Quantity = 0 } }, ring, default)).Message);
        Assert.Contains("TimeInForce", Assert.Throws<ArgumentException>(() => new OrderMapping { TimeInForce = (TimeInForce)'9' }.Validated(0)).Message);
        Assert.Contains("Type", Assert.Throws<ArgumentException>(() => new OrderMapping { Type = (OrderType)'9' }.Validated(0)).Message);
        Assert.Throws<ArgumentNullException>(() => new StrategyAdapter<Book>(null!, ring, default));
        Assert.Throws<ArgumentNullException>(() => new StrategyAdapter<Book>(Array.Empty<OrderMapping>(), null!, default));
    }
}
