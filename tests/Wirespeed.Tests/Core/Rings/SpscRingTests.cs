using System;
using Wirespeed.Core.Rings;
using Xunit;

namespace Wirespeed.Tests.Core.Rings;

public sealed unsafe class SpscRingTests
{
    [Fact]
    public void Full_ring_refuses_a_claim_until_the_consumer_frees_a_slot()
    {
        using var mem = new AlignedBuffer(SpscRing<long>.RequiredBytes(4));
        var ring = new SpscRing<long>(mem.Pointer, 4);
        for (long i = 0; i < 4; i++) Assert.True(ring.TryWrite(i));
        Assert.False(ring.TryClaim(out long seq));
        Assert.Equal(-1, seq);
        Assert.False(ring.TryWrite(99));
        Assert.Equal(4, ring.Count);

        var h = new CollectingHandler(8);
        Assert.Equal(1, ring.Poll(ref h, 1));
        Assert.True(ring.TryWrite(4));
        Assert.False(ring.TryWrite(5));
    }

    [Fact]
    public void Items_come_out_in_order_across_many_wrap_arounds()
    {
        using var mem = new AlignedBuffer(SpscRing<long>.RequiredBytes(8));
        var ring = new SpscRing<long>(mem.Pointer, 8);
        var h = new CollectingHandler(1000);
        long next = 0;
        for (int round = 0; round < 100; round++)
        {
            int burst = 1 + round % 8;
            for (int i = 0; i < burst; i++) Assert.True(ring.TryWrite(next++));
            ring.Poll(ref h, burst);
        }
        Assert.Equal(next, h.Count);
        for (int i = 0; i < h.Count; i++) Assert.Equal(i, h.Seen[i]);
        Assert.Equal(next, ring.Published);
        Assert.Equal(0, ring.Count);
    }

    [Fact]
    public void Claimed_slots_stay_invisible_until_publish_then_appear_as_one_batch()
    {
        using var mem = new AlignedBuffer(SpscRing<long>.RequiredBytes(128));
        var ring = new SpscRing<long>(mem.Pointer, 128);
        for (int i = 0; i < 64; i++)
        {
            Assert.True(ring.TryClaim(out long seq));
            ring[seq] = seq * 10;
        }
        var h = new CollectingHandler(128);
        Assert.Equal(0, ring.Poll(ref h, 128));
        Assert.Equal(0, ring.Count);
        ring.Publish();
        Assert.Equal(64, ring.Count);
        Assert.Equal(40, ring.Poll(ref h, 40));                // limit respected
        Assert.Equal(24, ring.Count);
        Assert.Equal(24, ring.Poll(ref h, 128));
        for (int i = 0; i < 64; i++) Assert.Equal(i * 10, h.Seen[i]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Poll_with_no_limit_consumes_nothing(int limit)
    {
        using var mem = new AlignedBuffer(SpscRing<long>.RequiredBytes(4));
        var ring = new SpscRing<long>(mem.Pointer, 4);
        ring.TryWrite(1);
        ring.TryWrite(2);
        var h = new CollectingHandler(4);
        Assert.Equal(0, ring.Poll(ref h, limit));
        Assert.Equal(2, ring.Count);                           // the bug this guards: Head moved backwards
        Assert.Equal(2, ring.Poll(ref h, 4));
        Assert.Equal(1, h.Seen[0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]
    public void Capacity_must_be_a_power_of_two_of_at_least_two(int capacity)
    {
        using var mem = new AlignedBuffer(64);
        Assert.Throws<ArgumentException>(() => new SpscRing<long>(mem.Pointer, capacity));
    }

    [Fact]
    public void Unaligned_slot_memory_is_refused()
    {
        using var mem = new AlignedBuffer(256);
        Assert.Throws<ArgumentException>(() => new SpscRing<long>((byte*)mem.Pointer + 8, 4));
    }

    [Fact]
    public void Claim_publish_and_poll_allocate_nothing_after_warm_up()
    {
        using var mem = new AlignedBuffer(SpscRing<long>.RequiredBytes(256));
        var ring = new SpscRing<long>(mem.Pointer, 256);
        var h = new SumHandler();
        Cycle(ring, ref h);
        Cycle(ring, ref h);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) Cycle(ring, ref h);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1002L * 64, h.Items);
    }

    private static void Cycle(SpscRing<long> ring, ref SumHandler h)
    {
        for (int i = 0; i < 64; i++)
        {
            if (!ring.TryClaim(out long seq)) throw new InvalidOperationException("full");
            ring[seq] = seq;
        }
        ring.Publish();
        while (ring.Poll(ref h, 32) > 0) { }
    }

    private struct SumHandler : IRingHandler<long>
    {
        public long Items;
        public void OnItem(ref long item) => Items++;
    }
}
