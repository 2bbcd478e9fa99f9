using System.Collections.Generic;
using Wirespeed.Core.Books;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Recording;
using Wirespeed.Feeds.Itch;

namespace Wirespeed.Hosting;

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
            d[Snake(s.ToString())] = books.StatusCount(s);
        d["live_orders"] = books.LiveOrders;
        d["used_levels"] = books.UsedLevels;
        return d;
    }

    /// <summary>Adds the feed sections to a summary.</summary>
    public static void AddTo(RunSummary summary, ItchFeedDecoder decoder, OrderBookSet books)
    {
        summary.SetCounters("messages_by_type", MessagesByType(decoder.Counters));
        summary.SetCounters("sequencing", Sequencing(decoder.MoldCounters));
        summary.SetCounters("malformed", Malformed(decoder.MoldCounters, decoder.Counters, decoder.Quarantine));
        summary.SetCounters("books", Books(books));
        // A note, not a counter: a 64-bit hash printed as a signed count would read as a number. Call after the workers stopped.
        summary.Notes.Add(BookChecksumNote(books));
    }

    /// <summary>"books: checksum 0123456789abcdef": <see cref="OrderBookSet.Checksum"/>, the same figure <c>wirespeed replay</c>
    /// prints, so a live run can be compared with the in-process path over the same messages.</summary>
    public static string BookChecksumNote(OrderBookSet books)
        => "books: checksum " + books.Checksum().ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    private static string Snake(string pascal)
    {
        var sb = new System.Text.StringBuilder(pascal.Length + 4);
        for (int i = 0; i < pascal.Length; i++)
        {
            char ch = pascal[i];
            if (char.IsUpper(ch) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(ch));
        }
        return sb.ToString();
    }
}
