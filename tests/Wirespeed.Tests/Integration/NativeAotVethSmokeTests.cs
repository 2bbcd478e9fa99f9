using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Wirespeed.Configuration;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Monitoring;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Sim;
using Wirespeed.Interop;
using Wirespeed.Tests.Infrastructure;
using Xunit;
using Wirespeed.Hosting.Reporting;
using Wirespeed.Hosting.Simulation;

namespace Wirespeed.Tests.Integration;

/// <summary>
/// The published NativeAOT binary (build/publish/wirespeed, from <c>./ws publish</c>; <c>./ws test</c> publishes it
/// first) as it is deployed: <c>wirespeed run</c> receives on the host end of a veth pair through AF_XDP or io_uring,
/// the same binary's <c>simulate</c> sends bounded ITCH/MoldUDP64 multicast from inside the network namespace, SIGTERM
/// ends the run, and its JSON summary must show every packet and message, no gap, no malformed input, the transport
/// asked for, and the book checksum of the in-process path over the same messages.
/// </summary>
[Trait("Category", "Integration")]
public sealed class NativeAotVethSmokeTests
{
    private const string Group = "239.255.79.7";
    private const string Session = "WIRESPEED1";
    private const long Messages = 30_000;
    private const ulong Seed = 31;

    private static string AotBinary => Path.Combine(SharedData.RepoRoot, "build", "publish", "wirespeed");

