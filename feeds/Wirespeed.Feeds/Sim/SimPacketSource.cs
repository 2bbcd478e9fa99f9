using System;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Time;

namespace Wirespeed.Feeds.Sim;

/// <summary>
/// In-process packet source: generates MoldUDP64 packets on demand into the feed's pre-allocated buffer, so tests and
/// the demo run the whole pipeline with no network. Zero allocation per packet after construction. Single-threaded.
/// </summary>
public sealed class SimPacketSource : IPacketSource
{
    private readonly SimFeed _feed;
    private readonly byte _lineId;

    /// <summary>Wraps <paramref name="feed"/>; packets are reported on line <paramref name="lineId"/>.</summary>
    public SimPacketSource(SimFeed feed, byte lineId = 0)
    {
        _feed = feed ?? throw new ArgumentNullException(nameof(feed));
        _lineId = lineId;
    }

    /// <summary>The feed behind this source.</summary>
    public SimFeed Feed => _feed;

    /// <summary>True once the end-of-session packet has been delivered.</summary>
    public bool IsExhausted => _feed.Ended;

    /// <summary>Delivers up to <paramref name="limit"/> generated packets; the span is valid only during OnPacket. Never blocks.</summary>
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
    {
        int n = 0;
        while (n < limit)
        {
            ReadOnlySpan<byte> packet = _feed.NextPacket();
            if (packet.IsEmpty) break;
            var info = new PacketInfo(MonoClock.NowNs(), _lineId, PacketSourceKind.InProcess);
            handler.OnPacket(packet, in info);
            n++;
        }
        return n;
    }
}
