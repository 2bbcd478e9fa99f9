using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Wirespeed.Configuration;
using Wirespeed.Core.Memory;
using Wirespeed.Core.Monitoring;
using Wirespeed.Core.Recording;

namespace Wirespeed.Hosting.Lines;

/// <summary>
/// The compliance recorder of a feed host, built from the configuration's recording section (or --record): the segment
/// header's line table (each line's id, group and port, name) and the configuration's digest, and the summary's
/// <c>recording</c> section. Cold path.
/// </summary>
public static class FeedRecording
{
    /// <summary>The recorder, or null when recording.directory is empty. Throws <see cref="ConfigException"/> when the directory cannot be used.</summary>
    /// <remarks>midnightEpochNs: what the run adds to the feed's timestamps; kept in DIR/config.json for the replay.</remarks>
    public static JournalRecorder? Create(ResolvedConfig resolved, MemoryRegistry registry, int maxDatagramBytes, long midnightEpochNs, List<string> notes)
    {
        var config = resolved.Config;
        var section = config.Recording;
        if (section.Directory.Length == 0) return null;
        var options = section.ToOptions().Validated();
        string json = ConfigLoader.ToJson(config);
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(json));
        var lines = new JournalLine[config.Lines.Count];
        for (int i = 0; i < lines.Length; i++)
        {
            var l = config.Lines[i];
            // The group a line joins, else the unicast address it listens on: where the datagrams were sent.
            string address = l.Group.Length > 0 ? l.Group : l.Interface;
            uint group = IPAddress.TryParse(address, out var ip) && ip.GetAddressBytes() is { Length: 4 } b
                ? (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]) : 0;
            lines[i] = new JournalLine((byte)l.Id, group, (ushort)l.Port, l.Name);
        }
        var arena = new ArenaOptions { HugePages = config.Memory.HugePages, Lock = config.Memory.Lock, Prefault = config.Memory.Prefault };
        JournalRecorder recorder;
        try
        {
            recorder = new JournalRecorder(options, maxDatagramBytes,
                (n, realtime, mono) => new SegmentHeader { Segment = n, StartRealtimeNs = realtime, StartMonotonicNs = mono, ConfigDigest = digest, Lines = lines },
                arena, registry);
        }
        catch (IOException e)
        {
            throw new ConfigException("recording.directory", e.Message);
        }
        try
        {
            RecordedConfig.Write(options.Directory, json, resolved.SimulatedDay, midnightEpochNs);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            recorder.Dispose();
            throw new ConfigException("recording.directory", $"{Path.Combine(options.Directory, RecordedConfig.FileName)} could not be written ({e.Message}); give a writable directory");
        }
        if (recorder.Writer.RepairNote is { } repair) notes.Add("recording: repaired the previous run's last segment: " + repair);
        notes.Add($"recording: every datagram into {options.Directory} (segments of {options.SegmentBytes >> 20} MiB or {options.SegmentSeconds} s, fsync {ConfigNames.FsyncPolicies.Of(options.Fsync)}" +
                  (options.Fsync == FsyncPolicy.Interval ? $" every {options.FsyncIntervalMs} ms" : "") +
                  $", ring of {options.RingSlots:N0} slots, overflow {ConfigNames.RecordingOverflows.Of(options.Overflow)}) by thread ws-recorder");
        return recorder;
    }

    /// <summary>The summary's recording section and its one human line.</summary>
    public static void AddTo(RunSummary summary, JournalRecorder recorder)
    {
        var f = recorder.Figures();
        summary.SetCounters("recording", new Dictionary<string, long>
        {
            ["records"] = f.Records,
            ["bytes"] = f.Bytes,
            ["bytes_per_s"] = (long)(f.MegabytesPerSecond * 1e6),
            ["megabytes_per_s"] = (long)Math.Round(f.MegabytesPerSecond),
            ["ring_slots"] = f.RingSlots,
            ["ring_high_water"] = f.RingHighWater,
            ["dropped_by_overflow"] = f.DroppedByOverflow,
            ["blocked_waits"] = f.BlockedWaits,
            ["truncated"] = f.Truncated,
            ["segments"] = f.Segments,
            ["fsyncs"] = f.Fsyncs,
            ["durable_records"] = f.DurableRecords,
            ["failures"] = f.Failures,
            ["records_lost_to_failure"] = f.LostRecords,
            ["repaired_tail_bytes"] = f.RepairedBytes,
            ["segments_deleted_by_retention"] = f.DeletedSegments,
        });
        summary.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"recording: {f.Records:N0} records, {f.Bytes / 1e6:F1} MB at {f.MegabytesPerSecond:F1} MB/s into {f.Segments} segment(s) of {recorder.Options.Directory}; " +
            $"ring high-water {f.RingHighWater:N0} of {f.RingSlots:N0} slots, {f.DroppedByOverflow:N0} dropped by overflow, {f.Fsyncs:N0} fsyncs, {f.Failures} failure(s)") +
            (recorder.Options.Cpu >= 0 && recorder.Pin is { } pin ? $"; recorder thread {pin}" : "") +
            (recorder.Failed ? $" - FAILED: {recorder.FailureCause} (errno {recorder.Errno}); recording stopped there, the feed went on" : ""));
    }
}