    [Theory]
    [InlineData("xdp", "skb", 11)]
    [InlineData("xdp", "drv", 12)]
    [InlineData("uring", "", 13)]
    public void Published_binary_receives_simulator_multicast_over_veth_without_loss_and_builds_the_in_process_books(string transport, string xdpMode, int tag)
    {
        Requires.Root("creates a network namespace and a veth pair and attaches XDP programs");
        Requires.That(VethNamespace.HasIp, "needs iproute2 ('ip') to create a network namespace and veth pair");
        Requires.That(NativeLibraryResolver.IsAvailable(out string why), "native shim: " + why);
        Requires.That(File.Exists(AotBinary), $"no NativeAOT build at {AotBinary}: ./ws test publishes it first (./ws publish)");

        int port = 26_800 + tag;
        using var veth = VethNamespace.Create(tag);
        string dir = Directory.CreateTempSubdirectory("ws-aot-veth").FullName;
        try
        {
            string receiverConfig = Path.Combine(dir, "receiver.json");
            File.WriteAllText(receiverConfig, $$"""
                { "lines": [ { "transport": "{{transport}}", "device": "{{veth.HostInterface}}", "xdpMode": "{{(xdpMode.Length == 0 ? "drv" : xdpMode)}}",
                               "group": "{{Group}}", "port": {{port}}, "interface": "{{veth.HostAddress}}", "session": "{{Session}}" } ],
                  "books": { "maxInstruments": 1024, "maxOrders": 65536 } }
                """);
            string senderConfig = Path.Combine(dir, "sender.json");
            File.WriteAllText(senderConfig, $$"""
                { "lines": [ { "group": "{{Group}}", "port": {{port}}, "interface": "{{veth.PeerAddress}}" } ],
                  "simulator": { "seed": {{Seed}}, "rate": 50000, "session": "{{Session}}" } }
                """);
            string json = Path.Combine(dir, "summary.json");

            using var receiver = new ChildProcess(AotBinary, "run", "--config", receiverConfig, "--json", json);
            // Printed once the worker has opened the transport (group joined, XDP program attached).
            Assert.True(receiver.WaitForStdout("wirespeed run: line A", TimeSpan.FromSeconds(30)), "receiver did not start:\n" + receiver.Output);
            if (transport == "xdp")
            {
                // Attached in the mode asked for: iproute2 shows "prog/xdp id N", and "xdpgeneric" beside the MTU in SKB mode.
                string link = LinkShow(veth.HostInterface);
                Assert.Contains("prog/xdp id", link);
                if (xdpMode == "skb") Assert.Contains(" xdpgeneric ", link);
                else Assert.DoesNotContain("xdpgeneric", link);
            }

            long sentMessages, sentPackets;
            using (var sender = new ChildProcess("ip", "netns", "exec", veth.Namespace, AotBinary,
                       "simulate", "--config", senderConfig, "--messages", Messages.ToString(CultureInfo.InvariantCulture)))
            {
                Assert.True(sender.WaitForExit(TimeSpan.FromSeconds(60)), "simulate did not finish:\n" + sender.Output);
                Assert.True(sender.ExitCode == 0, sender.Output);
                var sent = Regex.Match(sender.Stdout, @"sent ([\d,]+) messages in ([\d,]+) packets");
                Assert.True(sent.Success, sender.Output);
                sentMessages = long.Parse(sent.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
                sentPackets = long.Parse(sent.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            }
            Assert.Equal(Messages, sentMessages);

            // The receiver keeps up with 50,000 msg/s by orders of magnitude; the pause only lets the last packets
            // cross the pair before SIGTERM (which then drains the workers in order).
            System.Threading.Thread.Sleep(500);
            receiver.Signal(15);
            Assert.True(receiver.WaitForExit(TimeSpan.FromSeconds(30)), "receiver did not stop on SIGTERM:\n" + receiver.Output);
            Assert.True(receiver.ExitCode == 0, receiver.Output);
            Assert.DoesNotContain("prog/xdp", LinkShow(veth.HostInterface));   // SIGTERM detached the program

            RunSummary s = RunSummaryJson.Deserialize(File.ReadAllText(json));
            string notes = string.Join("\n", s.Notes);
            Assert.Contains($"line A: {transport} on {Group} via {veth.HostAddress}:{port}", notes);
            Assert.Equal(sentPackets, s.Counters["line"]["packets_received"]);
            Assert.Equal(sentPackets, s.Counters["transport"]["packets"]);   // the transport's own count agrees
            Assert.Equal(0, s.Counters["transport"]["receive_errors"]);
            Assert.Equal(0, s.Counters["line"]["malformed"]);
            Assert.Equal(0, s.Counters["sequencing"]["gap_messages"]);
            Assert.Equal(0, s.Counters["sequencing"]["duplicate_packets"]);
            Assert.Equal(0, s.Counters["sequencing"]["session_changes"]);
            Assert.Equal(sentMessages, s.Counters["messages_by_type"].Values.Sum());
            Assert.Equal(sentMessages, s.Counters["deliver"]["events"]);
            Assert.Contains(InProcessChecksumNote(), notes);
            Assert.Equal(0, s.Gc.Gen0);
            Assert.All(s.HotThreads.Where(t => t.Marked), t => Assert.True(t.AllocatedBytes == 0, $"{t.Name}: {t.AllocatedBytes} B after warm-up"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static string LinkShow(string device) => VethNamespace.Shell("ip", $"link show dev {device}").Output;

    /// <summary>The first <see cref="Messages"/> messages of the configured simulator, decoded and applied in this process.</summary>
    private static string InProcessChecksumNote()
    {
        var config = new SimulatorConfig { Seed = Seed, Rate = 50_000, Session = Session };
        var feed = new SimFeed(new ExchangeSimulator(SimulatorPlan.From(config)), config.Session, config.MaxPayloadBytes,
            SimTimestampMode.Virtual, Messages);
        var decoder = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { InitialSequence = 1 } });
        var books = new OrderBookSet(new BookOptions { MaxInstruments = 1024, MaxLiveOrders = 65536 });
        var events = new MarketEvent[512];
        var info = new PacketInfo(0, 0, PacketSourceKind.InProcess);
        while (feed.MessagesPacked < Messages)
        {
            ReadOnlySpan<byte> packet = feed.NextPacket((int)(Messages - feed.MessagesPacked));
            Assert.False(packet.IsEmpty);
            int n = decoder.Decode(packet, in info, events);
            for (int i = 0; i < n; i++) books.Apply(ref events[i]);
        }
        Assert.Equal(0, books.StatusCount(BookStatus.OrderPoolExhausted));
        return FeedReport.BookChecksumNote(books);
    }
}
