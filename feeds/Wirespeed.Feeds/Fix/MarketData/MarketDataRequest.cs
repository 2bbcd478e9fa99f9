using System;
using Wirespeed.Feeds.Fix.Application;

namespace Wirespeed.Feeds.Fix.MarketData;

/// <summary>
/// MarketDataRequest (35=V) for one instrument: MDReqID (262), SubscriptionRequestType (263) 1 = snapshot + updates
/// or 2 = unsubscribe, MarketDepth (264), MDUpdateType (265) 1 = incremental, NoMDEntryTypes (267) bid, offer and
/// optionally trade, NoRelatedSym (146) with Symbol (55). FIX 4.4 / 5.0 SP2.
/// </summary>
public struct MarketDataRequest : IFixApplicationMessage
{
    public ulong MdReqId;
    public byte[] Symbol;
    public int MarketDepth;
    public bool Trades;
    public bool Unsubscribe;

    public readonly ReadOnlySpan<byte> MsgType => "V"u8;

    public readonly void WriteBody(ref FixWriter w)
    {
        w.Int(262, (long)MdReqId);
        w.Char(263, Unsubscribe ? (byte)'2' : (byte)'1');
        w.Int(264, MarketDepth);
        w.Char(265, (byte)'1');
        w.Int(267, Trades ? 3 : 2);
        w.Char(269, (byte)'0');
        w.Char(269, (byte)'1');
        if (Trades) w.Char(269, (byte)'2');
        w.Int(146, 1);
        w.Bytes(55, Symbol);
    }
}
