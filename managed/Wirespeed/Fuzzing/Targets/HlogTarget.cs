using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;
using HdrHistogram;
using Wirespeed.Core.Monitoring;

namespace Wirespeed.Fuzzing.Targets;

/// <summary>
/// hlog: what <c>wirespeed hdr FILE</c> runs, in process: <see cref="HlogReader.Read"/> (UTF-8, byte-order mark
/// detected, as the file reader opens it), <see cref="HlogReader.MergeByTag"/> and the percentile table and summary
/// line of every tag. A rejection is an <see cref="InvalidDataException"/> (the command prints it and exits 1; its
/// message, numbers masked, is the cause) or a log without intervals. Seeds: logs written by <see cref="HlogWriter"/>
/// as the monitor writes them (tagged stage histograms of ns values).
/// </summary>
public sealed class HlogTarget : IFuzzTarget, IStructuredMutations
{
    public HlogTarget(IReadOnlyList<byte[]> seeds) => Seeds = seeds;

    public string Format => "hlog";
    public string Extension => ".hlog";
    public IReadOnlyList<byte[]> Seeds { get; }
    public IStructuredMutations Structured => this;
    public int MaxBytes => 128 * 1024;

    public string? Run(byte[] input)
    {
        List<HlogInterval> intervals;
        try
        {
            using var reader = new StreamReader(new MemoryStream(input, writable: false), detectEncodingFromByteOrderMarks: true);
            intervals = HlogReader.Read(reader);
        }
        catch (InvalidDataException e)
        {
            return "invalid: " + Category(e.Message);
        }
        // The report `wirespeed hdr` prints, written nowhere: merging per tag, the percentile table and the summary line.
        if (HlogReport.Write(intervals, null, TextWriter.Null) == 0) return "no interval histograms";
        return null;
    }

