using System;
using System.IO;

namespace Wirespeed.Configuration;

/// <summary>
/// The configuration a recording was made under, kept beside its segments (<c>DIR/config.json</c>) so that
/// <c>wirespeed replay DIR</c> runs the pipeline the live run ran (breakers, priority rules, patterns) without the
/// operator finding the file again. Its first line is a comment the loader skips and replay reads: whether the run was
/// a simulated day (demo, bench), whose breakers follow simulator.breakerProfile. The segment headers hold the SHA-256
/// of the JSON that follows, so a changed file is detectable.
/// </summary>
public static class RecordedConfig
{
    /// <summary>The file's name in the recording directory.</summary>
    public const string FileName = "config.json";
    private const string Marker = "// wirespeed recording: simulated-day=";

    /// <summary>Writes the file whole (a temporary file renamed over it): a crash leaves the old one or the new one.</summary>
    public static void Write(string directory, string json, bool simulatedDay)
    {
        string path = Path.Combine(directory, FileName);
        string temp = path + ".tmp";
        File.WriteAllText(temp, $"{Marker}{(simulatedDay ? "true" : "false")}\n{json}\n");
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// The recorded configuration of <paramref name="directory"/>, validated as any file is (a bad one fails naming the
    /// field), or null when the recording has none; <paramref name="simulatedDay"/> as the marker says.
    /// </summary>
    public static WirespeedConfig? TryLoad(string directory, out bool simulatedDay)
    {
        simulatedDay = false;
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        using (var reader = new StreamReader(path))
            simulatedDay = reader.ReadLine() is string first && first.StartsWith(Marker, StringComparison.Ordinal) && first.AsSpan(Marker.Length).Trim().SequenceEqual("true");
        return ConfigLoader.Read(path);
    }
}
