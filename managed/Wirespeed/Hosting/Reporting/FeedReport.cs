using System.Collections.Generic;
using Wirespeed.Core.Books;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Recording;
using Wirespeed.Feeds.Itch;
using Wirespeed.Hosting.Lines;

namespace Wirespeed.Hosting.Reporting;

/// <summary>Turns a feed line's counters into the summary's named sections (cold path, after or between runs).</summary>
public static class FeedReport
{
    /// <summary>ITCH messages delivered, by type character.</summary>
    public static Dictionary<string, long> MessagesByType(ItchCounters c)
    {
        var d = new Dictionary<string, long>();
        for (int t = 0; t < 256; t++)
            if (c.ByType[t] != 0) d[((char)t).ToString()] = c.ByType[t];
        return d;
    }

    /// <summary>
    /// Sequencing: MoldUDP64 packets, gaps, duplicates, sessions; then what arrived out of order (late fills and the
    /// messages they delivered), far jumps held as suspect or confirmed by the next packet, sequence numbers that
    /// overflow, and gap records the gap queue could not keep (see <see cref="MoldCounters"/> for each).
    /// </summary>
    public static Dictionary<string, long> Sequencing(MoldCounters m) => new()
    {
        ["packets"] = m.Packets, ["data_packets"] = m.DataPackets, ["announced_messages"] = m.AnnouncedMessages,
        ["heartbeats"] = m.Heartbeats, ["end_of_session"] = m.EndOfSession,
        ["gap_packets"] = m.GapPackets, ["gap_messages"] = m.GapMessages,
        ["duplicate_packets"] = m.DuplicatePackets, ["duplicate_messages"] = m.DuplicateMessages,
        ["session_changes"] = m.SessionChanges,
        ["late_fills"] = m.LateFills, ["late_messages"] = m.LateMessages,
        ["suspect_jumps"] = m.SuspectJumps, ["confirmed_jumps"] = m.ConfirmedJumps,
        ["malformed_sequence"] = m.MalformedSequence,
        ["gap_records_overwritten"] = m.GapRecordsOverwritten, ["gap_splits_dropped"] = m.GapSplitsDropped,
        ["foreign_session_packets"] = m.WrongSession,   // another sender's session on this group: counted, ignored
    };

    /// <summary>Rejected input, one counter per cause (framing and message level), plus the quarantine's figures.</summary>
    public static Dictionary<string, long> Malformed(MoldCounters m, ItchCounters c, QuarantineRing? q) => new()
    {
        ["truncated_header"] = m.TruncatedHeader, ["wrong_session"] = m.WrongSession,
        ["zero_length_blocks"] = m.ZeroLengthBlocks, ["overrun_blocks"] = m.OverrunBlocks,
        ["truncated_packets"] = m.TruncatedPackets, ["unframed_messages"] = m.UnframedMessages,
        ["trailing_bytes_packets"] = m.TrailingBytesPackets,
        ["bad_length"] = c.BadLength, ["unknown_type"] = c.UnknownType, ["output_full"] = c.OutputFull,
        ["quarantined"] = q?.Captured ?? 0, ["quarantine_overwritten"] = q?.Overwritten ?? 0,
    };

    /// <summary>Total malformed (each cause once).</summary>
    public static long MalformedTotal(MoldCounters m, ItchCounters c)
        => m.TruncatedHeader + m.WrongSession + m.ZeroLengthBlocks + m.OverrunBlocks + m.TruncatedPackets
           + m.TrailingBytesPackets + c.BadLength + c.UnknownType;

    /// <summary>Book outcomes by status, live orders and levels, and the books still stale at the end.</summary>
    public static Dictionary<string, long> Books(OrderBookSet books)
    {
        var d = new Dictionary<string, long>();
        for (var s = BookStatus.Applied; s <= BookStatus.InvalidQuantity; s++)
            d[SnakeCase.Of(s.ToString())] = books.StatusCount(s);
        d["live_orders"] = books.LiveOrders;
        d["used_levels"] = books.UsedLevels;
        d["stale_books"] = StaleBooks(books);
        return d;
    }

    /// <summary>
    /// Books marked stale (a gap touched them) and not cleared by recovery, among the instruments the feed has named
    /// in its directory or holds orders for: a gap marks every slot stale, most of which no instrument ever uses.
    /// </summary>
    public static long StaleBooks(OrderBookSet books)
    {
        long n = 0;
        for (int id = 0; id < books.MaxInstruments; id++)
            if (books.IsStale(id) && (books.Instruments.IsDefined(id) || books.OrderCount(id) > 0)) n++;
        return n;
    }

