using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace Wirespeed.BenchGuard;

/// <summary>One benchmark's recorded figure: its cost relative to the reference loop measured in the same run.</summary>
/// <param name="Ratio">ns per operation ÷ the reference's ns per operation (machine speed cancels out).</param>
/// <param name="NsPerOp">The absolute figure on the recording machine (information only: never compared).</param>
/// <param name="Unit">What one operation is (message, event, item).</param>
public sealed record GuardBaselineEntry(double Ratio, double NsPerOp, string Unit);

/// <summary>
/// The recorded baseline of <c>bench --check</c> (perf/baseline.json): the tolerance, the scale and repetitions it was
/// measured with, and per benchmark its ratio to the reference. Read with <see cref="JsonDocument"/> (AOT-safe, no
/// reflection); every error names the field and the fix.
/// </summary>
public sealed record GuardBaseline(double Tolerance, string Scale, int Repetitions, string Recorded, string Machine,
                                   IReadOnlyDictionary<string, GuardBaselineEntry> Benchmarks)
{
    /// <summary>Default tolerance: a benchmark fails when its ratio exceeds the baseline's by more than 30 % (why: perf/RESULTS.md, Issue 15).</summary>
    public const double DefaultTolerance = 0.30;

    public static GuardBaseline Load(string path)
    {
        if (!File.Exists(path))
            throw new GuardBaselineException($"baseline {path} does not exist: record one with ./ws bench --check --update");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new GuardBaselineException($"baseline {path} is not valid JSON ({e.Message}): fix it or re-record it with ./ws bench --check --update");
        }
        using (doc) return Parse(path, doc.RootElement);
    }

    private static GuardBaseline Parse(string path, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Bad(path, "(root)", "must be a JSON object");
        double tolerance = Number(path, root, "tolerance", "tolerance");
        if (tolerance is <= 0 or > 10) throw Bad(path, "tolerance", $"must be > 0 and ≤ 10 (a fraction: 0.30 allows 30 % slower), found {tolerance.ToString(CultureInfo.InvariantCulture)}");
        string scale = Text(path, root, "scale", "scale");
        if (scale is not ("full" or "quick")) throw Bad(path, "scale", $"must be \"full\" or \"quick\", found \"{scale}\"");
        double reps = Number(path, root, "repetitions", "repetitions");
        if (reps is < 1 or > 100 || reps != Math.Floor(reps)) throw Bad(path, "repetitions", "must be a whole number 1..100");
        string recorded = root.TryGetProperty("recorded", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "";
        string machine = root.TryGetProperty("machine", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
        if (!root.TryGetProperty("benchmarks", out var list)) throw Bad(path, "benchmarks", "is missing (an object: benchmark name → { ratio, ns_per_op, unit })");
        if (list.ValueKind != JsonValueKind.Object) throw Bad(path, "benchmarks", "must be an object: benchmark name → { ratio, ns_per_op, unit }");
        var entries = new Dictionary<string, GuardBaselineEntry>(StringComparer.Ordinal);
        foreach (var p in list.EnumerateObject())
        {
            string field = "benchmarks." + p.Name;
            if (p.Value.ValueKind != JsonValueKind.Object) throw Bad(path, field, "must be an object { ratio, ns_per_op, unit }");
            double ratio = Number(path, p.Value, "ratio", field + ".ratio");
            if (ratio <= 0) throw Bad(path, field + ".ratio", "must be > 0");
            double ns = Number(path, p.Value, "ns_per_op", field + ".ns_per_op");
            string unit = Text(path, p.Value, "unit", field + ".unit");
            entries[p.Name] = new GuardBaselineEntry(ratio, ns, unit);
        }
        return new GuardBaseline(tolerance, scale, (int)reps, recorded, machine, entries);
    }

    private static double Number(string path, JsonElement obj, string name, string field)
    {
        if (!obj.TryGetProperty(name, out var v)) throw Bad(path, field, "is missing (a number)");
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || !double.IsFinite(d))
            throw Bad(path, field, $"must be a number, found {v.GetRawText()}");
        return d;
    }

    private static string Text(string path, JsonElement obj, string name, string field)
    {
        if (!obj.TryGetProperty(name, out var v)) throw Bad(path, field, "is missing (a string)");
        if (v.ValueKind != JsonValueKind.String) throw Bad(path, field, $"must be a string, found {v.GetRawText()}");
        return v.GetString()!;
    }

    private static GuardBaselineException Bad(string path, string field, string what) =>
        new($"baseline {path}: {field} {what}; fix the file or re-record it with ./ws bench --check --update");

    /// <summary>Writes the baseline as indented JSON, benchmarks in <paramref name="order"/>.</summary>
    public void Write(string path, IReadOnlyList<string> order)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("_comment", "bench --check baseline: ratio = ns per operation / ns per operation of the reference loop (FNV-1a over 64 bytes), measured in the same run, best of 'repetitions'. A benchmark fails above ratio x (1 + tolerance). Re-record: ./ws bench --check --update");
            w.WriteNumber("tolerance", Tolerance);
            w.WriteString("scale", Scale);
            w.WriteNumber("repetitions", Repetitions);
            w.WriteString("recorded", Recorded);
            w.WriteString("machine", Machine);
            w.WriteStartObject("benchmarks");
            foreach (string name in order)
            {
                var e = Benchmarks[name];
                w.WriteStartObject(name);
                w.WriteNumber("ratio", Math.Round(e.Ratio, 4));
                w.WriteNumber("ns_per_op", Math.Round(e.NsPerOp, 2));
                w.WriteString("unit", e.Unit);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir != null) Directory.CreateDirectory(dir);
        File.WriteAllBytes(path, stream.ToArray());
    }
}

/// <summary>A baseline file that cannot be used; the message names the file, the field and the fix.</summary>
public sealed class GuardBaselineException : Exception
{
    public GuardBaselineException(string message) : base(message) { }
}
