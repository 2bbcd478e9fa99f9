using System;
using System.Globalization;
using Wirespeed.Configuration;

namespace Wirespeed.Commands;

/// <summary>
/// The options of <c>wirespeed replay</c>, read and checked at once (usage errors exit 2 before anything is opened).
/// </summary>
internal sealed class ReplayOptions
{
    public required string Path { get; init; }
    public required string Format { get; init; }
    public required WirespeedConfig Config { get; init; }
    /// <summary>The configuration is the one the recording was made under (DIR/config.json; no --config given).</summary>
    public bool ConfigFromRecording { get; init; }
    /// <summary>Resolve as demo and bench do (simulator.breakerProfile applies): the recorded run was a simulated day.</summary>
    public bool SimulatedDay { get; init; }
    public int Depth { get; init; }
    public long MidnightNs { get; init; }
    public string? QuarantineOut { get; init; }
    public string Sequencing { get; init; } = "auto";
    public string? Signals { get; init; }
    /// <summary>--hlog: the replay's interval log (checked by <see cref="CommandSession.Open"/>).</summary>
    public string? Hlog { get; init; }
    /// <summary>0: as fast as possible; 1: recorded pace; N: N× the recorded pace.</summary>
    public double Speed { get; init; }
    public string SpeedText { get; init; } = "max";
    /// <summary>Start at this time of day (exchange time); -1: none.</summary>
    public long FromTimeOfDayNs { get; init; } = -1;
    /// <summary>Start this many ns after the first packet's recorded time; -1: none.</summary>
    public long FromOffsetNs { get; init; } = -1;
    /// <summary>Start at the packet holding this MoldUDP64 sequence number; 0: none.</summary>
    public ulong FromSequence { get; init; }
    /// <summary>--line NAME|ID: the line whose sequence <see cref="FromSequence"/> is (a multi-line recording); null: the first replayed line.</summary>
    public string? SequenceLine { get; init; }

    /// <summary>Reads every option of <paramref name="args"/> (after <see cref="CommandSession.Open"/> took --json and --hlog).</summary>
    public static ReplayOptions Parse(CommandArgs args)
    {
        string? format = args.String("format");
        int depth = (int)(args.Long("depth") ?? 5);
        long midnight = args.Long("session-midnight-ns") ?? 0;
        string? quarantineOut = args.String("quarantine-out");
        string sequencing = args.String("sequencing") ?? "auto";
        string? signals = args.String("signals");
        string speedText = args.String("speed") ?? "max";
        string? fromTime = args.String("from-time");
        long? fromSeq = args.Long("from-seq");
        string? line = args.String("line");
        var config = ConfigOverrides.LoadFile(args);
        args.RejectUnknown();
        if (sequencing is not ("auto" or "check" or "off")) throw new UsageException($"replay: --sequencing '{sequencing}' must be auto, check or off.");
        if (args.Positionals.Count != 1) throw new UsageException("replay: give one file or recording directory, e.g. wirespeed replay --format itch50 day.itch50, or wirespeed replay DIR");
        // A directory is a recording (run/demo --record DIR): its format is the journal's, whatever --format says is checked.
        if (format is null && System.IO.Directory.Exists(args.Positionals[0])) format = "journal";
        if (format is not ("itch50" or "pcap" or "journal")) throw new UsageException($"replay: --format '{format}' must be itch50, pcap or journal (a recording directory).");
        if (format == "journal" && !System.IO.Directory.Exists(args.Positionals[0]))
            throw new UsageException($"replay: '{args.Positionals[0]}' is not a directory; a recording is the directory given to --record.");
        if (depth is < 1 or > 50) throw new UsageException("replay: --depth must be 1..50.");
        if (fromSeq is < 1) throw new UsageException("replay: --from-seq must be a MoldUDP64 sequence number, 1 or more.");
        if (fromSeq is not null && fromTime is not null) throw new UsageException("replay: give --from-time or --from-seq, not both.");
        if (line is not null && fromSeq is null) throw new UsageException("replay: --line names the line whose sequence --from-seq is; give it with --from-seq.");
        var (tod, offset) = ParseFrom(fromTime);
        // A recording replays under the configuration it was made with, unless --config says otherwise.
        bool simulatedDay = false, fromRecording = false;
        if (format == "journal" && !args.Has("config") && RecordedConfig.TryLoad(args.Positionals[0], out simulatedDay, out long? recordedMidnight) is { } recorded)
        {
            config = recorded;
            fromRecording = true;
            // The live run's midnight, so that exchange times (and every signal and window on them) are the live run's.
            if (args.Long("session-midnight-ns") is null && recordedMidnight is { } m) midnight = m;
        }
        return new ReplayOptions
        {
            Path = args.Positionals[0],
            Format = format,
            Config = config,
            ConfigFromRecording = fromRecording,
            SimulatedDay = simulatedDay,
            Depth = depth,
            MidnightNs = midnight,
            QuarantineOut = quarantineOut,
            Sequencing = sequencing,
            Signals = signals,
            Hlog = args.String("hlog"),
            Speed = ParseSpeed(speedText),
            SpeedText = speedText,
            FromTimeOfDayNs = tod,
            FromOffsetNs = offset,
            FromSequence = (ulong)(fromSeq ?? 0),
            SequenceLine = line,
        };
    }

    /// <summary>max (as fast as possible), recorded (the recorded pace), or Nx (N times the recorded pace, e.g. 10x, 0.5x).</summary>
    internal static double ParseSpeed(string text)
    {
        if (text == "max") return 0;
        if (text == "recorded") return 1;
        if (text.Length > 1 && text[^1] is 'x' or 'X'
            && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double n)
            && n > 0 && !double.IsInfinity(n))
            return n;
        throw new UsageException($"replay: --speed '{text}' must be max, recorded or a factor such as 10x or 0.5x.");
    }

    /// <summary>
    /// --from-time: HH:MM:SS[.fraction] is a time of day in exchange time (lines[0].exchangeTimeZone; an ITCH file's
    /// timestamps are already exchange time since midnight); a plain integer is ns after the first packet's recorded time.
    /// </summary>
    internal static (long TimeOfDayNs, long OffsetNs) ParseFrom(string? text)
    {
        if (text is null) return (-1, -1);
        if (!text.Contains(':'))
        {
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long ns)) return (-1, ns);
            throw new UsageException($"replay: --from-time '{text}' must be a time of day (09:30:00, exchange time) or ns after the first packet (e.g. 1500000000).");
        }
        string[] parts = text.Split(':');
        if (parts.Length == 3
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int h) && h is >= 0 and < 24
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int m) && m is >= 0 and < 60
            && decimal.TryParse(parts[2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal s) && s >= 0 && s < 60)
            return ((h * 3600L + m * 60L) * 1_000_000_000L + (long)(s * 1_000_000_000m), -1);
        throw new UsageException($"replay: --from-time '{text}' must be HH:MM:SS[.fraction] (exchange time, e.g. 09:30:00) or ns after the first packet.");
    }
}
