using System;
using System.Collections.Generic;
using System.IO;
using Wirespeed.Configuration;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Signals;
using Wirespeed.Core.Files;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Recording;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Replay;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Reporting;

namespace Wirespeed.Commands;

/// <summary>
/// <c>wirespeed replay --format itch50|pcap FILE</c> or <c>wirespeed replay DIR</c> (a recording): runs the pipeline of <c>run</c> (decode, books, breakers, priority,
/// patterns and their sinks, deliver) over a recorded input instead of the network line (<see cref="ReplayLine"/>), on a
/// virtual clock: the recorded receive time of each packet. Same input and configuration: the same signal journal,
/// byte for byte, and the same book checksum, whatever the speed. A recording replays to the live run's own signal journal
/// and checksum: its records mark where the live batches began and its config.json the midnight the run added to exchange
/// times (with patterns.clock monotonic live, only each signal's detection time differs; JOURNAL-FORMAT.md, "Replay"
/// says what cannot be reproduced). The skeleton is run's (<see cref="CommandSession"/>):
/// outputs checked first, SIGINT and SIGTERM stop with the summary, the report from its sections, --json.
/// </summary>
/// <remarks>
/// Exit codes: 0 when the whole file was replayed; 1 when it could not be read whole (each cause printed) or was stopped
/// by SIGINT or SIGTERM before its end, or an output failed; 2 usage; 3 configuration.
/// </remarks>
internal static class ReplayCommand
{
    public static int Run(CommandArgs args, TextWriter output, TextWriter error)
    {
        using var session = CommandSession.Open("replay", args, output, error);
        var o = ReplayOptions.Parse(args);
        IReadOnlyList<JournalLine>? recordedLines = null;
        long fileBytes = o.Format == "journal" ? RecordingBytes(o.Path, out recordedLines) : InputBytes(o.Path);
        // Outputs are checked before the file is read: a path that cannot be written fails now, not after the replay.
        using var quarantineFile = OutputFile.Check(o.QuarantineOut, "--quarantine-out", OutputMode.Replace);
        PrepareSignals(o.Signals);

        var notes = new List<string>();
        var resolved = Prepare(o, fileBytes, recordedLines, notes);
        var config = resolved.Config;
        var registry = new MemoryRegistry(config.Memory.CeilingBytes);
        var monitor = session.CreateMonitor(config, registry);
        ExchangeDay.TryFindZone(config.Lines[0].ExchangeTimeZone, out var zone);
        var control = new ReplayControl(o.Speed, o.FromTimeOfDayNs, o.FromOffsetNs, o.FromSequence, zone)
        {
            SequenceLineId = config.Lines.Count > 1 ? SequenceLine(o, config) : -1,
        };
        var input = new InputSummary { File = o.Path, Format = o.Format, Speed = o.SpeedText };
        var sessionOptions = SessionOptions(o, input);
        ReplayLine replay;
        try
        {
            replay = o.Format == "journal"
                ? ReplayLine.OpenRecording(o.Path, control, resolved, registry, o.MidnightNs, sessionOptions)
                : ReplayLine.OpenFile(o.Path, o.Format, control, resolved, registry, o.MidnightNs, sessionOptions);
        }
        catch (FormatException e)
        {
            throw new UsageException("replay: " + e.Message);
        }
        using (replay)
        {
            var host = replay.Host;
            host.Notes.InsertRange(0, notes);
            host.Register(monitor);
            long startNs = MonoClock.NowNs();
            host.Start();
            output.WriteLine($"wirespeed replay: {o.Path} ({o.Format}) through the {ConfigNames.Topologies.Of(config.Pipeline.Topology)} pipeline, speed {o.SpeedText}{From(o)}; clock {replay.Clock}; SIGINT or SIGTERM stops, with the summary");
            foreach (var n in host.Notes) output.WriteLine("  " + n);
            bool terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
            var progress = new ReplayProgress(output, replay, terminal);
            session.StartMonitor(m =>
            {
                host.EndWarmup();
                progress.Print(m);
            });
            // The end of the input, or a worker that faulted (it would never reach the end; Stop then reports the fault).
            var end = session.Wait(null, done: () => control.Ended || host.Pipeline.Workers[0].Fault is not null);
            long elapsedNs = MonoClock.NowNs() - startNs;
            control.RequestStop();   // a stop signal: the file is read no further, what was read drains
            progress.Finish();
            if (end == SessionEnd.Signal) output.WriteLine($"wirespeed replay: stopping ({session.StopReason}) before the end of the input: draining what was read");
            host.Stop();
            monitor.Stop();

            Fill(input, replay, elapsedNs, end == SessionEnd.Signal ? session.StopReason : null);
            var report = ReplayReport.AddTo(RunReport.ForFeed(host), replay, input, o.Depth);
            int code = session.Finish(report, s => ReplayReport.Print(s, output));
            int written = WriteQuarantine(host.Decoder.Quarantine, quarantineFile, output, error);
            if (written != 0) return written;
            return code != 0 ? code : input.Complete ? 0 : 1;   // 1 as well when the file could not be read whole
        }
    }

