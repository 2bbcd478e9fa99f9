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
