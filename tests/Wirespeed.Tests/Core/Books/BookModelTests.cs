using System;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Xunit;

namespace Wirespeed.Tests.Core.Books;

/// <summary>The real books against <see cref="ReferenceBook"/> over long random event sequences (fixed seeds).</summary>
public class BookModelTests
{
    private const int Instruments = 24;

    private static void AssertSameBooks(OrderBookSet set, ReferenceBook model, int instruments)
    {
        var depth = new PriceLevel[4096];
        for (int i = 0; i < instruments; i++)
        {
            foreach (Side side in new[] { Side.Buy, Side.Sell })
            {
                var expected = model.Levels(i, side);
                int n = set.GetDepth(i, side, depth);
                Assert.Equal(expected.Count, n);
                Assert.Equal(expected.Count, set.LevelCount(i, side));
                int k = 0;
                foreach (var kv in expected)
                {
                    Assert.Equal(kv.Key, depth[k].Price);
                    Assert.Equal(kv.Value.Shares, depth[k].Shares);
                    Assert.Equal(kv.Value.Orders, depth[k].Orders);
                    k++;
                }
            }
            Assert.Equal(model.OrderCount(i), set.OrderCount(i));
        }
        Assert.Equal(model.LiveOrders, set.LiveOrders);
        Assert.Equal(model.Checksum(), set.Checksum());
    }

    [Theory]
    [InlineData(1, 150_000, 256)]
    [InlineData(20251124, 100_000, 64)]
    public void Random_sequences_match_the_reference_model_event_by_event(int seed, int events, int levelsPerSide)
    {
        var feed = new RandomBookFeed(seed, Instruments);
        var set = new OrderBookSet(new BookOptions { MaxInstruments = Instruments, MaxLiveOrders = 1 << 16, MaxLevelsPerSide = levelsPerSide });
        var model = feed.Model;
        int topChanges = 0;

        for (int n = 0; n < events; n++)
        {
            MarketEvent e = feed.Next(out BookStatus expected, out int instrument, out var bidBefore, out var askBefore);

            BookStatus status = set.Apply(ref e);

            Assert.Equal(expected, status);
            if (instrument >= 0)
            {
                var bid = model.Best(instrument, Side.Buy);
                var ask = model.Best(instrument, Side.Sell);
                bool changed = bid != bidBefore || ask != askBefore;
                Assert.Equal(changed, e.Flags.HasFlag(EventFlags.TopChanged));
                if (changed) topChanges++;
                Assert.Equal(bid.Price != 0, set.TryGetBestBid(instrument, out long bp, out long bs));
                Assert.Equal(bid, (bp, bs));
                Assert.Equal(ask.Price != 0, set.TryGetBestAsk(instrument, out long ap, out long asz));
                Assert.Equal(ask, (ap, asz));
            }
            else
            {
                Assert.False(e.Flags.HasFlag(EventFlags.TopChanged));
            }
            if (n % 10_000 == 0) AssertSameBooks(set, model, Instruments);
        }

        AssertSameBooks(set, model, Instruments);
        Assert.Equal(0, set.OrderAccount.Exhausted);
        Assert.Equal(0, set.LevelAccount.Exhausted);
        // The sequence really exercised every cause.
        Assert.True(topChanges > events / 50, $"top changes {topChanges}, live {set.LiveOrders}, levels {set.UsedLevels}");
        foreach (var s in new[] { BookStatus.Applied, BookStatus.AppliedClamped, BookStatus.NotBookEvent, BookStatus.UnknownOrder,
                     BookStatus.DuplicateOrderId, BookStatus.UnknownInstrument, BookStatus.InvalidSide, BookStatus.InvalidQuantity })
            Assert.True(set.StatusCount(s) > 0, s.ToString());
        Assert.True(set.LiveOrders > 1000);
        Assert.True(set.UsedLevels > Instruments * 2 * 8, "books deeper than the linear scan");
    }

    [Fact]
    public void Same_events_give_the_same_checksum_in_differently_sized_sets()
    {
        var feed = new RandomBookFeed(7, Instruments);
        var small = new OrderBookSet(new BookOptions { MaxInstruments = Instruments, MaxLiveOrders = 1 << 14, MaxLevelsPerSide = 128 });
        var large = new OrderBookSet(new BookOptions { MaxInstruments = 5000, MaxLiveOrders = 1 << 20, MaxLevelsPerSide = 300 });
        ulong previous = 0;
        int distinct = 0;
        for (int n = 0; n < 60_000; n++)
        {
            MarketEvent e = feed.Next(out _);
            MarketEvent copy = e;
            small.Apply(ref e);
            large.Apply(ref copy);
            Assert.Equal(e.PackedLaneAndFlags, copy.PackedLaneAndFlags);
            if (n % 5000 == 0)
            {
                ulong c = small.Checksum();
                Assert.Equal(c, large.Checksum());
                if (c != previous) distinct++;
                previous = c;
            }
        }
        Assert.Equal(small.Checksum(), large.Checksum());
        Assert.Equal(feed.Model.Checksum(), small.Checksum());
        Assert.True(distinct >= 10, "checksum follows the book");
    }

    [Fact]
    public void Checksum_changes_with_any_level_field()
    {
        var a = new OrderBookSet(new BookOptions { MaxInstruments = 4, MaxLiveOrders = 16, MaxLevelsPerSide = 4 });
        ulong empty = a.Checksum();
        var e = BookEvents.Add(1, 0, Side.Buy, 100, 10);
        a.Apply(ref e);
        ulong one = a.Checksum();
        Assert.NotEqual(empty, one);
        e = BookEvents.Add(2, 0, Side.Buy, 100, 10);
        a.Apply(ref e);
        ulong twoOrders = a.Checksum();
        Assert.NotEqual(one, twoOrders);
        e = BookEvents.Cancel(2, 1);
        a.Apply(ref e);
        Assert.NotEqual(twoOrders, a.Checksum());

        var b = new OrderBookSet(new BookOptions { MaxInstruments = 4, MaxLiveOrders = 16, MaxLevelsPerSide = 4 });
        e = BookEvents.Add(1, 0, Side.Sell, 100, 10);
        b.Apply(ref e);
        Assert.NotEqual(one, b.Checksum());
        var c = new OrderBookSet(new BookOptions { MaxInstruments = 4, MaxLiveOrders = 16, MaxLevelsPerSide = 4 });
        e = BookEvents.Add(1, 1, Side.Buy, 100, 10);
        c.Apply(ref e);
        Assert.NotEqual(one, c.Checksum());
    }
}
