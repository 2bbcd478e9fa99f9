using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using Wirespeed.Configuration;
using Wirespeed.Core.Books;
using Wirespeed.Core.Monitoring;
using Wirespeed.Feeds.Itch;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Reporting;
using Xunit;
using static Wirespeed.Tests.Feeds.Itch.ItchTestData;

namespace Wirespeed.Tests.App.Hosting.Reporting;

/// <summary>The one place a run report is assembled, and the line figures run prints (late fills, jumps, stale books).</summary>
public sealed class RunReportTests
{
    [Fact]
    public void Sections_follow_the_monitor_figures_in_the_order_they_were_added()
    {
        using var monitor = new RunMonitor(new MonitorOptions { HiccupMeter = false, AlertOutput = TextWriter.Null });
        monitor.BeginRun();
        monitor.Stop();
        var report = new RunReport()
            .Counters("first", () => new System.Collections.Generic.Dictionary<string, long> { ["a"] = 1 })
            .Add("notes", s => s.Notes.Add("from the second section"))
            .Counters("third", () => new System.Collections.Generic.Dictionary<string, long> { ["b"] = 2 });
        var summary = report.Build(monitor, "test");
        Assert.Equal("test", summary.Command);
        Assert.Equal(["first", "notes", "third"], report.Sections.Select(s => s.Name).ToArray());
        Assert.Equal(["first", "third"], summary.Counters.Keys.ToArray());
        Assert.Equal(["from the second section"], summary.Notes);
    }

    [Fact]
    public void A_line_with_a_late_fill_and_a_confirmed_far_jump_reports_them_with_its_stale_books_in_text_and_json()
    {
        var books = new OrderBookSet(new BookOptions { MaxInstruments = 16, MaxLiveOrders = 64, MaxLevelsPerSide = 8, Name = "t" });
        var decoder = new ItchFeedDecoder();
        var handler = new ItchPacketHandler<BookApplyHandler>(decoder, new BookApplyHandler(books));
        const ulong Far = 50_000_000;   // beyond MoldSessionOptions.MaxGapMessages: suspect until the next packet confirms it
        foreach (byte[] packet in new[]
        {
            Packet("S1", 1, AddOrder(1, locate: 1)),
            Packet("S1", 3, Delete(3)),               // 2 is missing: a gap, every book stale
            Packet("S1", 2, Delete(2)),               // 2 arrives late: a late fill closes the gap
            Packet("S1", Far, Delete(4), Delete(5)),  // a far jump, held as suspect
            Packet("S1", Far + 2, Delete(6)),         // continued from: confirmed, the line is stale again
        })
            handler.OnPacket(packet, Info());
        var line = new FeedLine(new LineConfig(), books, decoder);

        var summary = new RunSummary { Command = "run" };
        new RunReport()
            .Add("lines", s => FeedReport.AddLines(s, [line]))
            .Counters("line", () => FeedReport.LineTotals([line]))
            .AddTo(summary);

        var totals = summary.Counters["line"];
        Assert.Equal(1, totals["late_fills"]);
        Assert.Equal(1, totals["suspect_jumps"]);
        Assert.Equal(1, totals["confirmed_jumps"]);
        Assert.Equal(1, totals["stale_lines"]);
        Assert.Equal(1, totals["stale_books"]);   // locate 1, the one instrument with an order
        Assert.Equal(1, summary.Counters["sequencing"]["late_messages"]);
        Assert.Equal(1, summary.Counters["books"]["stale_books"]);

        var text = new StringWriter();
        RunSummaryPrinter.Print(summary, text);
        Assert.Contains("late_fills=1  suspect_jumps=1  confirmed_jumps=1  stale_lines=1  stale_books=1", text.ToString());
        var back = RunSummaryJson.Deserialize(RunSummaryJson.Serialize(summary));
        Assert.Equal(totals, back.Counters["line"]);
    }

    /// <summary>An Add Order 'A' (ITCH 5.0 section 4.3.1): buy 100 shares at 10.0000.</summary>
    private static byte[] AddOrder(ulong orderRef, ushort locate)
    {
        var m = new byte[36];
        m[0] = (byte)'A';
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(1), locate);
        BinaryPrimitives.WriteUInt64BigEndian(m.AsSpan(11), orderRef);
        m[19] = (byte)'B';
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(20), 100);
        "TEST    "u8.CopyTo(m.AsSpan(24));
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(32), 100_000);
        return m;
    }
}
