using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Feeds.Itch;

namespace Wirespeed.Tests.Feeds.Itch;

/// <summary>Loads the golden vectors and builds MoldUDP64 packets for tests.</summary>
internal static class ItchTestData
{
    /// <summary>Bytes of tests/fixtures/itch/<paramref name="name"/>.hex ('#' lines are comments).</summary>
    public static byte[] Hex(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "fixtures", "itch", name + ".hex");
        var bytes = new List<byte>();
        foreach (string line in File.ReadAllLines(path))
        {
            string t = line.Trim();
            if (t.Length == 0 || t[0] == '#') continue;
            foreach (string h in t.Split(' ', StringSplitOptions.RemoveEmptyEntries)) bytes.Add(Convert.ToByte(h, 16));
        }
        return bytes.ToArray();
    }

    public static readonly string[] FixtureNames =
    {
        "SystemEvent", "StockDirectory", "StockTradingAction", "RegShoRestriction", "MarketParticipantPosition",
        "MwcbDeclineLevel", "MwcbStatus", "IpoQuotingPeriodUpdate", "LuldAuctionCollar", "OperationalHalt",
        "AddOrder", "AddOrderMpid", "OrderExecuted", "OrderExecutedWithPrice", "OrderCancel", "OrderDelete",
        "OrderReplace", "Trade", "CrossTrade", "BrokenTrade", "NetOrderImbalance", "RetailPriceImprovement",
        "DirectListingPriceDiscovery",
    };

    public static byte[] Session(string s) => Encoding.ASCII.GetBytes(s.PadRight(10).Substring(0, 10));

    /// <summary>A MoldUDP64 packet: header then one block per message.</summary>
    public static byte[] Packet(string session, ulong sequence, params byte[][] messages)
        => Packet(Session(session), sequence, (ushort)messages.Length, messages);

    public static byte[] Packet(byte[] session, ulong sequence, ushort count, params byte[][] messages)
    {
        int length = 20;
        foreach (byte[] m in messages) length += 2 + m.Length;
        var p = new byte[length];
        session.AsSpan(0, 10).CopyTo(p);
        BinaryPrimitives.WriteUInt64BigEndian(p.AsSpan(10), sequence);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(18), count);
        int o = 20;
        foreach (byte[] m in messages)
        {
            BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(o), (ushort)m.Length);
            m.CopyTo(p, o + 2);
            o += 2 + m.Length;
        }
        return p;
    }

    /// <summary>A valid Order Delete with the given locate and order reference.</summary>
    public static byte[] Delete(ulong orderRef, ushort locate = 1, long ts = 1000)
    {
        var m = new byte[19];
        m[0] = (byte)'D';
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(1), locate);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(5), (ushort)(ts >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(7), (uint)ts);
        BinaryPrimitives.WriteUInt64BigEndian(m.AsSpan(11), orderRef);
        return m;
    }

    public static PacketInfo Info(long rx = 77, byte line = 3) => new(rx, line, PacketSourceKind.InProcess);

    /// <summary>Collects events into a list (tests only; allocates).</summary>
    public static List<MarketEvent> DecodeAll(ItchFeedDecoder decoder, byte[] packet, long rx = 77)
    {
        var output = new MarketEvent[256];
        var info = Info(rx);
        int n = decoder.Decode(packet, in info, output);
        return new List<MarketEvent>(output.AsSpan(0, n).ToArray());
    }
}

/// <summary>Counts events and keeps a checksum; allocation-free.</summary>
internal struct CountingHandler : IEventHandler
{
    public long Count;
    public long Checksum;
    public void OnEvent(ref MarketEvent evt)
    {
        Count++;
        Checksum = Checksum * 31 + (long)evt.OrderId + evt.Price + evt.Quantity + (long)evt.Sequence;
    }
}
