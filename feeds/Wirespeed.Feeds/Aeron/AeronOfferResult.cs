namespace Wirespeed.Feeds.Aeron;

/// <summary>Aeron's negative results of an offer (AERON.md §d); a positive result is the new stream position.</summary>
public static class AeronOfferResult
{
    /// <summary>No receiver has sent a status message within the connection timeout.</summary>
    public const long NotConnected = -1;
    /// <summary>The publication window (term length / 2 past the sender position) is full.</summary>
    public const long BackPressured = -2;
    /// <summary>Aeron: the offer hit a term rotation; retry. Not returned here (the PAD and the message go in one call), kept for API parity.</summary>
    public const long AdminAction = -3;
    /// <summary>The publication was closed.</summary>
    public const long Closed = -4;
    /// <summary>The stream reached its largest position (term length × 2³¹).</summary>
    public const long MaxPositionExceeded = -5;
}
