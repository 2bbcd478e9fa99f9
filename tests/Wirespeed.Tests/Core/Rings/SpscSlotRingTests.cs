using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Threading;
using Wirespeed.Core.Rings;
using Xunit;

namespace Wirespeed.Tests.Core.Rings;

public sealed unsafe class SpscSlotRingTests
{
    private struct Collect : ISlotHandler
    {
        public List<long> Seen;
        public void OnSlot(Span<byte> slot) => Seen.Add(BinaryPrimitives.ReadInt64LittleEndian(slot));
    }

    [Fact]
    public void Slots_come_out_in_order_across_wraps_and_a_full_ring_refuses_a_claim()
    {
        using var memory = new AlignedBuffer(SpscSlotRing.RequiredBytes(4, 128));
        var ring = new SpscSlotRing(memory.Pointer, 4, 128);
        var c = new Collect { Seen = new() };
        long value = 0;
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < 4; i++)
            {
                Assert.True(ring.TryClaim(out long seq));
                Assert.Equal(128, ring.Slot(seq).Length);
                BinaryPrimitives.WriteInt64LittleEndian(ring.Slot(seq), value++);
                ring.Publish();
            }
            Assert.False(ring.TryClaim(out _));
            Assert.Equal(4, ring.Count);
            Assert.Equal(3, ring.Poll(ref c, 3));
            Assert.Equal(1, ring.Poll(ref c, 10));
        }
        Assert.Equal(0, ring.Count);
        Assert.Equal(20, c.Seen.Count);
        for (int i = 0; i < 20; i++) Assert.Equal(i, c.Seen[i]);
    }

    [Fact]
    public void A_consumer_thread_sees_every_slot_of_a_producer_thread_once_and_in_order()
    {
        const int N = 200_000;
        using var memory = new AlignedBuffer(SpscSlotRing.RequiredBytes(64, 64));
        var ring = new SpscSlotRing(memory.Pointer, 64, 64);
        var c = new Collect { Seen = new(N) };
        var consumer = new Thread(() => { while (c.Seen.Count < N) if (ring.Poll(ref c, 16) == 0) Thread.Yield(); });
        consumer.Start();
        for (long i = 0; i < N; i++)
        {
            long seq;
            while (!ring.TryClaim(out seq)) Thread.Yield();
            BinaryPrimitives.WriteInt64LittleEndian(ring.Slot(seq), i);
            ring.Publish();
        }
        Assert.True(consumer.Join(TimeSpan.FromSeconds(60)));
        for (int i = 0; i < N; i++) Assert.Equal(i, c.Seen[i]);
    }

    [Theory]
    [InlineData(3, 64)]
    [InlineData(4, 100)]
    public void Bad_shapes_are_refused_with_the_fix(int capacity, int slotBytes)
    {
        using var memory = new AlignedBuffer(4096);
        Assert.Throws<ArgumentException>(() => new SpscSlotRing(memory.Pointer, capacity, slotBytes));
    }
}
