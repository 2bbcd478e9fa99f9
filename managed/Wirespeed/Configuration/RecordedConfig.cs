using System;
using System.IO;

namespace Wirespeed.Configuration;

/// <summary>
/// The configuration a recording was made under, kept beside its segments (<c>DIR/config.json</c>) so that
/// <c>wirespeed replay DIR</c> runs the pipeline the live run ran (breakers, priority rules, patterns) without the
/// operator finding the file again. Its first line is a comment the loader skips and replay reads: whether the run was
/// a simulated day (demo, bench), whose breakers follow simulator.breakerProfile, and the midnight (Unix epoch ns) that
/// the run added to the feed's ns-since-midnight timestamps (events' exchange time, and so signals' exch_ns and every
/// window on it), which a replay must add too to reproduce the live run's signals. The segment headers hold the SHA-256
/// of the JSON that follows, so a changed file is detectable.
/// </summary>
public static class RecordedConfig
{
    /// <summary>The file's name in the recording directory.</summary>
    public const string FileName = "config.json";
    private const string Marker = "// wirespeed recording: simulated-day=";
    private const string MidnightKey = " midnight-ns=";

    /// <summary>Writes the file whole (a temporary file renamed over it): a crash leaves the old one or the new one.</summary>
    public static void Write(string directory, string json, bool simulatedDay, long midnightEpochNs)
    {
        string path = Path.Combine(directory, FileName);
        string temp = path + ".tmp";
        File.WriteAllText(temp, $"{Marker}{(simulatedDay ? "true" : "false")}{MidnightKey}{midnightEpochNs.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n{json}\n");
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// The recorded configuration of <paramref name="directory"/>, validated as any file is (a bad one fails naming the
    /// field), or null when the recording has none; <paramref name="simulatedDay"/> and <paramref name="midnightEpochNs"/>
    /// as the marker says (the midnight is null when the marker has none: a recording made before it was kept).
    /// </summary>
    public static WirespeedConfig? TryLoad(string directory, out bool simulatedDay, out long? midnightEpochNs)
    {
        simulatedDay = false;
        midnightEpochNs = null;
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        using (var reader = new StreamReader(path))
        {
            if (reader.ReadLine() is string first && first.StartsWith(Marker, StringComparison.Ordinal))
            {
                var rest = first.AsSpan(Marker.Length).Trim();
                int at = rest.IndexOf(MidnightKey.AsSpan(1), StringComparison.Ordinal);
                var day = at < 0 ? rest : rest.Slice(0, at).Trim();
                simulatedDay = day.SequenceEqual("true");
                if (at >= 0 && long.TryParse(rest.Slice(at + MidnightKey.Length - 1), System.Globalization.NumberStyles.Integer,
                        System.Globalization.CultureInfo.InvariantCulture, out long midnight))
                    midnightEpochNs = midnight;
            }
        }
        return ConfigLoader.Read(path);
    }
}
