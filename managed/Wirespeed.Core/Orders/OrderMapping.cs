using System;

namespace Wirespeed.Core.Orders;

/// <summary>Which side a signal's order takes.</summary>
public enum SideRule : byte
{
    /// <summary>The signal's direction: +1 buys, -1 sells, 0 sends nothing.</summary>
    FromDirection = 0,
    /// <summary>Against the signal's direction (fading it).</summary>
    Inverted = 1,
    AlwaysBuy = 2,
    AlwaysSell = 3,
}

/// <summary>Which book price a limit order's price starts from.</summary>
public enum PriceReference : byte
{
    /// <summary>The order's own side: a buy at the best bid, a sell at the best offer (joins the queue).</summary>
    Join = 0,
    /// <summary>The other side: a buy at the best offer, a sell at the best bid (crosses the spread).</summary>
    Cross = 1,
    /// <summary>The midpoint.</summary>
    Mid = 2,
}

/// <summary>How one pattern's signals become orders (configuration: orders.strategy[patternId]).</summary>
public sealed record OrderMapping
{
    /// <summary>Whether the pattern's signals send orders at all. Default: true.</summary>
    public bool Enabled { get; init; } = true;
    /// <summary>Default: FromDirection.</summary>
    public SideRule Side { get; init; } = SideRule.FromDirection;
    /// <summary>Order quantity. Default: 100.</summary>
    public long Quantity { get; init; } = 100;
    /// <summary>Default: Join.</summary>
    public PriceReference Reference { get; init; } = PriceReference.Join;
    /// <summary>Added to the reference price toward the other side (a buy pays more, a sell asks less), 4 implied
    /// decimals; negative is more passive. Default: 0.</summary>
    public long PriceOffset { get; init; }
    /// <summary>Default: ImmediateOrCancel (a signal is a moment's view).</summary>
    public TimeInForce TimeInForce { get; init; } = TimeInForce.ImmediateOrCancel;
    /// <summary>Default: Limit.</summary>
    public OrderType Type { get; init; } = OrderType.Limit;

    public OrderMapping Validated(int patternId)
    {
        if (Quantity < 1) ThrowHelper.Argument(nameof(Quantity), $"orders.strategy[{patternId}].{nameof(Quantity)}={Quantity} must be at least 1.");
        if (!Enum.IsDefined(TimeInForce)) ThrowHelper.Argument(nameof(TimeInForce), $"orders.strategy[{patternId}].{nameof(TimeInForce)} must be day, goodTillCancel, immediateOrCancel or fillOrKill.");
        if (!Enum.IsDefined(Type)) ThrowHelper.Argument(nameof(Type), $"orders.strategy[{patternId}].{nameof(Type)} must be limit or market.");
        return this;
    }
}
