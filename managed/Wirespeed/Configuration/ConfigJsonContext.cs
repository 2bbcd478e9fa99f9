using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wirespeed.Configuration;

/// <summary>
/// Source-generated (AOT-safe) JSON for the configuration. Comments and trailing commas are allowed; an unknown key is an
/// error so that a typo never silently falls back to a default.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    WriteIndented = true)]
[JsonSerializable(typeof(WirespeedConfig))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext
{
}
