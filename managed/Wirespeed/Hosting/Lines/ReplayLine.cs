using System;
using System.Collections.Generic;
using Wirespeed.Configuration;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Replay;
using Wirespeed.Hosting.Detection;

namespace Wirespeed.Hosting.Lines;

/// <summary>
/// A recorded input plugged into the production feed chain in place of the network line: the <see cref="FeedHost"/>
/// that <c>run</c> builds (decode, books, breakers, classify, publish, patterns and their sinks, deliver), over a
/// <see cref="ReplayPackets{TSource}"/> of the input. <see cref="Over{TSource}"/> takes any packet source (a pcap, an
/// ITCH file, a recording journal); <see cref="OpenFile"/> opens the two file formats. Cold path.
/// </summary>
/// <remarks>
/// The configuration holds the recorded lines: one for a pcap or an ITCH file (the input is that line's packets), the
/// recording's lines for a journal (each record carries its line id, which picks the line's decode path). The virtual clock
/// is the packets' recorded receive time (<see cref="ReplayControl"/>); the command sets patterns.clock virtual and
/// patterns.overflow wait so that the signal journal depends on the input alone.
/// </remarks>
public sealed class ReplayLine : IDisposable
{
    private readonly IDisposable? _source;
    private readonly Func<ReadCompleteness>? _completeness;
    private readonly Func<Dictionary<string, long>>? _frames;
    private readonly Func<(long Done, long Total)>? _position;

    private ReplayLine(FeedHost host, ReplayControl control, string format, string clock, IDisposable? source,
        Func<ReadCompleteness>? completeness, Func<Dictionary<string, long>>? frames, Func<(long, long)>? position)
    {
        Host = host;
        Control = control;
        Format = format;
        Clock = clock;
        _source = source;
        _completeness = completeness;
        _frames = frames;
        _position = position;
    }

    public FeedHost Host { get; }
    public ReplayControl Control { get; }
    /// <summary>itch50 | pcap | the name the source was plugged in with.</summary>
    public string Format { get; }
    /// <summary>Where the virtual time comes from, in words.</summary>
    public string Clock { get; }

    /// <summary>The source's verdict on whether it read its input whole (complete when the source gives none).</summary>
    public ReadCompleteness Completeness() => _completeness?.Invoke() ?? new ReadCompleteness();

    /// <summary>The source's framing counters (the report's "frames" section); empty when it has none.</summary>
    public Dictionary<string, long> Frames() => _frames?.Invoke() ?? new Dictionary<string, long>();

    /// <summary>Bytes read and total, for progress (any thread, approximate); null when the source cannot say.</summary>
    public (long Done, long Total)? Position() => _position?.Invoke();