    /// <summary>The message without its line number, quoted text and any word holding a digit (numbers, hex cookies):
    /// one cause per kind of fault.</summary>
    internal static string Category(string message)
    {
        var sb = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < message.Length && sb.Length < 90;)
        {
            char c = message[i];
            if (c == '\'') { quoted = !quoted; if (quoted) sb.Append("'…'"); i++; continue; }
            if (quoted) { i++; continue; }
            if (!char.IsLetterOrDigit(c)) { sb.Append(c); i++; continue; }
            int start = i;
            bool digit = false;
            for (; i < message.Length && char.IsLetterOrDigit(message[i]); i++) digit |= char.IsDigit(message[i]);
            sb.Append(digit ? "N" : message.AsSpan(start, i - start));
        }
        string s = sb.ToString();
        return s.StartsWith("line N: ", StringComparison.Ordinal) ? s.Substring(8) : s;
    }

    /// <summary>A seed log: <paramref name="intervals"/> intervals of the given tags, values in ns as the monitor records.</summary>
    public static byte[] WriteSeed(ulong seed, int intervals, params string?[] tags)
    {
        var rng = new FuzzRandom(seed);
        using var stream = new MemoryStream();
        using (var writer = new HlogWriter(stream, 1_764_000_000_000, leaveOpen: true))
        {
            for (int i = 0; i < intervals; i++)
                foreach (string? tag in tags)
                {
                    var h = new LongHistogram(1, 60_000_000_000, 3);
                    int n = rng.Next(1, 400);
                    for (int k = 0; k < n; k++) h.RecordValue(100 + rng.Next(1 << (4 + rng.Next(20))));
                    writer.Append(tag, 1_764_000_000_000 + i * 1000L, 1_764_000_000_000 + (i + 1) * 1000L, h);
                }
        }
        return stream.ToArray();
    }

    /// <summary>
    /// Mutates one interval line: its histogram encoding (decoded from base64 and zlib, a header field or the counts
    /// changed, then written back compressed or not), a number field, the tag, or a header time; or repeats the line.
    /// </summary>
    public byte[] Mutate(byte[] input, ref FuzzRandom rng)
    {
        string text = Encoding.UTF8.GetString(input);
        string[] lines = text.Split('\n');
        var candidates = new List<int>();
        for (int i = 0; i < lines.Length; i++)
            if (lines[i].Length > 0 && lines[i][0] != '"' && (lines[i][0] != '#' || rng.OneIn(8))) candidates.Add(i);
        if (candidates.Count == 0) return input;
        int li = candidates[rng.Next(candidates.Count)];
        string line = lines[li];
        if (line[0] == '#')
        {
            string[] numbers = { "NaN", "-1", "1e308", "-1e308", "0", "", "1764000000.000", "9999999999999999999999" };
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon < 0) return input;
            int end = colon + 2;
            while (end < line.Length && line[end] != ' ' && line[end] != ']') end++;
            lines[li] = line.Substring(0, colon + 2) + numbers[rng.Next(numbers.Length)] + line.Substring(end);
            return Encoding.UTF8.GetBytes(string.Join('\n', lines));
        }
        int tagEnd = line.StartsWith("Tag=", StringComparison.Ordinal) ? line.IndexOf(',') + 1 : 0;
        string[] fields = line.Substring(tagEnd).Split(',');
        switch (rng.Next(6))
        {
            case 0:
            case 1:
            case 2: // the histogram
            {
                if (fields.Length != 4) return input;
                byte[]? encoded = MutateHistogram(fields[3], ref rng);
                if (encoded is null) return input;
                fields[3] = Convert.ToBase64String(encoded);
                break;
            }
            case 3: // a number field
            {
                string[] numbers = { "NaN", "-1", "1e308", "-Infinity", "0", "", "x", "1764000000", "-1764000000", "0.0000001" };
                fields[rng.Next(Math.Min(3, fields.Length))] = numbers[rng.Next(numbers.Length)];
                break;
            }
            case 4: // the tag
            {
                string[] tags = { "Tag=,", "Tag=é,", "Tag=" + new string('t', 300) + ",", "Tag=decode,", "", "Tag=a=b," };
                lines[li] = tags[rng.Next(tags.Length)] + line.Substring(tagEnd);
                return Encoding.UTF8.GetBytes(string.Join('\n', lines));
            }
            default: // the line repeated (many intervals of one tag to merge)
            {
                int times = 1 + rng.Next(16);
                var sb = new StringBuilder();
                for (int i = 0; i < times; i++) sb.Append('\n').Append(line);
                lines[li] = line + sb;
                return Encoding.UTF8.GetBytes(string.Join('\n', lines));
            }
        }
        lines[li] = line.Substring(0, tagEnd) + string.Join(',', fields);
        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }

    /// <summary>The V2 encoding of <paramref name="base64"/> with one header field or count changed; null when it is not one.</summary>
    private static byte[]? MutateHistogram(string base64, ref FuzzRandom rng)
    {
        byte[] compressed;
        try { compressed = Convert.FromBase64String(base64); }
        catch (FormatException) { return null; }
        if (compressed.Length < 8) return null;
        byte[] raw;
        try
        {
            using var z = new ZLibStream(new MemoryStream(compressed, 8, compressed.Length - 8), CompressionMode.Decompress);
            using var o = new MemoryStream();
            z.CopyTo(o);
            raw = o.ToArray();
        }
        catch (InvalidDataException) { return null; }
        if (raw.Length < 40) return null;
        switch (rng.Next(7))
        {
            case 0: // significant digits
            {
                int[] digits = { -1, 0, 1, 2, 5, 6, 18, int.MaxValue };
                BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(12), digits[rng.Next(digits.Length)]);
                break;
            }
            case 1: // lowest and highest trackable values
            {
                long[] values = { -1, 0, 1, 2, 1000, 1L << 40, long.MaxValue / 2, long.MaxValue, long.MinValue };
                BinaryPrimitives.WriteInt64BigEndian(raw.AsSpan(rng.OneIn(2) ? 16 : 24), values[rng.Next(values.Length)]);
                break;
            }
            case 2: // payload length
            {
                int length = BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(4));
                int[] values = { -1, 0, length - 1, length + 1, int.MaxValue, int.MinValue };
                BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(4), values[rng.Next(values.Length)]);
                break;
            }
            case 3: // normalizing index offset, cookie
                BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(rng.OneIn(2) ? 8 : 0), rng.OneIn(2) ? 1 : (int)rng.NextUInt64());
                break;
            case 4: // a huge count, a huge zero run or a negative count appended to the counts
            {
                long[] counts = { long.MaxValue, long.MinValue, -int.MaxValue, -(1L << 40), int.MaxValue, 1L << 62, -2 };
                var extra = new byte[9];
                int n = HdrCodec.WriteZigZag(extra, counts[rng.Next(counts.Length)]);
                raw = Mutator.Insert(raw, 40 + rng.Next(raw.Length - 40 + 1), extra.AsSpan(0, n));
                BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(4), raw.Length - 40);
                break;
            }
            case 5: // an unterminated LEB128 count at the end
                raw = Mutator.Concat(raw, new byte[] { 0x80, 0x80, 0x80 });
                BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(4), raw.Length - 40);
                break;
            default: // the conversion ratio
                BinaryPrimitives.WriteDoubleBigEndian(raw.AsSpan(32), rng.OneIn(2) ? double.NaN : 0);
                break;
        }
        if (rng.OneIn(3)) return raw; // the uncompressed form, which the decoder also accepts
        using var zlib = new MemoryStream();
        using (var z = new ZLibStream(zlib, CompressionLevel.Fastest, leaveOpen: true)) z.Write(raw);
        var result = new byte[8 + zlib.Length];
        BinaryPrimitives.WriteInt32BigEndian(result, HdrCodec.V2CompressedEncodingCookie);
        BinaryPrimitives.WriteInt32BigEndian(result.AsSpan(4), rng.OneIn(8) ? (int)zlib.Length + rng.Next(-2, 3) : (int)zlib.Length);
        zlib.GetBuffer().AsSpan(0, (int)zlib.Length).CopyTo(result.AsSpan(8));
        return result;
    }
}
