using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using Wirespeed.Feeds.Udp;

namespace Wirespeed.Configuration;

/// <summary>
/// The names of <see cref="TransportKind"/> in configuration (<c>lines[].transport</c>): auto | xdp | uring | socket |
/// recv | aeron. The file is parsed into the enum once, here; an unknown name is an error naming the ones that exist.
/// </summary>
public static class TransportNames
{
    private static readonly (string Name, TransportKind Kind)[] s_table =
    [
        ("auto", TransportKind.Auto), ("xdp", TransportKind.Xdp), ("uring", TransportKind.Uring),
        ("socket", TransportKind.Socket), ("recv", TransportKind.Recv), ("aeron", TransportKind.Aeron),
    ];

    /// <summary>"auto, xdp, uring, socket, recv".</summary>
    public static string All => string.Join(", ", Array.ConvertAll(s_table, t => t.Name));

    /// <summary>The configuration name of <paramref name="kind"/>.</summary>
    public static string Of(TransportKind kind)
    {
        foreach (var (name, k) in s_table) if (k == kind) return name;
        return kind.ToString().ToLowerInvariant();
    }

    /// <summary>The kind named <paramref name="name"/> (exact, lower case), or false.</summary>
    public static bool TryParse(string? name, out TransportKind kind)
    {
        foreach (var (n, k) in s_table)
            if (n == name)
            {
                kind = k;
                return true;
            }
        kind = TransportKind.Auto;
        return false;
    }
}

/// <summary>Reads and writes <see cref="TransportKind"/> as its configuration name; numbers and unknown names are refused.</summary>
public sealed class TransportKindJsonConverter : JsonConverter<TransportKind>
{
    public override TransportKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"write one of: {TransportNames.All} (a string).");
        string? name = reader.GetString();
        if (!TransportNames.TryParse(name, out var kind))
            throw new JsonException($"'{name}' is not one of: {TransportNames.All}.");
        return kind;
    }

    public override void Write(Utf8JsonWriter writer, TransportKind value, JsonSerializerOptions options)
        => writer.WriteStringValue(TransportNames.Of(value));
}
