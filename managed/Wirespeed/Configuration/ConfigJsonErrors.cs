using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Wirespeed.Configuration;

/// <summary>
/// Turns the JSON reader's and binder's exceptions into <see cref="ConfigException"/>s that speak of the field, the value
/// and the line in the file, never of .NET types ("could not be converted to System.Int32") or reader internals
/// ("isFinalBlock"): the value at the failing path is looked up in the document to say what was written and what fits.
/// </summary>
/// <remarks>
/// An integer too large for its field's type is reported with the field's own range, which only the validator knows:
/// the document is read again with the value clamped to the type's bound, and the range the validator then names for
/// that field is the one said (e.g. lines[0].port: 99999999999 is out of range 1..65535). Where the validator takes
/// the bound, or stops at another field first, the type's range is said instead.
/// </remarks>
internal static partial class ConfigJsonErrors
{
    [ThreadStatic] private static bool t_probing;   // the probe's own read never probes again

    public static ConfigException Explain(JsonException e, string json, string source)
    {
        string field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "(document)" : e.Path.TrimStart('$', '.');
        string at = e.LineNumber is long line ? $" ({source}, line {line + 1})" : $" ({source})";
        string m = e.Message;
        if (m.Contains("could not be mapped", StringComparison.Ordinal))
            return new ConfigException(field, "unknown key. Check its spelling against deploy/wirespeed.json (keys are camelCase)." + at);
        if (m.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
            return new ConfigException(field, "the key appears twice in one object; keep one (the file would otherwise say two things)." + at);
        if (m.Contains("doesn't allow setting null", StringComparison.Ordinal) || m.Contains("null values", StringComparison.Ordinal))
            return new ConfigException(field, "is null; write a value, or remove the key for its default." + at);
        if (m.Contains("could not be converted", StringComparison.Ordinal))
            return new ConfigException(field, WrongValue(m, ValueAt(json, e.Path), json, e.Path, field) + at);
        if (e.InnerException?.GetType().Name == "JsonReaderException" || (e.Path is null && e.LineNumber is not null))   // the reader's own: not JSON
            return new ConfigException(field, "not valid JSON: " + ReaderMessage(m) + at);
        return new ConfigException(field, StripInternals(m) + at);
    }

    /// <summary>What was written and what the field takes: a number out of range, a fraction, or a value of another type.</summary>
    private static string WrongValue(string message, JsonElement? value, string json, string? path, string field)
    {
        // The binder names the target type; only its kind is said here (number, true or false, text, list, object).
        var (kind, min, max) = Target(message);
        if (value is not { } v) return $"the value is not {kind}.";
        if (v.ValueKind == JsonValueKind.Number && max is not null)
        {
            string raw = v.GetRawText();
            bool whole = raw.IndexOfAny(['.', 'e', 'E']) < 0;
            if (!whole) return $"{raw} is not a whole number; write an integer in {min}..{max}.";
            string range = FieldRange(json, path, field, raw.StartsWith('-') ? min! : max) ?? $"{min}..{max}";
            return $"{raw} is out of range {range}.";
        }
        if (v.ValueKind == JsonValueKind.Number && kind == "a number") return $"{v.GetRawText()} is out of range for a number.";
        return $"{Written(v)} is {Kind(v.ValueKind)}; write {kind}.";
    }

    /// <summary>
    /// The range the validator names for <paramref name="field"/> when the value at <paramref name="path"/> is the type's
    /// <paramref name="bound"/> (a document that reads), or null when it accepts that or stops at another field first.
    /// </summary>
    private static string? FieldRange(string json, string? path, string field, string bound)
    {
        if (t_probing || path is null) return null;
        string probe;
        try
        {
            var root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (root is null || !TrySet(root, path, bound)) return null;
            probe = root.ToJsonString();
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)   // e.g. a key written twice
        {
            return null;
        }
        t_probing = true;
        try
        {
            ConfigLoader.Parse(probe, "probe");
            return null;   // the bound itself is valid: only the type limits the field
        }
        catch (ConfigException c) when (c.Field == field)
        {
            var range = RangeIn().Match(c.Message[(field.Length + 1)..]);
            return range.Success ? range.Value : null;
        }
        catch (ConfigException)
        {
            return null;
        }
        finally
        {
            t_probing = false;
        }
    }

    /// <summary>Sets the value at a binder path (<c>$.lines[0].port</c>) to the number <paramref name="number"/>.</summary>
    private static bool TrySet(JsonNode root, string path, string number)
    {
        JsonNode? parent = null, node = root;
        string? key = null;
        int index = -1, i = 1;
        while (i < path.Length && node is not null)
        {
            parent = node;
            if (path[i] == '.')
            {
                int end = path.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = path.Length;
                key = path[(i + 1)..end];
                index = -1;
                node = node is JsonObject o && o.TryGetPropertyValue(key, out var child) ? child : null;
                i = end;
            }
            else if (path[i] == '[')
            {
                int end = path.IndexOf(']', i);
                if (end < 0) return false;
                string inner = path[(i + 1)..end];
                if (inner.StartsWith('\'') && inner.EndsWith('\''))
                {
                    key = inner[1..^1];
                    index = -1;
                    node = node is JsonObject o && o.TryGetPropertyValue(key, out var child) ? child : null;
                }
                else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out index) && node is JsonArray a && index < a.Count)
                {
                    key = null;
                    node = a[index];
                }
                else return false;
                i = end + 1;
            }
            else return false;
        }
        if (node is null || parent is null) return false;
        var value = JsonNode.Parse(number);
        if (parent is JsonObject po && key is not null) po[key] = value;
        else if (parent is JsonArray pa && index >= 0) pa[index] = value;
        else return false;
        return true;
    }

    /// <summary>A range as the validator writes it: "1..65535", "1024..536870912", "64 KiB..1 GiB".</summary>
    [GeneratedRegex(@"-?\d+(?: [KMG]iB)?\.\.-?\d+(?: [KMG]iB)?")]
    private static partial Regex RangeIn();

    private static (string Kind, string? Min, string? Max) Target(string message)
    {
        static string S(long v) => v.ToString(CultureInfo.InvariantCulture);
        // A collection first: its element type is named inside it ("List`1[System.Int32]").
        if (message.Contains("List`1", StringComparison.Ordinal) || message.Contains("[]", StringComparison.Ordinal)) return ("a list [ … ]", null, null);
        if (message.Contains("Dictionary`2", StringComparison.Ordinal)) return ("an object { \"key\": value, … }", null, null);
        if (message.Contains("System.Int32", StringComparison.Ordinal)) return ("a whole number", S(int.MinValue), S(int.MaxValue));
        if (message.Contains("System.Int64", StringComparison.Ordinal)) return ("a whole number", S(long.MinValue), S(long.MaxValue));
        if (message.Contains("System.UInt64", StringComparison.Ordinal)) return ("a whole number", "0", ulong.MaxValue.ToString(CultureInfo.InvariantCulture));
        if (message.Contains("System.Byte", StringComparison.Ordinal)) return ("a whole number", "0", "255");
        if (message.Contains("System.Double", StringComparison.Ordinal)) return ("a number", null, null);
        if (message.Contains("System.Boolean", StringComparison.Ordinal)) return ("true or false", null, null);
        if (message.Contains("System.String", StringComparison.Ordinal)) return ("a string in double quotes", null, null);
        if (message.Contains("TimeSpan", StringComparison.Ordinal) || message.Contains("TimeOnly", StringComparison.Ordinal)) return ("a time of day \"HH:MM:SS\"", null, null);
        return ("an object { … } or one of the documented values (see deploy/wirespeed.json)", null, null);
    }

    private static string Kind(JsonValueKind k) => k switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.String => "a string",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => "a value of another type",
    };

    private static string Written(JsonElement v)
    {
        string raw = v.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? (v.ValueKind == JsonValueKind.Object ? "{…}" : "[…]") : v.GetRawText();
        return raw.Length > 40 ? raw[..40] + "…" : raw;
    }

    /// <summary>The value at a binder path such as <c>$.lines[0].port</c>, or null when the document or path cannot be read.</summary>
    private static JsonElement? ValueAt(string json, string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '$') return null;
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var e = doc.RootElement;
            int i = 1;
            while (i < path.Length)
            {
                if (path[i] == '.')
                {
                    int end = path.IndexOfAny(['.', '['], i + 1);
                    if (end < 0) end = path.Length;
                    if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(path[(i + 1)..end], out e)) return null;
                    i = end;
                }
                else if (path[i] == '[')
                {
                    int end = path.IndexOf(']', i);
                    if (end < 0) return null;
                    string inner = path[(i + 1)..end];
                    if (inner.StartsWith('\'') && inner.EndsWith('\''))
                    {
                        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(inner[1..^1], out e)) return null;
                    }
                    else if (!int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                             || e.ValueKind != JsonValueKind.Array || index >= e.GetArrayLength()) return null;
                    else e = e[index];
                    i = end + 1;
                }
                else return null;
            }
            return e.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The reader's message without its position suffix (given as the line) and in words for its terms.</summary>
    private static string ReaderMessage(string m)
    {
        if (m.Contains("isFinalBlock", StringComparison.OrdinalIgnoreCase) || m.Contains("open JSON object or array", StringComparison.Ordinal))
            return "the text ends before every { and [ is closed (a truncated file?).";
        if (m.Contains("reached end of data", StringComparison.Ordinal))
            return "the text ends inside a string or a value (a truncated file?).";
        return StripInternals(m);
    }

    private static string StripInternals(string m)
    {
        foreach (string cut in new[] { " LineNumber:", " Path:", " | BytePositionInLine" })
        {
            int i = m.IndexOf(cut, StringComparison.Ordinal);
            if (i >= 0) m = m[..i];
        }
        m = m.Trim();
        // Anything that still names a .NET type is replaced by a plain statement.
        return m.Contains("System.", StringComparison.Ordinal) || m.Contains("Wirespeed.", StringComparison.Ordinal)
            ? "the value does not fit this field; see deploy/wirespeed.json for its form."
            : m;
    }
}
