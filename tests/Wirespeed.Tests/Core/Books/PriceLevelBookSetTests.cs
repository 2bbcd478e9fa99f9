using System;
using System.Collections.Generic;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Xunit;

namespace Wirespeed.Tests.Core.Books;

/// <summary>Price-level books emit order-level events that make an OrderBookSet hold the same levels.</summary>
public sealed class PriceLevelBookSetTests
{
    /// <summary>Applies every event to an OrderBookSet and keeps them for inspection.</summary>
    internal struct Mirror : IEventHandler
    {
        public OrderBookSet Books;
        public List<MarketEvent> Events;

        public void OnEvent(ref MarketEvent evt)
        {
            Events.Add(evt);
            Assert.Equal(evt.Kind == EventKind.Trade ? BookStatus.NotBookEvent : BookStatus.Applied, Books.Apply(ref evt));
        }
    }

    internal static Mirror NewMirror(int instruments = 4, int levels = 8) =>
        new() { Books = new OrderBookSet(new BookOptions { MaxInstruments = instruments, MaxLiveOrders = 1024, MaxLevelsPerSide = levels }), Events = new() };

    private static readonly MarketEvent T = new() { Sequence = 9, LineId = 3, ReceiveTimestampNs = 5 };

    [Fact]
    public void New_change_and_delete_become_add_cancel_replace_and_delete()
    {
        var set = new PriceLevelBookSet(4, 8);
        var m = NewMirror();
        Assert.Equal(LevelStatus.Applied, set.Set(1, Side.Buy, 1_000_000, 300, T, ref m));
        Assert.Equal(LevelStatus.Applied, set.Set(1, Side.Buy, 1_000_000, 200, T, ref m));
        Assert.Equal(LevelStatus.Applied, set.Set(1, Side.Buy, 1_000_000, 500, T, ref m));
        Assert.Equal(LevelStatus.Unchanged, set.Set(1, Side.Buy, 1_000_000, 500, T, ref m));
        Assert.Equal(LevelStatus.Applied, set.Delete(1, Side.Buy, 1_000_000, T, ref m));
        var kinds = m.Events.ConvertAll(e => e.Kind);
        Assert.Equal(new[] { EventKind.AddOrder, EventKind.OrderCancel, EventKind.OrderReplace, EventKind.OrderDelete }, kinds.ToArray());
        Assert.Equal(100, m.Events[1].Quantity);            // cancelled by the difference
        Assert.Equal(m.Events[0].OrderId, m.Events[2].OrderId);
        Assert.Equal(m.Events[2].Aux, m.Events[3].OrderId); // the replace's new reference is deleted
        Assert.All(m.Events, e => Assert.Equal((9UL, (byte)3, 5L, 1), (e.Sequence, e.LineId, e.ReceiveTimestampNs, e.Instrument)));
        Assert.Equal(0, m.Books.LiveOrders);
    }

    [Fact]
    public void The_same_levels_give_the_same_checksum_and_top_as_the_order_book()
    {
        var set = new PriceLevelBookSet(4, 8);
        var m = NewMirror();
        var rng = new Random(7);
        for (int i = 0; i < 5000; i++)
        {
            int instrument = rng.Next(4);
            Side side = rng.Next(2) == 0 ? Side.Buy : Side.Sell;
            long price = (side == Side.Buy ? 990_000 : 1_010_000) + rng.Next(-6, 7) * 100;
            if (rng.Next(5) == 0) set.Delete(instrument, side, price, T, ref m);
            else set.Set(instrument, side, price, rng.Next(0, 5) * 100, T, ref m);
        }
        Assert.Equal(m.Books.Checksum(), set.Checksum());
        for (int i = 0; i < 4; i++)
        {
            var a = set.GetTopOfBook(i);
            var b = m.Books.GetTopOfBook(i);
            Assert.Equal((a.BidPrice, a.BidSize, a.AskPrice, a.AskSize), (b.BidPrice, b.BidSize, b.AskPrice, b.AskSize));
            Assert.Equal(m.Books.LevelCount(i, Side.Buy), set.LevelCount(i, Side.Buy));
        }
        Assert.True(set.StatusCount(LevelStatus.Applied) > 1000);
    }

    [Fact]
    public void Levels_are_kept_best_first_on_both_sides()
    {
        var set = new PriceLevelBookSet(2, 8);
        var m = NewMirror();
        foreach (long p in new long[] { 100, 300, 200 }) set.Set(0, Side.Buy, p, 1, T, ref m);
        foreach (long p in new long[] { 500, 400, 600 }) set.Set(0, Side.Sell, p, 1, T, ref m);
        var top = set.GetTopOfBook(0);
        Assert.Equal((300L, 400L), (top.BidPrice, top.AskPrice));
        Span<PriceLevel> depth = stackalloc PriceLevel[3];
        m.Books.GetDepth(0, Side.Buy, depth);
        Assert.Equal(new long[] { 300, 200, 100 }, new[] { depth[0].Price, depth[1].Price, depth[2].Price });
        Assert.Equal(m.Books.Checksum(), set.Checksum());
    }

