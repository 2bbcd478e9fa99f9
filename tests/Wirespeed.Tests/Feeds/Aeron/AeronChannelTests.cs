using System;
using System.Net;
using Wirespeed.Feeds.Aeron;
using Xunit;

namespace Wirespeed.Tests.Feeds.Aeron;

/// <summary>Channel URIs (AERON.md §d): every key parsed, every error names the key and a fix, options derived from them.</summary>
public class AeronChannelTests
{
    [Fact]
    public void A_unicast_uri_with_every_key_parses_and_prints_back()
    {
        const string Uri = "aeron:udp?endpoint=127.0.0.1:40456|interface=127.0.0.1:40457|term-length=64k|mtu=8192|reliable=false"
                           + "|fc=min,t:2s,g:/2|nak-delay=200us|linger=250ms|session-id=-7|init-term-id=2147483600|alias=box-a";
        AeronChannel c = AeronChannel.Parse(Uri);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 40456), c.Endpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 40457), c.Interface);
        Assert.False(c.IsMulticast);
        Assert.Equal((65536, 8192, false), (c.TermLength, c.Mtu, c.Reliable));
        Assert.Equal(new AeronFlowControl(AeronFlowControlMode.Min, TimeSpan.FromSeconds(2), 2), c.FlowControl);
        Assert.Equal((TimeSpan.FromMicroseconds(200), TimeSpan.FromMilliseconds(250)), (c.NakDelay!.Value, c.Linger!.Value));
        Assert.Equal((-7, 2147483600, "box-a"), (c.SessionId, c.InitialTermId, c.Alias));
        Assert.Equal(c, AeronChannel.Parse(c.ToString()));
    }

    [Fact]
    public void A_multicast_group_gets_its_control_group_plus_one_and_a_ttl()
    {
        AeronChannel c = AeronChannel.Parse("aeron:udp?endpoint=239.192.0.3:40456|interface=127.0.0.1|ttl=4|term-length=1m");
        Assert.True(c.IsMulticast);
        Assert.Equal(IPEndPoint.Parse("239.192.0.4:40456"), c.ControlEndpoint);
        Assert.Equal((4, 1 << 20), (c.Ttl!.Value, c.TermLength!.Value));
        Assert.Equal(IPAddress.Loopback, c.InterfaceAddress);
        Assert.Equal(IPEndPoint.Parse("239.192.0.9:5"), AeronChannel.Parse("aeron:udp?endpoint=239.192.0.3:40456|control=239.192.0.9:5").ControlEndpoint);
        Assert.Equal(IPAddress.Any, AeronChannel.Parse("aeron:udp?endpoint=localhost:9").InterfaceAddress);
        Assert.Equal(AeronFlowControl.Default, c.FlowControl);
        Assert.Equal("max", c.FlowControl.ToString());
        Assert.Equal("min,t:1500ms,g:/3", new AeronFlowControl(AeronFlowControlMode.Min, TimeSpan.FromMilliseconds(1500), 3).ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("aeron:ipc", "aeron:ipc needs a media driver")]
    [InlineData("udp://1.2.3.4:5", "must begin with aeron:udp?")]
    [InlineData("aeron:udp?mtu=1408", "no endpoint=")]
    [InlineData("aeron:udp?endpoint", "is not key=value")]
    [InlineData("aeron:udp?endpoint=", "endpoint= has no value")]
    [InlineData("aeron:udp?endpoint=127.0.0.1", "endpoint=127.0.0.1: write an IPv4 address and a port")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:0", "endpoint=127.0.0.1:0")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:70000", "endpoint=127.0.0.1:70000")]
    [InlineData("aeron:udp?endpoint=host.example:80", "endpoint=host.example:80")]
    [InlineData("aeron:udp?endpoint=127.1:80", "endpoint=127.1:80")]
    [InlineData("aeron:udp?endpoint=[::1]:80", "endpoint=[::1]:80")]
    [InlineData("aeron:udp?endpoint=239.192.0.2:80", "must end in an odd byte")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|interface=eth0", "interface=eth0: write a local IPv4 address")]
    [InlineData("aeron:udp?endpoint=239.192.0.3:80|interface=239.1.1.1", "interface=239.1.1.1 must be a local address")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|control=127.0.0.1", "control=127.0.0.1: write an IPv4 address and a port")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|control=127.0.0.1:81", "control=127.0.0.1:81 applies to multicast channels only")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|ttl=2", "ttl=2 applies to multicast channels only")]
    [InlineData("aeron:udp?endpoint=239.192.0.3:80|ttl=256", "ttl=256 must be from 0 to 255")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|term-length=100000", "term-length=100000 must be a power of two")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|term-length=32k", "term-length=32k")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|term-length=4g", "term-length=4g")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|term-length=x", "term-length=x")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|mtu=1400", "mtu=1400 must be a multiple of 32")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|mtu=64k|term-length=64k", "mtu=64k must be a multiple of 32")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|mtu=60000|term-length=64k", "mtu=60000 must not exceed term-length / 2")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|reliable=yes", "reliable=yes must be true or false")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|nak-delay=100", "nak-delay=100 must be a duration with its unit")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|nak-delay=2h", "nak-delay=2h")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|linger=99999s", "linger=99999s")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|session-id=x", "session-id=x must be an int32")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|init-term-id=9999999999", "init-term-id=9999999999 must be an int32")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|fc=tagged,g:7", "tagged flow control is not implemented")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|fc=fastest", "'fastest' is not a strategy")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|fc=max,t:5s", "max flow control takes no options")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|fc=min,t:5", "the receiver timeout is a positive duration")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|fc=min,t:0s", "the receiver timeout is a positive duration")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|fc=min,g:/1000", "the group size is a count from 0 to 64")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|fc=min,x:1", "'x:1' is not an option of min flow control")]
    [InlineData("aeron:udp?endpoint=127.0.0.1:80|cc=cubic", "'cc' is not a key")]
    public void Errors_name_the_key_and_the_fix(string uri, string expected)
    {
        Assert.False(AeronChannel.TryParse(uri, out AeronChannel? c, out string? error));
        Assert.Null(c);
        Assert.StartsWith("Aeron channel: ", error);
        Assert.Contains(expected, error);
        var e = Assert.Throws<ArgumentException>(() => AeronChannel.Parse(uri));
        Assert.Equal(error, e.Message);
    }

    [Fact]
    public void Durations_and_sizes_take_their_units()
    {
        Assert.True(AeronChannel.TryDuration("1500ns", out TimeSpan ns));
        Assert.Equal(TimeSpan.FromTicks(15), ns);
        Assert.True(AeronChannel.TryDuration("3s", out TimeSpan s));
        Assert.Equal(TimeSpan.FromSeconds(3), s);
        Assert.True(AeronChannel.TrySize("16m", out int m));
        Assert.Equal(16 << 20, m);
        Assert.True(AeronChannel.TrySize("1G", out int g));
        Assert.Equal(1 << 30, g);
        Assert.False(AeronChannel.TrySize("-1", out _));
    }

    [Fact]
    public void Options_come_from_the_channel_and_the_stream_id()
    {
        var sub = AeronSubscriptionOptions.FromChannel("aeron:udp?endpoint=239.192.0.3:40456|interface=127.0.0.1|reliable=false|term-length=128k|nak-delay=1ms", 12);
        Assert.True(sub.IsMulticast);
        Assert.Equal((12, 131072, false), (sub.StreamId, sub.MaxTermLength, sub.Reliable));
        Assert.Equal((IPAddress.Loopback, IPEndPoint.Parse("239.192.0.4:40456")), (sub.Interface, sub.ControlEndpoint));
        Assert.Equal((TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(100)), (sub.NakDelay, sub.NakRetry));

        var pub = AeronPublicationOptions.FromChannel("aeron:udp?endpoint=239.192.0.3:40456|interface=127.0.0.1|ttl=2|term-length=64k|mtu=4096|fc=min|session-id=5|init-term-id=9|linger=1s", 12);
        Assert.True(pub.IsMulticast);
        Assert.Equal((12, 65536, 4096, 2, 5, 9), (pub.StreamId, pub.TermLength, pub.Mtu, pub.Ttl, pub.SessionId, pub.InitialTermId));
        Assert.Equal((AeronFlowControlMode.Min, TimeSpan.FromSeconds(1)), (pub.FlowControl.Mode, pub.Linger));
        Assert.Equal(IPEndPoint.Parse("239.192.0.4:40456"), pub.ControlEndpoint);

        var uni = AeronPublicationOptions.FromChannel("aeron:udp?endpoint=127.0.0.1:40456", 3);
        Assert.False(uni.IsMulticast);
        Assert.Null(uni.ControlEndpoint);
        Assert.Contains("StreamId=0 is reserved", Assert.Throws<ArgumentException>(() => AeronSubscriptionOptions.FromChannel("aeron:udp?endpoint=127.0.0.1:1", 0)).Message);
        Assert.Contains("odd byte", Assert.Throws<ArgumentException>(() => new AeronPublicationOptions { Endpoint = IPEndPoint.Parse("239.1.1.2:5") }.Validated()).Message);
        Assert.Contains("odd byte", Assert.Throws<ArgumentException>(() => new AeronSubscriptionOptions { Endpoint = IPEndPoint.Parse("239.1.1.2:5") }.Validated()).Message);
        Assert.Contains("Ttl=300", Assert.Throws<ArgumentException>(() => new AeronPublicationOptions { Endpoint = IPEndPoint.Parse("239.1.1.1:5"), Ttl = 300 }.Validated()).Message);
        Assert.Contains("Ttl=-1", Assert.Throws<ArgumentException>(() => new AeronSubscriptionOptions { Endpoint = IPEndPoint.Parse("239.1.1.1:5"), Ttl = -1 }.Validated()).Message);
        Assert.Contains("Mtu=65504", Assert.Throws<ArgumentException>(() => new AeronPublicationOptions { Endpoint = IPEndPoint.Parse("1.1.1.1:5"), TermLength = 65536, Mtu = 65504 }.Validated()).Message);
        Assert.Contains("MulticastNakMaxBackoff", Assert.Throws<ArgumentException>(() => new AeronSubscriptionOptions { Endpoint = IPEndPoint.Parse("1.1.1.1:5"), MulticastNakMaxBackoff = TimeSpan.Zero }.Validated()).Message);
    }
}
