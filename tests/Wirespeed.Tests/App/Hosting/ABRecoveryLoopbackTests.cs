using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using Wirespeed.Configuration;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Sim;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Simulation;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.App.Hosting;

/// <summary>
/// A/B arbitration and re-request as the product wires them (LineTransport → ArbitratedLine → FeedHost), through real
/// sockets on loopback: the simulator's packets sent to sides A and B with loss on purpose, the simulator's re-request
/// server behind them. In every case no message is lost end to end and the books' checksum is that of a loss-free run
/// of the same packets. Then the server goes down: the gap stays reported and alerts are raised; it comes back and
/// everything recovers. Run under <c>flock /tmp/ws-net.lock</c>.
/// </summary>
/// <remarks>
/// The send rate is <see cref="Rate"/>, not the 1,000,000 msg/s: the test host has 2 vCPUs shared with other
/// builds (load average 30+ while this was written), where a receiver at that rate overflows its socket buffers and
/// the run measures the host. The loss and recovery paths are the same at any rate.
/// </remarks>
public sealed class ABRecoveryLoopbackTests
{
    private const string Session = "ABLOOP0001";
    private const long Messages = 150_000;
    private const double Rate = 150_000;   // messages per second, both sides each

    private static WirespeedConfig Config(bool recovery, long timeoutNs = 20_000_000, int maxRetries = 5)
    {
        string sides = recovery
            ? ", \"b\": { \"group\": \"239.192.56.2\", \"port\": 26882, \"transport\": \"recv\" }, " +
              $"\"retransmit\": {{ \"server\": \"127.0.0.1:1\", \"gapWaitNs\": 1000000, \"timeoutNs\": {timeoutNs}, \"maxRetries\": {maxRetries} }}"
            : "";
        return ConfigLoader.Parse("""
            { "lines": [ { "name": "A", "transport": "recv", "group": "239.192.56.1", "port": 26881, "session": "ABLOOP0001", "reorderSlots": 4096
            """ + sides + """
             } ],
              "books": { "maxInstruments": 128, "maxOrders": 262144 },
              "memory": { "prefault": false },
              "clock": { "enabled": false },
              "pipeline": { "workers": [ { "name": "feed", "idle": "yield" } ] },
              "patterns": { "enabled": false } }
            """);
    }

    private static readonly Lazy<(PacketBlob Blob, ulong Checksum)> s_reference = new(() =>
    {
        var config = Config(recovery: false);
        var sim = config.Simulator;
        var feed = new SimFeed(new ExchangeSimulator(SimulatorPlan.From(sim)), Session, sim.MaxPayloadBytes, SimTimestampMode.Virtual, Messages);
        var blob = PacketBlob.Generate(feed, Messages);
        var state = new PacedBlobState(blob, 1e12, 0);
        using var host = FeedHost.Create(ConfigValidator.Resolve(config), new MemoryRegistry(0), new PacedBlobPackets(state), 2048, measureOneWay: false, 0);
        host.Start();
        HostRun.UntilDelivered(host, [state], blob.Messages);
        return (blob, host.Books.Checksum());
    });

    /// <summary>The receiving side and the exchange's side of one run.</summary>
    private sealed class Rig : IDisposable
    {
        public MoldRetransmitServer Server;
        public readonly LineTransport Transport;
        public readonly UdpPacketSender A = new(new IPEndPoint(IPAddress.Parse("239.192.56.1"), 26881));
        public readonly UdpPacketSender B = new(new IPEndPoint(IPAddress.Parse("239.192.56.2"), 26882));

        public Rig(WirespeedConfig config, bool startServer = true)
        {
            Server = new MoldRetransmitServer(new MoldRetransmitOptions { StoreDepth = 1 << 20 });
            if (startServer) Server.Start();
            config.Lines[0].Retransmit!.Server = Server.EndPoint.ToString();
            Transport = LineTransport.Create(ConfigValidator.Resolve(config), new MemoryRegistry(0), measureOneWay: false, 0);
            Transport.Start(TimeSpan.FromSeconds(10));
        }

        public FeedHost Host => Transport.Host;
        public Wirespeed.Feeds.Mold.Arbitration.ArbitratedLine Line => Transport.Recovery.Lines[0]!;

        /// <summary>Sends the blob at <see cref="Rate"/> through the loss plan (the server records every packet), then the end of session.</summary>
        public void Send(PacketBlob blob, LossPlan loss)
        {
            var sink = new ABLineSink(A, B, Server, new LossDraw(loss.A, 11), new LossDraw(loss.B, 12), new LossDraw(loss.Both, 13));
            long start = MonoClock.NowNs();
            double nsPerMessage = 1e9 / Rate, sent = 0;
            for (int i = 0; i < blob.Count; i++)
            {
                sink.OnPacket(blob[i], 0);
                sent += Wirespeed.Feeds.Itch.MoldPacketReader.HeaderSize < blob[i].Length ? System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(blob[i][18..]) : 0;
                while (MonoClock.NowNs() - start < sent * nsPerMessage - 2_000_000) Thread.Sleep(1); // more than 2 ms ahead: wait
            }
            sink.OnPacket(new MoldPacketWriter(Session, (ulong)blob.Messages + 1).EndOfSession(), 0);
        }

