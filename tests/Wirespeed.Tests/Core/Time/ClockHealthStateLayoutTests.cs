using System.Runtime.InteropServices;
using Wirespeed.Core.Rings;
using Wirespeed.Core.Time;
using Xunit;

namespace Wirespeed.Tests.Core.Time;

public class ClockHealthStateLayoutTests
{
    [Fact]
    public void The_flag_read_per_packet_and_the_observation_written_per_packet_are_a_full_pad_apart_and_from_the_object_edges()
    {
        long flag = Marshal.OffsetOf<ClockHealthState>("_flag");
        long exchange = Marshal.OffsetOf<ClockHealthState>(nameof(ClockHealthState.LastExchangeNs));
        long suspectEvents = Marshal.OffsetOf<ClockHealthState>(nameof(ClockHealthState.SuspectEvents));
        Assert.Equal(CacheLine.PadBytes, flag);
        Assert.True(exchange - flag >= CacheLine.PadBytes);
        Assert.True(3 * CacheLine.PadBytes - (suspectEvents + 8) >= 64, "the observation's line ends well before the object does");
    }
}
