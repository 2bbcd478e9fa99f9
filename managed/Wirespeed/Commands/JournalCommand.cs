using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using Wirespeed.Core.Files;
using Wirespeed.Core.Signals;

namespace Wirespeed.Commands;

/// <summary>
/// <c>wirespeed journal verify|dump FILE [--json]</c>: checks every record of a signal journal (magic and CRC-32C,
/// resynchronising past damage) and reports records, damaged stretches, bytes skipped and the torn tail; dump also
/// prints each record, one line each (JSON Lines with --json). Exit 0 clean, 1 damaged, 2 unreadable or usage.
/// </summary>
internal static class JournalCommand
{
    public static int Run(CommandArgs args, TextWriter output, TextWriter error)
    {
        // A directory is a recording (--record DIR): its own verbs and report.
        if (args.Positionals.Count == 2 && args.Positionals[0] is "verify" or "dump" or "export" && Directory.Exists(args.Positionals[1]))
            return RecordingJournalCommand.Run(args, output, error);
        bool json = args.Has("json");
        args.RejectUnknown();
        if (args.Positionals.Count != 2 || args.Positionals[0] is not ("verify" or "dump"))
            throw new UsageException("journal: give verify or dump and one file (a signal journal), or verify, dump or export and a recording directory, e.g. wirespeed journal verify signals.journal");
        bool dump = args.Positionals[0] == "dump";
        if (json && !dump) throw new UsageException("journal: --json goes with dump (verify prints one line).");
        string path = args.Positionals[1];
        if (InputFile.OpenRegular(path, "journal", out string? problem) is not { } stream)
        {
            error.WriteLine("wirespeed " + problem);
            return 2;
        }
        var reader = new SignalJournalReader(stream);
        using (reader)
        {
            try
            {
                Read(reader, dump ? output : null, json);
            }
            catch (IOException e)
            {
                error.WriteLine($"wirespeed journal '{path}': read failed at byte {reader.Offset:N0}: {e.Message}");
                return 2;
            }
        }
        bool clean = reader.CorruptRecords == 0 && reader.TornTailBytes == 0;
        // Dump as JSON keeps standard output to records; the verdict goes to standard error there.
        (dump && json ? error : output).WriteLine(Verdict(path, reader));
        return clean ? 0 : 1;
    }

    private static void Read(SignalJournalReader reader, TextWriter? dump, bool json)
    {
        while (true)
        {
            long offset = reader.Offset;
            long skippedBefore = reader.SkippedBytes;
            var status = reader.TryRead(out Signal s);
            if (status == JournalReadStatus.End) return;
            if (dump is null) continue;
            if (status == JournalReadStatus.Corrupt)
            {
                long skipped = reader.SkippedBytes - skippedBefore;
                dump.WriteLine(json
                    ? $"{{\"offset\":{offset},\"corrupt\":true,\"skipped_bytes\":{skipped}}}"
                    : $"@{offset,-10} CORRUPT: {skipped:N0} bytes are not a record (magic or CRC-32C wrong); skipped to the next valid record");
                continue;
            }
            dump.WriteLine(json ? Json(offset, in s) : Text(offset, in s));
        }
    }

    private static string Verdict(string path, SignalJournalReader r)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"journal {path}: {r.GoodRecords:N0} records, {r.CorruptRecords:N0} corrupt records ({r.SkippedBytes:N0} bytes skipped), torn tail {r.TornTailBytes} bytes: ");
        if (r.CorruptRecords == 0 && r.TornTailBytes == 0) sb.Append("clean");
        else
        {
            sb.Append("DAMAGED");
            if (r.CorruptRecords > 0) sb.Append(" (damaged stretches: bytes that are no record where one was due; every valid record around them was read)");
            if (r.TornTailBytes > 0) sb.Append(" (torn tail: the last write was cut short by a crash or a full disk; the next append cuts it off)");
        }
        return sb.ToString();
    }

    private static string Text(long offset, in Signal s) => string.Create(CultureInfo.InvariantCulture,
        $"@{offset,-10} pos={s.StreamPosition} {s.Kind} pattern={s.PatternId} instrument={s.Instrument}/line{s.Line} other={s.OtherInstrument}/line{s.OtherLine} " +
        $"dir={(s.Direction > 0 ? "buy" : s.Direction < 0 ? "sell" : "none")} strength={s.Strength:G6} seq={s.FeedSequence} exch_ns={s.ExchangeTimestampNs} recv_ns={s.ReceiveTimestampNs} detect_ns={s.DetectionTimestampNs}");

    private static string Json(long offset, in Signal s)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("offset", offset);
            w.WriteNumber("stream_position", s.StreamPosition);
            w.WriteString("kind", s.Kind.ToString());
            w.WriteNumber("pattern_id", s.PatternId);
            w.WriteNumber("instrument", s.Instrument);
            w.WriteNumber("line", s.Line);
            w.WriteNumber("other_instrument", s.OtherInstrument);
            w.WriteNumber("other_line", s.OtherLine);
            w.WriteNumber("direction", s.Direction);
            if (double.IsFinite(s.Strength)) w.WriteNumber("strength", s.Strength);
            else w.WriteString("strength", s.Strength.ToString(CultureInfo.InvariantCulture));
            w.WriteNumber("feed_sequence", s.FeedSequence);
            w.WriteNumber("exchange_ns", s.ExchangeTimestampNs);
            w.WriteNumber("receive_ns", s.ReceiveTimestampNs);
            w.WriteNumber("detection_ns", s.DetectionTimestampNs);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
