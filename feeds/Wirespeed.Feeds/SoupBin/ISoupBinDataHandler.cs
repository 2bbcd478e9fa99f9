using System;

namespace Wirespeed.Feeds.SoupBin;

/// <summary>
/// Receives a <see cref="SoupBinClient"/>'s data on the client's I/O thread. Implementations only copy (into a ring,
/// <see cref="SoupBinRingSink"/>) or do equally short work: the I/O thread serves the socket and its heartbeats.
/// </summary>
public interface ISoupBinDataHandler
{
    /// <summary>Sequenced Data number <paramref name="sequence"/> (§1.2: counted from the Login Accepted's number).
    /// False when it cannot be taken now: the client drops the link and logs in again from this number.</summary>
    bool OnSequenced(ulong sequence, ReadOnlySpan<byte> message);

    /// <summary>Unsequenced Data (not numbered, may be lost across reconnects, §1.2). False as for <see cref="OnSequenced"/>.</summary>
    bool OnUnsequenced(ReadOnlySpan<byte> message);

    /// <summary>The server ended the session (§2.2.5): no more sequenced data will come.</summary>
    void OnEndOfSession(ulong nextSequence);
}