    /// <summary>
    /// The whole process's line figures (run's "line" section): packets, malformed input and gap messages, then late
    /// fills, suspect and confirmed sequence jumps, the lines whose sequencing is stale and their stale books.
    /// </summary>
    public static Dictionary<string, long> LineTotals(IReadOnlyList<FeedLine> lines)
    {
        long packets = 0, malformed = 0, gaps = 0, late = 0, suspect = 0, confirmed = 0, staleLines = 0, staleBooks = 0;
        foreach (var l in lines)
        {
            var m = l.Decoder.MoldCounters;
            packets += m.Packets;
            malformed += MalformedTotal(m, l.Decoder.Counters);
            gaps += m.GapMessages;
            late += m.LateFills;
            suspect += m.SuspectJumps;
            confirmed += m.ConfirmedJumps;
            if (l.Decoder.Session.IsStale) staleLines++;
            staleBooks += StaleBooks(l.Books);
        }
        return new Dictionary<string, long>
        {
            ["packets_received"] = packets, ["malformed"] = malformed, ["gap_messages"] = gaps,
            ["late_fills"] = late, ["suspect_jumps"] = suspect, ["confirmed_jumps"] = confirmed,
            ["stale_lines"] = staleLines, ["stale_books"] = staleBooks,
        };
    }

    /// <summary>
    /// Adds every line's sections (<see cref="AddTo"/>: the first line's unsuffixed, the others' suffixed with the
    /// line name), then a warning for each stock locate two lines' directories disagree on.
    /// </summary>
    public static void AddLines(RunSummary summary, IReadOnlyList<FeedLine> lines)
    {
        for (int i = 0; i < lines.Count; i++)
            AddTo(summary, lines[i].Decoder, lines[i].Books, i == 0 ? "" : lines[i].Config.Name);
        foreach (string warning in CheckDirectories(lines)) summary.Notes.Add(warning);
    }

    /// <summary>
    /// Adds the feed sections of one line to a summary: "messages_by_type", "sequencing", "malformed", "books", or with
    /// <paramref name="line"/> given (the lines after the first) "sequencing.LINE" and so on.
    /// </summary>
    public static void AddTo(RunSummary summary, ItchFeedDecoder decoder, OrderBookSet books, string line = "")
    {
        string suffix = line.Length == 0 ? "" : "." + line;
        summary.SetCounters("messages_by_type" + suffix, MessagesByType(decoder.Counters));
        summary.SetCounters("sequencing" + suffix, Sequencing(decoder.MoldCounters));
        summary.SetCounters("malformed" + suffix, Malformed(decoder.MoldCounters, decoder.Counters, line.Length == 0 ? decoder.Quarantine : null));
        summary.SetCounters("books" + suffix, Books(books));
        // A note, not a counter: a 64-bit hash printed as a signed count would read as a number. Call after the workers stopped.
        summary.Notes.Add(BookChecksumNote(books, line));
    }

    /// <summary>"books: checksum 0123456789abcdef" ("books B: …" for line B): <see cref="OrderBookSet.Checksum"/>, the same
    /// figure <c>wirespeed replay</c> prints, so a live run can be compared with the in-process path over the same messages.</summary>
    public static string BookChecksumNote(OrderBookSet books, string line = "")
        => "books" + (line.Length == 0 ? "" : " " + line) + ": checksum " + books.Checksum().ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The lines of a process share instrument numbering (breaker levels and pattern legs are per stock locate): every
    /// locate that two lines' directories both name must name the same symbol. One warning per disagreement (at most 8).
    /// </summary>
    public static IEnumerable<string> CheckDirectories(IReadOnlyList<FeedLine> lines)
    {
        int shown = 0;
        for (int i = 1; i < lines.Count && shown < 8; i++)
        {
            var a = lines[0].Books.Instruments;
            var b = lines[i].Books.Instruments;
            int n = System.Math.Min(a.Capacity, b.Capacity);
            for (int id = 0; id < n && shown < 8; id++)
            {
                string? sa = a.SymbolText(id)?.Trim(), sb = b.SymbolText(id)?.Trim();
                if (sa is null || sb is null || sa == sb) continue;
                shown++;
                yield return $"warning: stock locate {id} is '{sa}' on line {lines[0].Config.Name} but '{sb}' on line {lines[i].Config.Name}: " +
                             "lines of one process must number instruments alike (breakers and patterns key on the locate); run such lines in separate processes";
            }
        }
    }

}
