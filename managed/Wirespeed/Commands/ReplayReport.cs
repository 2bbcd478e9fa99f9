using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Wirespeed.Commands;

/// <summary>What <c>wirespeed replay</c> reports, printed and written as JSON with --json (snake_case keys).</summary>
public sealed class ReplayReport
{
    public string File { get; set; } = "";
    public string Format { get; set; } = "";
    public long Packets { get; set; }
    public long Messages { get; set; }
    public double Seconds { get; set; }
    public double MessagesPerSecond { get; set; }
    /// <summary>FNV-1a over every book's levels (instrument order, best first): equal input, equal checksum.</summary>
    public string BookChecksum { get; set; } = "";
    /// <summary>MoldUDP64 session as printable text (non-printable bytes as \xNN) and the next expected sequence.</summary>
    public string Session { get; set; } = "";
    /// <summary>check | off | off (anonymised capture …): how MoldUDP64 sequencing was applied.</summary>
    public string SequencingMode { get; set; } = "";
    public ulong NextExpectedSequence { get; set; }
    public bool BooksStale { get; set; }
    public Dictionary<string, long> MessagesByType { get; set; } = new();
    public Dictionary<string, long> Sequencing { get; set; } = new();
    public Dictionary<string, long> Malformed { get; set; } = new();
    public Dictionary<string, long> Frames { get; set; } = new();
    public Dictionary<string, long> Books { get; set; } = new();
    public List<ReplayBook> TopLevels { get; set; } = new();
}

/// <summary>One instrument's top levels, prices in fixed point with 4 decimals.</summary>
public sealed class ReplayBook
{
    public int Instrument { get; set; }
    public string Symbol { get; set; } = "";
    public List<ReplayLevel> Bids { get; set; } = new();
    public List<ReplayLevel> Asks { get; set; } = new();
}

public sealed class ReplayLevel
{
    public long Price { get; set; }
    public long Shares { get; set; }
    public int Orders { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ReplayReport))]
internal sealed partial class ReplayJsonContext : JsonSerializerContext
{
}
