using System;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Xunit;

namespace Wirespeed.Tests.Core.Books;

public class BookAllocationTests
{
    [Fact]
    public void A_million_events_allocate_nothing_after_warm_up()
    {
        // 250k events generated up front (the generator allocates), replayed four times with a reset between passes.
        const int Instruments = 64;
        var feed = new RandomBookFeed(42, Instruments);
        var events = new MarketEvent[250_000];
        for (int i = 0; i < events.Length; i++) events[i] = feed.Next(out _);
        var set = new OrderBookSet(new BookOptions { MaxInstruments = Instruments, MaxLiveOrders = 1 << 17, MaxLevelsPerSide = 128 });
        var work = new MarketEvent[events.Length];
        Span<PriceLevel> depth = stackalloc PriceLevel[10];

        RunPass(set, events, work, depth); // warm-up: tiering, statics, first touch of every table
        RunPass(set, events, work, depth);

        long before = GC.GetAllocatedBytesForCurrentThread();
        long applied = 0;
        for (int pass = 0; pass < 4; pass++) applied += RunPass(set, events, work, depth);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(4L * events.Length, applied);
        Assert.True(set.StatusCount(BookStatus.Applied) > 4L * events.Length / 2);
    }

    private static long RunPass(OrderBookSet set, MarketEvent[] events, MarketEvent[] work, Span<PriceLevel> depth)
    {
        set.Reset();
        events.AsSpan().CopyTo(work);
        long n = 0;
        for (int i = 0; i < work.Length; i++)
        {
            ref MarketEvent e = ref work[i];
            set.Apply(ref e);
            if ((e.Flags & EventFlags.TopChanged) != 0)
            {
                TopOfBook top = set.GetTopOfBook(e.Instrument);
                MarketEvent snapshot = e;
                top.WriteTo(ref snapshot);
                set.GetDepth(e.Instrument, Side.Buy, depth);
            }
            set.TryGetOrder(e.OrderId, out _);
            n++;
        }
        set.Checksum();
        return n;
    }
}
