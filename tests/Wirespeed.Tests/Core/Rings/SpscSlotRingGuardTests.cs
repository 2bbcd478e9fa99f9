using System;
using Wirespeed.Core.Rings;
using Xunit;

namespace Wirespeed.Tests.Core.Rings;

/// <summary>The slot ring refuses missing or misaligned memory, and a poll with no room asked for takes nothing.</summary>
public sealed unsafe class SpscSlotRingGuardTests
{
    private struct Count : ISlotHandler
    {
        public int Seen;
        public void OnSlot(Span<byte> slot) => Seen++;
    }

    [Fact]
    public void Null_slot_memory_is_refused_naming_the_parameter()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new SpscSlotRing(null, 4, 64));
        Assert.Equal("slots", e.ParamName);
    }

    [Fact]
    public void Slot_memory_that_is_not_64_byte_aligned_is_refused()
    {
        using var memory = new AlignedBuffer(SpscSlotRing.RequiredBytes(4, 64) + 64);
        var e = Assert.ThrowsAny<ArgumentException>(() => new SpscSlotRing((byte*)memory.Pointer + 8, 4, 64));
        Assert.Equal("slots", e.ParamName);
        Assert.Contains("64-byte aligned", e.Message);
    }

    [Fact]
    public void A_poll_with_a_limit_of_zero_or_less_takes_nothing_and_leaves_the_slots_queued()
    {
        using var memory = new AlignedBuffer(SpscSlotRing.RequiredBytes(4, 64));
        var ring = new SpscSlotRing(memory.Pointer, 4, 64);
        Assert.True(ring.TryClaim(out _));
        ring.Publish();
        var handler = new Count();
        Assert.Equal(0, ring.Poll(ref handler, 0));
        Assert.Equal(0, ring.Poll(ref handler, -1));
        Assert.Equal(0, handler.Seen);
        Assert.Equal(1, ring.Count);
        Assert.Equal(1, ring.Poll(ref handler, 1));
        Assert.Equal(1, handler.Seen);
    }
}
