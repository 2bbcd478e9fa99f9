using System;
using System.Globalization;
using System.IO;
using System.Net;
using Wirespeed.Core.Recording;

namespace Wirespeed.Commands;

/// <summary>
/// <c>wirespeed journal verify|dump|export DIR</c> for a recording directory (<c>--record DIR</c>): verify reads every
/// segment's header and every record (magic, length, CRC-32C; resynchronising past damage) and reports each segment and
/// a verdict; dump also prints each record (JSON Lines with --json); export writes the datagrams into a pcap, each as
/// Ethernet/IPv4/UDP to its line's group and port, stamped with its receive time. Exit 0 clean, 1 damaged (corrupt
/// records, a torn tail or an unreadable segment), 2 usage or an unreadable directory.
/// </summary>
internal static class RecordingJournalCommand
{
    public static int Run(CommandArgs args, TextWriter output, TextWriter error)
    {
        bool json = args.Has("json");
        string? outPath = args.String("out");
        args.RejectUnknown();
        string verb = args.Positionals[0], dir = args.Positionals[1];
        if (verb == "export" && outPath is null) throw new UsageException("journal export: give the pcap to write, e.g. wirespeed journal export DIR --out day.pcap");
        if (verb != "export" && outPath is not null) throw new UsageException("journal: --out goes with export.");
        if (json && verb != "dump") throw new UsageException("journal: --json goes with dump.");

        var segments = JournalWriter.ListSegments(dir);
        if (segments.Count == 0)
        {
            error.WriteLine($"wirespeed journal '{dir}': no segment files (NNNNNNNN.wsj) in this directory: is it a recording (--record DIR)?");
            return 2;
        }
        // Written whole to a temporary file and renamed when complete: a failed export never leaves half a pcap.
        using var outFile = OutputFile.Check(outPath, "--out", OutputMode.Replace);
        PcapWriter? pcap = outFile is null ? null
            : new PcapWriter(new BufferedStream(outFile.OpenStream(), 1 << 16), new IPEndPoint(IPAddress.Parse("192.0.2.1"), 1), new IPEndPoint(IPAddress.Loopback, 1), midnightEpochNs: 0, ownsStream: true);
        var report = error;
        var textOut = json ? error : output;   // dump --json keeps standard output to records
        long records = 0, corrupt = 0, skipped = 0, torn = 0, tornSegments = 0, unreadable = 0, rejected = 0;
        using (pcap)
        {
            foreach (var (_, path) in segments)
            {
                string name = Path.GetFileName(path);
                using var reader = SegmentReader.TryOpen(path, out string? problem, out long length);
                if (reader is null && path == segments[^1].Path && SegmentReader.IsCutOff(path))
                {
                    torn += length;   // the recording died right after it began this segment: its torn tail
                    tornSegments++;
                    textOut.WriteLine($"segment {name}: cut off inside its header ({length} bytes, no record): torn tail");
                    continue;
                }
                if (reader is null)
                {
                    unreadable++;
                    textOut.WriteLine($"segment {name}: UNREADABLE ({(length < 0 ? "cannot open" : length + " bytes")}): {problem}");
                    continue;
                }
                var h = reader.Header;
                while (true)
                {
                    long offset = reader.Offset;
                    var status = reader.Next();
                    if (status == SegmentReadStatus.End) break;
                    if (status == SegmentReadStatus.Corrupt && verb == "dump")
                        output.WriteLine(json ? $"{{\"segment\":\"{name}\",\"offset\":{offset},\"corrupt\":true}}"
                                              : $"{name} @{offset,-10} CORRUPT: bytes that are not a record (magic, length or CRC-32C wrong); skipped to the next valid record at {reader.RecordOffset}");
                    var r = reader.Record;
                    if ((r.Flags & RecordFlags.Rejected) != 0) rejected++;
                    if (verb == "dump") output.WriteLine(json ? Json(name, reader.RecordOffset, h, r) : Text(name, reader.RecordOffset, h, r));
                    if (pcap is not null) Export(pcap, h, r);
                }
                records += reader.GoodRecords;
                corrupt += reader.CorruptRecords;
                skipped += reader.SkippedBytes;
                torn += reader.TornTailBytes;
                if (reader.TornTailBytes > 0) tornSegments++;
                if (verb != "dump" || !json)
                    textOut.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"segment {name}: started {DateTime.UnixEpoch.AddTicks(h.StartRealtimeNs / 100):yyyy-MM-ddTHH:mm:ss.fffZ}, {h.Lines.Count} line(s) " +
                        $"({string.Join(", ", Array.ConvertAll([.. h.Lines], l => $"{l.Name} id {l.Id} {new IPAddress(IPAddress.HostToNetworkOrder((int)l.Group)).ToString()}:{l.Port}"))}), " +
                        $"config {Convert.ToHexString(h.ConfigDigest, 0, 6).ToLowerInvariant()}: {reader.GoodRecords:N0} records, {reader.CorruptRecords:N0} corrupt ({reader.SkippedBytes:N0} bytes skipped), torn tail {reader.TornTailBytes:N0} bytes"));
            }
        }
        outFile?.Commit();
        bool clean = corrupt == 0 && tornSegments == 0 && unreadable == 0;
        string verdict = string.Create(CultureInfo.InvariantCulture,
            $"recording {dir}: {segments.Count} segment(s), {records:N0} records ({rejected:N0} rejected by the decoder, kept with their reason), {corrupt:N0} corrupt records ({skipped:N0} bytes skipped), " +
            $"torn tail {torn:N0} bytes in {tornSegments} segment(s), {unreadable} unreadable segment(s): {(clean ? "clean" : "DAMAGED")}");
        if (!clean && corrupt > 0) verdict += " (a replay skips the corrupt records and counts them)";
        if (!clean && tornSegments > 0) verdict += " (torn tail: the recording process died mid-write; the next recording into this directory cuts it off)";
        (json ? report : output).WriteLine(verdict);
        if (pcap is not null) output.WriteLine($"exported {pcap.Frames:N0} datagrams to {outPath}");
        return clean ? 0 : 1;
    }

    /// <summary>One record as an Ethernet/IPv4/UDP frame to its line's group and port (loopback port 1 when the line table lacks it).</summary>
    private static void Export(PcapWriter pcap, SegmentHeader h, JournalRecord r)
    {
        var line = h.Line(r.LineId);
        uint group = line?.Group ?? 0;
        var address = group == 0 ? IPAddress.Loopback : new IPAddress(IPAddress.HostToNetworkOrder((int)group));
        pcap.Retarget(address, line is { Port: > 0 } ? line.Port : 1);
        pcap.Write(r.Payload, h.ToRealtimeNs(r.ReceiveNs));
    }

    private static string Text(string segment, long offset, SegmentHeader h, JournalRecord r) => string.Create(CultureInfo.InvariantCulture,
        $"{segment} @{offset,-10} line={r.LineId} seq={r.Sequence} rx_ns={r.ReceiveNs} time={DateTime.UnixEpoch.AddTicks(h.ToRealtimeNs(r.ReceiveNs) / 100):HH:mm:ss.fffffff} " +
        $"len={r.Payload.Length}{((r.Flags & RecordFlags.Rejected) != 0 ? $" REJECTED reason={r.Reason}" : "")}{((r.Flags & RecordFlags.Truncated) != 0 ? " TRUNCATED" : "")}{((r.Flags & RecordFlags.BatchStart) != 0 ? " BATCH" : "")} src={r.Source}");

    private static string Json(string segment, long offset, SegmentHeader h, JournalRecord r) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"segment\":\"{segment}\",\"offset\":{offset},\"line\":{r.LineId},\"sequence\":{r.Sequence},\"receive_ns\":{r.ReceiveNs},\"time_unix_ns\":{h.ToRealtimeNs(r.ReceiveNs)}," +
        $"\"length\":{r.Payload.Length},\"rejected\":{((r.Flags & RecordFlags.Rejected) != 0 ? "true" : "false")},\"reason\":{r.Reason},\"truncated\":{((r.Flags & RecordFlags.Truncated) != 0 ? "true" : "false")},\"batch_start\":{((r.Flags & RecordFlags.BatchStart) != 0 ? "true" : "false")},\"source\":{r.Source}}}");
}