    /// <summary>
    /// The configuration as a replay runs it: the recorded line alone (a multi-line recording: its lines, each with its own
    /// decoder and books, as the live run had them); books sized from the configuration, capped by
    /// what the file can hold (no file holds more live orders than it has bytes / 19, the Order Delete size); patterns on
    /// the virtual clock and waiting on a full ring (nothing dropped), so that signals depend on the input alone;
    /// --signals as the signal journal. Each change is a start-up note.
    /// </summary>
    private static ResolvedConfig Prepare(ReplayOptions o, long fileBytes, IReadOnlyList<JournalLine>? recordedLines, List<string> notes)
    {
        var config = o.Config;
        if (o.ConfigFromRecording)
            notes.Add($"replay: the recording's configuration ({Path.Combine(o.Path, RecordedConfig.FileName)}{(o.SimulatedDay ? ", a simulated day: breakers as simulator.breakerProfile says" : "")}); --config F replaces it");
        // Replay reads; it never records. Its interval log is --hlog; a recorded configuration's monitor.hlog and
        // monitor.metrics are the live run's (its file, its port), so they are dropped.
        config.Recording.Directory = "";
        if (o.ConfigFromRecording) (config.Monitor.Hlog, config.Monitor.Metrics) = ("", "");
        if (o.Hlog is not null) config.Monitor.Hlog = o.Hlog;
        if (recordedLines is { Count: > 1 }) KeepRecordedLines(config, recordedLines, notes);
        else if (config.Lines.Count > 1)
        {
            notes.Add($"replay: the input is replayed as line {config.Lines[0].Name} (id {config.Lines[0].Id}); the {config.Lines.Count - 1} other configured line(s) are not part of it");
            config.Lines.RemoveRange(1, config.Lines.Count - 1);
        }
        if (o.SequenceLine is not null && config.Lines.Count == 1 && !NamesLine(o.SequenceLine, config.Lines[0]))
            throw new UsageException($"replay: --line {o.SequenceLine} is not the replayed line ({config.Lines[0].Name}, id {config.Lines[0].Id}).");
        int orders = (int)Math.Clamp(fileBytes / 19, 1024, config.Books.MaxOrders);
        if (orders < config.Books.MaxOrders)
        {
            notes.Add($"books: maxOrders {orders:N0} (configured {config.Books.MaxOrders:N0}; a file of {fileBytes:N0} bytes cannot hold more live orders)");
            config.Books.MaxOrders = orders;
        }
        var p = config.Patterns;
        if (o.Signals is not null)
        {
            if (!p.Enabled) throw new UsageException("replay: --signals needs patterns (patterns.enabled is false in the configuration).");
            p.Sinks.Journal = o.Signals;
            // Several pattern workers write PATH.0, PATH.1 …: each is written afresh too.
            for (int w = 0; p.Workers > 1 && w < p.Workers; w++)
                if (File.Exists(o.Signals + "." + w)) File.Delete(o.Signals + "." + w);
        }
        if (p.Enabled)
        {
            if (p.Clock != PatternClock.Virtual) notes.Add($"patterns: clock virtual for the replay (configured {ConfigNames.Clocks.Of(p.Clock)}): detection time is the trigger's recorded receive time");
            if (p.Overflow != PublishOverflowPolicy.Wait) notes.Add($"patterns: overflow wait for the replay (configured {ConfigNames.OverflowPolicies.Of(p.Overflow)}): the book waits for the pattern workers, nothing is dropped");
            p.Clock = PatternClock.Virtual;
            p.Overflow = PublishOverflowPolicy.Wait;
        }
        return ConfigValidator.Resolve(config, o.SimulatedDay);
    }

