namespace Wirespeed.Core.Orders;

/// <summary>How long an order works. Values are the FIX TimeInForce (59) codes, so encoding is a copy (as
/// <see cref="Events.Side"/> carries ITCH codes).</summary>
public enum TimeInForce : byte
{
    Day = (byte)'0',
    GoodTillCancel = (byte)'1',
    ImmediateOrCancel = (byte)'3',
    FillOrKill = (byte)'4',
}

/// <summary>Order type; values are the FIX OrdType (40) codes.</summary>
public enum OrderType : byte
{
    Market = (byte)'1',
    Limit = (byte)'2',
}
