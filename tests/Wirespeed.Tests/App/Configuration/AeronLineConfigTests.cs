using Wirespeed.Configuration;
using Wirespeed.Feeds.Aeron;
using Wirespeed.Feeds.Udp;
using Xunit;

namespace Wirespeed.Tests.App.Configuration;

/// <summary>A feed line with <c>transport: aeron</c> (issue 13): its keys, their checks, and the errors naming field and fix.</summary>
public class AeronLineConfigTests
{
    private static string Line(string keys) => $$"""{ "lines": [ { "name": "A", {{keys}} } ] }""";

    [Fact]
    public void An_aeron_line_reads_its_channel_stream_and_payload()
    {
        var c = ConfigLoader.Parse(Line("""
            "transport": "aeron", "aeronChannel": "aeron:udp?endpoint=239.192.0.3:40456|interface=127.0.0.1", "aeronStreamId": 7, "aeronPayload": "mold"
            """));
        LineConfig l = c.Lines[0];
        Assert.Equal((TransportKind.Aeron, 7, AeronPayload.Mold), (l.Transport, l.AeronStreamId, l.AeronPayload));
        AeronSubscriptionOptions o = l.ToAeronOptions();
        Assert.True(o.IsMulticast);
        Assert.Equal(7, o.StreamId);
        Assert.Equal("aeron", TransportNames.Of(TransportKind.Aeron));
        Assert.Contains("aeron", TransportNames.All);
        // Two Aeron lines may keep the UDP defaults (group, port): those keys are not theirs.
        var two = ConfigLoader.Parse("""
            { "lines": [ { "name": "A", "id": 0, "transport": "aeron", "aeronChannel": "aeron:udp?endpoint=127.0.0.1:40456" },
                         { "name": "B", "id": 1, "transport": "aeron", "aeronChannel": "aeron:udp?endpoint=127.0.0.1:40457" } ] }
            """);
        Assert.Equal(2, two.Lines.Count);
    }

    [Theory]
    [InlineData("\"transport\": \"aeron\"", "lines[0].aeronChannel: Aeron channel: the channel is empty")]
    [InlineData("\"transport\": \"aeron\", \"aeronChannel\": \"aeron:udp?endpoint=239.192.0.2:1\"", "lines[0].aeronChannel: Aeron channel: endpoint=239.192.0.2:1: a multicast data group must end in an odd byte")]
    [InlineData("\"transport\": \"aeron\", \"aeronChannel\": \"aeron:udp?endpoint=127.0.0.1:1|mtu=7\"", "lines[0].aeronChannel: Aeron channel: mtu=7 must be a multiple of 32")]
    [InlineData("\"transport\": \"aeron\", \"aeronChannel\": \"aeron:udp?endpoint=127.0.0.1:1\", \"aeronStreamId\": 0", "lines[0].aeronStreamId: 0 is reserved by Aeron")]
    [InlineData("\"transport\": \"aeron\", \"aeronChannel\": \"aeron:udp?endpoint=127.0.0.1:1\", \"aeronPayload\": \"events\"", "lines[0].aeronPayload: 'events' is not yet taken by a feed line")]
    [InlineData("\"transport\": \"socket\", \"aeronChannel\": \"aeron:udp?endpoint=127.0.0.1:1\"", "lines[0].aeronChannel: is set but lines[].transport is 'socket'")]
    public void Errors_name_the_field_and_the_fix(string keys, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(Line(keys)));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void An_unknown_payload_lists_the_names()
    {
        var e = Assert.ThrowsAny<System.Exception>(() => ConfigLoader.Parse(Line("\"transport\": \"aeron\", \"aeronPayload\": \"itch\"")));
        Assert.Contains("mold, events", e.Message);
    }
}