    /// <summary>
    /// MoldUDP64 sequencing as --sequencing says: a file is a complete record, so checks stay on and whatever they find
    /// is reported, except for an anonymised capture (session of zero bytes and sequence 0, which MoldUDP64 never sends:
    /// sequences start at 1), where every copy would look like a duplicate: "auto" replays it unsequenced and says so.
    /// No session is expected (the file's is adopted).
    /// </summary>
    private static MoldSessionOptions SessionOptions(ReplayOptions o, InputSummary input)
    {
        bool check = o.Sequencing switch
        {
            "check" => true,
            "off" => false,
            _ => !(o.Format == "pcap" && ReplayLine.FirstPacketIsAnonymised(o.Path)),
        };
        input.SequencingMode = check ? "check" : o.Sequencing == "off" ? "off" : "off (anonymised capture: zeroed session and sequence)";
        return new MoldSessionOptions { CheckSequence = check };
    }

    /// <summary>The input file's size; refused up front when it is not a readable regular file.</summary>
    private static long InputBytes(string path)
    {
        if (InputFile.OpenRegular(path, "replay: input", out string? problem) is not { } probe) throw new UsageException(problem!);
        using (probe) return probe.Length;   // readable, a regular file: the sources open it themselves
    }

    /// <summary>
    /// The recording's segment bytes and the line table of its first segment; refused up front when the directory holds
    /// no segment or the first segment's header cannot be read.
    /// </summary>
    private static long RecordingBytes(string directory, out IReadOnlyList<JournalLine> lines)
    {
        List<(uint Number, string Path)> segments;
        try
        {
            segments = JournalWriter.ListSegments(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"replay: the recording {directory} cannot be listed: {e.Message}");
        }
        if (segments.Count == 0) throw new UsageException($"replay: {directory} holds no journal segment (*{JournalWriter.SegmentExtension}); is it the directory given to --record?");
        long bytes = 0;
        foreach (var (_, path) in segments) bytes += new FileInfo(path).Length;
        using var first = File.OpenRead(segments[0].Path);
        var head = new byte[SegmentHeader.SizeFor(SegmentHeader.MaxLines)];
        int n = first.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var header = SegmentHeader.TryDecode(head.AsSpan(0, n), out string? problem);
        if (header is null) throw new UsageException($"replay: {segments[0].Path}: {problem} (wirespeed journal verify {directory} says more)");
        lines = header.Lines;
        return bytes;
    }

    /// <summary>
    /// A multi-line recording replays every line it holds, each through its own decoder and books: the configured lines
    /// whose ids the recording lists, in configured order (the live run's). A recorded line the configuration lacks is a
    /// usage error: its datagrams would be decoded as another line's.
    /// </summary>
    private static void KeepRecordedLines(WirespeedConfig config, IReadOnlyList<JournalLine> recorded, List<string> notes)
    {
        foreach (var r in recorded)
            if (config.Lines.FindIndex(l => l.Id == r.Id) < 0)
                throw new UsageException($"replay: the recording's line {r.Name} (id {r.Id}) is not in the configuration's lines[]; replay under the recording's own configuration (without --config) or add a line with id {r.Id}.");
        int before = config.Lines.Count;
        config.Lines.RemoveAll(l => !ContainsId(recorded, l.Id));
        if (config.Lines.Count < before)
            notes.Add($"replay: the recording's {recorded.Count} lines are replayed; the {before - config.Lines.Count} other configured line(s) are not part of it");
        notes.Add($"replay: {recorded.Count} lines ({string.Join(", ", config.Lines.ConvertAll(l => $"{l.Name} id {l.Id}"))}): each record goes to its line's decoder and books by its line id, in the recorded order");
    }

