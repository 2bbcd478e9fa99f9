using System;
using System.Linq;
using System.Threading;
using Wirespeed.Configuration;
using Wirespeed.Core.Books;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Signals;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Sim;
using Wirespeed.Tests.Infrastructure;
using Xunit;
using Wirespeed.Hosting.Detection;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Reporting;
using Wirespeed.Hosting.Simulation;

namespace Wirespeed.Tests.App.Hosting;

/// <summary>
/// Two feed lines in one process, as the product wires them: venue 0 and venue 1 of one simulated market, each with its
/// own MoldUDP64 session, packets and books, received by one worker; the patterns see both lines, and a cross-line
/// arbitrage definition fires on the instrument's books of the two lines.
/// </summary>
public sealed class MultiLineTests
{
    private const long MessagesPerLine = 600_000;

    private static WirespeedConfig Config(string placement, string extraDefinitions = "") => ConfigLoader.Parse($$"""
        { "lines": [ { "name": "A", "id": 0 }, { "name": "B", "id": 1, "port": 26478 } ],
          "books": { "maxInstruments": 128, "maxOrders": 262144 },
          "pipeline": { "workers": [ { "name": "feed", "idle": "yield" } ] },
          "patterns": { "idle": "back-off", "overflow": "wait", "clock": "virtual", "placement": "{{placement}}", "definitions": [
              { "name": "arb-a", "kind": "arbitrage", "legs": [ { "symbol": "AAAA", "line": 0 }, { "symbol": "AAAA", "line": 1 } ] },
              { "name": "arb-b", "kind": "arbitrage", "legs": [ { "symbol": "BAAA", "line": 1 }, { "symbol": "BAAA", "line": 0 } ], "cost": 100 },
              { "name": "momentum-b", "kind": "momentum", "legs": [ { "symbol": "CAAA", "line": 1 } ], "count": 7, "withinUs": 1000 }
              {{extraDefinitions}} ] } }
        """);

    private static PacketBlob Blob(WirespeedConfig config, int venue)
    {
        var sim = config.Simulator;
        var feed = new SimFeed(new ExchangeSimulator(SimulatorPlan.From(sim) with { Venue = venue }), SimulatedLines.SessionOf(sim.Session, venue),
            sim.MaxPayloadBytes, SimTimestampMode.Virtual, MessagesPerLine);
        return PacketBlob.Generate(feed, MessagesPerLine);
    }

    private sealed record Outcome(FeedHost Host, FeedPatterns<BoxCallback> Patterns, SignalBox Box, PacketBlob[] Blobs);

    private static Outcome Run(WirespeedConfig config)
    {
        var blobs = new[] { Blob(config, 0), Blob(config, 1) };
        var states = new[] { new PacedBlobState(blobs[0], 1e12, 0), new PacedBlobState(blobs[1], 1e12, 1) };
        var box = new SignalBox();
        var host = FeedHost.Create(ConfigValidator.Resolve(config), new MemoryRegistry(0), [new PacedBlobPackets(states[0]), new PacedBlobPackets(states[1])], 1464,
            measureOneWay: false, 0, _ => new BoxCallback(box));
        var patterns = Assert.IsType<FeedPatterns<BoxCallback>>(host.Patterns);
        host.Start();
        HostRun.UntilDelivered(host, states, blobs[0].Messages + blobs[1].Messages);
        return new Outcome(host, patterns, box, blobs);
    }

    /// <summary>Book checksum of one line's packets received on their own by a one-line host (the reference for its books in the shared worker).</summary>
    private static ulong AloneChecksum(PacketBlob blob)
    {
        var config = ConfigLoader.Parse("""
            { "books": { "maxInstruments": 128, "maxOrders": 262144 }, "pipeline": { "workers": [ { "name": "feed", "idle": "yield" } ] },
              "patterns": { "enabled": false } }
            """);
        var state = new PacedBlobState(blob, 1e12, 0);
        using var host = FeedHost.Create(ConfigValidator.Resolve(config), new MemoryRegistry(0), new PacedBlobPackets(state), 1464, measureOneWay: false, 0);
        host.Start();
        HostRun.UntilDelivered(host, [state], blob.Messages);
        return host.Books.Checksum();
    }

