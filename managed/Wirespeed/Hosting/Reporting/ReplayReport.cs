using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Monitoring;
using Wirespeed.Hosting.Lines;

namespace Wirespeed.Hosting.Reporting;

/// <summary>
/// What a replay adds to the run report (<see cref="RunReport.ForFeed"/> gives the feed's sections: messages by type,
/// sequencing, malformed, books, breakers, priority, patterns): the "frames" section of the source, the "replay"
/// counters, and <see cref="RunSummary.Input"/> (file, pace, clock, completeness, checksum, top levels); and the
/// replay's own lines printed after the summary, in the form earlier versions printed (scripts grep them). Cold path.
/// </summary>
public static class ReplayReport
{
    /// <summary>The replay's sections, after the feed's.</summary>
    /// <param name="report">The feed's report.</param>
    /// <param name="replay">The replay line, its workers stopped.</param>
    /// <param name="input">The input summary, filled by the command (file, speed, seconds, sequencing mode, stop reason).</param>
    /// <param name="depth">Levels per side of each book listed.</param>
    public static RunReport AddTo(RunReport report, ReplayLine replay, InputSummary input, int depth)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report
            .Counters("frames", replay.Frames)
            .Counters("replay", () => new Dictionary<string, long>
            {
                ["packets"] = input.Packets,
                ["skipped_packets"] = input.SkippedPackets,
                ["messages"] = input.Messages,
                ["messages_per_second"] = (long)input.MessagesPerSecond,
                ["pace_waits"] = replay.Control.Waits,
            })
            .Add("input", s =>
            {
                var host = replay.Host;
                var session = host.Decoder.Session;
                input.BookChecksum = host.Books.Checksum().ToString("x16", CultureInfo.InvariantCulture);
                input.Session = Printable(session.SessionId);
                input.NextExpectedSequence = session.NextExpected;
                input.BooksStale = session.IsStale;
                input.TopLevels = TopLevels(host.Books, depth);
                s.Input = input;
                s.Notes.Add("end-to-end: not a latency in a replay: events carry their recorded receive time, not this machine's clock (service and stage times are real)");
            });
    }

    /// <summary>Every non-empty book's top <paramref name="depth"/> levels per side, in instrument order.</summary>
    public static List<BookLevelsSummary> TopLevels(OrderBookSet books, int depth)
    {
        var list = new List<BookLevelsSummary>();
        var levels = new PriceLevel[depth];
        for (int id = 0; id < books.MaxInstruments; id++)
        {
            if (books.LevelCount(id, Side.Buy) == 0 && books.LevelCount(id, Side.Sell) == 0) continue;
            var book = new BookLevelsSummary { Instrument = id, Symbol = books.Instruments.SymbolText(id)?.Trim() ?? "" };
            int n = books.GetDepth(id, Side.Buy, levels);
            for (int i = 0; i < n; i++) book.Bids.Add(new LevelSummary { Price = levels[i].Price, Shares = levels[i].Shares, Orders = levels[i].Orders });
            n = books.GetDepth(id, Side.Sell, levels);
            for (int i = 0; i < n; i++) book.Asks.Add(new LevelSummary { Price = levels[i].Price, Shares = levels[i].Shares, Orders = levels[i].Orders });
            list.Add(book);
        }
        return list;
    }

    /// <summary>
    /// The replay's lines after the summary table: the totals line ("replay F (FORMAT): N messages in P packets …"),
    /// messages by type, sequencing, malformed input, frames, books, the book checksum, the top levels, and whether the
    /// file was read whole (with each cause when not).
    /// </summary>
    public static void Print(RunSummary summary, TextWriter o)
    {
        var r = summary.Input ?? throw new ArgumentException("not a replay summary", nameof(summary));
        o.WriteLine();
        o.WriteLine($"replay {r.File} ({r.Format}): {r.Messages:N0} messages in {r.Packets:N0} packets, {r.Seconds * 1000:0.0} ms ({r.MessagesPerSecond:N0} msg/s through the pipeline), speed {r.Speed}");
        o.WriteLine($"  messages by type: {Join(Section(summary, "messages_by_type"))}");
        o.WriteLine($"  sequencing {r.SequencingMode}: session '{r.Session}', next expected {r.NextExpectedSequence}, books {(r.BooksStale ? "STALE (gap)" : "in sequence")}; {Join(Section(summary, "sequencing"))}");
        o.WriteLine($"  malformed: {Join(Section(summary, "malformed"))}");
        o.WriteLine($"  frames: {Join(Section(summary, "frames"))}");
        o.WriteLine($"  books: {Join(Section(summary, "books"))}");
        o.WriteLine($"  clock: {r.Clock}; first recorded time {r.FirstRecordedNs} ns");
        o.WriteLine($"  book checksum: {r.BookChecksum}");
        foreach (var b in r.TopLevels)
        {
            o.WriteLine($"  {b.Instrument,5} {b.Symbol,-8}  bid {Levels(b.Bids)}");
            o.WriteLine($"  {"",5} {"",-8}  ask {Levels(b.Asks)}");
        }
        if (r.Complete)
        {
            o.WriteLine("  file read whole: every record was decoded or counted as other traffic");
            return;
        }
        o.WriteLine($"  INCOMPLETE: {r.File} was not read whole ({r.Incomplete.Count} cause(s)); exit 1:");
        foreach (string reason in r.Incomplete) o.WriteLine("    " + reason);
    }

    private static Dictionary<string, long> Section(RunSummary s, string name)
        => s.Counters.TryGetValue(name, out var d) ? d : new Dictionary<string, long>();

    private static string Levels(List<LevelSummary> levels)
    {
        if (levels.Count == 0) return "-";
        var sb = new StringBuilder();
        foreach (var l in levels)
        {
            if (sb.Length > 0) sb.Append(" | ");
            sb.Append(CultureInfo.InvariantCulture, $"{l.Shares:N0} @ {l.Price / 10_000m:0.0000} ({l.Orders})");
        }
        return sb.ToString();
    }

    private static string Join(Dictionary<string, long> d)
    {
        var sb = new StringBuilder();
        foreach (var kv in d)
        {
            if (kv.Value == 0 && d.Count > 6) continue;   // long sections list only what happened
            if (sb.Length > 0) sb.Append("  ");
            sb.Append(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value:N0}");
        }
        return sb.Length == 0 ? "none" : sb.ToString();
    }

    private static string Printable(ReadOnlySpan<byte> s)
    {
        var sb = new StringBuilder();
        foreach (byte b in s) sb.Append(b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"\\x{b:x2}");
        return sb.ToString();
    }
}
