using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using Wirespeed.Core.Ingress;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Recording;
using Wirespeed.Core.Rings;

namespace Wirespeed.Benchmarks.Recording;

/// <summary>
/// The recorder's two costs per datagram: on the receiving worker, the tap (claim a ring slot, copy the datagram and its
/// header, publish); on the recorder thread, the journal append (CRC-32C, copy into the write buffer, its share of the
/// write system calls, rotation and index; fsync per segment, so the page cache absorbs the writes). Reported per
/// datagram; allocation must be 0 B. Datagram sizes: a small MoldUDP64 packet and a full 1,400-byte one.
/// </summary>
[MemoryDiagnoser]
public class JournalAppendBenchmarks
{
    private const int Batch = 1024;

    [Params(128, 1400)]
    public int DatagramBytes;

    private string _dir = "";
    private JournalWriter _writer = null!;
    private byte[][] _records = [];
    private JournalRecorder _recorder = null!;
    private RecorderTap _tap = null!;
    private SpscSlotRing _ring = null!;
    private byte[] _datagram = [];
    private long _now;

    private struct Discard : ISlotHandler
    {
        public void OnSlot(Span<byte> slot) { }
    }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("ws-bench-journal").FullName;
        // Retention keeps the disk use bounded however many iterations BenchmarkDotNet runs.
        var options = new RecordingOptions { Directory = Path.Combine(_dir, "append"), Fsync = FsyncPolicy.Segment, SegmentBytes = 256L << 20, RetentionBytes = 768L << 20 };
        _writer = new JournalWriter(options, Header);
        _records = new byte[Batch][];
        var rng = new Random(7);
        for (int i = 0; i < Batch; i++)
        {
            var r = new byte[JournalLayout.RecordHeaderSize + DatagramBytes];
            rng.NextBytes(r.AsSpan(JournalLayout.RecordHeaderSize));
            JournalLayout.WriteHeader(r, DatagramBytes, 0, RecordFlags.None, 0, 1, 1_000 + i, (ulong)i + 1);
            _records[i] = r;
        }
        // The tap over a ring nobody else drains: the benchmark drains it itself every batch (no thread: the tap's own cost).
        _recorder = new JournalRecorder(options with { Directory = Path.Combine(_dir, "tap"), RingSlots = 2 * Batch }, 1400, Header,
            new ArenaOptions { HugePages = false, Lock = false, Prefault = true }, new MemoryRegistry(1L << 30));
        _tap = _recorder.Tap;
        _ring = _recorder.Ring;
        _datagram = new byte[DatagramBytes];
        rng.NextBytes(_datagram);
    }

    private static SegmentHeader Header(uint n, long realtime, long mono) => new()
    {
        Segment = n, StartRealtimeNs = realtime, StartMonotonicNs = mono, Lines = [new JournalLine(0, 0xEFC00001, 26477, "A")],
    };

    /// <summary>Recorder thread: one record appended to the journal (rotating every 256 MiB).</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public long Append()
    {
        long now = ++_now;
        for (int i = 0; i < Batch; i++) _writer.Append(_records[i], now);
        _writer.Tick(now);   // what the recorder does when the ring runs dry: write the buffer
        return _writer.Records;
    }

    /// <summary>Receiving worker: one datagram through the tap (claim, header, copy, publish).</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public long Tap()
    {
        var info = new PacketInfo(_now, 0, PacketSourceKind.Socket);
        for (int i = 0; i < Batch; i++) _tap.End(_tap.Begin(_datagram, in info), 0);
        var discard = new Discard();
        _ring.Poll(ref discard, Batch);
        return _tap.Recorded;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.Dispose();
        _recorder.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