    [Theory]
    [InlineData("workers")]
    [InlineData("inline")]
    public void Two_lines_on_one_worker_keep_their_own_books_and_cross_line_arbitrage_fires(string placement)
    {
        var config = Config(placement);
        var o = Run(config);
        using var host = o.Host;
        var p = o.Patterns;

        // Each line decoded its own session without a gap, into its own books: the same books as that line alone.
        Assert.Equal(2, host.Lines.Count);
        for (int i = 0; i < 2; i++)
        {
            var line = host.Lines[i];
            Assert.Equal(o.Blobs[i].Messages, line.Decoder.Counters.Messages);
            Assert.Equal(0, line.Decoder.MoldCounters.GapMessages);
            Assert.Equal(0, line.Decoder.MoldCounters.WrongSession);
            Assert.Equal(AloneChecksum(o.Blobs[i]), line.Books.Checksum());
        }
        Assert.NotEqual(host.Lines[0].Books.Checksum(), host.Lines[1].Books.Checksum());   // two venues, two order flows
        Assert.Equal(o.Blobs[0].Messages + o.Blobs[1].Messages, host.DecodedMessages);

        // The arbitrage definitions compared the instrument's books on the two lines and fired; momentum on line B only.
        var signals = o.Box.Items.Take(o.Box.Count).ToArray();
        var arbitrage = signals.Where(s => s.Kind == PatternKind.Arbitrage).ToArray();
        Assert.True(p.CountsOf(0).Detected > 0, "no cross-line arbitrage on AAAA");
        Assert.All(arbitrage, s => Assert.NotEqual(s.Line, s.OtherLine));
        Assert.All(arbitrage, s => Assert.Equal(s.Instrument, s.OtherInstrument));
        Assert.True(p.CountsOf(2).Detected > 0, "no momentum on line B");
        Assert.All(signals.Where(s => s.Kind == PatternKind.Momentum), s => Assert.Equal(1, s.Line));
        Assert.Equal(p.Totals.Delivered, o.Box.Count);

        // The summary reports each line: line A's sections as for one line, line B's with its name.
        var summary = new RunSummary { Command = "test" };
        RunReport.ForFeed(host).AddTo(summary);
        Assert.Equal(o.Blobs[0].Messages, summary.Counters["messages_by_type"].Values.Sum());
        Assert.Equal(o.Blobs[1].Messages, summary.Counters["messages_by_type.B"].Values.Sum());
        Assert.Equal(0, summary.Counters["sequencing.B"]["gap_messages"]);
        Assert.Contains(summary.Notes, n => n.StartsWith("books B: checksum ", StringComparison.Ordinal));
        var priority = summary.Counters["priority"];   // each line's classify stage counted its own events, summed here
        Assert.Equal(host.Delivered, new[] { "critical", "high", "normal", "bulk" }.Sum(l => priority["classified_" + l]));
        Assert.DoesNotContain(summary.Notes, n => n.Contains("must number instruments alike", StringComparison.Ordinal));
        Assert.Contains(host.Notes, n => n.StartsWith("lines: 2 (A id 0, B id 1)", StringComparison.Ordinal));
    }

    [Fact]
    public void Lines_that_number_instruments_differently_are_reported_and_each_line_gets_its_own_session()
    {
        OrderBookSet Books(params string[] symbols)
        {
            var books = new OrderBookSet(new BookOptions { MaxInstruments = 8, MaxLiveOrders = 1024, MaxLevelsPerSide = 8 });
            for (int i = 0; i < symbols.Length; i++) books.Instruments.TrySet(i + 1, symbols[i], 100);
            return books;
        }
        var lines = new[]
        {
            new FeedLine(new LineConfig { Name = "A" }, Books("AAAA", "BAAA", "CAAA"), new ItchFeedDecoder()),
            new FeedLine(new LineConfig { Name = "B", Id = 1 }, Books("AAAA", "CAAA"), new ItchFeedDecoder()),   // locate 2 differs, 3 unknown
        };
        var warning = Assert.Single(FeedReport.CheckDirectories(lines));
        Assert.StartsWith("warning: stock locate 2 is 'BAAA' on line A but 'CAAA' on line B", warning, StringComparison.Ordinal);
        Assert.Empty(FeedReport.CheckDirectories([lines[0]]));

        Assert.Equal("WIRESPEED1", SimulatedLines.SessionOf("WIRESPEED1", 0));
        Assert.Equal("WIRESPEEDB", SimulatedLines.SessionOf("WIRESPEED1", 1));
        Assert.Equal("SHORT    C", SimulatedLines.SessionOf("SHORT", 2));
    }
}