    [Fact]
    public void Delete_thru_and_delete_from_remove_by_position()
    {
        var set = new PriceLevelBookSet(2, 8);
        var m = NewMirror();
        for (int p = 1; p <= 5; p++) set.Set(0, Side.Sell, p * 100, 10, T, ref m);
        Assert.Equal(2, set.DeleteLevels(0, Side.Sell, 2, fromPosition: false, T, ref m));   // the best two
        Assert.Equal(300, set.GetTopOfBook(0).AskPrice);
        Assert.Equal(2, set.DeleteLevels(0, Side.Sell, 2, fromPosition: true, T, ref m));    // from the 2nd down
        Assert.Equal(1, set.LevelCount(0, Side.Sell));
        Assert.Equal(0, set.DeleteLevels(0, Side.Sell, 5, fromPosition: true, T, ref m));
        Assert.Equal(0, set.DeleteLevels(9, Side.Sell, 1, fromPosition: true, T, ref m));
        Assert.Equal(m.Books.Checksum(), set.Checksum());
    }

    [Fact]
    public void Keep_only_leaves_one_level()
    {
        var set = new PriceLevelBookSet(2, 8);
        var m = NewMirror();
        set.Set(0, Side.Buy, 100, 1, T, ref m);
        set.Set(0, Side.Buy, 200, 1, T, ref m);
        Assert.Equal(1, set.KeepOnly(0, Side.Buy, 200, T, ref m));
        Assert.Equal(1, set.LevelCount(0, Side.Buy));
        Assert.Equal(0, set.KeepOnly(0, Side.None, 200, T, ref m));
        Assert.Equal(m.Books.Checksum(), set.Checksum());
    }

    [Fact]
    public void A_snapshot_deletes_only_the_levels_it_does_not_name_and_clears_stale()
    {
        var set = new PriceLevelBookSet(2, 8);
        var m = NewMirror();
        set.Set(1, Side.Buy, 100, 1, T, ref m);
        set.Set(1, Side.Buy, 200, 1, T, ref m);
        set.Set(1, Side.Sell, 300, 1, T, ref m);
        set.Set(0, Side.Sell, 300, 1, T, ref m);
        set.MarkStale(1);
        int before = m.Events.Count;
        set.BeginSnapshot();
        set.Set(1, Side.Buy, 200, 1, T, ref m);   // unchanged: no event
        set.Set(1, Side.Sell, 310, 1, T, ref m);
        set.EndSnapshot(1, T, ref m);
        Assert.False(set.IsStale(1));
        var kinds = m.Events.GetRange(before, m.Events.Count - before).ConvertAll(e => e.Kind);
        Assert.Equal(new[] { EventKind.AddOrder, EventKind.OrderDelete, EventKind.OrderDelete }, kinds.ToArray());
        Assert.Equal(1, set.LevelCount(0, Side.Sell));   // other instruments untouched
        set.EndSnapshot(7, T, ref m);                   // out of range: nothing
        Assert.Equal(m.Books.Checksum(), set.Checksum());
    }

    [Fact]
    public void Refusals_are_counted_and_a_full_side_marks_the_book_stale()
    {
        var set = new PriceLevelBookSet(2, 2);
        var m = NewMirror(levels: 2);
        Assert.Equal(LevelStatus.UnknownInstrument, set.Set(2, Side.Buy, 1, 1, T, ref m));
        Assert.Equal(LevelStatus.UnknownInstrument, set.Delete(-1, Side.Buy, 1, T, ref m));
        Assert.Equal(LevelStatus.InvalidSide, set.Set(0, Side.None, 1, 1, T, ref m));
        Assert.Equal(LevelStatus.InvalidSize, set.Set(0, Side.Buy, 1, -1, T, ref m));
        Assert.Equal(LevelStatus.UnknownLevel, set.Delete(0, Side.Buy, 1, T, ref m));
        Assert.Equal(LevelStatus.UnknownLevel, set.Set(0, Side.Buy, 1, 0, T, ref m));   // size 0 of an absent level
        set.Set(0, Side.Buy, 1, 1, T, ref m);
        set.Set(0, Side.Buy, 2, 1, T, ref m);
        Assert.False(set.IsStale(0));
        Assert.Equal(LevelStatus.LevelPoolExhausted, set.Set(0, Side.Buy, 3, 1, T, ref m));
        Assert.True(set.IsStale(0));
        Assert.False(set.IsStale(5));
        set.MarkStale(5);
        Assert.Equal(1, set.StatusCount(LevelStatus.LevelPoolExhausted));
        Assert.Equal(2, set.StatusCount(LevelStatus.UnknownInstrument));
        Assert.Equal(0, set.LevelCount(9, Side.Buy));
        Assert.Equal(new TopOfBook(9, 0, 0, 0, 0, 0, 0), set.GetTopOfBook(9));
        Assert.Equal((2, 2), (set.MaxInstruments, set.MaxLevelsPerSide));
    }

    [Fact]
    public void Capacities_out_of_range_fail_naming_the_setting()
    {
        Assert.Contains("MaxInstruments", Assert.Throws<ArgumentException>(() => new PriceLevelBookSet(0, 1)).Message);
        Assert.Contains("MaxLevelsPerSide", Assert.Throws<ArgumentException>(() => new PriceLevelBookSet(1, 0)).Message);
        Assert.Contains("exceeds", Assert.Throws<ArgumentException>(() => new PriceLevelBookSet(1 << 20, 1 << 16)).Message);
    }
}
