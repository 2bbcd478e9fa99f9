using System;
using Wirespeed.Core.Rings;
using Xunit;

namespace Wirespeed.Tests.Core.Rings;

public sealed unsafe class SpmcBroadcastTests
{
    [Fact]
    public void Every_consumer_sees_every_item_in_order()
    {
        using var mem = new AlignedBuffer(SpmcBroadcast<long>.RequiredBytes(8));
        var ring = new SpmcBroadcast<long>(mem.Pointer, 8, 3);
        var handlers = new[] { new CollectingHandler(100), new CollectingHandler(100), new CollectingHandler(100) };
        long next = 0;
        for (int round = 0; round < 20; round++)
        {
            for (int i = 0; i < 5; i++) Assert.True(ring.TryWrite(next++));
            for (int c = 0; c < 3; c++) ring.GetConsumer(c).Poll(ref handlers[c], 8);
        }
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(100, handlers[c].Count);
            for (int i = 0; i < 100; i++) Assert.Equal(i, handlers[c].Seen[i]);
            Assert.Equal(100, ring.GetConsumer(c).Position);
        }
    }

    [Fact]
    public void Producer_reports_full_while_the_slowest_consumer_lags_a_whole_ring()
    {
        using var mem = new AlignedBuffer(SpmcBroadcast<long>.RequiredBytes(4));
        var ring = new SpmcBroadcast<long>(mem.Pointer, 4, 2);
        var fast = new CollectingHandler(16);
        var slow = new CollectingHandler(16);
        for (long i = 0; i < 4; i++) Assert.True(ring.TryWrite(i));
        Assert.Equal(4, ring.GetConsumer(0).Poll(ref fast, 16));
        Assert.False(ring.TryClaim(out long seq));             // consumer 1 has read nothing: no slot may be reused
        Assert.Equal(-1, seq);
        Assert.Equal(4, ring.Count);
        Assert.Equal(0, ring.GetConsumer(0).Count);
        Assert.Equal(4, ring.GetConsumer(1).Count);

        Assert.Equal(1, ring.GetConsumer(1).Poll(ref slow, 1));
        Assert.True(ring.TryWrite(4));                          // exactly one slot freed
        Assert.False(ring.TryWrite(5));
        Assert.Equal(3, ring.GetConsumer(1).Poll(ref slow, 16));  // the consumer's cached tail first (no shared read)...
        Assert.Equal(1, ring.GetConsumer(1).Poll(ref slow, 16));  // ...then the refreshed tail
        Assert.Equal(1, ring.GetConsumer(0).Poll(ref fast, 16));
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(i, fast.Seen[i]);
            Assert.Equal(i, slow.Seen[i]);                      // the lagging consumer lost nothing
        }
    }

    [Fact]
    public void Batch_claims_are_invisible_until_publish()
    {
        using var mem = new AlignedBuffer(SpmcBroadcast<long>.RequiredBytes(128));
        var ring = new SpmcBroadcast<long>(mem.Pointer, 128, 2);
        for (int i = 0; i < 64; i++)
        {
            Assert.True(ring.TryClaim(out long seq));
            ring[seq] = seq + 1000;
        }
        var h0 = new CollectingHandler(64);
        var h1 = new CollectingHandler(64);
        Assert.Equal(0, ring.GetConsumer(0).Poll(ref h0, 64));
        ring.Publish();
        Assert.Equal(64, ring.Published);
        Assert.Equal(64, ring.GetConsumer(0).Poll(ref h0, 64));
        Assert.Equal(30, ring.GetConsumer(1).Poll(ref h1, 30));
        Assert.Equal(34, ring.Count);
        Assert.Equal(0, ring.GetConsumer(1).Poll(ref h1, 0));
        Assert.Equal(0, ring.GetConsumer(1).Poll(ref h1, -1));
        Assert.Equal(34, ring.GetConsumer(1).Poll(ref h1, 64));
        Assert.Equal(1063, h1.Seen[63]);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        using var mem = new AlignedBuffer(1024);
        Assert.Throws<ArgumentException>(() => new SpmcBroadcast<long>(mem.Pointer, 6, 1));
        Assert.Throws<ArgumentException>(() => new SpmcBroadcast<long>(mem.Pointer, 8, 0));
        Assert.Throws<ArgumentException>(() => new SpmcBroadcast<long>((byte*)mem.Pointer + 8, 8, 1));
        var ring = new SpmcBroadcast<long>(mem.Pointer, 8, 2);
        Assert.Throws<ArgumentException>(() => ring.GetConsumer(2));
        Assert.Throws<ArgumentException>(() => ring.GetConsumer(-1));
    }

    [Fact]
    public void Claim_publish_and_poll_allocate_nothing_after_warm_up()
    {
        using var mem = new AlignedBuffer(SpmcBroadcast<long>.RequiredBytes(256));
        var ring = new SpmcBroadcast<long>(mem.Pointer, 256, 2);
        var h = new CountHandler();
        Cycle(ring, ref h);
        Cycle(ring, ref h);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) Cycle(ring, ref h);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1002L * 64 * 2, h.Items);
    }

    [Fact]
    public void A_routed_poll_hands_each_consumer_only_the_items_routed_to_it_and_passes_the_rest()
    {
        using var mem = new AlignedBuffer(SpmcBroadcast<long>.RequiredBytes(16));
        var ring = new SpmcBroadcast<long>(mem.Pointer, 16, 3);
        ulong[] routes = [0b001, 0b010, 0b011, 0b100, SpmcBroadcast<long>.AllConsumers, 0b110];
        for (int i = 0; i < routes.Length; i++)
        {
            Assert.True(ring.TryClaim(out long seq, routes[i]));
            ring[seq] = 100 + i;
            Assert.Equal(routes[i], ring.RouteOf(seq));
        }
        Assert.True(ring.TryClaim(out long plain));            // no route named: every consumer
        ring[plain] = 106;
        ring.Publish();
        Assert.Equal(SpmcBroadcast<long>.AllConsumers, ring.RouteOf(plain));
        long[][] expected = [[100, 102, 104, 106], [101, 102, 104, 105, 106], [103, 104, 105, 106]];
        for (int c = 0; c < 3; c++)
        {
            var h = new RoutedHandler { Items = new long[16], Sequences = new long[16] };
            Assert.True(ring.GetConsumer(c).Routable);
            Assert.Equal(4, ring.GetConsumer(c).PollRouted(ref h, 4));   // the limit counts slots passed, routed or not
            Assert.Equal(3, ring.GetConsumer(c).PollRouted(ref h, 16));
            Assert.Equal(0, ring.GetConsumer(c).PollRouted(ref h, 16));
            Assert.Equal(0, ring.GetConsumer(c).PollRouted(ref h, 0));
            Assert.Equal(expected[c], h.Items.AsSpan(0, h.Count).ToArray());
            for (int i = 0; i < h.Count; i++) Assert.Equal(h.Items[i] - 100, h.Sequences[i]);
            Assert.Equal(7, ring.GetConsumer(c).Position);          // every slot released, routed or not
        }
        Assert.Equal(0, ring.Count);
    }

    [Fact]
    public void Past_the_64th_consumer_a_routed_poll_hands_over_only_items_for_every_consumer()
    {
        using var mem = new AlignedBuffer(SpmcBroadcast<long>.RequiredBytes(4));
        var ring = new SpmcBroadcast<long>(mem.Pointer, 4, 65);
        Assert.True(ring.GetConsumer(63).Routable);
        Assert.False(ring.GetConsumer(64).Routable);
        Assert.True(ring.TryClaim(out long a, 1UL << 63));
        ring[a] = 1;
        Assert.True(ring.TryClaim(out long b));
        ring[b] = 2;
        ring.Publish();
        var h63 = new RoutedHandler { Items = new long[4], Sequences = new long[4] };
        var h64 = new RoutedHandler { Items = new long[4], Sequences = new long[4] };
        Assert.Equal(2, ring.GetConsumer(63).PollRouted(ref h63, 4));
        Assert.Equal(2, ring.GetConsumer(64).PollRouted(ref h64, 4));
        Assert.Equal([1L, 2L], h63.Items.AsSpan(0, h63.Count).ToArray());
        Assert.Equal([2L], h64.Items.AsSpan(0, h64.Count).ToArray());
    }

    [Fact]
    public void Routes_sit_after_the_slots_on_a_64_byte_boundary()
    {
        Assert.Equal(64 + 2 * 8, SpmcBroadcast<Odd>.RequiredBytes(2));      // 2 × 3 bytes of slots, rounded up to 64
        Assert.Equal(8 * 64 + 8 * 8, SpmcBroadcast<Wirespeed.Core.Events.MarketEvent>.RequiredBytes(8));
        using var mem = new AlignedBuffer(SpmcBroadcast<Odd>.RequiredBytes(2));
        var ring = new SpmcBroadcast<Odd>(mem.Pointer, 2, 1);
        Assert.True(ring.TryClaim(out long s, 0xABCD));
        ring[s] = new Odd { A = 1, B = 2, C = 3 };
        Assert.Equal(0xABCDUL, ring.RouteOf(s));
        Assert.Equal(0xABCDUL, *(ulong*)((byte*)mem.Pointer + 64));
        Assert.Equal(3, ring[s].C);
    }

    private struct Odd
    {
        public byte A, B, C;
    }

    private struct RoutedHandler : IRoutedRingHandler<long>
    {
        public long[] Items;
        public long[] Sequences;
        public int Count;

        public void OnItem(ref long item, long sequence)
        {
            Sequences[Count] = sequence;
            Items[Count++] = item;
        }
    }

    private static void Cycle(SpmcBroadcast<long> ring, ref CountHandler h)
    {
        for (int i = 0; i < 64; i++)
        {
            if (!ring.TryClaim(out long seq)) throw new InvalidOperationException("full");
            ring[seq] = seq;
        }
        ring.Publish();
        while (ring.GetConsumer(0).Poll(ref h, 32) > 0) { }
        while (ring.GetConsumer(1).Poll(ref h, 32) > 0) { }
    }

    private struct CountHandler : IRingHandler<long>
    {
        public long Items;
        public void OnItem(ref long item) => Items++;
    }
}
