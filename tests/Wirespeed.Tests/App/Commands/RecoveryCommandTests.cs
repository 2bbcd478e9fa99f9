using System.IO;
using System.Text.Json;
using Wirespeed.Configuration;
using Wirespeed.Hosting.Simulation;
using Xunit;

namespace Wirespeed.Tests.App.Commands;

/// <summary>
/// demo and simulate with A/B lines and a re-request server (issue 11): --loss is read or refused with the fix, the
/// embedded demo gets sides B and a server, and a demo with loss on purpose on both sides accounts for every message
/// by how it arrived, none lost. Live sockets: run under <c>flock /tmp/ws-net.lock</c>.
/// </summary>
public class RecoveryCommandTests
{
    [Theory]
    [InlineData("demo")]
    [InlineData("simulate")]
    public void A_bad_loss_option_fails_as_usage_naming_the_forms(string command)
    {
        var (code, _, err) = CommandRunner.Run(command, "--loss", "A=sometimes");
        Assert.Equal(2, code);
        Assert.Contains($"{command}: --loss 'sometimes' is not a loss model", err);
        Assert.Contains("A=1%,B=burst:10000", err);
    }

    [Fact]
    public void The_embedded_demo_sends_each_line_twice_with_a_re_request_server()
    {
        var config = new WirespeedConfig();
        SimulatedLines.WithRecovery(config);
        var line = config.Lines[0];
        Assert.NotNull(line.B);
        Assert.Equal("239.192.0.2", line.B!.Group);
        Assert.Equal(line.Port, line.B.Port);
        Assert.Equal("127.0.0.1:0", line.Retransmit!.Server);
        Assert.Equal(SimulatedLines.DemoReorderSlots, line.ReorderSlots);
        ConfigValidator.Resolve(config);   // valid as it is
    }

    [Fact]
    public void Demo_with_loss_on_both_sides_loses_nothing_and_says_how_every_message_arrived()
    {
        string dir = Directory.CreateTempSubdirectory("ws-ab").FullName;
        try
        {
            string cfg = Path.Combine(dir, "ab.json"), json = Path.Combine(dir, "s.json");
            File.WriteAllText(cfg, """
                { "lines": [ { "name": "A", "group": "239.192.56.3", "port": 26883, "reorderSlots": 4096,
                               "b": { "group": "239.192.56.4", "port": 26884 }, "retransmit": { "server": "127.0.0.1:0" } } ],
                  "books": { "maxInstruments": 128, "maxOrders": 262144 }, "memory": { "prefault": false } }
                """);
            var (code, output, err) = CommandRunner.Run("demo", "--config", cfg, "--json", json, "--seconds", "1", "--rate", "100000",
                "--loss", "A=1%,B=burst:5000@50000,both=0.2%");
            Assert.True(code == 0, output + err);
            Assert.Contains("recovered by re-request", output);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var counters = doc.RootElement.GetProperty("counters");
            var demo = counters.GetProperty("demo");
            var ab = counters.GetProperty("arbitration");
            var loss = counters.GetProperty("loss");
            long sent = demo.GetProperty("messages_sent").GetInt64();
            Assert.Equal(0, demo.GetProperty("messages_lost").GetInt64());
            Assert.Equal(sent, ab.GetProperty("messages_live_a").GetInt64() + ab.GetProperty("messages_live_b").GetInt64() + ab.GetProperty("messages_recovered").GetInt64());
            Assert.True(loss.GetProperty("both_messages_dropped").GetInt64() > 0);
            Assert.True(ab.GetProperty("messages_recovered").GetInt64() >= loss.GetProperty("both_messages_dropped").GetInt64());
            Assert.True(loss.GetProperty("b_messages_dropped").GetInt64() + loss.GetProperty("both_messages_dropped").GetInt64() >= 5_000);   // a packet both lose is not drawn again for B
            Assert.True(ab.GetProperty("requests_sent").GetInt64() > 0);
            Assert.Equal(0, ab.GetProperty("gap_messages_open").GetInt64());
        }
        finally { Directory.Delete(dir, true); }
    }
}
