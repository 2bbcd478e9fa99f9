using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace Wirespeed.Fuzzing.Targets;

/// <summary>
/// Structural mutations of a JSON document, made on the token spans a <see cref="Utf8JsonReader"/> finds (comments and
/// trailing commas allowed, as the configuration reader allows them): a value replaced by another type, a boundary
/// number, null (often), a huge or non-ASCII string or deep nesting; a property deleted, duplicated (a duplicate key) or
/// renamed; an array element duplicated; a value swapped for another value of the same document. A document the
/// reader cannot tokenise any more is mutated at the byte level instead.
/// </summary>
public sealed class JsonMutations : IStructuredMutations
{
    private static readonly string[] s_values =
    {
        "null", "true", "false", "0", "-1", "1", "1.5", "-0", "1e400", "-1e400", "1e-400",
        "127", "128", "255", "256", "65535", "65536", "65537", "2147483647", "2147483648", "-2147483648", "-2147483649",
        "4294967295", "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "18446744073709551616", "99999999999999999999999999999999", "1073741824", "67108864",
        "\"\"", "\" \"", "\"x\"", "\"auto\"", "\"A\"", "\"\\u0000\"", "\"::1\"", "\"0.0.0.0\"", "\"255.255.255.255\"",
        "\"239.192.0.1\"", "\"10.255.255.1\"", "\"/nonexistent-dir/out.hlog\"", "\"/dev/full\"", "\"/tmp\"",
        "\"ÉÉÉÉÉÉÉÉÉÉ\"", "\"WIRESPEED1\"", "\"日本語のセッション\"", "\"\\ud800\"", "\"Etc/GMT+99\"", "\"UTC\"",
        "[]", "{}", "[null]", "[{}]", "{\"x\":1}", "[1,2,3]",
    };

    /// <summary>A token span: a property (name through value) or a value.</summary>
    private readonly record struct Span(int Start, int End, bool IsProperty, bool InArray, int NameEnd, JsonTokenType Type);

    public byte[] Mutate(byte[] input, ref FuzzRandom rng)
    {
        List<Span>? spans = Tokenise(input);
        if (spans is null || spans.Count == 0) return input;
        Span s = spans[rng.Next(spans.Count)];
        switch (rng.Next(8))
        {
            case 0: // replace the value with a boundary or mistyped one
                return ReplaceValue(input, s, Encoding.UTF8.GetBytes(s_values[rng.Next(s_values.Length)]));
            case 1: // null where a value was: the most common way a hand-edited file goes wrong
                return ReplaceValue(input, s, "null"u8.ToArray());
            case 2: // delete a property or element, with its comma
                return Delete(input, s);
            case 3: // duplicate a property (duplicate key) or an array element
                if (!s.IsProperty && !s.InArray) return input;
                return Mutator.Insert(input, s.End, Concat(",", input.AsSpan(s.Start, s.End - s.Start)));
            case 4: // rename a property: unknown key, wrong case, empty name
                if (!s.IsProperty) return ReplaceValue(input, s, Encoding.UTF8.GetBytes(s_values[rng.Next(s_values.Length)]));
                string[] names = { "\"\"", "\"X\"", "\"unknown\"", "\"Name\"", "\"lines\"", "\"ceilingBytes\"", "\"é\"" };
                return Mutator.Replace(input, s.Start, s.NameEnd - s.Start, Encoding.UTF8.GetBytes(names[rng.Next(names.Length)]));
            case 5: // deep nesting in place of the value
            {
                int depth = rng.OneIn(4) ? 1 + rng.Next(2000) : 1 + rng.Next(80);
                bool arrays = rng.OneIn(2);
                var sb = new StringBuilder();
                for (int i = 0; i < depth; i++) sb.Append(arrays ? "[" : "{\"a\":");
                sb.Append('1');
                for (int i = 0; i < depth; i++) sb.Append(arrays ? ']' : '}');
                return ReplaceValue(input, s, Encoding.UTF8.GetBytes(sb.ToString()));
            }
            case 6: // a value of this document in another place (type confusion with realistic values)
            {
                Span other = spans[rng.Next(spans.Count)];
                int from = other.IsProperty ? ValueStart(input, other) : other.Start;
                if (from >= other.End) return input;
                return ReplaceValue(input, s, input.AsSpan(from, other.End - from).ToArray());
            }
            default: // a long string, or a number scaled far out of range
            {
                if (rng.OneIn(2)) return ReplaceValue(input, s, Encoding.UTF8.GetBytes("\"" + new string((char)('a' + rng.Next(26)), 1 + rng.Next(70_000)) + "\""));
                string[] scales = { "000", "000000", "000000000000", "e9", "e18", "e308" };
                if (s.Type != JsonTokenType.Number) return input;
                return Mutator.Insert(input, s.End, Encoding.UTF8.GetBytes(scales[rng.Next(scales.Length)]));
            }
        }
    }

