using Wirespeed.Core.Recording;

namespace Wirespeed.Configuration;

/// <summary>The recording section onto the library's <see cref="RecordingOptions"/> (its enumerated settings' names: <see cref="ConfigNames"/>).</summary>
public static class RecordingMapping
{
    public static RecordingOptions ToOptions(this RecordingConfig c) => new()
    {
        Directory = c.Directory,
        SegmentBytes = c.SegmentBytes,
        SegmentSeconds = c.SegmentSeconds,
        Fsync = c.Fsync,
        FsyncIntervalMs = c.FsyncIntervalMs,
        RetentionSeconds = c.RetentionSeconds,
        RetentionBytes = c.RetentionBytes,
        RingSlots = c.RingSlots,
        Overflow = c.Overflow,
        IndexEveryRecords = c.IndexEveryRecords,
        IndexEveryMs = c.IndexEveryMs,
        Cpu = c.Cpu,
    };
}
