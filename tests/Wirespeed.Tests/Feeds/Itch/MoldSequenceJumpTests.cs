using System;
using Wirespeed.Core.Recording;
using Wirespeed.Feeds.Itch;
using Xunit;
using static Wirespeed.Tests.Feeds.Itch.ItchTestData;

namespace Wirespeed.Tests.Feeds.Itch;

public sealed class MoldSequenceJumpTests
{
    [Fact]
    public void Overflowing_sequence_is_counted_quarantined_and_the_line_goes_on()
    {
        var q = new QuarantineRing(8, 256);
        var d = new ItchFeedDecoder(quarantine: q);
        DecodeAll(d, Packet("S1", 1, Delete(1)));
        Assert.Empty(DecodeAll(d, Packet("S1", ulong.MaxValue, Delete(2))));
        Assert.Equal(1, d.MoldCounters.MalformedSequence);
        Assert.Equal(2UL, d.Session.NextExpected);
        Assert.Equal(1, q.Count);
        Assert.Equal((byte)DecodeStatus.SequenceOverflow, q.Get(0, out _, out _).Status);
        Assert.Single(DecodeAll(d, Packet("S1", 2, Delete(2))));
        Assert.False(d.Session.IsStale);
    }

    [Fact]
    public void Single_corrupt_far_sequence_is_suspect_and_does_not_kill_the_line()
    {
        var q = new QuarantineRing(8, 256);
        var d = new ItchFeedDecoder(quarantine: q);
        DecodeAll(d, Packet("S1", 1, Delete(1)));
        Assert.Empty(DecodeAll(d, Packet("S1", 1UL << 40, Delete(2))));
        Assert.Equal(1, d.MoldCounters.SuspectJumps);
        Assert.Equal(2UL, d.Session.NextExpected);
        Assert.Equal((byte)DecodeStatus.SuspectSequence, q.Get(0, out _, out _).Status);
        var next = DecodeAll(d, Packet("S1", 2, Delete(2), Delete(3)));
        Assert.Equal(2, next.Count);
        Assert.Equal(4UL, d.Session.NextExpected);
        Assert.False(d.Session.IsStale);
        Assert.Equal(0, d.MoldCounters.GapMessages);
        // The refused packet is forgotten once the line continued where it was: a later far packet is suspect again.
        Assert.Empty(DecodeAll(d, Packet("S1", (1UL << 40) + 1, Delete(4))));
        Assert.Equal(2, d.MoldCounters.SuspectJumps);
    }

    [Fact]
    public void Far_jump_confirmed_by_the_next_packet_records_the_gap_and_carries_on()
    {
        var d = new ItchFeedDecoder();
        DecodeAll(d, Packet("S1", 1, Delete(1)));
        ulong far = 50_000_000; // beyond the default MaxGapMessages
        Assert.Empty(DecodeAll(d, Packet("S1", far, Delete(2), Delete(3))));
        Assert.Single(DecodeAll(d, Packet("S1", far + 2, Delete(4))));
        Assert.Equal(1, d.MoldCounters.SuspectJumps);
        Assert.Equal(1, d.MoldCounters.ConfirmedJumps);
        Assert.Equal(far + 3, d.Session.NextExpected);
        Assert.True(d.Session.IsStale);
        Assert.True(d.Session.TryTakeGap(out MoldGap gap));
        Assert.Equal((2UL, far), (gap.FirstMissing, gap.Count));
    }

    [Fact]
    public void Heartbeat_far_ahead_is_suspect_and_a_second_one_confirms_it()
    {
        var d = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { MaxGapMessages = 100 } });
        DecodeAll(d, Packet("S1", 1, Delete(1)));
        Assert.Empty(DecodeAll(d, Packet(Session("S1"), 500, MoldPacketReader.HeartbeatCount)));
        Assert.Equal(2UL, d.Session.NextExpected);
        Assert.Equal(0, d.MoldCounters.Heartbeats);
        Assert.Empty(DecodeAll(d, Packet(Session("S1"), 500, MoldPacketReader.HeartbeatCount)));
        Assert.Equal(500UL, d.Session.NextExpected);
        Assert.Equal(498, d.MoldCounters.GapMessages);
        Assert.Equal(1, d.MoldCounters.ConfirmedJumps);
    }

    [Fact]
    public void Unlimited_max_gap_takes_any_jump_at_its_word()
    {
        var s = new MoldSession(new MoldSessionOptions { MaxGapMessages = 0 });
        s.OnPacket(Session("A"), 1, 1, 0, out _);
        Assert.Equal(MoldVerdict.Deliver, s.OnPacket(Session("A"), 1UL << 50, 1, 0, out _));
        Assert.Equal((1UL << 50) + 1, s.NextExpected);
    }
}
