namespace Wirespeed.Core.Orders;

/// <summary>Why a request did not leave. Each has its own counter (<see cref="OrderCounters.Blocked"/>).</summary>
public enum RiskReject : byte
{
    /// <summary>Passed every check and was handed to the gateway.</summary>
    None = 0,
    /// <summary>Quantity above <see cref="RiskLimits.MaxOrderQuantity"/>, or not positive.</summary>
    MaxQuantity = 1,
    /// <summary>Quantity × price above <see cref="RiskLimits.MaxOrderNotional"/>.</summary>
    MaxNotional = 2,
    /// <summary>The instrument already has <see cref="RiskLimits.MaxOpenOrdersPerInstrument"/> working orders.</summary>
    MaxOpenOrders = 3,
    /// <summary>Position plus working quantity on the order's side plus this order would exceed <see cref="RiskLimits.MaxPositionPerInstrument"/>.</summary>
    MaxPosition = 4,
    /// <summary>The order rate token bucket is empty.</summary>
    RateLimit = 5,
    /// <summary>The price is more than <see cref="RiskLimits.PriceBandBps"/> from the top of book.</summary>
    PriceBand = 6,
    /// <summary>The book had no price to check the band against.</summary>
    NoReferencePrice = 7,
    /// <summary>The kill switch is pulled.</summary>
    KillSwitch = 8,
    /// <summary>The session is down.</summary>
    SessionDown = 9,
    /// <summary>Every order slot is in use.</summary>
    NoFreeSlot = 10,
    /// <summary>The instrument id is outside the configured range, or the side or price is invalid.</summary>
    InvalidOrder = 11,
    /// <summary>The gateway could not send it (buffer, encoding).</summary>
    SendFailed = 12,
    /// <summary>Cancel or replace of an order that is not working, or that has a request outstanding.</summary>
    NotWorking = 13,
}
