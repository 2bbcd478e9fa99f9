using System.Collections.Generic;
using Wirespeed.Core.Books;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Recording;
using Wirespeed.Feeds.Itch;
using Wirespeed.Hosting.Reporting;

namespace Wirespeed.Fuzzing.Targets;

/// <summary>
/// The chain <c>wirespeed replay</c> runs a file through (MoldUDP64 session, ITCH 5.0 decoder with its quarantine, books
/// on the same thread), one fresh decoder per case, and the first cause of rejection its counters show.
/// </summary>
/// <remarks>
/// The books are allocated once (16,384 instruments as configured by default, so real stock locates fit) and emptied
/// between cases (<see cref="OrderBookSet.Reset"/> and the stale marks); only the instrument directory (symbol names)
/// carries over, which no book operation reads. Their counters are compared before and after each case.
/// </remarks>
internal sealed class ReplayChain
{
    private static readonly BookStatus[] s_bookRejects =
    {
        BookStatus.UnknownInstrument, BookStatus.InvalidSide, BookStatus.InvalidQuantity, BookStatus.DuplicateOrderId,
        BookStatus.OrderPoolExhausted, BookStatus.LevelPoolExhausted, BookStatus.UnknownOrder,
    };

    private readonly OrderBookSet _books = new(new BookOptions
    {
        MaxInstruments = 16384, MaxLiveOrders = 1024, MaxLevelsPerSide = 8, Name = "fuzz",
    });
    private readonly long[] _before = new long[s_bookRejects.Length];
    private ItchFeedDecoder _decoder = new();
    private QuarantineRing _quarantine = new(16, 2048);

    /// <summary>A fresh decoder (sequencing checked or not, as replay chooses) and empty books for the next case.</summary>
    public ItchPacketHandler<BookApplyHandler> Begin(bool checkSequence)
    {
        _books.Reset();
        _books.ClearAllStale();
        for (int i = 0; i < s_bookRejects.Length; i++) _before[i] = _books.StatusCount(s_bookRejects[i]);
        _quarantine = new QuarantineRing(16, 2048);
        _decoder = new ItchFeedDecoder(new ItchFeedOptions { Session = new MoldSessionOptions { CheckSequence = checkSequence } }, _quarantine);
        return new ItchPacketHandler<BookApplyHandler>(_decoder, new BookApplyHandler(_books));
    }

    /// <summary>Polls <paramref name="source"/> to its end, as replay does.</summary>
    public static void Drain<TSource>(TSource source, ref ItchPacketHandler<BookApplyHandler> handler) where TSource : IPacketSource
    {
        while (source.Poll(ref handler, 256) > 0) { }
    }

    /// <summary>The first non-zero fault counter of the case: malformed input, then sequencing, then book rejects; null when none.</summary>
    public string? FirstCause()
    {
        var malformed = FeedReport.Malformed(_decoder.MoldCounters, _decoder.Counters, null);
        string? cause = First("malformed.", malformed, "quarantined", "quarantine_overwritten");
        if (cause is not null) return cause;
        var m = _decoder.MoldCounters;
        if (m.MalformedSequence > 0) return "sequencing.malformed_sequence";
        if (m.SuspectJumps > 0) return "sequencing.suspect_jumps";
        if (m.GapPackets > 0) return "sequencing.gap_packets";
        if (m.DuplicatePackets > 0) return "sequencing.duplicate_packets";
        if (m.SessionChanges > 0) return "sequencing.session_changes";
        for (int i = 0; i < s_bookRejects.Length; i++)
            if (_books.StatusCount(s_bookRejects[i]) != _before[i]) return "books." + SnakeCase.Of(s_bookRejects[i].ToString());
        return null;
    }

    /// <summary>"<paramref name="prefix"/>key" of the first non-zero entry (in the dictionary's order), skipping <paramref name="ignore"/>.</summary>
    public static string? First(string prefix, Dictionary<string, long> counters, params string[] ignore)
    {
        foreach (var kv in counters)
            if (kv.Value != 0 && System.Array.IndexOf(ignore, kv.Key) < 0) return prefix + kv.Key;
        return null;
    }
}
