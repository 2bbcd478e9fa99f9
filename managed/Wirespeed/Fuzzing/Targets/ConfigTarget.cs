using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Wirespeed.Configuration;

namespace Wirespeed.Fuzzing.Targets;

/// <summary>
/// config: what <c>wirespeed check-config FILE</c> runs, in process: the bytes are written to a temporary file and
/// loaded with <see cref="ConfigLoader.Load"/> (reading, JSON, validation). A rejection is a
/// <see cref="ConfigException"/>; its cause is the field it names (indices masked), marked when the message speaks of
/// .NET internals instead of the field and the fix. Seeds: deploy/*.json and the embedded default as JSON.
/// </summary>
public sealed class ConfigTarget : IFuzzTarget, IDisposable
{
    private static readonly string[] s_internals = { "System.", "isFinalBlock", "JsonTokenType", "BytePositionInLine", "Path: $" };
    private readonly string _directory;
    private readonly string _path;

    public ConfigTarget(IReadOnlyList<byte[]> seeds)
    {
        Seeds = seeds;
        _directory = Directory.CreateTempSubdirectory("wirespeed-fuzz-config-").FullName;
        _path = Path.Combine(_directory, "config.json");
    }

    public string Format => "config";
    public string Extension => ".json";
    public IReadOnlyList<byte[]> Seeds { get; }
    public IStructuredMutations Structured { get; } = new JsonMutations();
    public int MaxBytes => 256 * 1024;

    public string? Run(byte[] input)
    {
        File.WriteAllBytes(_path, input);
        try
        {
            ConfigLoader.Load(_path);
            return null;
        }
        catch (ConfigException e)
        {
            foreach (string s in s_internals)
                if (e.Message.Contains(s, StringComparison.Ordinal)) return Cause(e) + " (message names .NET internals: '" + s + "')";
            return Cause(e);
        }
    }

    /// <summary>
    /// A validation error: "field lines[].port". A reading error (the message names the file): "json: " and the
    /// message's first sentence with quoted text and numbers masked, under the top-level section it occurred in
    /// (paths below it may hold any key a mutation invented).
    /// </summary>
    private string Cause(ConfigException e)
    {
        int file = e.Message.IndexOf(_path, StringComparison.Ordinal);
        if (file < 0) return "field " + MaskIndices(e.Field);
        string text = e.Message.Substring(file + _path.Length).TrimStart(':', ' ');
        int end = text.IndexOfAny(new[] { '.', '(' , ';' });
        if (end > 0) text = text.Substring(0, end);
        string section = e.Field;
        int cut = section.IndexOfAny(new[] { '.', '[' });
        if (cut >= 0) section = section.Substring(0, cut);
        return "json: " + HlogTarget.Category(text).Trim() + (section.Length == 0 || section.StartsWith('(') ? "" : " (in " + section + ")");
    }

    /// <summary>"lines[3].port" → "lines[].port".</summary>
    internal static string MaskIndices(string field)
    {
        var sb = new StringBuilder(field.Length);
        bool inIndex = false;
        foreach (char c in field)
        {
            if (c == '[') inIndex = true;
            else if (c == ']') inIndex = false;
            else if (inIndex && char.IsDigit(c)) continue;
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>The seeds: every deploy/*.json of the repository and the embedded default.</summary>
    public static List<byte[]> LoadSeeds(string? repoRoot)
    {
        var seeds = new List<byte[]> { Encoding.UTF8.GetBytes(ConfigLoader.ToJson(ConfigLoader.Default())) };
        if (repoRoot is not null && Directory.Exists(Path.Combine(repoRoot, "deploy")))
        {
            var files = Directory.GetFiles(Path.Combine(repoRoot, "deploy"), "*.json");
            Array.Sort(files, StringComparer.Ordinal);
            foreach (string f in files) seeds.Add(File.ReadAllBytes(f));
        }
        return seeds;
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
