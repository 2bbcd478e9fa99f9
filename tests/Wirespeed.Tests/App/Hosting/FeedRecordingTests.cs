using System;
using System.Collections.Generic;
using System.IO;
using Wirespeed.Configuration;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Recording;
using Wirespeed.Feeds.Sim;
using Wirespeed.Hosting.Detection;
using Wirespeed.Hosting.Lines;
using Wirespeed.Hosting.Reporting;
using Wirespeed.Hosting.Simulation;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.App.Hosting;

/// <summary>
/// Recording as the product wires it: two lines received by one worker with recording on; line B is configured for
/// another MoldUDP64 session, so its decoder rejects every packet. Every datagram of both lines is recorded, in order,
/// byte for byte, B's with reason WrongSession, and the summary has the recording section.
/// </summary>
public sealed class FeedRecordingTests : IDisposable
{
    private const long MessagesPerLine = 60_000;
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-feed-rec").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void Every_datagram_of_every_line_is_recorded_rejected_ones_with_their_reason()
    {
        var config = ConfigLoader.Parse($$"""
            { "lines": [ { "name": "A", "id": 4 }, { "name": "B", "id": 6, "port": 26478, "session": "ELSEWHERE1" } ],
              "books": { "maxInstruments": 128, "maxOrders": 262144 },
              "pipeline": { "workers": [ { "name": "feed", "idle": "yield" } ] },
              "patterns": { "enabled": false },
              "recording": { "directory": "{{_dir}}", "overflow": "block", "segmentBytes": 1048576 } }
            """);
        var sim = config.Simulator;
        var blobs = new PacketBlob[2];
        for (int v = 0; v < 2; v++)
            blobs[v] = PacketBlob.Generate(new SimFeed(new ExchangeSimulator(SimulatorPlan.From(sim) with { Venue = v }), SimulatedLines.SessionOf("", v),
                sim.MaxPayloadBytes, SimTimestampMode.Virtual, MessagesPerLine), MessagesPerLine);
        var states = new[] { new PacedBlobState(blobs[0], 1e12, 4), new PacedBlobState(blobs[1], 1e12, 6) };
        using var host = FeedHost.Create(ConfigValidator.Resolve(config), new MemoryRegistry(0), [new PacedBlobPackets(states[0]), new PacedBlobPackets(states[1])], 1464,
            measureOneWay: false, 0, _ => default(NoSignalCallback));
        Assert.NotNull(host.Recorder);
        host.Start();
        foreach (var s in states) s.Begin();
        HostRun.WaitFor(() => host.PacketsReceived == blobs[0].Count + blobs[1].Count, "every packet received");
        host.Stop();

        var summary = new RunSummary();
        RunReport.ForFeed(host).AddTo(summary);
        var rec = summary.Counters["recording"];
        Assert.Equal(blobs[0].Count + blobs[1].Count, rec["records"]);
        Assert.Equal(0, rec["dropped_by_overflow"]);
        Assert.Equal(0, rec["failures"]);
        Assert.Equal(rec["records"], rec["durable_records"]);
        Assert.Contains(summary.Notes, n => n.StartsWith("recording: ", StringComparison.Ordinal) && n.Contains("MB/s", StringComparison.Ordinal));

        var next = new Dictionary<byte, int> { [4] = 0, [6] = 0 };
        foreach (var (_, path) in JournalWriter.ListSegments(_dir))
        {
            using var r = SegmentReader.TryOpen(path, out _, out _)!;
            Assert.Equal(new[] { new JournalLine(4, 0xEFC00001, 26477, "A"), new JournalLine(6, 0xEFC00001, 26478, "B") }, r.Header.Lines);
            while (r.Next() == SegmentReadStatus.Ok)
            {
                var record = r.Record;
                int i = next[record.LineId]++;
                var blob = blobs[record.LineId == 4 ? 0 : 1];
                Assert.Equal((ulong)(i + 1), record.Sequence);
                Assert.True(record.Payload.SequenceEqual(blob[i]), $"line {record.LineId} packet {i} differs");
                // BatchStart marks where the worker's batches began (wherever its polls came up dry): not asserted here.
                var verdict = record.Flags & ~RecordFlags.BatchStart;
                if (record.LineId == 4) Assert.Equal(RecordFlags.None, verdict);
                else
                {
                    Assert.Equal(RecordFlags.Rejected, verdict);
                    Assert.Equal(5, record.Reason);   // DecodeStatus.WrongSession
                }
            }
            Assert.Equal(0, r.CorruptRecords);
            Assert.Equal(0, r.TornTailBytes);
        }
        Assert.Equal(blobs[0].Count, next[4]);
        Assert.Equal(blobs[1].Count, next[6]);
    }