    /// <summary>The document less one property or element, for each of them, the largest first.</summary>
    public IEnumerable<byte[]> Reductions(byte[] input)
    {
        List<Span>? spans = Tokenise(input);
        if (spans is null) yield break;
        spans.Sort((a, b) => (b.End - b.Start).CompareTo(a.End - a.Start));
        foreach (var s in spans)
            if (s.IsProperty || s.InArray) yield return Delete(input, s);
    }

    private static byte[] Concat(string prefix, ReadOnlySpan<byte> bytes) => Mutator.Concat(Encoding.UTF8.GetBytes(prefix), bytes);

    private static byte[] ReplaceValue(byte[] input, Span s, byte[] value)
    {
        int start = s.IsProperty ? ValueStart(input, s) : s.Start;
        if (start > s.End) return input;
        return Mutator.Replace(input, start, s.End - start, value);
    }

    /// <summary>First byte of a property's value: after the name, the colon (which the reader may already have consumed
    /// with the name) and whitespace or comments.</summary>
    private static int ValueStart(byte[] input, Span s)
    {
        int i = s.NameEnd;
        while (i < s.End && input[i] != (byte)':' && input[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        if (i < s.End && input[i] == (byte)':') i++;
        while (i < s.End && input[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        return i;
    }

    private static byte[] Delete(byte[] input, Span s)
    {
        int start = s.Start, end = s.End;
        int after = end;
        while (after < input.Length && input[after] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') after++;
        if (after < input.Length && input[after] == (byte)',') end = after + 1;
        else
        {
            int before = start - 1;
            while (before >= 0 && input[before] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') before--;
            if (before >= 0 && input[before] == (byte)',') start = before;
        }
        return Mutator.Replace(input, start, end - start, ReadOnlySpan<byte>.Empty);
    }

    /// <summary>Every property and value span of the document, or what was found before the reader gave up.</summary>
    private static List<Span>? Tokenise(byte[] input)
    {
        var spans = new List<Span>();
        var open = new Stack<(int Start, bool IsProperty, bool InArray, int NameEnd, JsonTokenType Type)>();
        var containers = new Stack<bool>(); // true: array
        var reader = new Utf8JsonReader(input, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 4096,
        });
        int propertyStart = -1, nameEnd = -1;
        try
        {
            while (reader.Read())
            {
                int start = (int)reader.TokenStartIndex;
                int end = (int)reader.BytesConsumed;
                bool inArray = containers.Count > 0 && containers.Peek();
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        propertyStart = start;
                        nameEnd = end;
                        continue;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        open.Push(propertyStart >= 0 ? (propertyStart, true, false, nameEnd, reader.TokenType) : (start, false, inArray, 0, reader.TokenType));
                        containers.Push(reader.TokenType == JsonTokenType.StartArray);
                        propertyStart = -1;
                        continue;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        containers.Pop();
                        var o = open.Pop();
                        spans.Add(new Span(o.Start, end, o.IsProperty, o.InArray, o.NameEnd, o.Type));
                        continue;
                    default:
                        spans.Add(propertyStart >= 0
                            ? new Span(propertyStart, end, true, false, nameEnd, reader.TokenType)
                            : new Span(start, end, false, inArray, 0, reader.TokenType));
                        propertyStart = -1;
                        continue;
                }
            }
        }
        catch (JsonException)
        {
            // A document broken by an earlier mutation: the spans before the break still serve.
        }
        return spans;
    }
}
