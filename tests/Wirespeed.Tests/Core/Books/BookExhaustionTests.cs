using System;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Xunit;

namespace Wirespeed.Tests.Core.Books;

public class BookExhaustionTests
{
    private static BookStatus Apply(OrderBookSet set, MarketEvent e) => set.Apply(ref e);

    [Fact]
    public void Full_order_store_drops_the_add_counts_it_and_marks_the_book_stale()
    {
        var set = new OrderBookSet(new BookOptions { MaxInstruments = 4, MaxLiveOrders = 3, MaxLevelsPerSide = 8 });
        for (ulong i = 1; i <= 3; i++) Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Add(i, 0, Side.Buy, 100 * (long)i, 10)));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = BookEvents.Add(4, 2, Side.Sell, 500, 10);
        BookStatus status = set.Apply(ref e);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(BookStatus.OrderPoolExhausted, status);
        Assert.Equal(0, allocated);
        Assert.Equal(1, set.OrderAccount.Exhausted);
        Assert.Equal(1, set.StatusCount(BookStatus.OrderPoolExhausted));
        Assert.Equal(3, set.LiveOrders);
        Assert.False(set.TryGetOrder(4, out _));
        Assert.True(set.IsStale(2));
        Assert.True(e.Flags.HasFlag(EventFlags.BookStale));
        Assert.False(set.IsStale(0));
        Assert.Equal(BookStatus.UnknownOrder, Apply(set, BookEvents.Delete(4)));

        // Room again after a delete.
        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Delete(1)));
        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Add(4, 2, Side.Sell, 500, 10)));
    }

    [Fact]
    public void Replace_in_a_full_store_reuses_the_original_slot()
    {
        var set = new OrderBookSet(new BookOptions { MaxInstruments = 1, MaxLiveOrders = 2, MaxLevelsPerSide = 8 });
        Apply(set, BookEvents.Add(1, 0, Side.Buy, 100, 10));
        Apply(set, BookEvents.Add(2, 0, Side.Buy, 200, 10));
        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Replace(1, 3, 20, 150)));
        Assert.Equal(2, set.LiveOrders);
        Assert.Equal(0, set.OrderAccount.Exhausted);
    }

    [Fact]
    public void Full_side_keeps_the_order_outside_the_levels_and_counts_it()
    {
        var set = new OrderBookSet(new BookOptions { MaxInstruments = 2, MaxLiveOrders = 64, MaxLevelsPerSide = 3 });
        for (int i = 0; i < 3; i++) Apply(set, BookEvents.Add((ulong)i + 1, 0, Side.Buy, 100_0000 - i * 100L, 100));
        ulong checksum = set.Checksum();

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = BookEvents.Add(10, 0, Side.Buy, 99_0000, 300);
        BookStatus status = set.Apply(ref e);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(BookStatus.LevelPoolExhausted, status);
        Assert.Equal(0, allocated);
        Assert.Equal(1, set.LevelAccount.Exhausted);
        Assert.Equal(checksum, set.Checksum());
        Assert.False(e.Flags.HasFlag(EventFlags.TopChanged));
        Assert.True(set.IsStale(0));
        Assert.True(set.TryGetOrder(10, out var order));
        Assert.False(order.InLevels);
        Assert.Equal(4, set.OrderCount(0));

        // An existing price still takes more orders when the side is full.
        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Add(11, 0, Side.Buy, 100_0000, 5)));
        // Messages about the untracked order resolve and touch only the order.
        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Executed(10, 100)));
        Assert.True(set.TryGetOrder(10, out order));
        Assert.Equal(200, order.Shares);
        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Delete(10)));
        Assert.Equal(4, set.OrderCount(0));
        Span<PriceLevel> depth = stackalloc PriceLevel[8];
        Assert.Equal(3, set.GetDepth(0, Side.Buy, depth));
        Assert.Equal(105, depth[0].Shares);
        // The other side and other instruments are unaffected.
        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Add(20, 0, Side.Sell, 101_0000, 1)));
        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Add(21, 1, Side.Buy, 101_0000, 1)));
    }

    [Fact]
    public void Untracked_order_replaced_into_a_free_level_enters_the_book()
    {
        var set = new OrderBookSet(new BookOptions { MaxInstruments = 1, MaxLiveOrders = 64, MaxLevelsPerSide = 1 });
        Apply(set, BookEvents.Add(1, 0, Side.Sell, 100, 10));
        Assert.Equal(BookStatus.LevelPoolExhausted, Apply(set, BookEvents.Add(2, 0, Side.Sell, 200, 10)));
        Apply(set, BookEvents.Delete(1));
        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Replace(2, 3, 40, 300)));
        Assert.True(set.TryGetBestAsk(0, out long price, out long shares));
        Assert.Equal((300, 40), (price, shares));
    }

    [Fact]
    public void Count_only_policy_leaves_the_book_fresh()
    {
        var set = new OrderBookSet(new BookOptions { MaxInstruments = 1, MaxLiveOrders = 1, MaxLevelsPerSide = 1, Exhaustion = ExhaustionPolicy.CountOnly });
        Apply(set, BookEvents.Add(1, 0, Side.Sell, 100, 10));
        Assert.Equal(BookStatus.OrderPoolExhausted, Apply(set, BookEvents.Add(2, 0, Side.Sell, 200, 10)));
        Apply(set, BookEvents.Delete(1));
        Apply(set, BookEvents.Add(3, 0, Side.Buy, 100, 10));
        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Delete(3)));
        Apply(set, BookEvents.Add(4, 0, Side.Buy, 100, 10));
        Apply(set, BookEvents.Delete(4));
        Apply(set, BookEvents.Add(5, 0, Side.Buy, 100, 10));
        Assert.Equal(1, set.OrderAccount.Exhausted);
        Assert.False(set.IsStale(0));
    }

    [Fact]
    public void Sustained_exhaustion_never_allocates()
    {
        var set = new OrderBookSet(new BookOptions { MaxInstruments = 2, MaxLiveOrders = 100, MaxLevelsPerSide = 4 });
        var events = new MarketEvent[10_000];
        for (int i = 0; i < events.Length; i++) events[i] = BookEvents.Add((ulong)i + 1, i & 1, Side.Buy, 1000 - i, 1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < events.Length; i++) set.Apply(ref events[i]);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(events.Length - 100, set.OrderAccount.Exhausted);
        Assert.Equal(100 - 8, set.LevelAccount.Exhausted);
    }
}
