using System;
using System.Collections.Generic;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Xunit;

namespace Wirespeed.Tests.Core.Books;

/// <summary>The order store's probe runs stay short at full load for the reference patterns feeds produce.</summary>
public class OrderStoreProbeTests
{
    private const int Capacity = 1 << 16; // 131072 slots

    private static OrderBookSet NewSet() => new(new BookOptions { MaxInstruments = 4, MaxLiveOrders = Capacity, MaxLevelsPerSide = 64 });

    private static void Add(OrderBookSet set, ulong id)
    {
        var e = BookEvents.Add(id, (int)(id & 3), (id & 4) == 0 ? Side.Buy : Side.Sell, 100_0000 + (long)(id % 32) * 100, 100);
        Assert.Equal(BookStatus.Applied, set.Apply(ref e));
    }

    public static TheoryData<string, ulong, ulong> Patterns => new()
    {
        { "sequential from 1", 1, 1 },
        { "sequential from far into the day", 3_000_000_000, 1 },
        { "stride of the table size", 7, 2 * Capacity },
        { "stride of a block", 5, 16 },
        { "stride of 2^32", 11, 1UL << 32 },
    };

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Full_store_keeps_probe_runs_short(string pattern, ulong first, ulong stride)
    {
        var set = NewSet();
        for (ulong i = 0; i < Capacity; i++) Add(set, first + i * stride);
        Assert.True(set.LongestProbeRun() < 200, $"{pattern}: longest run {set.LongestProbeRun()}");
        for (ulong i = 0; i < Capacity; i++) Assert.True(set.TryGetOrder(first + i * stride, out _));
    }

    [Fact]
    public void Random_references_keep_probe_runs_short()
    {
        var set = NewSet();
        var rng = new Random(3);
        var seen = new HashSet<ulong>();
        while (seen.Count < Capacity)
        {
            ulong id = (ulong)rng.NextInt64();
            if (seen.Add(id)) Add(set, id);
        }
        Assert.True(set.LongestProbeRun() < 200, $"longest run {set.LongestProbeRun()}");
    }

    [Fact]
    public void A_day_of_churn_at_full_load_keeps_probe_runs_short_and_finds_every_order()
    {
        // References increase all day and wrap the table many times; deletes hit random live orders, as on a feed.
        var set = NewSet();
        var rng = new Random(5);
        var live = new List<ulong>(Capacity);
        ulong next = 1;
        for (int i = 0; i < Capacity; i++) { Add(set, next); live.Add(next++); }
        for (int step = 0; step < 20 * Capacity; step++)
        {
            int victim = rng.Next(live.Count);
            var d = BookEvents.Delete(live[victim]);
            Assert.Equal(BookStatus.Applied, set.Apply(ref d));
            live[victim] = next;
            Add(set, next++);
        }
        Assert.True(set.LongestProbeRun() < 200, $"longest run {set.LongestProbeRun()}");
        Assert.Equal(Capacity, set.LiveOrders);
        foreach (ulong id in live) Assert.True(set.TryGetOrder(id, out _));
        var gone = BookEvents.Delete(1);
        Assert.Equal(BookStatus.UnknownOrder, set.Apply(ref gone));
    }
}
