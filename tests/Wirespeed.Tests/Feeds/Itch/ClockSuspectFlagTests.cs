using Wirespeed.Core.Events;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Itch;
using Xunit;

namespace Wirespeed.Tests.Feeds.Itch;

/// <summary>The decoder carries the clock-health watcher's verdict onto every event, and shows it each packet's timestamps.</summary>
public class ClockSuspectFlagTests
{
    private const long Midnight = 1_796_601_600_000_000_000;   // 2026-12-07T00:00:00Z

    [Fact]
    public void Events_carry_ClockSuspect_exactly_while_the_watcher_distrusts_the_clock_and_are_counted()
    {
        var clock = new ClockHealthState();
        var decoder = new ItchFeedDecoder(new ItchFeedOptions { MidnightEpochNs = Midnight, Clock = clock });
        var trusted = ItchTestData.DecodeAll(decoder, ItchTestData.Packet("S", 1, ItchTestData.Delete(1), ItchTestData.Delete(2, ts: 2000)));
        Assert.All(trusted, e => Assert.Equal(EventFlags.None, e.Flags & EventFlags.ClockSuspect));

        clock.Publish(suspect: true);
        var suspect = ItchTestData.DecodeAll(decoder, ItchTestData.Packet("S", 3, ItchTestData.Delete(3), ItchTestData.Delete(4), ItchTestData.Delete(5, ts: 9000)), rx: 123);
        Assert.Equal(3, suspect.Count);
        Assert.All(suspect, e => Assert.Equal(EventFlags.ClockSuspect, e.Flags & EventFlags.ClockSuspect));
        Assert.Equal(3, clock.SuspectEvents);
        // The packet's last event, shown back to the watcher: its exchange time (midnight + ITCH ns) and receive time.
        Assert.Equal((Midnight + 9000, 123L), (clock.LastExchangeNs, clock.LastReceiveNs));

        clock.Publish(suspect: false);
        var again = ItchTestData.DecodeAll(decoder, ItchTestData.Packet("S", 6, ItchTestData.Delete(6)));
        Assert.Equal(EventFlags.None, Assert.Single(again).Flags & EventFlags.ClockSuspect);
        Assert.Equal(3, clock.SuspectEvents);
    }

    [Fact]
    public void Without_a_watcher_no_event_is_flagged()
    {
        var decoder = new ItchFeedDecoder(new ItchFeedOptions { MidnightEpochNs = Midnight });
        var events = ItchTestData.DecodeAll(decoder, ItchTestData.Packet("S", 1, ItchTestData.Delete(1)));
        Assert.Equal(EventFlags.None, Assert.Single(events).Flags & EventFlags.ClockSuspect);
    }
}
