using System;
using Wirespeed.Feeds.Sim;
using Wirespeed.Feeds.SoupBin;
using Xunit;

namespace Wirespeed.Tests.Feeds.SoupBin;

/// <summary>Configuration errors name the field and the fix; a client that was never started logs out cleanly.</summary>
public sealed class SoupBinClientOptionsTests
{
    [Theory]
    [InlineData("Host")]
    [InlineData("Port")]
    [InlineData("Username")]
    [InlineData("Password")]
    [InlineData("Session")]
    [InlineData("HeartbeatInterval")]
    [InlineData("ServerTimeout")]
    [InlineData("LoginTimeout")]
    [InlineData("ReconnectDelay")]
    [InlineData("ReconnectDelayMax")]
    [InlineData("MaxReconnects")]
    [InlineData("MaxPayload")]
    public void Each_bad_field_is_named(string field)
    {
        var ok = new SoupBinClientOptions { Port = 1 };
        var bad = field switch
        {
            "Host" => ok with { Host = " " },
            "Port" => ok with { Port = 70000 },
            "Username" => ok with { Username = "seven77" },
            "Password" => ok with { Password = "eleven_char" },
            "Session" => ok with { Session = "tab\tsession" },
            "HeartbeatInterval" => ok with { HeartbeatInterval = TimeSpan.Zero },
            "ServerTimeout" => ok with { ServerTimeout = TimeSpan.FromMilliseconds(500) },
            "LoginTimeout" => ok with { LoginTimeout = TimeSpan.Zero },
            "ReconnectDelay" => ok with { ReconnectDelay = TimeSpan.Zero },
            "ReconnectDelayMax" => ok with { ReconnectDelayMax = TimeSpan.FromMilliseconds(1) },
            "MaxReconnects" => ok with { MaxReconnects = -2 },
            _ => ok with { MaxPayload = 70000 },
        };
        var e = Assert.Throws<ArgumentException>(() => bad.Validated());
        Assert.Equal(field, e.ParamName);
        Assert.StartsWith("soupbintcp: " + field, e.Message);
        Assert.Same(ok, ok.Validated());
    }

    [Theory]
    [InlineData("Port")]
    [InlineData("Username")]
    [InlineData("Password")]
    [InlineData("Session")]
    [InlineData("HeartbeatInterval")]
    [InlineData("ClientTimeout")]
    [InlineData("BatchMessages")]
    public void Each_bad_server_field_is_named(string field)
    {
        var ok = new SoupBinServerOptions();
        var bad = field switch
        {
            "Port" => ok with { Port = -1 },
            "Username" => ok with { Username = "toolong" },
            "Password" => ok with { Password = "toolongpassword" },
            "Session" => ok with { Session = "  " },
            "HeartbeatInterval" => ok with { HeartbeatInterval = TimeSpan.Zero },
            "ClientTimeout" => ok with { ClientTimeout = TimeSpan.FromMilliseconds(10) },
            _ => ok with { BatchMessages = 0 },
        };
        var e = Assert.Throws<ArgumentException>(() => bad.Validated());
        Assert.Equal(field, e.ParamName);
    }

    [Fact]
    public void A_client_never_started_logs_out_at_once_and_cannot_start_twice()
    {
        var client = new SoupBinClient(new SoupBinClientOptions { Port = 1 }, new CollectingHandler());
        client.Logout();
        Assert.Equal(SoupBinClientState.LoggedOut, SoupBinTestKit.Final(client));
        Assert.Throws<InvalidOperationException>(() => client.Start());
        client.Dispose();
        client.Dispose();
        Assert.Throws<ArgumentNullException>(() => new SoupBinClient(null!, new CollectingHandler()));
        Assert.Throws<ArgumentNullException>(() => new SoupBinClient(new SoupBinClientOptions { Port = 1 }, null!));
    }
}
