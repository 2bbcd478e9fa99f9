namespace Wirespeed.Core.Pipeline;

/// <summary>
/// A decoder that tells, after decoding a datagram, whether it rejected it or part of it, and why: the recorder keeps
/// that reason beside the datagram. Worker thread only.
/// </summary>
public interface IRejectReporting
{
    /// <summary>The reason code of the first reject in the datagram just decoded on line <paramref name="lineId"/> (0 = none), and resets it.</summary>
    byte TakeRejectReason(byte lineId);
}
