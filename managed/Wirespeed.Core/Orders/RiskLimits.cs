using System;

namespace Wirespeed.Core.Orders;

/// <summary>Pre-trade risk limits and order capacities; checked once at start-up (<see cref="Validated"/>).</summary>
public sealed record RiskLimits
{
    /// <summary>Largest quantity of one order. Default: 10,000.</summary>
    public long MaxOrderQuantity { get; init; } = 10_000;
    /// <summary>Largest quantity × price of one order, in currency units (not fixed point). Default: 1,000,000.</summary>
    public long MaxOrderNotional { get; init; } = 1_000_000;
    /// <summary>Working orders per instrument. Default: 10.</summary>
    public int MaxOpenOrdersPerInstrument { get; init; } = 10;
    /// <summary>Absolute position per instrument, counting working quantity on the order's side. Default: 50,000.</summary>
    public long MaxPositionPerInstrument { get; init; } = 50_000;
    /// <summary>Orders (new and replace) per second, sustained. Default: 100.</summary>
    public int OrdersPerSecond { get; init; } = 100;
    /// <summary>Orders allowed in a burst (token bucket size). Default: 20.</summary>
    public int OrderBurst { get; init; } = 20;
    /// <summary>Widest distance of a limit price from the top of book (buy: best offer; sell: best bid), in basis
    /// points. Default: 100 (1 %).</summary>
    public int PriceBandBps { get; init; } = 100;
    /// <summary>Order slots (orders in flight plus recently finished ones kept for late answers). Default: 4096.</summary>
    public int OrderSlots { get; init; } = 4096;
    /// <summary>Instrument ids 0..MaxInstruments-1. Default: 16384.</summary>
    public int MaxInstruments { get; init; } = 16384;

    /// <summary>Throws <see cref="ArgumentException"/> naming the field and the fix when a value is out of range.</summary>
    public RiskLimits Validated()
    {
        if (MaxOrderQuantity < 1) ThrowHelper.Argument(nameof(MaxOrderQuantity), $"orders.risk.{nameof(MaxOrderQuantity)}={MaxOrderQuantity} must be at least 1.");
        if (MaxOrderNotional < 1) ThrowHelper.Argument(nameof(MaxOrderNotional), $"orders.risk.{nameof(MaxOrderNotional)}={MaxOrderNotional} must be at least 1.");
        if (MaxOpenOrdersPerInstrument < 1) ThrowHelper.Argument(nameof(MaxOpenOrdersPerInstrument), $"orders.risk.{nameof(MaxOpenOrdersPerInstrument)}={MaxOpenOrdersPerInstrument} must be at least 1.");
        if (MaxPositionPerInstrument < 1) ThrowHelper.Argument(nameof(MaxPositionPerInstrument), $"orders.risk.{nameof(MaxPositionPerInstrument)}={MaxPositionPerInstrument} must be at least 1.");
        if (OrdersPerSecond < 1) ThrowHelper.Argument(nameof(OrdersPerSecond), $"orders.risk.{nameof(OrdersPerSecond)}={OrdersPerSecond} must be at least 1.");
        if (OrderBurst < 1) ThrowHelper.Argument(nameof(OrderBurst), $"orders.risk.{nameof(OrderBurst)}={OrderBurst} must be at least 1 (one order).");
        if (PriceBandBps is < 1 or > 10_000) ThrowHelper.Argument(nameof(PriceBandBps), $"orders.risk.{nameof(PriceBandBps)}={PriceBandBps} must be 1..10000 (0.01 % to 100 %).");
        if (OrderSlots < 2 || OrderSlots > ClientOrderId.MaxSlots)
            ThrowHelper.Argument(nameof(OrderSlots), $"orders.{nameof(OrderSlots)}={OrderSlots} must be 2..{ClientOrderId.MaxSlots}.");
        if (MaxInstruments is < 1 or > 1 << 20) ThrowHelper.Argument(nameof(MaxInstruments), $"orders.{nameof(MaxInstruments)}={MaxInstruments} must be 1..1048576.");
        return this;
    }
}
