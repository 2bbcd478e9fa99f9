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

    /// <summary>Sequencing: MoldUDP64 packets, gaps, duplicates, sessions.</summary>
    public static Dictionary<string, long> Sequencing(MoldCounters m) => new()
    {
        ["packets"] = m.Packets, ["data_packets"] = m.DataPackets, ["announced_messages"] = m.AnnouncedMessages,
        ["heartbeats"] = m.Heartbeats, ["end_of_session"] = m.EndOfSession,
        ["gap_packets"] = m.GapPackets, ["gap_messages"] = m.GapMessages,
        ["duplicate_packets"] = m.DuplicatePackets, ["duplicate_messages"] = m.DuplicateMessages,
        ["session_changes"] = m.SessionChanges,
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

    /// <summary>Book outcomes by status.</summary>
    public static Dictionary<string, long> Books(OrderBookSet books)
    {
        var d = new Dictionary<string, long>();
        for (var s = BookStatus.Applied; s <= BookStatus.InvalidQuantity; s++)
            d[SnakeCase.Of(s.ToString())] = books.StatusCount(s);
        d["live_orders"] = books.LiveOrders;
        d["used_levels"] = books.UsedLevels;
        return d;
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