    [Fact]
    public void The_hot_threads_allocate_nothing_with_recording_on()
    {
        var config = ConfigLoader.Parse($$"""
            { "books": { "maxInstruments": 128, "maxOrders": 262144 },
              "pipeline": { "workers": [ { "name": "feed", "idle": "yield" } ] },
              "patterns": { "idle": "back-off" },
              "recording": { "directory": "{{_dir}}", "overflow": "block", "ringSlots": 1024 } }
            """);
        const long WarmupMessages = 200_000, MeasuredMessages = 800_000;
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 7, Instruments = 32, Sectors = 4 }),
            "WIRESPEED1", 1400, SimTimestampMode.Virtual, WarmupMessages + MeasuredMessages);
        var blob = PacketBlob.Generate(feed, WarmupMessages + MeasuredMessages);
        var paced = new PacedBlobState(blob, 1e12, 0);   // every packet due at once: the worker runs flat out, the ring fills, the tap waits
        using var host = FeedHost.Create(ConfigValidator.Resolve(config), new MemoryRegistry(0), new PacedBlobPackets(paced), 1464, measureOneWay: false, 0);
        host.Start();
        paced.Begin();
        HostRun.WaitFor(() => host.Delivered >= WarmupMessages, "warm-up");
        host.EndWarmup();
        HostRun.WaitFor(() => host.Delivered >= blob.Messages, "the measured events");
        host.Stop();

        Assert.Equal(blob.Count, host.Recorder!.Figures().Records);
        foreach (var probe in host.HotThreadProbes)
        {
            Assert.True(probe.IsMarked, probe.Name + " never marked the end of warm-up");
            Assert.True(probe.AllocatedSinceMark == 0, $"{probe.Name} allocated {probe.AllocatedSinceMark} B after warm-up");
        }
    }

    [Fact]
    public void A_full_disk_stops_the_recording_with_an_alert_and_every_event_is_still_delivered()
    {
        Requires.Root("mounts a small tmpfs to fill");
        using var disk = SmallTmpfs.Mount(1024);
        disk.Fill(leaveBytes: 256 << 10);
        var config = ConfigLoader.Parse($$"""
            { "books": { "maxInstruments": 128, "maxOrders": 262144 },
              "pipeline": { "workers": [ { "name": "feed", "idle": "yield" } ] },
              "patterns": { "enabled": false },
              "recording": { "directory": "{{disk.Path}}/rec", "overflow": "block", "ringSlots": 256, "segmentBytes": 131072 } }
            """);
        var feed = new SimFeed(new ExchangeSimulator(new SimulatorOptions { Seed = 3, Instruments = 32, Sectors = 4 }),
            "WIRESPEED1", 1400, SimTimestampMode.Virtual, 300_000);
        var blob = PacketBlob.Generate(feed, 300_000);   // ~10 MB of datagrams into 256 KiB
        var paced = new PacedBlobState(blob, 1e12, 0);
        using var host = FeedHost.Create(ConfigValidator.Resolve(config), new MemoryRegistry(0), new PacedBlobPackets(paced), 1464, measureOneWay: false, 0);
        host.Start();
        HostRun.UntilDelivered(host, [paced], blob.Messages);   // block policy, dead disk: the feed must not stall

        var recorder = host.Recorder!;
        Assert.True(recorder.Failed, "256 KiB never filled");
        Assert.Equal(28, recorder.Errno);
        var summary = new RunSummary();
        RunReport.ForFeed(host).AddTo(summary);
        Assert.Equal(1, summary.Counters["recording"]["failures"]);
        Assert.Equal(blob.Count, recorder.Tap.Recorded + recorder.Tap.Dropped);   // every datagram handed over, or counted as not
        Assert.True(recorder.Tap.Dropped > 0);
        Assert.Contains(summary.Notes, n => n.Contains("FAILED", StringComparison.Ordinal) && n.Contains("the feed went on", StringComparison.Ordinal));
    }
}
