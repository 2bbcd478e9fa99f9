using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using Wirespeed.Core.Recording;

namespace Wirespeed.Configuration;

/// <summary>The recording section onto the library's <see cref="RecordingOptions"/>, and the names of its enumerated settings.</summary>
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

    public const string FsyncNames = "segment, interval, record";
    public const string OverflowNames = "drop-and-count, block";

    public static string NameOf(FsyncPolicy p) => p switch { FsyncPolicy.Segment => "segment", FsyncPolicy.Record => "record", _ => "interval" };
    public static string NameOf(RecordingOverflow o) => o == RecordingOverflow.Block ? "block" : "drop-and-count";

    public static bool TryParseFsync(string? name, out FsyncPolicy p)
    {
        p = name switch { "segment" => FsyncPolicy.Segment, "interval" => FsyncPolicy.Interval, "record" => FsyncPolicy.Record, _ => (FsyncPolicy)255 };
        return Enum.IsDefined(p);
    }

    public static bool TryParseOverflow(string? name, out RecordingOverflow o)
    {
        o = name switch { "drop-and-count" => RecordingOverflow.DropAndCount, "block" => RecordingOverflow.Block, _ => (RecordingOverflow)255 };
        return Enum.IsDefined(o);
    }
}

/// <summary>Reads and writes <see cref="FsyncPolicy"/> as its configuration name; numbers and unknown names are refused.</summary>
public sealed class FsyncPolicyJsonConverter : JsonConverter<FsyncPolicy>
{
    public override FsyncPolicy Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException($"write one of: {RecordingMapping.FsyncNames} (a string).");
        string? name = reader.GetString();
        if (!RecordingMapping.TryParseFsync(name, out var p)) throw new JsonException($"'{name}' is not one of: {RecordingMapping.FsyncNames}.");
        return p;
    }

    public override void Write(Utf8JsonWriter writer, FsyncPolicy value, JsonSerializerOptions options) => writer.WriteStringValue(RecordingMapping.NameOf(value));
}

/// <summary>Reads and writes <see cref="RecordingOverflow"/> as its configuration name; numbers and unknown names are refused.</summary>
public sealed class RecordingOverflowJsonConverter : JsonConverter<RecordingOverflow>
{
    public override RecordingOverflow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException($"write one of: {RecordingMapping.OverflowNames} (a string).");
        string? name = reader.GetString();
        if (!RecordingMapping.TryParseOverflow(name, out var o)) throw new JsonException($"'{name}' is not one of: {RecordingMapping.OverflowNames}.");
        return o;
    }

    public override void Write(Utf8JsonWriter writer, RecordingOverflow value, JsonSerializerOptions options) => writer.WriteStringValue(RecordingMapping.NameOf(value));
}
