using System;
using System.Collections.Generic;
using Wirespeed.Core.Monitoring;
using Wirespeed.Hosting.Lines;

namespace Wirespeed.Hosting.Reporting;

/// <summary>
/// One part's contribution to a run report: its counter sections and notes. <paramref name="Name"/> says which part
/// it is ("lines", "breakers and priority", "transport" …), so a reader can find where a summary line comes from.
/// </summary>
/// <param name="Name">The part, for people and tests; not printed.</param>
/// <param name="AddTo">Adds the part's sections and notes to the summary; called once, after the workers stopped.</param>
public sealed record ReportSection(string Name, Action<RunSummary> AddTo);

/// <summary>
/// The one place a run report is assembled (run, demo, bench): the monitor's figures first (latency rows, host, GC,
/// hot threads, memory: <see cref="RunMonitor.BuildSummary"/>), then every section in the order added. A feed's
/// sections come from <see cref="ForFeed"/>; the command adds its own after them (transport, line, demo, bench).
/// The text (<see cref="RunSummaryPrinter"/>) and the --json file (<see cref="RunSummaryJson"/>) render the one
/// <see cref="RunSummary"/> built here, so they always agree. Cold path.
/// </summary>
public sealed class RunReport
{
    private readonly List<ReportSection> _sections = new();

    /// <summary>The sections, in the order they are added to the summary (counters print in that order).</summary>
    public IReadOnlyList<ReportSection> Sections => _sections;

    /// <summary>Appends a section.</summary>
    public RunReport Add(string name, Action<RunSummary> addTo)
    {
        _sections.Add(new ReportSection(name, addTo));
        return this;
    }

    /// <summary>Appends a section of counters named <paramref name="name"/>, read when the report is built.</summary>
    public RunReport Counters(string name, Func<IDictionary<string, long>> counters)
        => Add(name, s => s.SetCounters(name, counters()));

    /// <summary>
    /// The sections of a feed, each from the part that owns the figures: per line its messages by type, sequencing,
    /// malformed input and books (<see cref="FeedReport"/>), the deliver stage, the breakers and priority lanes
    /// (<see cref="Detection.FeedPriority.AddTo"/>), the patterns (<see cref="Detection.FeedPatterns.AddTo"/>), then the
    /// start-up notes.
    /// </summary>
    public static RunReport ForFeed(FeedHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return new RunReport()
            .Add("lines", s => { FeedReport.AddLines(s, host.Lines); s.Notes.AddRange(host.ForeignSessions.Notes()); })
            .Counters("deliver", () => new Dictionary<string, long> { ["events"] = host.Deliver.Events, ["top_of_book_changes"] = host.Deliver.TopChanges })
            .Add("breakers and priority", s => host.Priority.AddTo(s, host.Deliver))
            .Add("patterns", s => host.Patterns?.AddTo(s, host.BooksOfLine))
            .Add("recording", s => { if (host.Recorder is { } r) FeedRecording.AddTo(s, r); })
            .Add("start-up notes", s => s.Notes.AddRange(host.Notes));
    }

    /// <summary>The summary of <paramref name="command"/>: the monitor's figures, then every section in order.</summary>
    public RunSummary Build(RunMonitor monitor, string command)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        var summary = monitor.BuildSummary(command);
        AddTo(summary);
        return summary;
    }

    /// <summary>Adds every section, in order, to <paramref name="summary"/> (tests that run a feed without a monitor).</summary>
    public void AddTo(RunSummary summary)
    {
        foreach (var section in _sections) section.AddTo(summary);
    }
}
