using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Wirespeed.Core.Events;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Pipeline;
using Wirespeed.Core.Recording;
using Wirespeed.Tests.Core.Signals;
using Wirespeed.Tests.Infrastructure;
using Xunit;

namespace Wirespeed.Tests.Core.Recording;

public sealed class JournalRecorderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ws-recorder").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static JournalRecorder Create(string dir, int ringSlots = 1024, RecordingOverflow overflow = RecordingOverflow.DropAndCount,
        TextWriter? alerts = null, long segmentBytes = 1 << 20)
        => new(new RecordingOptions { Directory = dir, RingSlots = ringSlots, Overflow = overflow, SegmentBytes = segmentBytes, WriteBufferBytes = 128 << 10 },
            1400, RecordingFixture.Header, new ArenaOptions { HugePages = false, Lock = false, Prefault = true }, new MemoryRegistry(1L << 30), alerts);

    /// <summary>A decoder that rejects datagrams whose first byte is 0xFF (reason 7) and yields no events.</summary>
    private struct RejectingDecoder : IPacketDecoder, IRejectReporting
    {
        private byte _reject;
        public readonly int MaxEventsPerPacket => 1;
        public readonly int EventBound(ReadOnlySpan<byte> payload) => 0;
        public void Decode(ReadOnlySpan<byte> payload, in PacketInfo info, ref EventBatchWriter events) => _reject = payload[0] == 0xFF ? (byte)7 : (byte)0;
        public byte TakeRejectReason(byte lineId)
        {
            byte r = _reject;
            _reject = 0;
            return r;
        }
    }

    private static void Feed(ref RecordingDecoder<RejectingDecoder> decoder, int count, byte line = 3)
    {
        var batch = new MarketEvent[1];
        var payload = new byte[300];
        for (int i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(1), i);
            payload[0] = i % 10 == 9 ? (byte)0xFF : (byte)0;
            var writer = new EventBatchWriter(batch, 0, 1);
            decoder.Decode(payload.AsSpan(0, 100 + i % 200), new PacketInfo(1_000 + i, line, PacketSourceKind.Socket), ref writer);
        }
    }

    /// <summary>Polls that return the scripted packet counts in turn (then 0), each packet numbered in its bytes 1..4.</summary>
    private sealed class Script(params int[] counts)
    {
        public int Next, Packet;
        public int Take() => Next < counts.Length ? counts[Next++] : 0;
    }

    private readonly struct ScriptedPackets(Script script) : IPacketSource
    {
        public int Poll<THandler>(ref THandler handler, int limit) where THandler : struct, IPacketHandler
        {
            int n = Math.Min(script.Take(), limit);
            var payload = new byte[100];
            for (int i = 0; i < n; i++, script.Packet++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(1), script.Packet);
                handler.OnPacket(payload, new PacketInfo(1_000 + script.Packet, 3, PacketSourceKind.Socket));
            }
            return n;
        }
    }

    /// <summary>
    /// The batches of the receiving worker: polls of 2, 1 then dry (batch 0,1,2), dry (an empty batch), 2 then dry
    /// (batch 3,4), 1 then dry (batch 5). The datagrams that began a batch after a dry poll, 3 and 5, are flagged
    /// BatchStart, and no other (0 began the first batch, but no poll came up dry before it in this script).
    /// </summary>
    [Fact]
    public void The_first_datagram_after_a_dry_poll_is_recorded_as_a_batch_start()
    {
        using var recorder = Create(_dir, overflow: RecordingOverflow.Block);
        recorder.Start();
        var script = new Script(2, 1, 0, 0, 2, 0, 1, 0);
        var source = new PacketBatchSource<RecordingPackets<ScriptedPackets>, RecordingDecoder<RejectingDecoder>>(
            new(new ScriptedPackets(script), recorder.Tap), new(default, recorder.Tap));
        var batch = new MarketEvent[64];
        for (int k = 0; k < 4; k++) source.Fill(batch);
        Assert.Equal(6, script.Packet);
        recorder.Stop();
        var flagged = new List<int>();
        int n = 0;
        foreach (var (_, path) in JournalWriter.ListSegments(_dir))
        {
            using var r = SegmentReader.TryOpen(path, out _, out _)!;
            while (r.Next() == SegmentReadStatus.Ok)
            {
                Assert.Equal(n, BinaryPrimitives.ReadInt32LittleEndian(r.Record.Payload.Slice(1)));
                if ((r.Record.Flags & RecordFlags.BatchStart) != 0) flagged.Add(n);
                n++;
            }
        }
        Assert.Equal(6, n);
        Assert.Equal([3, 5], flagged);
    }

    [Fact]
    public void Every_datagram_is_recorded_in_order_with_its_line_sequence_and_reject_reason()
    {
        using var recorder = Create(_dir, overflow: RecordingOverflow.Block);   // this producer outruns a sleeping recorder
        recorder.Start();
        var decoder = new RecordingDecoder<RejectingDecoder>(default, recorder.Tap);
        Feed(ref decoder, 5_000);
        recorder.Stop();
        Assert.False(recorder.Failed);
        Assert.Equal(5_000, recorder.Tap.Recorded);
        Assert.Equal(0, recorder.Tap.Dropped);
        int n = 0;
        foreach (var (_, path) in JournalWriter.ListSegments(_dir))
        {
            using var r = SegmentReader.TryOpen(path, out _, out _)!;
            while (r.Next() == SegmentReadStatus.Ok)
            {
                var rec = r.Record;
                Assert.Equal(n, BinaryPrimitives.ReadInt32LittleEndian(rec.Payload.Slice(1)));
                Assert.Equal(100 + n % 200, rec.Payload.Length);
                Assert.Equal((ulong)(n + 1), rec.Sequence);
                Assert.Equal(1_000 + n, rec.ReceiveNs);
                Assert.Equal(3, rec.LineId);
                Assert.Equal((byte)PacketSourceKind.Socket, rec.Source);
                bool rejected = n % 10 == 9;
                Assert.Equal(rejected ? RecordFlags.Rejected : RecordFlags.None, rec.Flags);
                Assert.Equal(rejected ? 7 : 0, rec.Reason);
                n++;
            }
        }
        Assert.Equal(5_000, n);
        var f = recorder.Figures();
        Assert.Equal(5_000, f.Records);
        Assert.Equal(f.Records, f.DurableRecords);   // stopped: the last segment was closed and synced
        Assert.True(f.RingHighWater is > 0 and <= 1024);
    }

    [Fact]
    public void The_recorder_thread_is_pinned_where_configured()
    {
        using var recorder = new JournalRecorder(new RecordingOptions { Directory = _dir, Cpu = 0 }, 1400, RecordingFixture.Header,
            new ArenaOptions { HugePages = false, Lock = false, Prefault = false }, new MemoryRegistry(1L << 30));
        recorder.Start();
        HostRun.WaitFor(() => recorder.Pin is not null, "the recorder thread started");
        recorder.Stop();
        Assert.Equal(0, recorder.Pin!.RequestedCpu);
        Assert.True(recorder.Pin.Pinned, recorder.Pin.ToString());
    }

    [Fact]
    public void A_full_ring_drops_and_counts_and_the_hole_shows_in_the_line_sequence()
    {
        var alerts = new SignalJournalFailureTests.AlertLines();
        using var recorder = Create(_dir, ringSlots: 64, alerts: alerts);
        var decoder = new RecordingDecoder<RejectingDecoder>(default, recorder.Tap);
        Feed(ref decoder, 100);                  // the recorder thread is not running yet: 64 fit, 36 are dropped
        Assert.Equal(64, recorder.Tap.Recorded);
        Assert.Equal(36, recorder.Tap.Dropped);
        recorder.Start();
        HostRun.WaitFor(() => recorder.RingHighWater == 64 && recorder.Writer.Records == 64, "the ring drained");
        Feed(ref decoder, 10);
        recorder.Stop();
        Assert.Contains("wirespeed alert kind=recording_overflow dropped=36", alerts.Wait());
        var sequences = RecordingFixture.ReadSequences(_dir);
        Assert.Equal(Enumerable.Range(1, 64).Concat(Enumerable.Range(101, 10)).Select(i => (ulong)i), sequences);
        Assert.Equal(36, recorder.Figures().DroppedByOverflow);
    }

    [Fact]
    public void The_block_policy_waits_for_the_recorder_and_loses_nothing()
    {
        using var recorder = Create(_dir, ringSlots: 8, overflow: RecordingOverflow.Block);
        recorder.Start();
        var decoder = new RecordingDecoder<RejectingDecoder>(default, recorder.Tap);
        Feed(ref decoder, 3_000);
        recorder.Stop();
        Assert.Equal(0, recorder.Tap.Dropped);
        Assert.True(recorder.Tap.BlockedWaits > 0, "an 8-slot ring never filled");
        Assert.Equal(Enumerable.Range(1, 3_000).Select(i => (ulong)i), RecordingFixture.ReadSequences(_dir));
    }

    [Fact]
    public void The_tap_allocates_nothing_per_datagram_recorded_or_dropped()
    {
        using var recorder = Create(_dir, ringSlots: 1024);
        var decoder = new RecordingDecoder<RejectingDecoder>(default, recorder.Tap);
        var batch = new MarketEvent[1];
        var payload = new byte[1400];
        void Run(ref RecordingDecoder<RejectingDecoder> d, int count)
        {
            for (int i = 0; i < count; i++)
            {
                var writer = new EventBatchWriter(batch, 0, 1);
                d.Decode(payload.AsSpan(0, 64 + i % 1000), new PacketInfo(i, 3, PacketSourceKind.Socket), ref writer);
            }
        }
        Run(ref decoder, 10);                    // JIT
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(ref decoder, 5_000);                 // 1,014 recorded, then the ring is full: dropped
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(1024, recorder.Tap.Recorded);
        Assert.Equal(5_010 - 1024, recorder.Tap.Dropped);
    }

    [Fact]
    public void A_full_disk_disables_recording_with_an_alert_and_the_feed_never_waits()
    {
        Requires.Root("mounts a small tmpfs to fill");
        using var disk = SmallTmpfs.Mount(512);
        disk.Fill(leaveBytes: 160 << 10);
        var alerts = new SignalJournalFailureTests.AlertLines();
        string dir = Path.Combine(disk.Path, "rec");
        using var recorder = Create(dir, ringSlots: 64, overflow: RecordingOverflow.Block, alerts: alerts, segmentBytes: 64 << 10);
        recorder.Start();
        var decoder = new RecordingDecoder<RejectingDecoder>(default, recorder.Tap);
        Feed(ref decoder, 20_000);               // ~4 MB into 160 KiB; block policy: a dead recorder must not stall this
        recorder.Stop();
        Assert.True(recorder.Failed, "the disk never filled");
        Assert.Equal(28, recorder.Errno);        // ENOSPC
        Assert.Equal(1, recorder.Failures);
        Assert.False(recorder.Tap.Enabled);
        Assert.True(recorder.Tap.Dropped > 0);
        Assert.Equal(20_000, recorder.Tap.Recorded + recorder.Tap.Dropped);
        string alert = alerts.Wait();
        Assert.StartsWith($"wirespeed alert kind=recording_failed dir={dir} errno=28", alert);
        Assert.Contains("the feed goes on", alert);
        // What reached the disk reads back as a contiguous record, at worst with a torn tail.
        var sequences = RecordingFixture.ReadSequences(dir);
        Assert.NotEmpty(sequences);
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (ulong)i), sequences);
    }
}
