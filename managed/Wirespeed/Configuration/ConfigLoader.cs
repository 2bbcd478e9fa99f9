using System;
using System.IO;
using System.Text.Json;

namespace Wirespeed.Configuration;

/// <summary>Loads the configuration from a file or the embedded default, then validates it completely (cold path).</summary>
public static class ConfigLoader
{
    /// <summary>The embedded default: every default of <see cref="WirespeedConfig"/>, no file needed.</summary>
    public static WirespeedConfig Default() => ConfigValidator.Validated(new WirespeedConfig());

    /// <summary>Reads and validates <paramref name="path"/>. Throws <see cref="ConfigException"/> naming the field and the fix.</summary>
    public static WirespeedConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new ConfigException("--config", $"file '{path}' does not exist. Pass an existing file, or omit --config to run on the embedded default.");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates JSON text (comments allowed). <paramref name="source"/> names it in errors.</summary>
    public static WirespeedConfig Parse(string json, string source = "config")
    {
        WirespeedConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(json, ConfigJsonContext.Default.WirespeedConfig);
        }
        catch (JsonException e)
        {
            string field = string.IsNullOrEmpty(e.Path) ? "(document)" : e.Path.TrimStart('$', '.');
            throw new ConfigException(field, $"{source}: {Explain(e)}");
        }
        if (config is null) throw new ConfigException("(document)", $"{source}: the file is empty or 'null'; write a JSON object, e.g. {{ }} for all defaults.");
        return ConfigValidator.Validated(config);
    }

    private static string Explain(JsonException e)
    {
        string m = e.Message;
        if (m.Contains("could not be mapped", StringComparison.Ordinal))
            return "unknown key. Check its spelling against deploy/wirespeed.json (keys are camelCase).";
        if (m.Contains("could not be converted", StringComparison.Ordinal))
            return "value has the wrong type (line " + (e.LineNumber + 1) + "). " + m;
        return m;
    }

    /// <summary>Writes <paramref name="config"/> as JSON (used by check-config --print and the sample test).</summary>
    public static string ToJson(WirespeedConfig config) => JsonSerializer.Serialize(config, ConfigJsonContext.Default.WirespeedConfig);
}