        private bool _stopped;

        /// <summary>Stops the workers (once): the books may be read after it.</summary>
        public void Stop()
        {
            if (_stopped) return;
            _stopped = true;
            Host.Stop();
        }

        public bool WaitDecoded(long messages, long timeoutMs)
        {
            long deadline = MonoClock.NowNs() + timeoutMs * 1_000_000;
            while (Host.DecodedMessages < messages && MonoClock.NowNs() < deadline) Thread.Sleep(5);
            return Host.DecodedMessages >= messages;
        }

        public void Dispose()
        {
            Stop();
            Transport.Dispose();
            Server.Dispose();
            A.Dispose();
            B.Dispose();
        }
    }

    [Theory]
    [InlineData("1%")]                       // 1% random on A and, independently, 1% on B
    [InlineData("B=burst:10000@40000")]      // 10,000 messages lost on one line
    [InlineData("both=1%")]                  // the same packets lost on both lines: only the server can fill them
    [InlineData("A=dead,B=0.5%")]            // one side down, the other lossy
    public void Every_message_arrives_once_and_the_books_match_a_loss_free_run(string spec)
    {
        var (blob, checksum) = s_reference.Value;
        var loss = LossPlan.Parse(spec);
        using var rig = new Rig(Config(recovery: true));
        rig.Send(blob, loss);
        bool all = rig.WaitDecoded(blob.Messages, 60_000);
        var d = rig.Transport.Recovery.Counters();
        Assert.True(all, $"decoded {rig.Host.DecodedMessages:N0} of {blob.Messages:N0}: " + string.Join(", ", d));
        rig.Stop();
        Assert.Equal(blob.Messages, rig.Host.DecodedMessages);
        Assert.Equal(0, rig.Host.GapMessages);
        Assert.Equal(checksum, rig.Host.Books.Checksum());
        Assert.Equal(blob.Messages, d["messages_live_a"] + d["messages_live_b"] + d["messages_recovered"]);   // every message, by how it arrived
        Assert.Equal(0, d["gap_messages_open"]);
        Assert.Equal(0, d["messages_abandoned"]);
        if (loss.Both.Kind != LossKind.None) Assert.True(d["messages_recovered"] > 0, "the packets lost on both lines came from the server");
        if (d["requests_answered"] > 0)
        {
            Assert.InRange(d["recovery_p50_ns"], 1, d["recovery_p99_ns"]);                  // request → filled, per request
            Assert.InRange(d["recovery_max_ns"], d["recovery_p50_ns"] * 999 / 1000, long.MaxValue);
        }
        if (loss.A.Kind == LossKind.Dead) Assert.Equal(0, d["messages_live_a"]);
        if (loss.B.Kind == LossKind.Burst) Assert.True(d["b_misses"] >= 10_000, "B's own stream skipped the burst");
    }

    [Fact]
    public void With_the_server_down_the_gap_stays_reported_with_alerts_and_recovers_when_it_comes_back()
    {
        var (blob, checksum) = s_reference.Value;
        var alerts = new List<string>();
        using var rig = new Rig(Config(recovery: true, timeoutNs: 2_000_000, maxRetries: 2), startServer: false);   // bound, silent
        var endpoint = rig.Server.EndPoint;
        rig.Send(blob, LossPlan.Parse("both=burst:3000@60000"));
        Assert.False(rig.WaitDecoded(blob.Messages, 1_000));
        var client = rig.Line.Rerequester!;
        HostRun.WaitFor(() => Volatile.Read(ref client.Counters.GaveUp) > 0, "a request given up");
        rig.Transport.Recovery.Check(alerts.Add, MonoClock.NowNs());
        Assert.Contains(alerts, a => a.Contains("did not answer", StringComparison.Ordinal));
        var d = rig.Transport.Recovery.Counters();
        Assert.True(d["gap_messages_open"] >= 3000, "the gap is reported: " + string.Join(", ", d));
        Assert.True(rig.Host.DecodedMessages <= 60_000);

        // The server comes back on the same address, with the exchange's store.
        rig.Server.Dispose();
        rig.Server = new MoldRetransmitServer(new MoldRetransmitOptions { Listen = endpoint, StoreDepth = 1 << 20 });
        for (int i = 0; i < blob.Count; i++) rig.Server.Record(blob[i]);
        rig.Server.Start();
        Assert.True(rig.WaitDecoded(blob.Messages, 60_000), $"decoded {rig.Host.DecodedMessages:N0} of {blob.Messages:N0}: " + string.Join(", ", rig.Transport.Recovery.Counters()));
        rig.Stop();
        Assert.Equal(checksum, rig.Host.Books.Checksum());
        d = rig.Transport.Recovery.Counters();
        Assert.True(d["messages_recovered"] >= 3000);
        Assert.True(d["gaps_requested_again"] >= 1, "the gap was requested afresh after the client gave up");
        Assert.Equal(0, d["gap_messages_open"]);
    }
}
