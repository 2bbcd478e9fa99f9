using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using Wirespeed.Core.Agents;
using Wirespeed.Core.Patterns;
using Wirespeed.Core.Recording;
using Wirespeed.Core.Signals;
using Wirespeed.Core.Time;
using Wirespeed.Feeds.Sim;
using Wirespeed.Interop.Abi;

namespace Wirespeed.Configuration;

// Enumerated settings: each is an enum in the configuration classes, read from its name by a JSON converter (so the file
// is parsed into the enum once and nothing downstream compares strings); an unknown name is an error that lists the
// names that exist. Where a library has the enum (XdpMode, UringSetupFlags, SimScenario, PatternClock,
// PublishOverflowPolicy) the setting is that enum; the others are the configuration's own, below.

/// <summary><c>pipeline.topology</c>.</summary>
public enum PipelineTopology : byte
{
    /// <summary>Every stage on one worker.</summary>
    Single,
    /// <summary>Receive … publish on the first worker, the lane scheduler and deliver on the second.</summary>
    Split,
}

/// <summary><c>pipeline.workers[].idle</c> and <c>patterns.idle</c>: a library idle strategy, or auto (decided at start-up for this machine).</summary>
public enum IdleSetting : byte
{
    Auto,
    BusySpin,
    Yield,
    BackOff,
}

/// <summary><c>patterns.placement</c>.</summary>
public enum PatternPlacement : byte
{
    Auto,
    Workers,
    Inline,
}

/// <summary><c>patterns.partition</c>.</summary>
public enum PatternPartition : byte
{
    Affinity,
    Explicit,
}

/// <summary><c>simulator.breakerProfile</c>.</summary>
public enum BreakerProfile : byte
{
    /// <summary>demo and bench run the breakers matched to the simulator's compressed day.</summary>
    Compressed,
    /// <summary>The breakers section as written.</summary>
    Configured,
}

/// <summary>The configuration names of one enumerated setting: the one table its names come from.</summary>
public sealed class NameTable<T> where T : struct, Enum
{
    private readonly (string Name, T Value)[] _table;

    public NameTable(params (string Name, T Value)[] table) => _table = table;

    /// <summary>The names, comma-separated, in the order they are documented.</summary>
    public string All => string.Join(", ", Array.ConvertAll(_table, t => t.Name));

    /// <summary>The configuration name of <paramref name="value"/>.</summary>
    public string Of(T value)
    {
        foreach (var (name, v) in _table) if (EqualityComparer<T>.Default.Equals(v, value)) return name;
        return value.ToString();
    }

    /// <summary>The value named <paramref name="name"/> (exact), or false.</summary>
    public bool TryParse(string? name, out T value)
    {
        foreach (var (n, v) in _table)
            if (n == name)
            {
                value = v;
                return true;
            }
        value = default;
        return false;
    }

    /// <summary>True when <paramref name="value"/> has a name (a value set from code may not).</summary>
    public bool IsNamed(T value)
    {
        foreach (var (_, v) in _table) if (EqualityComparer<T>.Default.Equals(v, value)) return true;
        return false;
    }

    /// <summary>The value named <paramref name="name"/>; a <see cref="ConfigException"/> on <paramref name="field"/> naming the allowed values otherwise (command-line overrides).</summary>
    public T Parse(string name, string field)
        => TryParse(name, out var value) ? value : throw new ConfigException(field, Unknown(name));

    /// <summary>"'x' is not one of: a, b, c."</summary>
    public string Unknown(string? name) => $"'{name}' is not one of: {All}.";
}

