using System;

namespace Wirespeed.Feeds.SoupBin;

/// <summary>Receives framed SoupBinTCP packets; a struct, so that <see cref="SoupBinFramer.Feed{THandler}"/> is specialised.</summary>
public interface ISoupBinPacketHandler
{
    /// <summary>One whole logical packet: its type byte and payload. The payload is valid only during the call.</summary>
    void OnPacket(byte type, ReadOnlySpan<byte> payload);
}
