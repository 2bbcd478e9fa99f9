using System;
using Wirespeed.Core.Recording;
using Wirespeed.Feeds.Itch;
using Xunit;
using static Wirespeed.Tests.Feeds.Itch.ItchTestData;

namespace Wirespeed.Tests.Feeds.Itch;

public sealed class MoldSessionConfiguredTests
{
    private static ItchFeedDecoder Configured(string session, QuarantineRing? q = null, SessionChangePolicy policy = SessionChangePolicy.Reject)
        => new(new ItchFeedOptions { Session = new MoldSessionOptions { ExpectedSession = session, SessionChange = policy } }, q);

    [Fact]
    public void Stray_first_packet_does_not_capture_a_line_with_a_configured_session()
    {
        var q = new QuarantineRing(8, 256);
        var d = Configured("GOOD", q);
        byte[] stray = Packet("STRAY", 1, Delete(1));
        Assert.Empty(DecodeAll(d, stray));
        Assert.False(d.Session.IsEstablished);
        Assert.Equal(1, d.MoldCounters.WrongSession);
        Assert.Equal(1, q.Count);
        q.Get(0, out ReadOnlySpan<byte> raw, out _);
        Assert.Equal(stray, raw.ToArray());
        Assert.Single(DecodeAll(d, Packet("GOOD", 1, Delete(1))));
        Assert.Equal("GOOD      ", System.Text.Encoding.ASCII.GetString(d.Session.SessionId));
    }

    [Fact]
    public void Configured_session_is_never_replaced_after_end_of_session_or_under_the_follow_policy()
    {
        var d = Configured("GOOD", policy: SessionChangePolicy.Follow);
        Assert.Single(DecodeAll(d, Packet("GOOD", 1, Delete(1))));
        Assert.Empty(DecodeAll(d, Packet("OTHER", 2, Delete(2))));
        Assert.Empty(DecodeAll(d, Packet(Session("GOOD"), 2, MoldPacketReader.EndOfSessionCount)));
        Assert.Empty(DecodeAll(d, Packet("OTHER", 1, Delete(1))));
        Assert.Equal(2, d.MoldCounters.WrongSession);
        Assert.Equal(0, d.MoldCounters.SessionChanges);
        Assert.Equal("GOOD      ", System.Text.Encoding.ASCII.GetString(d.Session.SessionId));
    }

    [Fact]
    public void Short_configured_session_is_right_padded_with_spaces()
    {
        var s = new MoldSession(new MoldSessionOptions { ExpectedSession = "ABC" });
        Assert.Equal(MoldVerdict.WrongSession, s.OnPacket("ABC\0\0\0\0\0\0\0"u8, 1, 1, 0, out _));
        Assert.Equal(MoldVerdict.Deliver, s.OnPacket("ABC       "u8, 1, 1, 0, out _));
    }

    [Theory]
    [InlineData("ELEVENCHARS")]
    [InlineData("tab\there")]
    [InlineData("caf\u00e9")]
    public void Configured_session_must_be_ten_printable_ascii_characters_at_most(string session)
    {
        var ex = Assert.Throws<ArgumentException>(() => new MoldSession(new MoldSessionOptions { ExpectedSession = session }));
        Assert.Contains("ExpectedSession", ex.Message);
        Assert.Contains("session must be", ex.Message);
    }

    [Fact]
    public void Empty_configured_session_keeps_adopting_the_first_packet()
    {
        var d = Configured("");
        Assert.Single(DecodeAll(d, Packet("ANY", 5, Delete(1))));
        Assert.Equal("ANY       ", System.Text.Encoding.ASCII.GetString(d.Session.SessionId));
    }
}

public sealed class MoldSessionChangeTests
{
    [Fact]
    public void New_session_after_end_of_session_that_starts_above_one_records_the_lost_head()
    {
        var d = new ItchFeedDecoder();
        DecodeAll(d, Packet("DAY1", 1, Delete(1)));
        DecodeAll(d, Packet(Session("DAY1"), 2, MoldPacketReader.EndOfSessionCount));
        var events = DecodeAll(d, Packet("DAY2", 4, Delete(4)));
        Assert.Single(events);
        Assert.True(d.Session.IsStale);
        Assert.True(d.Session.TryTakeGap(out MoldGap gap));
        Assert.Equal((1UL, 3UL), (gap.FirstMissing, gap.Count));
        Assert.Equal(5UL, d.Session.NextExpected);
    }

    [Fact]
    public void Followed_session_change_expects_the_new_session_to_start_at_one()
    {
        var d = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { SessionChange = SessionChangePolicy.Follow } });
        DecodeAll(d, Packet("S1", 100, Delete(1)));
        DecodeAll(d, Packet("S2", 10, Delete(10)));
        Assert.Equal(1, d.MoldCounters.SessionChanges);
        Assert.True(d.Session.TryTakeGap(out MoldGap gap));
        Assert.Equal((1UL, 9UL), (gap.FirstMissing, gap.Count));
    }
}
