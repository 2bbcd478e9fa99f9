using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wirespeed.Configuration;

/// <summary>
/// Source-generated (AOT-safe) JSON for the configuration. Comments and trailing commas are allowed; an unknown key is an
/// error so that a typo never silently falls back to a default; so is a key written twice in one object (which of the
/// two would count is a guess) and null for a field that is not nullable (a null string would reach the validator and
/// the hot path's set-up as a crash).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    RespectNullableAnnotations = true,
    WriteIndented = true)]
[JsonSerializable(typeof(WirespeedConfig))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext
{
}