    private static bool ContainsId(IReadOnlyList<JournalLine> lines, int id)
    {
        foreach (var l in lines) if (l.Id == id) return true;
        return false;
    }

    private static bool NamesLine(string text, LineConfig line) =>
        text == line.Name || text == line.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The line id whose sequence --from-seq is: --line NAME|ID, or the first replayed line.</summary>
    private static int SequenceLine(ReplayOptions o, WirespeedConfig config)
    {
        if (o.SequenceLine is null) return config.Lines[0].Id;
        foreach (var l in config.Lines) if (NamesLine(o.SequenceLine, l)) return l.Id;
        throw new UsageException($"replay: --line {o.SequenceLine} names no replayed line ({string.Join(", ", config.Lines.ConvertAll(l => $"{l.Name} id {l.Id}"))}).");
    }

    /// <summary>--signals: checked writable now; an existing journal is removed so that the replay writes it afresh.</summary>
    private static void PrepareSignals(string? path)
    {
        if (path is null) return;
        using var checkedPath = OutputFile.Check(path, "--signals", OutputMode.InPlace);
        if (checkedPath is { IsDevice: false } && File.Exists(path)) File.Delete(path);
    }

    /// <summary>The input's figures once the workers stopped: counts, speed, recorded times and completeness.</summary>
    private static void Fill(InputSummary input, ReplayLine replay, long elapsedNs, string? stoppedBy)
    {
        var host = replay.Host;
        var c = replay.Control;
        input.Clock = replay.Clock;
        input.Packets = host.PacketsReceived;
        input.SkippedPackets = c.Skipped;
        input.Messages = host.DecodedMessages;
        input.Seconds = elapsedNs / 1e9;
        input.MessagesPerSecond = elapsedNs > 0 ? input.Messages * 1e9 / elapsedNs : 0;
        input.FirstRecordedNs = c.FirstRecordedNs;
        input.LastRecordedNs = c.LastRecordedNs;
        var verdict = replay.Completeness();
        input.Complete = verdict.Complete && stoppedBy is null;
        input.Incomplete = new List<string>(verdict.Reasons);
        if (stoppedBy is not null)
        {
            string at = replay.Position() is var (done, total) ? $" at byte {done:N0} of {total:N0}" : "";
            input.Incomplete.Add($"stopped by {stoppedBy}{at}: the rest of the input was not replayed");
        }
    }

    /// <summary>The --quarantine-out pcap (when anything was quarantined), written whole; a write that fails is one line on stderr and exit 1.</summary>
    private static int WriteQuarantine(QuarantineRing? quarantine, OutputFile? file, TextWriter output, TextWriter error)
    {
        if (file is null || quarantine is null || quarantine.Count == 0) return 0;
        var pcap = new MemoryStream();
        quarantine.WritePcap(pcap);
        if (!file.TryWrite(pcap.GetBuffer().AsSpan(0, (int)pcap.Length), out string? failure))
        {
            error.WriteLine(failure);
            return 1;
        }
        output.WriteLine($"{quarantine.Count} quarantined packets written to {file.Path} (pcap, replayable)");
        return 0;
    }

    private static string From(ReplayOptions o) =>
        o.FromSequence != 0 ? $", from sequence {o.FromSequence}{(o.SequenceLine is null ? "" : " of line " + o.SequenceLine)}" :
        o.FromTimeOfDayNs >= 0 ? $", from {TimeSpan.FromTicks(o.FromTimeOfDayNs / 100):hh\\:mm\\:ss\\.fff} exchange time" :
        o.FromOffsetNs >= 0 ? $", from {o.FromOffsetNs:N0} ns after the first packet" : "";
}
