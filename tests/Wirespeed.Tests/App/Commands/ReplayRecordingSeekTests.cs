using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Recording;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Itch;
using Wirespeed.Feeds.Replay;
using Xunit;

namespace Wirespeed.Tests.App.Commands;

/// <summary>
/// ISSUE 12, <c>wirespeed replay DIR --from-time HH:MM:SS[.fff]</c> and <c>--from-seq N [--line L]</c> on a recording:
/// a time of day is exchange time (the exchange's midnight on the recording's start day, mapped to the receive clock by
/// the segment header) and a sequence is the line's MoldUDP64 message sequence; both are found through the index, so
/// the replay skips at most one index interval before the start. The recording: a simulated session's datagrams, one
/// line, received 1 ms apart from 19:00 New York time (2026-01-02 00:00 UTC).
/// </summary>
public sealed class ReplayRecordingSeekTests : IDisposable
{
    private const long Ms = 1_000_000;
    private static readonly long StartRealtimeNs = 1_767_312_000L * 1_000_000_000L;
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-replay-seek").FullName;
    private readonly string _rec;
    private readonly List<byte[]> _datagrams = new();

    public ReplayRecordingSeekTests()
    {
        _rec = Path.Combine(_dir, "rec");
        string pcap = Path.Combine(_dir, "sim.pcap");
        Assert.Equal(0, CommandRunner.Run("simulate", "--out", pcap, "--format", "pcap", "--messages", "20000").Code);
        using (var source = PcapSource.Open(pcap))
        {
            var c = new Collect { Into = _datagrams };
            while (source.Poll(ref c, 64) > 0) { }
        }
        // Index entries every 16 records: a seek reads at most that far; segments of 64 KiB: it crosses several.
        var options = new RecordingOptions { Directory = _rec, SegmentBytes = 64 << 10, WriteBufferBytes = 128 << 10, IndexEveryRecords = 16 };
        using var w = new JournalWriter(options, (n, rt, mono) => new SegmentHeader
        {
            Segment = n, StartRealtimeNs = StartRealtimeNs, StartMonotonicNs = 0, ConfigDigest = new byte[32],
            Lines = [new JournalLine(0, 0xEFC00001, 26477, "A")],
        });
        for (int i = 0; i < _datagrams.Count; i++)
        {
            var d = _datagrams[i];
            var r = new byte[JournalLayout.RecordHeaderSize + d.Length];
            JournalLayout.WriteHeader(r, d.Length, 0, RecordFlags.None, 0, 1, ReceiveNs(i), (ulong)i + 1);
            d.CopyTo(r, JournalLayout.RecordHeaderSize);
            w.Append(r, 0);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static long ReceiveNs(int i) => (i + 1) * Ms;

    private struct Collect : IPacketHandler
    {
        public List<byte[]> Into;
        public void OnPacket(ReadOnlySpan<byte> payload, in PacketInfo info) => Into.Add(payload.ToArray());
    }

    /// <summary>Runs the replay with <paramref name="args"/> after the directory; its input section.</summary>
    private (int Code, JsonElement Input, string Output) Replay(params string[] args)
    {
        string json = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".json");
        var all = new List<string> { "replay", _rec, "--json", json };
        all.AddRange(args);
        var (code, output, error) = CommandRunner.Run(all.ToArray());
        Assert.True(File.Exists(json), output + error);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        return (code, doc.RootElement.GetProperty("input").Clone(), output + error);
    }

    [Fact]
    public void From_a_time_of_day_the_replay_starts_at_the_first_datagram_received_at_or_after_it()
    {
        Assert.True(_datagrams.Count > 200, $"{_datagrams.Count} datagrams");
        int target = _datagrams.Count / 2;
        // 19:00 New York (UTC-5 in January) is the recording's start; the target was received (target + 1) ms after it,
        // and the time asked for is half a millisecond before that.
        ExchangeDay.TryFindZone("America/New_York", out var zone);
        long midnight = ExchangeDay.MidnightEpochNs(zone, StartRealtimeNs);
        long timeOfDay = StartRealtimeNs - midnight + ReceiveNs(target) - Ms / 2;
        Assert.Equal(19 * 3_600_000 * Ms, StartRealtimeNs - midnight);
        string text = TimeSpan.FromTicks(timeOfDay / 100).ToString(@"hh\:mm\:ss\.ffff", System.Globalization.CultureInfo.InvariantCulture);
        var (_, input, output) = Replay("--from-time", text);
        Assert.Equal(ReceiveNs(target), input.GetProperty("first_recorded_ns").GetInt64());
        Assert.True(input.GetProperty("skipped_packets").GetInt64() <= 16, output);   // the seek, not a read through
        Assert.Equal(_datagrams.Count - target, input.GetProperty("packets").GetInt64());
        Assert.Contains("from 19:00:", output);
    }

    [Fact]
    public void A_time_of_day_before_the_recording_replays_it_whole_and_one_after_it_replays_nothing()
    {
        var (_, whole, _) = Replay("--from-time", "18:00:00");
        Assert.Equal(ReceiveNs(0), whole.GetProperty("first_recorded_ns").GetInt64());
        Assert.Equal(_datagrams.Count, whole.GetProperty("packets").GetInt64());
        var (_, none, _) = Replay("--from-time", "23:59:59");
        Assert.Equal(0, none.GetProperty("packets").GetInt64());
    }

    [Fact]
    public void From_a_sequence_the_replay_starts_at_the_datagram_that_holds_it_found_through_the_index()
    {
        int target = _datagrams.Count * 2 / 3;
        while (Count(_datagrams[target]) < 2) target++;   // a packet of several messages: start in its middle
        ulong sequence = Sequence(_datagrams[target]) + 1;
        var (_, input, output) = Replay("--from-seq", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), "--line", "A");
        Assert.Equal(ReceiveNs(target), input.GetProperty("first_recorded_ns").GetInt64());
        Assert.True(input.GetProperty("skipped_packets").GetInt64() <= 16, output);
        Assert.Contains($"from sequence {sequence} of line A", output);
    }

    [Theory]
    [InlineData("Z", "--line Z is not the replayed line (A, id 0)")]
    [InlineData(null, "--line names the line whose sequence --from-seq is")]
    public void A_line_that_is_not_replayed_or_a_line_without_a_sequence_exits_2(string? line, string message)
    {
        var args = line is null ? new[] { "replay", _rec, "--line", "A" } : new[] { "replay", _rec, "--from-seq", "5", "--line", line };
        var (code, output, error) = CommandRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Contains(message, output + error);
    }

    private static ulong Sequence(byte[] d) => BinaryPrimitives.ReadUInt64BigEndian(d.AsSpan(MoldPacketReader.SequenceOffset));
    private static ushort Count(byte[] d) => BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(MoldPacketReader.CountOffset));
}