    /// <summary>
    /// The plug: the feed chain of <paramref name="resolved"/>'s lines over <paramref name="packets"/>, any recorded
    /// packet source whose <see cref="PacketInfo"/> carries the recorded receive time and the line id. With several lines
    /// (a multi-line recording) it is the live run's chain for several lines, each datagram demultiplexed by its line id
    /// (<see cref="FeedHost.CreateOverOneSource"/>). A poll that
    /// returns 0 is the end of its input, or a batch boundary it recorded (<see cref="IRecordedPackets"/>). The optional functions give the report what the source knows of itself.
    /// </summary>
    public static ReplayLine Over<TSource>(TSource packets, ReplayControl control, ResolvedConfig resolved, MemoryRegistry registry,
        int maxDatagramBytes, long midnightEpochNs, MoldSessionOptions session, string format, string clock, IDisposable? owner = null,
        Func<ReadCompleteness>? completeness = null, Func<Dictionary<string, long>>? frames = null, Func<(long, long)>? position = null)
        where TSource : struct, IRecordedPackets
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var replay = new ReplayPackets<TSource>(packets, control);
        var host = FeedHost.CreateOverOneSource(resolved, registry, replay, maxDatagramBytes, measureOneWay: false, midnightEpochNs,
            static _ => default(NoSignalCallback), _ => session, virtualClock: true);
        return new ReplayLine(host, control, format, clock, owner, completeness, frames, position);
    }

    /// <summary>
    /// Opens <paramref name="path"/> (itch50 or pcap; checked readable by the caller) as the line's source. Throws
    /// <see cref="FormatException"/> when a pcap has a bad magic number.
    /// </summary>
    public static ReplayLine OpenFile(string path, string format, ReplayControl control, ResolvedConfig resolved, MemoryRegistry registry,
        long midnightEpochNs, MoldSessionOptions session)
    {
        byte lineId = (byte)resolved.Config.Lines[0].Id;
        if (format == "itch50")
        {
            var itch = ItchFileSource.Open(path, lineId: lineId);
            try
            {
                // One message per synthetic packet: the header, its length prefix and the largest ITCH message.
                return Over(new ItchFilePackets(itch), control, resolved, registry, MoldPacketReader.HeaderSize + 2 + ushort.MaxValue, midnightEpochNs, session,
                    "itch50", "virtual: each message's ITCH timestamp (ns since midnight; the file has no receive time)", itch,
                    itch.Completeness, itch.Counters.Section, () => (itch.Offset, itch.Length));
            }
            catch
            {
                itch.Dispose();
                throw;
            }
        }
        var pcap = PcapSource.Open(path, lineId);
        try
        {
            if (pcap.Format == PcapFormat.Invalid) throw new FormatException($"'{path}' is not a pcap file (bad magic number).");
            return Over(new PcapPackets(pcap), control, resolved, registry, ushort.MaxValue, midnightEpochNs, session,
                "pcap", "virtual: each record's capture time (pcap record header, Unix-epoch ns)", pcap,
                pcap.Completeness, pcap.Counters.Section, () => (pcap.Offset, pcap.Length));
        }
        catch
        {
            pcap.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the recording in <paramref name="directory"/> (run/demo --record DIR) as the line's source: its segments in
    /// order, each datagram with its recorded receive time and line id; damaged records and torn tails are skipped and
    /// named by the completeness verdict.
    /// </summary>
    public static ReplayLine OpenRecording(string directory, ReplayControl control, ResolvedConfig resolved, MemoryRegistry registry,
        long midnightEpochNs, MoldSessionOptions session)
    {
        var journal = new JournalSource(directory);
        try
        {
            Seek(journal, control, midnightEpochNs);
            return Over(new JournalPackets(journal), control, resolved, registry, ushort.MaxValue, midnightEpochNs, session,
                "journal", "virtual: each datagram's recorded receive time (the receiving host's monotonic clock, ns)", journal,
                () => journal.Completeness, () => new Dictionary<string, long>
                {
                    ["segments"] = journal.SegmentCount, ["records"] = journal.Records, ["corrupt_records"] = journal.CorruptRecords,
                    ["skipped_bytes"] = journal.SkippedBytes, ["torn_tail_bytes"] = journal.TornTailBytes,
                    ["bytes_read"] = journal.BytesRead,
                });
        }
        catch
        {
            journal.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The start of a replay of a recording, found through its indexes instead of reading up to it: --from-time NS (ns
    /// after the first record) and --from-time HH:MM:SS (exchange time: the recorded midnight, or the exchange's midnight
    /// on the recording's start day, plus the time of day, mapped to the receive clock by the first segment's header)
    /// through the time index; --from-seq N through <see cref="JournalSource.SeekToSequence"/>, on the line
    /// <see cref="ReplayControl.SequenceLineId"/> names. The control's start filter reads forward from where the seek lands.
    /// </summary>
    private static void Seek(JournalSource journal, ReplayControl control, long midnightEpochNs)
    {
        if (control.FromOffsetNs >= 0 && journal.FirstReceiveNs() is long first)
        {
            control.SetOrigin(first);
            journal.SeekToTime(first + control.FromOffsetNs);
        }
        else if (control.FromTimeOfDayNs >= 0 && journal.FirstHeader() is { } header)
        {
            long midnight = midnightEpochNs != 0 ? midnightEpochNs : ExchangeDay.MidnightEpochNs(control.Zone, header.StartRealtimeNs);
            long receiveNs = header.ToReceiveNs(midnight + control.FromTimeOfDayNs);
            control.SetStart(receiveNs);
            journal.SeekToTime(receiveNs);
        }
        else if (control.FromSequence != 0)
            journal.SeekToSequence(control.FromSequence, control.SequenceLineId);
    }

    /// <summary>True when the first UDP payload of the pcap at <paramref name="path"/> is a MoldUDP64 header with a zeroed session and sequence 0.</summary>
    public static bool FirstPacketIsAnonymised(string path)
    {
        using var source = PcapSource.Open(path);
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

    /// <summary>After the workers stopped: the host (workers, journals, rings), then the input file.</summary>
    public void Dispose()
    {
        Host.Dispose();
        _source?.Dispose();
    }
}
