using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace Wirespeed.Hosting.Lines;

/// <summary>
/// Says, once per line, when packets of another MoldUDP64 session arrive on the line's group and port: a second
/// sender on the same group (two demos on one host, a test sender, another feed). The decoder already counts those
/// packets (sequencing.foreign_session_packets) and never applies them; this makes the operator see it while it
/// happens, not only in the summary. Cold path: the monitor thread polls it each interval.
/// </summary>
public sealed class ForeignSessionWatch
{
    private readonly IReadOnlyList<FeedLine> _lines;
    private readonly int[] _warned;   // 1 once line i's warning was written

    public ForeignSessionWatch(IReadOnlyList<FeedLine> lines)
    {
        _lines = lines;
        _warned = new int[lines.Count];
    }

    /// <summary>Writes the warning of every line that saw foreign packets since the last call and was not warned yet.</summary>
    public void Poll(TextWriter output)
    {
        for (int i = 0; i < _lines.Count; i++)
            if (Volatile.Read(ref _warned[i]) == 0 && Warning(_lines[i]) is { } w && Interlocked.Exchange(ref _warned[i], 1) == 0)
                output.WriteLine("  " + w);
    }

    /// <summary>The warnings of every line that saw foreign packets, for the summary's notes (whether printed or not).</summary>
    public IEnumerable<string> Notes()
    {
        foreach (var line in _lines)
            if (Warning(line) is { } w) yield return w;
    }

    /// <summary>The warning for <paramref name="line"/>, or null while it saw no foreign session.</summary>
    public static string? Warning(FeedLine line)
    {
        var session = line.Decoder.Session;
        if (session.FirstForeignSession is not { } foreign) return null;
        var c = line.Config;
        string where = c.Group.Length == 0 ? $"{c.Interface}:{c.Port}" : $"{c.Group}:{c.Port}";
        string own = c.Session.Length != 0 ? $"this line expects session '{c.Session}'" : "this line follows the first session it saw";
        return $"warning: line {c.Name}: packets of another MoldUDP64 session ('{foreign}', {Volatile.Read(ref session.Counters.WrongSession):N0} so far) arrive on {where}; " +
               $"{own}: they are counted (sequencing.foreign_session_packets) and ignored, never applied. Another sender shares this group and port " +
               "(a second demo or simulate on this host?): give each feed its own group or port";
    }
}
