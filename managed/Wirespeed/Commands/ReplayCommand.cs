using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using Wirespeed.Configuration;
using Wirespeed.Core.Books;
using Wirespeed.Core.Events;
using Wirespeed.Core.Files;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Recording;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Replay;
using Wirespeed.Hosting.Reporting;

namespace Wirespeed.Commands;

/// <summary>
/// <c>wirespeed replay --format itch50|pcap FILE</c>: decodes a file through the production parsers (MoldUDP64
/// sequencing, ITCH 5.0, books) on one thread, deterministically, and reports counts by message type, how sequencing
/// treated the packets, malformed input by cause, every book's top levels and the book checksum.
/// </summary>
internal static class ReplayCommand
{
    public static int Run(CommandArgs args, TextWriter output, TextWriter error)
    {
        string? format = args.String("format");
        string? json = args.String("json");
        int depth = (int)(args.Long("depth") ?? 5);
        long midnight = args.Long("session-midnight-ns") ?? 0;
        string? quarantineOut = args.String("quarantine-out");
        string sequencing = args.String("sequencing") ?? "auto";
        var config = ConfigOverrides.LoadFile(args);
        args.RejectUnknown();
        if (sequencing is not ("auto" or "check" or "off")) throw new UsageException($"replay: --sequencing '{sequencing}' must be auto, check or off.");
        if (args.Positionals.Count != 1) throw new UsageException("replay: give one file, e.g. wirespeed replay --format itch50 day.itch50");
        if (format is not ("itch50" or "pcap")) throw new UsageException($"replay: --format '{format}' must be itch50 or pcap.");
        if (depth is < 1 or > 50) throw new UsageException("replay: --depth must be 1..50.");
        string path = args.Positionals[0];
        if (InputFile.OpenRegular(path, "replay: input", out string? problem) is not { } probe) throw new UsageException(problem!);
        probe.Dispose();   // readable, a regular file: the sources open it themselves
        // Outputs are checked before the file is read: a path that cannot be written fails now, not after the decode.
        using var jsonOut = OutputFile.Check(json, "--json", OutputMode.Replace);
        using var quarantineFile = OutputFile.Check(quarantineOut, "--quarantine-out", OutputMode.Replace);

        var (report, quarantine) = Decode(path, format, sequencing, midnight, depth, config);
        Print(report, output);
        report.PrintCompleteness(output);
        int written = WriteOutputs(report, quarantine, jsonOut, quarantineFile, output, error);
        return written != 0 ? written : report.Complete ? 0 : 1;   // 1 as well when the file could not be read whole
    }

    /// <summary>
    /// Decodes <paramref name="path"/> through the production parsers into books sized from the configuration, and
    /// returns what a replay reports: counts by type, sequencing, malformed input, the books and whether the whole file
    /// was read. One thread, no pipeline: the file is the whole input.
    /// </summary>
    private static (ReplayReport Report, QuarantineRing Quarantine) Decode(string path, string format, string sequencing, long midnight, int depth, WirespeedConfig config)
    {
        // Capacities from the configuration; no file holds more live orders than it has bytes / 19 (the Order Delete size).
        long fileBytes = new FileInfo(path).Length;
        var books = new OrderBookSet(new BookOptions
        {
            MaxInstruments = config.Books.MaxInstruments,
            MaxLiveOrders = (int)Math.Clamp(fileBytes / 19, 1024, config.Books.MaxOrders),
            MaxLevelsPerSide = config.Books.MaxLevelsPerSide,
            Name = "replay",
        });
        var quarantine = new QuarantineRing(1024, 2048);
        var report = new ReplayReport { File = path, Format = format };
        // A file is a complete record: sequencing checks stay on and whatever they find is reported. The exception is
        // an anonymised capture (session of zero bytes and sequence 0, which MoldUDP64 never sends: sequences start at
        // 1): every copy would look like a duplicate, so "auto" decodes it unsequenced and says so.
        bool check = sequencing switch
        {
            "check" => true,
            "off" => false,
            _ => !(format == "pcap" && FirstPacketIsAnonymised(path)),
        };
        report.SequencingMode = check ? "check" : sequencing == "off" ? "off" : "off (anonymised capture: zeroed session and sequence)";
        var decoder = new ItchFeedDecoder(new ItchFeedOptions
        {
            MidnightEpochNs = midnight,
            Session = new MoldSessionOptions { CheckSequence = check },
        }, quarantine);
        var handler = new ItchPacketHandler<BookApplyHandler>(decoder, new BookApplyHandler(books));

        long start = MonoClock.NowNs();
        if (format == "itch50")
        {
            var source = ItchFileSource.Open(path);
            report.Packets = Drain(source, ref handler);
            report.Frames = source.Counters.Section();
            report.SetCompleteness(source.Completeness());
        }
        else
        {
            var source = PcapSource.Open(path);
            if (source.Format == PcapFormat.Invalid) throw new UsageException($"replay: '{path}' is not a pcap file (bad magic number).");
            report.Packets = Drain(source, ref handler);
            report.Frames = source.Counters.Section();
            report.SetCompleteness(source.Completeness());
        }
        long elapsed = MonoClock.NowNs() - start;

        report.Messages = handler.Handler.Events;
        report.Seconds = elapsed / 1e9;
        report.MessagesPerSecond = elapsed > 0 ? report.Messages * 1e9 / elapsed : 0;
        report.BookChecksum = books.Checksum().ToString("x16", CultureInfo.InvariantCulture);
        report.Session = Printable(decoder.Session.SessionId);
        report.NextExpectedSequence = decoder.Session.NextExpected;
        report.BooksStale = decoder.Session.IsStale;
        report.MessagesByType = FeedReport.MessagesByType(decoder.Counters);
        report.Sequencing = FeedReport.Sequencing(decoder.MoldCounters);
        report.Malformed = FeedReport.Malformed(decoder.MoldCounters, decoder.Counters, quarantine);
        report.Books = FeedReport.Books(books);
        report.TopLevels = TopLevels(books, depth);

        return (report, quarantine);
    }

