using System;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Memory;
using Xunit;

namespace Wirespeed.Tests.Core.Books;

public class OrderBookSetTests
{
    private static OrderBookSet NewSet(int instruments = 8, int orders = 1024, int levels = 64) =>
        new(new BookOptions { MaxInstruments = instruments, MaxLiveOrders = orders, MaxLevelsPerSide = levels });

    private static BookStatus Apply(OrderBookSet set, MarketEvent e) => set.Apply(ref e);

    private static PriceLevel[] Depth(OrderBookSet set, int instrument, Side side)
    {
        var buffer = new PriceLevel[1024];
        int n = set.GetDepth(instrument, side, buffer);
        return buffer[..n];
    }

    private static void AssertLevel(PriceLevel level, long price, long shares, int orders)
    {
        Assert.Equal(price, level.Price);
        Assert.Equal(shares, level.Shares);
        Assert.Equal(orders, level.Orders);
    }

    [Fact]
    public void Add_creates_a_level_and_stores_the_order()
    {
        var set = NewSet();
        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Add(7, 2, Side.Buy, 1_000_000, 300)));

        Assert.True(set.TryGetBestBid(2, out long price, out long shares));
        Assert.Equal(1_000_000, price);
        Assert.Equal(300, shares);
        Assert.False(set.TryGetBestAsk(2, out _, out _));
        Assert.True(set.TryGetOrder(7, out var order));
        Assert.Equal(new BookOrder(7, 2, Side.Buy, 1_000_000, 300, true), order);
        Assert.Equal(1, set.OrderCount(2));
        Assert.Equal(1, set.LiveOrders);
        Assert.Equal(1, set.LevelCount(2, Side.Buy));
        Assert.Equal(1, set.UsedLevels);
    }

    [Fact]
    public void Adds_at_one_price_aggregate_shares_and_order_count()
    {
        var set = NewSet();
        Apply(set, BookEvents.Add(1, 0, Side.Sell, 500_100, 100));
        Apply(set, BookEvents.Add(2, 0, Side.Sell, 500_100, 250));
        var asks = Depth(set, 0, Side.Sell);
        Assert.Single(asks);
        AssertLevel(asks[0], 500_100, 350, 2);
        Assert.Equal("2 orders, 350 @ 500100", asks[0].ToString());
    }

    [Fact]
    public void Depth_is_best_first_on_both_sides()
    {
        var set = NewSet();
        foreach (long p in new long[] { 99_0000, 101_0000, 100_0000, 98_0000 }) Apply(set, BookEvents.Add((ulong)p, 1, Side.Buy, p, 100));
        foreach (long p in new long[] { 103_0000, 102_0000, 105_0000 }) Apply(set, BookEvents.Add((ulong)p + 1, 1, Side.Sell, p, 200));

        var bids = Depth(set, 1, Side.Buy);
        Assert.Equal(new long[] { 101_0000, 100_0000, 99_0000, 98_0000 }, Array.ConvertAll(bids, l => l.Price));
        var asks = Depth(set, 1, Side.Sell);
        Assert.Equal(new long[] { 102_0000, 103_0000, 105_0000 }, Array.ConvertAll(asks, l => l.Price));

        Span<PriceLevel> two = stackalloc PriceLevel[2];
        Assert.Equal(2, set.GetDepth(1, Side.Buy, two));
        Assert.Equal(101_0000, two[0].Price);
        Assert.Equal(100_0000, two[1].Price);
    }

    [Fact]
    public void Partial_execution_reduces_order_and_level()
    {
        var set = NewSet();
        Apply(set, BookEvents.Add(1, 3, Side.Buy, 100_0000, 500));
        Apply(set, BookEvents.Add(2, 3, Side.Buy, 100_0000, 200));
        var e = BookEvents.Executed(1, 120);

        Assert.Equal(BookStatus.Applied, set.Apply(ref e));

        AssertLevel(Depth(set, 3, Side.Buy)[0], 100_0000, 580, 2);
        Assert.True(set.TryGetOrder(1, out var order));
        Assert.Equal(380, order.Shares);
        Assert.Equal(3, e.Instrument);
        Assert.Equal(Side.Buy, e.Side);
        Assert.Equal(100_0000, e.Price);
    }

    [Fact]
    public void Full_execution_removes_the_order_and_an_emptied_level()
    {
        var set = NewSet();
        Apply(set, BookEvents.Add(1, 0, Side.Sell, 100_0000, 100));
        Apply(set, BookEvents.Add(2, 0, Side.Sell, 100_0100, 100));

        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Executed(1, 100)));

        Assert.False(set.TryGetOrder(1, out _));
        Assert.True(set.TryGetBestAsk(0, out long price, out _));
        Assert.Equal(100_0100, price);
        Assert.Equal(1, set.LevelCount(0, Side.Sell));
        Assert.Equal(1, set.OrderCount(0));
        Assert.Equal(1, set.UsedLevels);
    }

    [Fact]
    public void Execution_with_price_reduces_the_resting_level_not_the_execution_price()
    {
        var set = NewSet();
        Apply(set, BookEvents.Add(1, 0, Side.Buy, 100_0000, 300));
        var e = BookEvents.ExecutedWithPrice(1, 100, 99_5000);

        Assert.Equal(BookStatus.Applied, set.Apply(ref e));

        var bids = Depth(set, 0, Side.Buy);
        Assert.Single(bids);
        AssertLevel(bids[0], 100_0000, 200, 1);
        Assert.Equal(99_5000, e.Price); // the execution price is the event's own
    }

    [Fact]
    public void Execution_of_more_than_remaining_removes_the_order_and_is_counted_as_clamped()
    {
        var set = NewSet();
        Apply(set, BookEvents.Add(1, 0, Side.Buy, 100_0000, 300));
        Assert.Equal(BookStatus.AppliedClamped, Apply(set, BookEvents.Executed(1, 301)));
        Assert.Equal(0, set.LevelCount(0, Side.Buy));
        Assert.Equal(0, set.LiveOrders);
        Assert.Equal(1, set.StatusCount(BookStatus.AppliedClamped));
    }

    [Fact]
    public void Partial_cancel_reduces_shares_and_keeps_the_order()
    {
        var set = NewSet();
        Apply(set, BookEvents.Add(1, 0, Side.Sell, 100_0000, 300));
        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Cancel(1, 100)));
        AssertLevel(Depth(set, 0, Side.Sell)[0], 100_0000, 200, 1);
        Assert.True(set.TryGetOrder(1, out var order));
        Assert.Equal(200, order.Shares);
    }

    [Fact]
    public void Cancel_of_exactly_remaining_removes_the_order()
    {
        var set = NewSet();
        Apply(set, BookEvents.Add(1, 0, Side.Sell, 100_0000, 300));
        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Cancel(1, 300)));
        Assert.False(set.TryGetOrder(1, out _));
        Assert.Equal(0, set.LevelCount(0, Side.Sell));
    }

    [Fact]
    public void Cancel_of_more_than_remaining_removes_the_order_and_is_counted_as_clamped()
    {
        var set = NewSet();
        Apply(set, BookEvents.Add(1, 0, Side.Sell, 100_0000, 300));
        Apply(set, BookEvents.Add(2, 0, Side.Sell, 100_0000, 50));
        Assert.Equal(BookStatus.AppliedClamped, Apply(set, BookEvents.Cancel(1, 1000)));
        Assert.False(set.TryGetOrder(1, out _));
        AssertLevel(Depth(set, 0, Side.Sell)[0], 100_0000, 50, 1);
        Assert.Equal(1, set.StatusCount(BookStatus.AppliedClamped));
    }

    [Fact]
    public void Delete_removes_the_whole_order()
    {
        var set = NewSet();
        Apply(set, BookEvents.Add(1, 4, Side.Buy, 100_0000, 300));
        Apply(set, BookEvents.Add(2, 4, Side.Buy, 100_0000, 100));
        var e = BookEvents.Delete(1);
        Assert.Equal(BookStatus.Applied, set.Apply(ref e));
        AssertLevel(Depth(set, 4, Side.Buy)[0], 100_0000, 100, 1);
        Assert.Equal(4, e.Instrument);
        Assert.Equal(Side.Buy, e.Side);
        Assert.Equal(1, set.OrderCount(4));
    }

    [Fact]
    public void Replace_moves_shares_to_the_new_reference_and_price_and_keeps_the_side()
    {
        var set = NewSet();
        Apply(set, BookEvents.Add(1, 5, Side.Sell, 100_0000, 300));
        Apply(set, BookEvents.Add(2, 5, Side.Sell, 100_0000, 100));
        var e = BookEvents.Replace(1, 77, 500, 100_0200);

        Assert.Equal(BookStatus.Applied, set.Apply(ref e));

        Assert.False(set.TryGetOrder(1, out _));
        Assert.True(set.TryGetOrder(77, out var order));
        Assert.Equal(new BookOrder(77, 5, Side.Sell, 100_0200, 500, true), order);
        var asks = Depth(set, 5, Side.Sell);
        Assert.Equal(2, asks.Length);
        AssertLevel(asks[0], 100_0000, 100, 1);
        AssertLevel(asks[1], 100_0200, 500, 1);
        Assert.Equal(Side.Sell, e.Side);
        Assert.Equal(5, e.Instrument);
        Assert.Equal(2, set.OrderCount(5));
    }

    [Fact]
    public void Replace_at_the_same_price_goes_to_the_back_without_changing_the_level_order_count()
    {
        var set = NewSet();
        Apply(set, BookEvents.Add(1, 0, Side.Buy, 100_0000, 300));
        Apply(set, BookEvents.Add(2, 0, Side.Buy, 100_0000, 100));
        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Replace(1, 3, 200, 100_0000)));
        AssertLevel(Depth(set, 0, Side.Buy)[0], 100_0000, 300, 2);
    }

    [Fact]
    public void Replace_onto_a_live_reference_removes_the_original_and_counts_a_duplicate()
    {
        var set = NewSet();
        Apply(set, BookEvents.Add(1, 0, Side.Buy, 100_0000, 300));
        Apply(set, BookEvents.Add(2, 0, Side.Buy, 99_0000, 100));
        Assert.Equal(BookStatus.DuplicateOrderId, Apply(set, BookEvents.Replace(1, 2, 200, 101_0000)));
        Assert.False(set.TryGetOrder(1, out _));
        Assert.True(set.TryGetOrder(2, out var kept));
        Assert.Equal(100, kept.Shares);
        Assert.Equal(1, set.LevelCount(0, Side.Buy));
    }

    [Fact]
    public void Replace_with_no_shares_is_refused_and_leaves_the_original()
    {
        var set = NewSet();
        Apply(set, BookEvents.Add(1, 0, Side.Buy, 100_0000, 300));
        Assert.Equal(BookStatus.InvalidQuantity, Apply(set, BookEvents.Replace(1, 2, 0, 101_0000)));
        Assert.True(set.TryGetOrder(1, out _));
        Assert.False(set.TryGetOrder(2, out _));
    }

    [Theory]
    [InlineData(EventKind.Trade)]
    [InlineData(EventKind.CrossTrade)]
    [InlineData(EventKind.BrokenTrade)]
    [InlineData(EventKind.TradingAction)]
    [InlineData(EventKind.SystemEvent)]
    [InlineData(EventKind.Imbalance)]
    [InlineData(EventKind.None)]
    public void Trades_and_status_events_do_not_touch_the_book(EventKind kind)
    {
        var set = NewSet();
        Apply(set, BookEvents.Add(1, 0, Side.Buy, 100_0000, 300));
        ulong before = set.Checksum();
        var e = new MarketEvent { Kind = kind, Instrument = 0, OrderId = 1, Side = Side.Buy, Price = 100_0000, Quantity = 300, Aux = 1 };

        Assert.Equal(BookStatus.NotBookEvent, set.Apply(ref e));

        Assert.Equal(before, set.Checksum());
        Assert.True(set.TryGetOrder(1, out var order));
        Assert.Equal(300, order.Shares);
        Assert.Equal(EventFlags.None, e.Flags);
        Assert.Equal(1, set.StatusCount(BookStatus.NotBookEvent));
    }

    [Fact]
    public void Events_for_unknown_references_are_counted_and_change_nothing()
    {
        var set = NewSet();
        Apply(set, BookEvents.Add(1, 0, Side.Buy, 100_0000, 300));
        ulong before = set.Checksum();
        Assert.Equal(BookStatus.UnknownOrder, Apply(set, BookEvents.Executed(42, 10)));
        Assert.Equal(BookStatus.UnknownOrder, Apply(set, BookEvents.ExecutedWithPrice(42, 10, 1)));
        Assert.Equal(BookStatus.UnknownOrder, Apply(set, BookEvents.Cancel(42, 10)));
        Assert.Equal(BookStatus.UnknownOrder, Apply(set, BookEvents.Delete(42)));
        Assert.Equal(BookStatus.UnknownOrder, Apply(set, BookEvents.Replace(42, 43, 10, 1)));
        Assert.Equal(5, set.StatusCount(BookStatus.UnknownOrder));
        Assert.Equal(before, set.Checksum());
        Assert.False(set.TryGetOrder(43, out _));
    }

    [Fact]
    public void Duplicate_add_is_counted_and_keeps_the_first_order()
    {
        var set = NewSet();
        Apply(set, BookEvents.Add(1, 0, Side.Buy, 100_0000, 300));
        Assert.Equal(BookStatus.DuplicateOrderId, Apply(set, BookEvents.Add(1, 1, Side.Sell, 101_0000, 50)));
        Assert.Equal(1, set.StatusCount(BookStatus.DuplicateOrderId));
        Assert.True(set.TryGetOrder(1, out var order));
        Assert.Equal(new BookOrder(1, 0, Side.Buy, 100_0000, 300, true), order);
        Assert.Equal(0, set.LevelCount(1, Side.Sell));
    }

    [Fact]
    public void Invalid_adds_are_refused_with_their_own_status()
    {
        var set = NewSet(instruments: 4);
        Assert.Equal(BookStatus.UnknownInstrument, Apply(set, BookEvents.Add(1, 4, Side.Buy, 1, 1)));
        Assert.Equal(BookStatus.UnknownInstrument, Apply(set, BookEvents.Add(1, -1, Side.Buy, 1, 1)));
        Assert.Equal(BookStatus.InvalidSide, Apply(set, BookEvents.Add(1, 0, Side.None, 1, 1)));
        Assert.Equal(BookStatus.InvalidSide, Apply(set, BookEvents.Add(1, 0, (Side)'X', 1, 1)));
        Assert.Equal(BookStatus.InvalidQuantity, Apply(set, BookEvents.Add(1, 0, Side.Buy, 1, 0)));
        Assert.Equal(BookStatus.InvalidQuantity, Apply(set, BookEvents.Add(1, 0, Side.Buy, 1, -5)));
        Assert.Equal(0, set.LiveOrders);
        Assert.Equal(2, set.StatusCount(BookStatus.UnknownInstrument));
        Assert.Equal(2, set.StatusCount(BookStatus.InvalidSide));
        Assert.Equal(2, set.StatusCount(BookStatus.InvalidQuantity));
    }

    [Fact]
    public void Executions_and_cancels_without_shares_are_refused()
    {
        var set = NewSet();
        Apply(set, BookEvents.Add(1, 0, Side.Buy, 100_0000, 300));
        Assert.Equal(BookStatus.InvalidQuantity, Apply(set, BookEvents.Executed(1, 0)));
        Assert.Equal(BookStatus.InvalidQuantity, Apply(set, BookEvents.Cancel(1, -3)));
        Assert.True(set.TryGetOrder(1, out var order));
        Assert.Equal(300, order.Shares);
    }

    [Fact]
    public void Order_reference_zero_and_max_are_ordinary_keys()
    {
        var set = NewSet();
        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Add(0, 0, Side.Buy, 100_0000, 300)));
        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Add(ulong.MaxValue, 0, Side.Sell, 101_0000, 300)));
        Assert.True(set.TryGetOrder(0, out _));
        Assert.True(set.TryGetOrder(ulong.MaxValue, out _));
        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Delete(0)));
        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Delete(ulong.MaxValue)));
        Assert.Equal(0, set.LiveOrders);
    }

    [Fact]
    public void Extreme_prices_keep_both_sides_sorted()
    {
        var set = NewSet();
        long[] prices = { long.MinValue, -1L, 0L, 1L, long.MaxValue };
        for (int i = 0; i < prices.Length; i++)
        {
            Apply(set, BookEvents.Add((ulong)i + 10, 0, Side.Buy, prices[i], 1));
            Apply(set, BookEvents.Add((ulong)i + 100, 0, Side.Sell, prices[i], 1));
        }
        Assert.Equal(new[] { long.MaxValue, 1L, 0L, -1L, long.MinValue }, Array.ConvertAll(Depth(set, 0, Side.Buy), l => l.Price));
        Assert.Equal(new[] { long.MinValue, -1L, 0L, 1L, long.MaxValue }, Array.ConvertAll(Depth(set, 0, Side.Sell), l => l.Price));
    }

    [Fact]
    public void Deep_books_find_levels_beyond_the_linear_scan()
    {
        var set = NewSet(levels: 200);
        for (int i = 0; i < 150; i++) Apply(set, BookEvents.Add((ulong)i + 1, 0, Side.Buy, 100_0000 - i * 100L, 100));
        for (int i = 0; i < 150; i++) Apply(set, BookEvents.Add((ulong)i + 1001, 0, Side.Buy, 100_0000 - i * 100L, 10));
        // Middle prices that do not exist yet go in by binary search.
        for (int i = 0; i < 50; i++) Apply(set, BookEvents.Add((ulong)i + 5001, 0, Side.Buy, 100_0000 - i * 300L - 50, 7));

        var bids = Depth(set, 0, Side.Buy);
        Assert.Equal(200, bids.Length);
        for (int i = 1; i < bids.Length; i++) Assert.True(bids[i - 1].Price > bids[i].Price);
        foreach (var l in bids)
        {
            if (l.Price % 100 == 0) AssertLevel(l, l.Price, 110, 2);
            else AssertLevel(l, l.Price, 7, 1);
        }
        // Removing deep orders finds them again.
        for (int i = 0; i < 150; i++) Apply(set, BookEvents.Delete((ulong)i + 1));
        bids = Depth(set, 0, Side.Buy);
        Assert.Equal(200, bids.Length);
        Assert.All(bids, l => Assert.True(l.Shares is 10 or 7));
    }

    [Fact]
    public void Top_changed_is_set_only_when_best_price_or_size_changes()
    {
        var set = NewSet();
        MarketEvent e;

        e = BookEvents.Add(1, 0, Side.Buy, 100_0000, 100);
        set.Apply(ref e);
        Assert.True(e.Flags.HasFlag(EventFlags.TopChanged));          // empty -> level

        e = BookEvents.Add(2, 0, Side.Buy, 99_0000, 100);
        set.Apply(ref e);
        Assert.False(e.Flags.HasFlag(EventFlags.TopChanged));         // behind the top

        e = BookEvents.Add(3, 0, Side.Buy, 100_0000, 50);
        set.Apply(ref e);
        Assert.True(e.Flags.HasFlag(EventFlags.TopChanged));          // top size grows

        e = BookEvents.Cancel(2, 10);
        set.Apply(ref e);
        Assert.False(e.Flags.HasFlag(EventFlags.TopChanged));         // second level

        e = BookEvents.Replace(3, 4, 50, 100_0000);
        set.Apply(ref e);
        Assert.False(e.Flags.HasFlag(EventFlags.TopChanged));         // same price, same size: top unchanged

        e = BookEvents.Delete(1);
        set.Apply(ref e);
        Assert.True(e.Flags.HasFlag(EventFlags.TopChanged));          // top size shrinks

        e = BookEvents.Add(5, 0, Side.Sell, 101_0000, 100);
        set.Apply(ref e);
        Assert.True(e.Flags.HasFlag(EventFlags.TopChanged));          // ask side appears

        e = BookEvents.Executed(4, 50);
        set.Apply(ref e);
        Assert.True(e.Flags.HasFlag(EventFlags.TopChanged));          // top level emptied, next one is best

        e = BookEvents.Trade(0, Side.Buy, 99_0000, 10);
        set.Apply(ref e);
        Assert.False(e.Flags.HasFlag(EventFlags.TopChanged));
        Assert.Equal(new TopOfBook(0, 99_0000, 90, 1, 101_0000, 100, 1), set.GetTopOfBook(0));
    }

    [Fact]
    public void Top_of_book_snapshot_writes_a_top_of_book_event()
    {
        var set = NewSet();
        Apply(set, BookEvents.Add(1, 3, Side.Buy, 100_0000, 100));
        Apply(set, BookEvents.Add(2, 3, Side.Buy, 100_0000, 200));
        Apply(set, BookEvents.Add(3, 3, Side.Sell, 100_0100, 700));
        var top = set.GetTopOfBook(3);
        Assert.Equal(new TopOfBook(3, 100_0000, 300, 2, 100_0100, 700, 1), top);

        var e = new MarketEvent { Sequence = 9, Lane = Lane.High };
        top.WriteTo(ref e);
        Assert.Equal(EventKind.TopOfBook, e.Kind);
        Assert.Equal(3, e.Instrument);
        Assert.Equal(100_0000, e.Price);
        Assert.Equal(100_0100UL, e.Aux);
        Assert.Equal(300, e.Quantity);
        Assert.Equal(700UL, e.OrderId);
        Assert.Equal(9UL, e.Sequence);
        Assert.Equal(Lane.High, e.Lane);

        Assert.Equal(new TopOfBook(99, 0, 0, 0, 0, 0, 0), set.GetTopOfBook(99));
        Assert.Equal(new TopOfBook(4, 0, 0, 0, 0, 0, 0), set.GetTopOfBook(4));
    }

    [Fact]
    public void Queries_out_of_range_return_nothing()
    {
        var set = NewSet(instruments: 2);
        Span<PriceLevel> buffer = stackalloc PriceLevel[4];
        Assert.False(set.TryGetBestBid(2, out long p, out long s));
        Assert.Equal(0, p + s);
        Assert.False(set.TryGetBestAsk(-1, out _, out _));
        Assert.Equal(0, set.GetDepth(2, Side.Buy, buffer));
        Assert.Equal(0, set.GetDepth(0, Side.None, buffer));
        Assert.Equal(0, set.LevelCount(5, Side.Buy));
        Assert.Equal(0, set.LevelCount(0, Side.None));
        Assert.Equal(0, set.OrderCount(-3));
        Assert.False(set.TryGetOrder(1, out var none));
        Assert.Equal(default, none);
        Assert.Equal(0, set.StatusCount((BookStatus)200));
        Assert.Equal(2, set.MaxInstruments);
    }

    [Fact]
    public void Stale_marks_flag_events_until_cleared_and_events_still_apply()
    {
        var set = NewSet(instruments: 4);
        Assert.True(set.MarkStale(1));
        Assert.False(set.MarkStale(4));
        Assert.True(set.IsStale(1));
        Assert.False(set.IsStale(0));
        Assert.False(set.IsStale(-1));

        var e = BookEvents.Add(1, 1, Side.Buy, 100_0000, 100);
        Assert.Equal(BookStatus.Applied, set.Apply(ref e));
        Assert.True(e.Flags.HasFlag(EventFlags.BookStale));
        Assert.True(set.TryGetBestBid(1, out _, out _));

        e = BookEvents.Delete(1); // no instrument on the wire: found through the order
        set.Apply(ref e);
        Assert.True(e.Flags.HasFlag(EventFlags.BookStale));

        e = BookEvents.Add(2, 0, Side.Buy, 100_0000, 100);
        set.Apply(ref e);
        Assert.False(e.Flags.HasFlag(EventFlags.BookStale));

        set.MarkAllStale();
        Assert.True(set.IsStale(0) && set.IsStale(3));
        Assert.True(set.ClearStale(1));
        Assert.False(set.ClearStale(7));
        Assert.False(set.IsStale(1));
        Assert.True(set.IsStale(2));
        set.ClearAllStale();
        for (int i = 0; i < 4; i++) Assert.False(set.IsStale(i));
    }

    [Fact]
    public void Stock_directory_events_define_instruments()
    {
        var set = NewSet(instruments: 4);
        var e = new MarketEvent { Kind = EventKind.Reference, Aux = 'R', Instrument = 2, OrderId = InstrumentTable.EncodeSymbol("AAPL"), Quantity = 100 };
        Assert.Equal(BookStatus.ReferenceApplied, set.Apply(ref e));
        Assert.Equal("AAPL", set.Instruments.SymbolText(2));
        Assert.Equal(100, set.Instruments.RoundLot(2));
        Assert.True(set.Instruments.TryFind("AAPL", out int id));
        Assert.Equal(2, id);

        e = new MarketEvent { Kind = EventKind.Reference, Aux = 'R', Instrument = 9, OrderId = InstrumentTable.EncodeSymbol("MSFT"), Quantity = 100 };
        Assert.Equal(BookStatus.UnknownInstrument, set.Apply(ref e));

        e = new MarketEvent { Kind = EventKind.Reference, Aux = 'R', Instrument = 3, OrderId = InstrumentTable.EncodeSymbol("BIG"), Quantity = long.MaxValue };
        set.Apply(ref e);
        Assert.Equal(int.MaxValue, set.Instruments.RoundLot(3));
        e = new MarketEvent { Kind = EventKind.Reference, Aux = 'R', Instrument = 3, OrderId = InstrumentTable.EncodeSymbol("BIG"), Quantity = -1 };
        set.Apply(ref e);
        Assert.Equal(0, set.Instruments.RoundLot(3));

        e = new MarketEvent { Kind = EventKind.Reference, Aux = 'Y', Instrument = 1, OrderId = InstrumentTable.EncodeSymbol("XX") };
        Assert.Equal(BookStatus.NotBookEvent, set.Apply(ref e));
        Assert.False(set.Instruments.IsDefined(1));
    }

    [Fact]
    public void A_given_instrument_table_is_used()
    {
        var table = new InstrumentTable(8);
        var set = new OrderBookSet(new BookOptions { MaxInstruments = 8, MaxLiveOrders = 16, MaxLevelsPerSide = 4 }, table);
        Assert.Same(table, set.Instruments);
    }

    [Fact]
    public void Accounts_are_registered_with_the_registry_and_track_use()
    {
        var registry = new MemoryRegistry(0);
        var set = new OrderBookSet(new BookOptions { MaxInstruments = 8, MaxLiveOrders = 100, MaxLevelsPerSide = 16, Name = "line1" }, null, registry);
        var accounts = registry.Snapshot();
        Assert.Equal(2, accounts.Length);
        Assert.Same(set.OrderAccount, accounts[0]);
        Assert.Same(set.LevelAccount, accounts[1]);
        Assert.Equal("line1.orders", set.OrderAccount.Name);
        Assert.Equal("line1.levels", set.LevelAccount.Name);
        Assert.Equal(100, set.OrderAccount.CapacityUnits);
        Assert.Equal(256 * 32, set.OrderAccount.ReservedBytes); // 2 x 100 rounded up to 256 slots of 32 bytes
        Assert.Equal(8 * 2 * 16, set.LevelAccount.CapacityUnits);

        Apply(set, BookEvents.Add(1, 0, Side.Buy, 100, 1));
        Apply(set, BookEvents.Add(2, 0, Side.Buy, 200, 1));
        Apply(set, BookEvents.Delete(1));
        Assert.Equal(1, set.OrderAccount.Used);
        Assert.Equal(2, set.OrderAccount.HighWater);
        Assert.Equal(1, set.LevelAccount.Used);
        Assert.Equal(2, set.LevelAccount.HighWater);
    }

    [Fact]
    public void Registry_ceiling_refuses_a_set_that_does_not_fit()
    {
        var registry = new MemoryRegistry(4096);
        Assert.Throws<MemoryCeilingException>(() => new OrderBookSet(new BookOptions { MaxInstruments = 8, MaxLiveOrders = 1000, MaxLevelsPerSide = 16 }, null, registry));
    }

    [Fact]
    public void Reset_empties_books_and_store_but_keeps_stale_marks()
    {
        var set = NewSet();
        Apply(set, BookEvents.Add(1, 0, Side.Buy, 100, 1));
        Apply(set, BookEvents.Add(2, 1, Side.Sell, 200, 1));
        set.MarkStale(1);
        set.Reset();
        Assert.Equal(0, set.LiveOrders);
        Assert.Equal(0, set.UsedLevels);
        Assert.Equal(0, set.OrderCount(0));
        Assert.False(set.TryGetOrder(1, out _));
        Assert.False(set.TryGetBestAsk(1, out _, out _));
        Assert.True(set.IsStale(1));
        Assert.Equal(0, set.OrderAccount.Used);
        Assert.Equal(BookStatus.Applied, Apply(set, BookEvents.Add(1, 0, Side.Buy, 100, 1)));
    }
}
