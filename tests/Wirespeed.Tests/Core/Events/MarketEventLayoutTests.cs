using System.Runtime.CompilerServices;
using Wirespeed.Core.Events;
using Xunit;

namespace Wirespeed.Tests.Core.Events;

public class MarketEventLayoutTests
{
    [Fact]
    public void MarketEvent_is_one_cache_line()
    {
        Assert.Equal(64, Unsafe.SizeOf<MarketEvent>());
        Assert.Equal(MarketEvent.Size, Unsafe.SizeOf<MarketEvent>());
    }

    [Fact]
    public void Field_offsets_match_the_documented_layout()
    {
        var e = new MarketEvent();
        ref byte b = ref Unsafe.As<MarketEvent, byte>(ref e);
        Assert.Equal(0, (int)Unsafe.ByteOffset(ref b, ref Unsafe.As<long, byte>(ref e.ExchangeTimestampNs)));
        Assert.Equal(8, (int)Unsafe.ByteOffset(ref b, ref Unsafe.As<long, byte>(ref e.ReceiveTimestampNs)));
        Assert.Equal(16, (int)Unsafe.ByteOffset(ref b, ref Unsafe.As<ulong, byte>(ref e.OrderId)));
        Assert.Equal(24, (int)Unsafe.ByteOffset(ref b, ref Unsafe.As<ulong, byte>(ref e.Aux)));
        Assert.Equal(32, (int)Unsafe.ByteOffset(ref b, ref Unsafe.As<long, byte>(ref e.Price)));
        Assert.Equal(40, (int)Unsafe.ByteOffset(ref b, ref Unsafe.As<ulong, byte>(ref e.Sequence)));
        Assert.Equal(48, (int)Unsafe.ByteOffset(ref b, ref Unsafe.As<long, byte>(ref e.Quantity)));
        Assert.Equal(56, (int)Unsafe.ByteOffset(ref b, ref Unsafe.As<int, byte>(ref e.Instrument)));
        Assert.Equal(60, (int)Unsafe.ByteOffset(ref b, ref e.LineId));
        Assert.Equal(63, (int)Unsafe.ByteOffset(ref b, ref e.PackedLaneAndFlags));
    }

    [Fact]
    public void Lane_and_flags_share_a_byte_without_clobbering_each_other()
    {
        var e = new MarketEvent { Lane = Lane.Bulk, Flags = EventFlags.Late | EventFlags.TopChanged };
        Assert.Equal(Lane.Bulk, e.Lane);
        Assert.Equal(EventFlags.Late | EventFlags.TopChanged, e.Flags);
        e.Lane = Lane.Critical;
        Assert.Equal(EventFlags.Late | EventFlags.TopChanged, e.Flags);
        e.Flags = EventFlags.None;
        Assert.Equal(Lane.Critical, e.Lane);
    }
}