/// <summary>The name tables of the enumerated settings.</summary>
public static class ConfigNames
{
    public static readonly NameTable<XdpMode> XdpModes = new(("drv", XdpMode.Drv), ("skb", XdpMode.Skb));
    public static readonly NameTable<UringSetupFlags> UringSetups =
        new(("defer-taskrun", UringSetupFlags.DeferTaskRun), ("coop", UringSetupFlags.CoopTaskRun), ("sqpoll", UringSetupFlags.SqPoll));
    public static readonly NameTable<PipelineTopology> Topologies = new(("single", PipelineTopology.Single), ("split", PipelineTopology.Split));
    public static readonly NameTable<IdleSetting> Idles =
        new(("auto", IdleSetting.Auto), ("busy-spin", IdleSetting.BusySpin), ("yield", IdleSetting.Yield), ("back-off", IdleSetting.BackOff));
    public static readonly NameTable<PatternPlacement> Placements =
        new(("auto", PatternPlacement.Auto), ("workers", PatternPlacement.Workers), ("inline", PatternPlacement.Inline));
    public static readonly NameTable<PatternPartition> Partitions = new(("affinity", PatternPartition.Affinity), ("explicit", PatternPartition.Explicit));
    public static readonly NameTable<PublishOverflowPolicy> OverflowPolicies =
        new(("drop-and-count", PublishOverflowPolicy.DropAndCount), ("wait", PublishOverflowPolicy.Wait));
    public static readonly NameTable<PatternClock> Clocks = new(("monotonic", PatternClock.Monotonic), ("virtual", PatternClock.Virtual));
    public static readonly NameTable<SimScenario> Scenarios =
        new(("normal", SimScenario.Normal), ("flash-crash", SimScenario.FlashCrash), ("news-spike", SimScenario.NewsSpike),
            ("open-close", SimScenario.OpenClose), ("correlated-move", SimScenario.CorrelatedMove));
    public static readonly NameTable<BreakerProfile> BreakerProfiles = new(("compressed", BreakerProfile.Compressed), ("configured", BreakerProfile.Configured));
    public static readonly NameTable<ClockSourceKind> ClockSources = new(("realtime", ClockSourceKind.Realtime), ("ptp", ClockSourceKind.Ptp));
    public static readonly NameTable<WorkerFailurePolicy> FailurePolicies = new(("restart", WorkerFailurePolicy.Restart), ("fail", WorkerFailurePolicy.Fail));
    public static readonly NameTable<FsyncPolicy> FsyncPolicies =
        new(("segment", FsyncPolicy.Segment), ("interval", FsyncPolicy.Interval), ("record", FsyncPolicy.Record));
    public static readonly NameTable<RecordingOverflow> RecordingOverflows = new(("drop-and-count", RecordingOverflow.DropAndCount), ("block", RecordingOverflow.Block));
}

/// <summary>Reads and writes an enumerated setting as its configuration name; numbers and unknown names are refused, naming the allowed ones.</summary>
public abstract class NameJsonConverter<T> : JsonConverter<T> where T : struct, Enum
{
    private readonly NameTable<T> _names;

    protected NameJsonConverter(NameTable<T> names) => _names = names;

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"write one of: {_names.All} (a string).");
        string? name = reader.GetString();
        if (!_names.TryParse(name, out var value)) throw new JsonException(_names.Unknown(name));
        return value;
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(_names.Of(value));
}

public sealed class XdpModeJsonConverter() : NameJsonConverter<XdpMode>(ConfigNames.XdpModes);
public sealed class UringSetupJsonConverter() : NameJsonConverter<UringSetupFlags>(ConfigNames.UringSetups);
public sealed class TopologyJsonConverter() : NameJsonConverter<PipelineTopology>(ConfigNames.Topologies);
public sealed class IdleJsonConverter() : NameJsonConverter<IdleSetting>(ConfigNames.Idles);
public sealed class PlacementJsonConverter() : NameJsonConverter<PatternPlacement>(ConfigNames.Placements);
public sealed class PartitionJsonConverter() : NameJsonConverter<PatternPartition>(ConfigNames.Partitions);
public sealed class OverflowJsonConverter() : NameJsonConverter<PublishOverflowPolicy>(ConfigNames.OverflowPolicies);
public sealed class ClockJsonConverter() : NameJsonConverter<PatternClock>(ConfigNames.Clocks);
public sealed class ScenarioJsonConverter() : NameJsonConverter<SimScenario>(ConfigNames.Scenarios);
public sealed class BreakerProfileJsonConverter() : NameJsonConverter<BreakerProfile>(ConfigNames.BreakerProfiles);
public sealed class ClockSourceJsonConverter() : NameJsonConverter<ClockSourceKind>(ConfigNames.ClockSources);
public sealed class WorkerFailurePolicyJsonConverter() : NameJsonConverter<WorkerFailurePolicy>(ConfigNames.FailurePolicies);
public sealed class FsyncPolicyJsonConverter() : NameJsonConverter<FsyncPolicy>(ConfigNames.FsyncPolicies);
public sealed class RecordingOverflowJsonConverter() : NameJsonConverter<RecordingOverflow>(ConfigNames.RecordingOverflows);
