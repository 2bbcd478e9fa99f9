using System.Collections.Generic;

namespace Wirespeed.Feeds.Replay;

/// <summary>
/// Whether a replay source decoded everything its file held and, where not, why: one line per cause with its count and
/// what it usually means. A replay that could not read the whole file must say so, never exit as if it had. Cold path.
/// </summary>
public sealed class ReadCompleteness
{
    private readonly List<string> _reasons = new();

    /// <summary>True when nothing was left unread or undecoded for a fault of the file.</summary>
    public bool Complete => _reasons.Count == 0;

    /// <summary>The causes, one line each, in the order the source checks them.</summary>
    public IReadOnlyList<string> Reasons => _reasons;

    internal void Add(string reason) => _reasons.Add(reason);
}
