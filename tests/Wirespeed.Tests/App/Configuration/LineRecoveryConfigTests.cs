using System.Net;
using Wirespeed.Configuration;
using Wirespeed.Feeds.Mold.Arbitration;
using Wirespeed.Feeds.Mold.Rerequest;
using Xunit;

namespace Wirespeed.Tests.App.Configuration;

/// <summary>
/// A line's side B (lines[].b), re-request server (lines[].retransmit) and reorder window (lines[].reorderSlots):
/// parsed, mapped onto the library's options, and every bad value rejected naming its field and the fix.
/// </summary>
public class LineRecoveryConfigTests
{
    private const string Full = """
        { "lines": [ { "name": "A", "group": "239.192.0.1", "port": 26477, "reorderSlots": 256, "maxDatagramBytes": 1500,
                       "b": { "group": "239.192.0.2", "port": 26478, "interface": "127.0.0.1" },
                       "retransmit": { "server": "10.0.0.5:26480", "gapWaitNs": 500000, "maxMessagesPerRequest": 300,
                                       "maxRequestsPerSecond": 100, "timeoutNs": 5000000, "maxRetries": 7 } } ] }
        """;

    [Fact]
    public void Every_key_is_read_and_mapped_onto_the_librarys_options()
    {
        var line = ConfigLoader.Parse(Full).Lines[0];
        Assert.True(line.Arbitrated);
        var b = line.ToUdpOptionsB();
        Assert.Equal(("239.192.0.2", 26478, "127.0.0.1", 1500), (b.Group, b.Port, b.Interface, b.MaxDatagramBytes));
        var arbiter = line.ToArbiterOptions();
        Assert.Equal((256, 1500, 500_000L), (arbiter.ReorderSlots, arbiter.MaxPacketBytes, arbiter.GapWaitNs));
        var client = line.Retransmit!.ToOptions(IPAddress.Loopback);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.5"), 26480), client.Server);
        Assert.Equal((300, 100, 5_000_000L, 7), (client.MaxMessagesPerRequest, client.MaxRequestsPerSecond, client.TimeoutNs, client.MaxRetries));
    }

    [Fact]
    public void Without_b_or_retransmit_a_line_is_not_arbitrated_and_defaults_are_the_librarys()
    {
        var line = ConfigLoader.Parse("""{ "lines": [ { "name": "A" } ] }""").Lines[0];
        Assert.False(line.Arbitrated);
        Assert.Null(line.B);
        Assert.Null(line.Retransmit);
        var library = new MoldArbiterOptions();
        Assert.Equal(library.ReorderSlots, line.ReorderSlots);
        Assert.Equal(library.GapWaitNs, line.ToArbiterOptions().GapWaitNs);
        var r = new RetransmitConfig();
        var client = new MoldRerequesterOptions();
        Assert.Equal((client.MaxMessagesPerRequest, client.MaxRequestsPerSecond, client.TimeoutNs, client.MaxRetries),
                     (r.MaxMessagesPerRequest, r.MaxRequestsPerSecond, r.TimeoutNs, r.MaxRetries));
        Assert.True(ConfigLoader.Parse("""{ "lines": [ { "retransmit": { } } ] }""").Lines[0].Arbitrated);
    }

    [Theory]
    [InlineData("""{ "lines": [ { "reorderSlots": 1000 } ] }""", "lines[0].reorderSlots", "power of two")]
    [InlineData("""{ "lines": [ { "reorderSlots": 0 } ] }""", "lines[0].reorderSlots", "power of two")]
    [InlineData("""{ "lines": [ { "reorderSlots": 65536, "maxDatagramBytes": 65507 } ] }""", "lines[0].reorderSlots", "over 256 MiB")]
    [InlineData("""{ "lines": [ { "b": { "group": "239.192.0.1", "port": 26477 } } ] }""", "lines[0].b.port", "the same as side A")]
    [InlineData("""{ "lines": [ { "b": { "group": "10.1.2.3" } } ] }""", "lines[0].b.group", "multicast")]
    [InlineData("""{ "lines": [ { "b": { "port": 0 } } ] }""", "lines[0].b.port", "1..65535")]
    [InlineData("""{ "lines": [ { "b": { "interface": "eth0" } } ] }""", "lines[0].b.interface", "IPv4")]
    [InlineData("""{ "lines": [ { "b": { "group": null } } ] }""", "lines[0].b.group", "null")]
    [InlineData("""{ "lines": [ { "b": { "transport": "socket" } } ] }""", "lines[0].b.transport", "use 'auto'")]
    [InlineData("""{ "lines": [ { "b": { "transport": "pigeon" } } ] }""", "lines[0].b.transport", "")]
    [InlineData("""{ "lines": [ { "transport": "xdp", "device": "eth0", "b": { "transport": "xdp" } } ] }""", "lines[0].b", "AF_XDP")]
    [InlineData("""{ "lines": [ { "name": "A", "b": { "group": "239.192.0.9", "port": 26478 } }, { "name": "B", "id": 1, "group": "239.192.0.9", "port": 26478 } ] }""", "lines[0].b.port", "lines[1] already")]
    [InlineData("""{ "lines": [ { "name": "A", "b": { "group": "239.192.0.9" } }, { "name": "B", "id": 1, "port": 26478, "b": { "group": "239.192.0.9" } } ] }""", "lines[1].b.port", "lines[0].b already")]
    [InlineData("""{ "lines": [ { "retransmit": { "server": "nowhere" } } ] }""", "lines[0].retransmit.server", "IPv4-address:port")]
    [InlineData("""{ "lines": [ { "retransmit": { "server": "127.0.0.1:70000" } } ] }""", "lines[0].retransmit.server", "IPv4-address:port")]
    [InlineData("""{ "lines": [ { "retransmit": { "server": "::1:26480" } } ] }""", "lines[0].retransmit.server", "IPv4-address:port")]
    [InlineData("""{ "lines": [ { "retransmit": { "gapWaitNs": -1 } } ] }""", "lines[0].retransmit.gapWaitNs", "1000000")]
    [InlineData("""{ "lines": [ { "retransmit": { "maxMessagesPerRequest": 65535 } } ] }""", "lines[0].retransmit.maxMessagesPerRequest", "65534")]
    [InlineData("""{ "lines": [ { "retransmit": { "maxRequestsPerSecond": 0 } } ] }""", "lines[0].retransmit.maxRequestsPerSecond", ">= 1")]
    [InlineData("""{ "lines": [ { "retransmit": { "timeoutNs": 10 } } ] }""", "lines[0].retransmit.timeoutNs", ">= 1000")]
    [InlineData("""{ "lines": [ { "retransmit": { "maxRetries": -1 } } ] }""", "lines[0].retransmit.maxRetries", ">= 0")]
    [InlineData("""{ "lines": [ { "retransmit": { "retries": 3 } } ] }""", "lines[0].retransmit.retries", "")]
    public void A_bad_recovery_setting_names_the_field_and_the_fix(string json, string field, string hint)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json));
        Assert.Equal(field, e.Field);
        Assert.StartsWith(field + ":", e.Message);
        Assert.Contains(hint, e.Message);
    }
}
