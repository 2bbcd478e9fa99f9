using System;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Time;

namespace Wirespeed.Feeds.Aeron;

/// <summary>
/// A feed line's packets carried as Aeron messages (<c>transport: aeron</c>): each whole message of the subscription is
/// one packet for the line's decoder, e.g. a MoldUDP64 packet of ITCH messages, stamped with the poll's receive time,
/// the line id and <see cref="PacketSourceKind.Aeron"/>. The subscription's duties (status messages, NAKs) run inside
/// <see cref="Poll"/>. One thread; no allocation per packet.
/// </summary>
public sealed class AeronPacketSource : IPacketSource, IDisposable
{
    private readonly byte _lineId;

    /// <summary>Start-up: carves the images from <paramref name="arena"/> and binds (or joins) the channel.</summary>
    public AeronPacketSource(AeronSubscriptionOptions options, Arena arena, byte lineId)
    {
        Subscription = new AeronSubscription(options, arena);
        _lineId = lineId;
    }

    /// <summary>Arena bytes a source with these options carves.</summary>
    public static long ArenaBytes(AeronSubscriptionOptions options) => AeronSubscription.ArenaBytes(options);

    public AeronSubscription Subscription { get; }
    public long Packets { get; private set; }
    public long Bytes { get; private set; }

    private struct Forward<THandler> : IAeronMessageHandler where THandler : struct, IPacketHandler
    {
        public THandler Handler;
        public PacketInfo Info;
        public int Packets;
        public long Bytes;

        public void OnMessage(ReadOnlySpan<byte> message, in AeronHeader header)
        {
            Packets++;
            Bytes += message.Length;
            Handler.OnPacket(message, in Info);
        }
    }

    /// <summary>Delivers up to <paramref name="limit"/> messages (fragments, as Aeron counts) as packets; returns the packets delivered.</summary>
    public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
    {
        var forward = new Forward<THandler> { Handler = handler, Info = new PacketInfo(MonoClock.NowNs(), _lineId, PacketSourceKind.Aeron) };
        Subscription.Poll(ref forward, limit);
        handler = forward.Handler;
        Packets += forward.Packets;
        Bytes += forward.Bytes;
        return forward.Packets;
    }

    public void Dispose() => Subscription.Dispose();
}
