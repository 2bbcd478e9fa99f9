using System.Collections.Generic;
using System.IO;
using System.Text.Json.Serialization;
using Wirespeed.Feeds.Replay;

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
    /// <summary>True when the source read and decoded everything the file held (see <see cref="ReadCompleteness"/>).</summary>
    public bool Complete { get; set; } = true;
    /// <summary>Why not, one line per cause with its count; empty when complete.</summary>
    public List<string> Incomplete { get; set; } = new();

    /// <summary>Takes the source's verdict.</summary>
    public void SetCompleteness(ReadCompleteness verdict)
    {
        Complete = verdict.Complete;
        Incomplete = new List<string>(verdict.Reasons);
    }

    /// <summary>The last lines of the printed report: whether the whole file was read and, if not, each cause.</summary>
    public void PrintCompleteness(TextWriter o)
    {
        if (Complete)
        {
            o.WriteLine("  file read whole: every record was decoded or counted as other traffic");
            return;
        }
        o.WriteLine($"  INCOMPLETE: {File} was not read whole ({Incomplete.Count} cause(s)); exit 1:");
        foreach (string reason in Incomplete) o.WriteLine("    " + reason);
    }
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
