using System.Collections.Generic;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Sim;

namespace Wirespeed.Benchmarks.Priority;

/// <summary>Simulator events decoded and applied to books once, for the priority and breaker benchmarks.</summary>
public static class PriorityBenchEvents
{
    public static (MarketEvent[] Events, OrderBookSet Books, InstrumentTable Table, long SpanNs) Generate(SimulatorOptions options, int maxEvents)
    {
        var sim = new ExchangeSimulator(options);
        var feed = new SimFeed(sim, endAfterMessages: maxEvents);
        var decoder = new ItchFeedDecoder();
        int n = options.Instruments;
        var table = new InstrumentTable(n + 1);
        for (int i = 1; i <= n; i++) table.TrySetSector(i, sim.SectorOf(i));
        var books = new OrderBookSet(new BookOptions { MaxInstruments = n + 1, MaxLiveOrders = 1 << 16, MaxLevelsPerSide = 128 }, table);
        var list = new List<MarketEvent>(maxEvents + 1024);
        var buf = new MarketEvent[256];
        while (!feed.Ended)
        {
            var packet = feed.NextPacket();
            if (packet.IsEmpty) continue;
            int got = decoder.Decode(packet, new PacketInfo(0, 0, PacketSourceKind.InProcess), buf);
            for (int i = 0; i < got; i++) { books.Apply(ref buf[i]); list.Add(buf[i]); }
        }
        var events = list.ToArray();
        long span = events[^1].ExchangeTimestampNs - events[0].ExchangeTimestampNs + 1_000_000_000;
        return (events, books, table, span);
    }
}
