using System.Text.Json.Serialization;
using Wirespeed.Core.Recording;

namespace Wirespeed.Configuration;

/// <summary>
/// Compliance recording (configuration section <c>recording</c>): every datagram of every line, rejected ones with
/// their reason, into journal segments (managed/Wirespeed.Core/Recording/JOURNAL-FORMAT.md). Off while
/// <see cref="Directory"/> is empty; <c>--record DIR</c> on run and demo sets it. Mapped onto
/// <see cref="RecordingOptions"/> by <see cref="RecordingMapping.ToOptions"/>; the defaults are the library's.
/// </summary>
public sealed class RecordingConfig
{
    private static readonly RecordingOptions s_library = new();

    /// <summary>Directory of the segment files (created when missing); empty: no recording. Default: empty.</summary>
    public string Directory { get; set; } = "";
    /// <summary>A segment is closed and the next begun at this size. Default: 268435456 (256 MiB).</summary>
    public long SegmentBytes { get; set; } = s_library.SegmentBytes;
    /// <summary>...or after this many seconds open. Default: 3600.</summary>
    public int SegmentSeconds { get; set; } = s_library.SegmentSeconds;
    /// <summary>segment: fsync when a segment closes | interval: every fsyncIntervalMs | record: after every datagram (slow). Default: interval.</summary>
    [JsonConverter(typeof(FsyncPolicyJsonConverter))]
    public FsyncPolicy Fsync { get; set; } = s_library.Fsync;
    /// <summary>Sync period of the interval policy, ms. Default: 200.</summary>
    public int FsyncIntervalMs { get; set; } = s_library.FsyncIntervalMs;
    /// <summary>Closed segments last written longer ago than this are deleted; 0 keeps them. Default: 0.</summary>
    public long RetentionSeconds { get; set; } = s_library.RetentionSeconds;
    /// <summary>Oldest closed segments are deleted while the directory holds more; 0: no limit. Default: 0.</summary>
    public long RetentionBytes { get; set; } = s_library.RetentionBytes;
    /// <summary>Slots of the ring between the receiving worker and the recorder thread (a power of two, one datagram each). Default: 16384.</summary>
    public int RingSlots { get; set; } = s_library.RingSlots;
    /// <summary>drop-and-count: a full ring skips the datagram, counted and alerted (the feed never waits) | block: the
    /// receiving worker waits for the recorder (a stalled feed rather than a gap in the record). Default: drop-and-count.</summary>
    [JsonConverter(typeof(RecordingOverflowJsonConverter))]
    public RecordingOverflow Overflow { get; set; } = s_library.Overflow;
    /// <summary>CPU the recorder thread is pinned to (keep it off the receiving worker's); -1: not pinned. Default: -1.</summary>
    public int Cpu { get; set; } = s_library.Cpu;
    /// <summary>A time-index entry at least every this many records. Default: 1024.</summary>
    public int IndexEveryRecords { get; set; } = s_library.IndexEveryRecords;
    /// <summary>...and at least every this many ms of receive time. Default: 100.</summary>
    public int IndexEveryMs { get; set; } = s_library.IndexEveryMs;
}
