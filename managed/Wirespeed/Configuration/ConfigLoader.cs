using System;
using System.IO;
using System.Text;
using System.Text.Json;
using Wirespeed.Interop;

namespace Wirespeed.Configuration;

/// <summary>Loads the configuration from a file or the embedded default, then validates it completely (cold path).</summary>
/// <remarks>
/// Every failure is a <see cref="ConfigException"/> naming the field (or the file) and the fix: run's start-up,
/// check-config and SIGHUP's reload all come through here, and none of them may see a stack trace or block. A file is
/// refused before it is opened unless it is a regular file of at most <see cref="MaxFileBytes"/>: a FIFO would block
/// the reader until a writer comes, /dev/zero never ends, a directory cannot be read.
/// </remarks>
public static class ConfigLoader
{
    /// <summary>Largest configuration file read: 1 MiB (the sample with every key is about 10 KiB).</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>The embedded default: every default of <see cref="WirespeedConfig"/>, no file needed.</summary>
    public static WirespeedConfig Default() => ConfigValidator.Validated(new WirespeedConfig());

    /// <summary>Reads and validates <paramref name="path"/>. Throws <see cref="ConfigException"/> naming the field and the fix.</summary>
    public static WirespeedConfig Load(string path) => Parse(ReadFile(path), path);

    /// <summary>Reads <paramref name="path"/> and resolves it (<see cref="ConfigValidator.Resolve"/>): what SIGHUP's reload applies.</summary>
    public static ResolvedConfig Resolve(string path) => ConfigValidator.Resolve(Read(path));

    /// <summary>
    /// Reads <paramref name="path"/> (the file checks and the JSON) without validating it, for a caller that applies
    /// overrides and then resolves it once (<see cref="ConfigValidator.Resolve"/>).
    /// </summary>
    public static WirespeedConfig Read(string path) => Deserialize(ReadFile(path), path);

    /// <summary>The text of <paramref name="path"/>, when it is a readable regular file of at most <see cref="MaxFileBytes"/> of UTF-8.</summary>
    public static string ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        const string field = "--config";
        var kind = PathProbe.Of(path, out long size, out int errno);
        switch (kind)
        {
            case PathKind.RegularFile: break;
            case PathKind.Unknown:
                throw new ConfigException(field, errno == 2
                    ? $"file '{path}' does not exist. Pass an existing file, or omit --config to run on the embedded default."
                    : $"cannot read '{path}': {PathProbe.Describe(errno)}. Check the path and its permissions.");
            default:
                throw new ConfigException(field, $"'{path}' is a {Describe(kind)}, not a regular file; a configuration is read from a regular file (write it to one, then pass that).");
        }
        if (size > MaxFileBytes)
            throw new ConfigException(field, $"'{path}' is {size:N0} bytes; a configuration file is at most {MaxFileBytes:N0} bytes (1 MiB). Is it the right file?");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (UnauthorizedAccessException)
        {
            throw new ConfigException(field, $"cannot read '{path}': permission denied for user {Environment.UserName}; make the file readable by the service's user, e.g. chmod 0640 and the service's group.");
        }
        catch (Exception e) when (e is IOException or NotSupportedException)
        {
            throw new ConfigException(field, $"cannot read '{path}': {e.Message}");
        }
        if (bytes.Length > MaxFileBytes)   // it grew between the look and the read
            throw new ConfigException(field, $"'{path}' is over {MaxFileBytes:N0} bytes (1 MiB); a configuration file is at most that.");
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ConfigException(field, $"'{path}' is not UTF-8 text; a configuration is a JSON file in UTF-8.");
        }
    }

    private static string Describe(PathKind kind) => kind switch
    {
        PathKind.Directory => "directory",
        PathKind.Fifo => "FIFO (named pipe)",
        PathKind.CharacterDevice => "character device",
        PathKind.BlockDevice => "block device",
        PathKind.Socket => "socket",
        _ => "special file",
    };

    /// <summary>Parses and validates JSON text (comments allowed). <paramref name="source"/> names it in errors.</summary>
    public static WirespeedConfig Parse(string json, string source = "config") => ConfigValidator.Validated(Deserialize(json, source));

    /// <summary>The JSON text bound to the sections, not yet validated; JSON errors name the field and the line.</summary>
    public static WirespeedConfig Deserialize(string json, string source = "config")
    {
        ArgumentNullException.ThrowIfNull(json);
        if (IsBlank(json))
            throw new ConfigException("(document)", $"{source} is empty; write a JSON object, e.g. {{ }} for all defaults.");
        WirespeedConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(json, ConfigJsonContext.Default.WirespeedConfig);
        }
        catch (JsonException e)
        {
            throw ConfigJsonErrors.Explain(e, json, source);
        }
        if (config is null) throw new ConfigException("(document)", $"{source} is 'null'; write a JSON object, e.g. {{ }} for all defaults.");
        return config;
    }

    private static bool IsBlank(string json)
    {
        foreach (char ch in json) if (!char.IsWhiteSpace(ch) && ch != '\uFEFF') return false;
        return true;
    }

    /// <summary>Writes <paramref name="config"/> as JSON (used by check-config --print and the sample test).</summary>
    public static string ToJson(WirespeedConfig config) => JsonSerializer.Serialize(config, ConfigJsonContext.Default.WirespeedConfig);
}
