using System;
using System.Numerics;

namespace Wirespeed.Core.Recording;

/// <summary>When the recorder asks the kernel to put written records on the disk (fdatasync). See JOURNAL-FORMAT.md, "Durability".</summary>
public enum FsyncPolicy : byte
{
    /// <summary>Once per segment, when it is closed (rotation, stop): records of closed segments are durable.</summary>
    Segment = 0,
    /// <summary>Every <see cref="RecordingOptions.FsyncIntervalMs"/>: records written before the last sync are durable.</summary>
    Interval = 1,
    /// <summary>After every record: a record is durable before the recorder takes the next one (slow: one sync per datagram).</summary>
    Record = 2,
}

/// <summary>What the ingress tap does when the recorder's ring is full (the disk does not keep up).</summary>
public enum RecordingOverflow : byte
{
    /// <summary>The datagram is not recorded; counted, alerted, and visible as a hole in the line's record sequence. The feed never waits.</summary>
    DropAndCount = 0,
    /// <summary>The receiving worker waits for a free slot: a stalled feed rather than a gap in the record.</summary>
    Block = 1,
}

/// <summary>Options of the compliance recorder (the library's defaults and rules; the configuration section maps onto it).</summary>
public sealed record RecordingOptions
{
    /// <summary>Directory of the segment files (created when missing). Required.</summary>
    public string Directory { get; init; } = "";
    /// <summary>A segment is closed and the next begun when it reaches this size. Default: 256 MiB.</summary>
    public long SegmentBytes { get; init; } = 256L << 20;
    /// <summary>...or when it has been open this long. Default: 3600 s (one segment an hour at most).</summary>
    public int SegmentSeconds { get; init; } = 3600;
    /// <summary>See <see cref="FsyncPolicy"/>. Default: Interval.</summary>
    public FsyncPolicy Fsync { get; init; } = FsyncPolicy.Interval;
    /// <summary>Sync period under <see cref="FsyncPolicy.Interval"/>. Default: 200 ms.</summary>
    public int FsyncIntervalMs { get; init; } = 200;
    /// <summary>Closed segments older than this (by last write) are deleted; 0 keeps them. Default: 0.</summary>
    public long RetentionSeconds { get; init; }
    /// <summary>Oldest closed segments are deleted while the directory holds more than this; 0 = no limit. Default: 0.</summary>
    public long RetentionBytes { get; init; }
    /// <summary>Slots of the ring between ingress and the recorder thread; a power of two. Default: 16384 (about 0.4 s of a 1M msg/s feed).</summary>
    public int RingSlots { get; init; } = 16384;
    /// <summary>See <see cref="RecordingOverflow"/>. Default: DropAndCount.</summary>
    public RecordingOverflow Overflow { get; init; } = RecordingOverflow.DropAndCount;
    /// <summary>A time-index entry at least every this many records. Default: 1024.</summary>
    public int IndexEveryRecords { get; init; } = 1024;
    /// <summary>...and at least every this many ms of receive time. Default: 100 ms.</summary>
    public int IndexEveryMs { get; init; } = 100;
    /// <summary>CPU the recorder thread is pinned to; -1: not pinned (the scheduler places it). Default: -1.</summary>
    public int Cpu { get; init; } = -1;
    /// <summary>The recorder's write buffer: records are written to the file when it fills or the ring runs dry. Default: 1 MiB.</summary>
    public int WriteBufferBytes { get; init; } = 1 << 20;

    /// <summary>Checks every rule; the message names the option and the fix.</summary>
    public RecordingOptions Validated()
    {
        if (string.IsNullOrWhiteSpace(Directory)) throw new ArgumentException("recording directory is empty: name a directory for the segment files", nameof(Directory));
        if (SegmentBytes < 64 << 10) throw new ArgumentException($"{SegmentBytes} is below 65536: give at least 64 KiB (default 256 MiB)", nameof(SegmentBytes));
        if (SegmentSeconds < 1) throw new ArgumentException($"{SegmentSeconds} must be at least 1", nameof(SegmentSeconds));
        if (FsyncIntervalMs < 1) throw new ArgumentException($"{FsyncIntervalMs} must be at least 1", nameof(FsyncIntervalMs));
        if (RetentionSeconds < 0) throw new ArgumentException($"{RetentionSeconds} must be 0 (keep) or more", nameof(RetentionSeconds));
        if (RetentionBytes < 0) throw new ArgumentException($"{RetentionBytes} must be 0 (no limit) or more", nameof(RetentionBytes));
        if (RetentionBytes > 0 && RetentionBytes < 2 * SegmentBytes)
            throw new ArgumentException($"{RetentionBytes} is below two segments ({2 * SegmentBytes}): the open segment and one closed one must fit; raise it or lower segmentBytes", nameof(RetentionBytes));
        if (RingSlots < 2 || !BitOperations.IsPow2(RingSlots))
            throw new ArgumentException($"{RingSlots} must be a power of two >= 2, e.g. {BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, RingSlots))}", nameof(RingSlots));
        if (Cpu < -1) throw new ArgumentException($"{Cpu}: use -1 (not pinned) or a CPU number", nameof(Cpu));
        if (IndexEveryRecords < 1) throw new ArgumentException($"{IndexEveryRecords} must be at least 1", nameof(IndexEveryRecords));
        if (IndexEveryMs < 1) throw new ArgumentException($"{IndexEveryMs} must be at least 1", nameof(IndexEveryMs));
        if (WriteBufferBytes < 128 << 10) throw new ArgumentException($"{WriteBufferBytes} must be at least 131072 (a record of the largest datagram must fit)", nameof(WriteBufferBytes));
        return this;
    }
}
