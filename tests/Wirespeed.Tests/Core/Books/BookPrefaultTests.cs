using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Xunit;

namespace Wirespeed.Tests.Core.Books;

public class BookPrefaultTests
{
    [Fact]
    public void Prefault_touches_every_table_and_leaves_the_books_empty()
    {
        var books = new OrderBookSet(new BookOptions { MaxInstruments = 16, MaxLiveOrders = 4096, MaxLevelsPerSide = 32 });
        long touched = books.Prefault();
        Assert.True(touched >= books.OrderAccount.ReservedBytes / 2, $"touched {touched} bytes");
        Assert.Equal(0, books.LiveOrders);
        Assert.False(books.TryGetBestBid(1, out _, out _));
        var add = new MarketEvent { Kind = EventKind.AddOrder, Instrument = 1, OrderId = 7, Side = Side.Buy, Quantity = 100, Price = 1_000_000 };
        Assert.Equal(BookStatus.Applied, books.Apply(ref add));
        Assert.True(books.TryGetBestBid(1, out long price, out long shares));
        Assert.Equal((1_000_000L, 100L), (price, shares));
    }

    [Fact]
    public void All_stale_is_remembered_until_any_book_is_cleared()
    {
        var books = new OrderBookSet(new BookOptions { MaxInstruments = 8, MaxLiveOrders = 1024, MaxLevelsPerSide = 8 });
        Assert.False(books.IsAllStale);
        books.MarkAllStale();
        Assert.True(books.IsAllStale);
        Assert.True(books.IsStale(7));
        books.ClearStale(3);
        Assert.False(books.IsAllStale);
        Assert.True(books.IsStale(7));
        books.MarkAllStale();
        books.ClearAllStale();
        Assert.False(books.IsAllStale);
        Assert.False(books.IsStale(7));
    }
}
