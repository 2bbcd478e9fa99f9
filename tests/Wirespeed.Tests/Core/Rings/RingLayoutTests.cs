using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Wirespeed.Core.Rings;
using Xunit;

namespace Wirespeed.Tests.Core.Rings;

/// <summary>Fields written by different threads sit a full pad apart (false sharing would cost ~100 ns a handoff).</summary>
public sealed class RingLayoutTests
{
    [Fact]
    public void Spsc_tail_and_head_are_a_full_pad_apart()
    {
        var idx = new RingIndices();
        Assert.Equal(CacheLine.PadBytes, (int)Unsafe.ByteOffset(ref idx.Tail, ref idx.Head));
    }

    [Fact]
    public void Spsc_indices_are_padded_on_both_sides()
    {
        var idx = new RingIndices();
        Assert.Equal(3 * CacheLine.PadBytes, Unsafe.SizeOf<RingIndices>());
        Assert.Equal(CacheLine.PadBytes, (int)Unsafe.ByteOffset(ref Unsafe.As<RingIndices, long>(ref idx), ref idx.Tail));
        Assert.True((int)Unsafe.ByteOffset(ref idx.Head, ref idx.TailCache) < 64);   // consumer line holds consumer fields only
        Assert.True((int)Unsafe.ByteOffset(ref idx.Tail, ref idx.HeadCache) < 64);   // producer line holds producer fields only
        Assert.Equal(Unsafe.SizeOf<RingIndices>() - CacheLine.PadBytes,                  // the consumer pad ends the struct
                     (int)Unsafe.ByteOffset(ref Unsafe.As<RingIndices, long>(ref idx), ref idx.Head));
    }

    [Fact]
    public void Broadcast_cursor_is_exactly_one_pad_long()
    {
        Assert.Equal(CacheLine.PadBytes, Unsafe.SizeOf<BroadcastCursor>());
        var c = new BroadcastCursor();
        Assert.Equal(8, (int)Unsafe.ByteOffset(ref c.Sequence, ref c.Cache));
        Assert.Equal(16, (int)Unsafe.ByteOffset(ref c.Sequence, ref c.Claim));
    }

    [Fact]
    public unsafe void Broadcast_producer_and_consumer_cursors_are_a_full_pad_apart()
    {
        void* slots = NativeMemory.AlignedAlloc(64 * 8, 64);
        try
        {
            var ring = new SpmcBroadcast<long>(slots, 64, 3);
            ref BroadcastCursor producer = ref ring.ProducerCursor;
            Assert.Equal(CacheLine.PadBytes, (int)Unsafe.ByteOffset(ref producer.Sequence, ref ring.CursorOf(0).Sequence));
            Assert.Equal(CacheLine.PadBytes, (int)Unsafe.ByteOffset(ref ring.CursorOf(0).Sequence, ref ring.CursorOf(1).Sequence));
            Assert.Equal(CacheLine.PadBytes, (int)Unsafe.ByteOffset(ref ring.CursorOf(1).Sequence, ref ring.CursorOf(2).Sequence));
        }
        finally
        {
            NativeMemory.AlignedFree(slots);
        }
    }

    [Fact]
    public unsafe void Broadcast_first_and_last_cursors_have_a_pad_of_their_own_before_and_after()
    {
        void* slots = NativeMemory.AlignedAlloc(64 * 8, 64);
        try
        {
            var ring = new SpmcBroadcast<long>(slots, 64, 2);
            BroadcastCursor[] cursors = ring.CursorArray;
            Assert.Equal(2 + 3, cursors.Length);
            Assert.True(Unsafe.AreSame(ref cursors[1], ref ring.ProducerCursor));
            Assert.True(Unsafe.AreSame(ref cursors[^2], ref ring.CursorOf(1)));
        }
        finally
        {
            NativeMemory.AlignedFree(slots);
        }
    }
}
