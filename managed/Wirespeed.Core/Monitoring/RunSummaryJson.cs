using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wirespeed.Core.Monitoring;

/// <summary>The <c>--json</c> rendering of <see cref="RunSummary"/>: snake_case names, indented, source-generated (AOT-safe).</summary>
public static class RunSummaryJson
{
    /// <summary>The summary as JSON text.</summary>
    public static string Serialize(RunSummary summary) => JsonSerializer.Serialize(summary, RunSummaryJsonContext.Default.RunSummary);

    /// <summary>Writes the summary to <paramref name="path"/> (created or truncated).</summary>
    public static void WriteFile(RunSummary summary, string path)
    {
        using var stream = File.Create(path);
        JsonSerializer.Serialize(stream, summary, RunSummaryJsonContext.Default.RunSummary);
    }

    /// <summary>Reads a summary back; throws <see cref="JsonException"/> on malformed text.</summary>
    public static RunSummary Deserialize(string json)
        => JsonSerializer.Deserialize(json, RunSummaryJsonContext.Default.RunSummary)
           ?? throw new JsonException("summary JSON is null");
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RunSummary))]
internal sealed partial class RunSummaryJsonContext : JsonSerializerContext;
