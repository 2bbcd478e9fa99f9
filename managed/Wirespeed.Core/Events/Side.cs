namespace Wirespeed.Core.Events;

/// <summary>Order side. Values are the ITCH ASCII codes so decode is a copy.</summary>
public enum Side : byte
{
    None = 0,
    Buy = (byte)'B',
    Sell = (byte)'S',
}
