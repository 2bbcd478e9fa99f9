using System.Collections.Generic;
using Wirespeed.Configuration;
using Wirespeed.Feeds.Itch;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Simulation;
using Xunit;

namespace Wirespeed.Tests.App.Hosting;

/// <summary>Each live simulator run gets a MoldUDP64 session of its own, and the demo's lines expect exactly it.</summary>
public sealed class SimulatorSessionTests
{
    [Fact]
    public void A_run_session_is_10_printable_ascii_characters_from_the_pid_and_a_counter()
    {
        Assert.Equal("W00123450A", SimulatorSession.NewForRun(12345, 0));
        Assert.Equal("W0012345ZA", SimulatorSession.NewForRun(12345, 35));
        Assert.Equal("W41943031A", SimulatorSession.NewForRun(4_194_303, 1));
        string a = SimulatorSession.NewForRun(), b = SimulatorSession.NewForRun();
        Assert.NotEqual(a, b);                                                   // two runs of one process differ
        foreach (string s in new[] { a, b })
        {
            Assert.Equal(10, s.Length);
            Assert.All(s.ToCharArray(), c => Assert.InRange(c, (char)0x21, (char)0x7E));
            Assert.Equal("W" + System.Environment.ProcessId.ToString("D7", System.Globalization.CultureInfo.InvariantCulture), s[..8]);
        }
    }

    [Fact]
    public void The_demo_lines_expect_the_session_their_simulated_venue_sends()
    {
        var config = ConfigLoader.Default();
        config.Lines.Add(new LineConfig { Name = "B", Id = 1, Port = config.Lines[0].Port + 1 });
        Assert.Equal("", config.Simulator.Session);                             // the default: one of each run's own
        SimulatedLines.AssignSessions(config);
        string session = config.Simulator.Session;
        Assert.Matches("^W[0-9]{7}[0-9A-Z]A$", session);
        Assert.Equal(session, config.Lines[0].Session);
        Assert.Equal(session[..9] + "B", config.Lines[1].Session);
        SimulatedLines.AssignSessions(config);                                  // idempotent: the run keeps its session
        Assert.Equal(session, config.Simulator.Session);
    }

    [Fact]
    public void A_configured_session_is_kept_and_files_stay_deterministic()
    {
        var sim = new SimulatorConfig { Session = "NASDAQ0001" };
        Assert.Equal("NASDAQ0001", SimulatorSession.ForLiveRun(sim));
        Assert.Equal("NASDAQ0001", SimulatorSession.ForFile(sim));
        Assert.Equal("WIRESPEED1", SimulatorSession.ForFile(new SimulatorConfig()));   // same seed, same bytes
    }

    [Fact]
    public void The_foreign_session_warning_names_both_sessions_the_group_and_the_counter()
    {
        var line = new LineConfig { Name = "A", Group = "239.192.0.1", Port = 26477, Session = "W00001110A" };
        var decoder = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { ExpectedSession = line.Session } });
        var feedLine = new FeedLine(line, new Wirespeed.Core.Books.OrderBookSet(new Wirespeed.Core.Books.BookOptions { MaxInstruments = 8, MaxLiveOrders = 64 }), decoder);
        Assert.Null(ForeignSessionWatch.Warning(feedLine));
        decoder.Session.OnPacket("W00002220A"u8, 1, 1, 0, out _);
        string w = ForeignSessionWatch.Warning(feedLine)!;
        Assert.Contains("line A: packets of another MoldUDP64 session ('W00002220A', 1 so far) arrive on 239.192.0.1:26477", w);
        Assert.Contains("expects session 'W00001110A'", w);
        Assert.Contains("sequencing.foreign_session_packets", w);

        var watch = new ForeignSessionWatch(new List<FeedLine> { feedLine });
        var first = new System.IO.StringWriter();
        watch.Poll(first);
        var second = new System.IO.StringWriter();
        watch.Poll(second);
        Assert.Contains("another MoldUDP64 session", first.ToString());
        Assert.Equal("", second.ToString());                                    // once per line
        Assert.Single(watch.Notes());                                           // and in the summary's notes
    }
}
