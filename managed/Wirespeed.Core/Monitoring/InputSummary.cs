using System.Collections.Generic;

namespace Wirespeed.Core.Monitoring;

/// <summary>
/// json: <c>input</c> of <see cref="RunSummary"/>: what a run over a recorded input (a replay) read, and whether it read
/// it whole. Null for runs over a live line. json names in parentheses.
/// </summary>
public sealed class InputSummary
{
    /// <summary>(<c>file</c>) The input's path.</summary>
    public string File { get; set; } = "";
    /// <summary>(<c>format</c>) itch50 | pcap | journal.</summary>
    public string Format { get; set; } = "";
    /// <summary>(<c>speed</c>) "max", "recorded" or "Nx".</summary>
    public string Speed { get; set; } = "";
    /// <summary>(<c>clock</c>) Where the pipeline's time came from, e.g. "virtual: pcap record times".</summary>
    public string Clock { get; set; } = "";
    /// <summary>(<c>packets</c>) Packets delivered to the line (after the start filter).</summary>
    public long Packets { get; set; }
    /// <summary>(<c>skipped_packets</c>) Packets before --from-time / --from-seq, not delivered.</summary>
    public long SkippedPackets { get; set; }
    /// <summary>(<c>messages</c>) Messages decoded (all types).</summary>
    public long Messages { get; set; }
    /// <summary>(<c>seconds</c>) Wall-clock time from the first poll to the end of the input.</summary>
    public double Seconds { get; set; }
    /// <summary>(<c>messages_per_second</c>) Messages through the whole pipeline per wall-clock second.</summary>
    public double MessagesPerSecond { get; set; }
    /// <summary>(<c>first_recorded_ns</c>, <c>last_recorded_ns</c>) Recorded times of the first and last packet delivered.</summary>
    public long FirstRecordedNs { get; set; }
    public long LastRecordedNs { get; set; }
    /// <summary>(<c>book_checksum</c>) FNV-1a over every book's levels (instrument order, best first), 16 hex digits.</summary>
    public string BookChecksum { get; set; } = "";
    /// <summary>(<c>session</c>) MoldUDP64 session as printable text (non-printable bytes as \xNN).</summary>
    public string Session { get; set; } = "";
    /// <summary>(<c>sequencing_mode</c>) check | off | off (anonymised capture …): how MoldUDP64 sequencing was applied.</summary>
    public string SequencingMode { get; set; } = "";
    /// <summary>(<c>next_expected_sequence</c>)</summary>
    public ulong NextExpectedSequence { get; set; }
    /// <summary>(<c>books_stale</c>) True when a sequence gap left the books stale.</summary>
    public bool BooksStale { get; set; }
    /// <summary>(<c>complete</c>) True when the input was read and decoded whole.</summary>
    public bool Complete { get; set; } = true;
    /// <summary>(<c>incomplete</c>) Why not, one line per cause; empty when complete.</summary>
    public List<string> Incomplete { get; set; } = new();
    /// <summary>(<c>top_levels</c>) Every non-empty book's top levels (up to --depth per side).</summary>
    public List<BookLevelsSummary> TopLevels { get; set; } = new();
}

/// <summary>One instrument's top levels, prices in fixed point with 4 decimals. json names are snake_case.</summary>
public sealed class BookLevelsSummary
{
    public int Instrument { get; set; }
    public string Symbol { get; set; } = "";
    public List<LevelSummary> Bids { get; set; } = new();
    public List<LevelSummary> Asks { get; set; } = new();
}

/// <summary>One price level.</summary>
public sealed class LevelSummary
{
    public long Price { get; set; }
    public long Shares { get; set; }
    public int Orders { get; set; }
}