    /// <summary>
    /// The --json report and the --quarantine-out pcap (when anything was quarantined), each written whole; a write
    /// that fails is one line on stderr and exit 1.
    /// </summary>
    private static int WriteOutputs(ReplayReport report, QuarantineRing quarantine, OutputFile? json, OutputFile? quarantineFile, TextWriter output, TextWriter error)
    {
        int code = 0;
        string? failure;
        if (json is not null)
        {
            if (json.TryWrite(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(report, ReplayJsonContext.Default.ReplayReport)), out failure))
                output.WriteLine($"report written to {json.Path}");
            else
            {
                error.WriteLine(failure);
                code = 1;
            }
        }
        if (quarantineFile is not null && quarantine.Count > 0)
        {
            var pcap = new MemoryStream();
            quarantine.WritePcap(pcap);
            if (quarantineFile.TryWrite(pcap.GetBuffer().AsSpan(0, (int)pcap.Length), out failure))
                output.WriteLine($"{quarantine.Count} quarantined packets written to {quarantineFile.Path} (pcap, replayable)");
            else
            {
                error.WriteLine(failure);
                code = 1;
            }
        }
        return code;
    }

    /// <summary>True when the first UDP payload is a MoldUDP64 header with a zeroed session and sequence 0.</summary>
    private static bool FirstPacketIsAnonymised(string path)
    {
        var source = PcapSource.Open(path);
        var probe = new FirstPayload();
        source.Poll(ref probe, 1);
        return probe.Anonymised;
    }

    private struct FirstPayload : IPacketHandler
    {
        public bool Anonymised;

        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info)
        {
            // MoldUDP64 downstream header: session(10) sequence(8 BE) count(2).
            if (payload.Length < MoldPacketReader.HeaderSize) return;
            Anonymised = payload.Slice(0, MoldPacketReader.HeaderSize - 2).IndexOfAnyExcept((byte)0) < 0;
        }
    }

    private static long Drain<TSource>(TSource source, ref ItchPacketHandler<BookApplyHandler> handler) where TSource : IPacketSource
    {
        long packets = 0;
        for (int n; (n = source.Poll(ref handler, 256)) > 0; ) packets += n;
        return packets;
    }

    private static List<ReplayBook> TopLevels(OrderBookSet books, int depth)
    {
        var list = new List<ReplayBook>();
        Span<PriceLevel> levels = stackalloc PriceLevel[depth];
        for (int id = 0; id < books.MaxInstruments; id++)
        {
            if (books.LevelCount(id, Side.Buy) == 0 && books.LevelCount(id, Side.Sell) == 0) continue;
            var book = new ReplayBook { Instrument = id, Symbol = books.Instruments.SymbolText(id)?.Trim() ?? "" };
            int n = books.GetDepth(id, Side.Buy, levels);
            for (int i = 0; i < n; i++) book.Bids.Add(new ReplayLevel { Price = levels[i].Price, Shares = levels[i].Shares, Orders = levels[i].Orders });
            n = books.GetDepth(id, Side.Sell, levels);
            for (int i = 0; i < n; i++) book.Asks.Add(new ReplayLevel { Price = levels[i].Price, Shares = levels[i].Shares, Orders = levels[i].Orders });
            list.Add(book);
        }
        return list;
    }

    private static void Print(ReplayReport r, TextWriter o)
    {
        o.WriteLine($"replay {r.File} ({r.Format}): {r.Messages:N0} messages in {r.Packets:N0} packets, {r.Seconds * 1000:0.0} ms ({r.MessagesPerSecond:N0} msg/s decode + book)");
        o.WriteLine($"  messages by type: {Join(r.MessagesByType)}");
        o.WriteLine($"  sequencing {r.SequencingMode}: session '{r.Session}', next expected {r.NextExpectedSequence}, books {(r.BooksStale ? "STALE (gap)" : "in sequence")}; {Join(r.Sequencing)}");
        o.WriteLine($"  malformed: {Join(r.Malformed)}");
        o.WriteLine($"  frames: {Join(r.Frames)}");
        o.WriteLine($"  books: {Join(r.Books)}");
        o.WriteLine($"  book checksum: {r.BookChecksum}");
        foreach (var b in r.TopLevels)
        {
            o.WriteLine($"  {b.Instrument,5} {b.Symbol,-8}  bid {Levels(b.Bids)}");
            o.WriteLine($"  {"",5} {"",-8}  ask {Levels(b.Asks)}");
        }
    }

    private static string Levels(List<ReplayLevel> levels)
    {
        if (levels.Count == 0) return "-";
        var sb = new StringBuilder();
        foreach (var l in levels)
        {
            if (sb.Length > 0) sb.Append(" | ");
            sb.Append(CultureInfo.InvariantCulture, $"{l.Shares:N0} @ {l.Price / 10_000m:0.0000} ({l.Orders})");
        }
        return sb.ToString();
    }

    private static string Join(Dictionary<string, long> d)
    {
        var sb = new StringBuilder();
        foreach (var kv in d)
        {
            if (kv.Value == 0 && d.Count > 6) continue;   // long sections list only what happened
            if (sb.Length > 0) sb.Append("  ");
            sb.Append(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value:N0}");
        }
        return sb.Length == 0 ? "none" : sb.ToString();
    }

    private static string Printable(ReadOnlySpan<byte> s)
    {
        var sb = new StringBuilder();
        foreach (byte b in s) sb.Append(b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"\\x{b:x2}");
        return sb.ToString();
    }
}
