using System;
using System.Collections.Generic;
using System.IO;
using Wirespeed.Feeds.Fix;

namespace Wirespeed.Fuzzing.Targets;

/// <summary>
/// fix: a FIX tag=value byte stream through the production path: <see cref="FixFramer"/> finds each message (garbage
/// skipped, framing faults dropped), <see cref="FixParser"/> validates it against <see cref="FixDictionary.Default"/>
/// (strict, and again keeping undefined tags), and every top-level field, group entry and nested entry is read through
/// the typed readers. Rejection causes: the first framing or parse status ("frame.bad_checksum",
/// "parse.incorrect_num_in_group_count"), else "stream.garbage" or "stream.truncated_tail". Seeds: the real samples of
/// shared/data/fix (the jspurefix logs re-framed with correct BodyLength and CheckSum, so mutations reach the parser)
/// and golden messages written by <see cref="FixWriter"/>.
/// </summary>
public sealed class FixTarget : IFuzzTarget, IStructuredMutations
{
    private readonly FixParser _strict = new(FixDictionary.Default);
    private readonly FixParser _keep = new(FixDictionary.Default, new FixParserOptions { UndefinedTags = FixUndefinedTagPolicy.Keep });
    private readonly byte[] _out = new byte[512];

    public FixTarget(IReadOnlyList<byte[]> seeds) => Seeds = seeds;

    public string Format => "fix";
    public string Extension => ".fix";
    public IReadOnlyList<byte[]> Seeds { get; }
    public IStructuredMutations Structured => this;
    public int MaxBytes => 64 * 1024;

    public string? Run(byte[] input)
    {
        string? cause = null;
        long garbage = 0, sink = 0;
        var rest = input.AsSpan();
        while (true)
        {
            var s = FixFramer.TryFrame(rest, out var f);
            garbage += f.Start;
            if (s == FixStatus.NeedMoreBytes)
            {
                if (rest.Length > f.Start) cause ??= "stream.truncated_tail";
                break;
            }
            if (s != FixStatus.Ok) cause ??= "frame." + s.Name();
            else
            {
                var m = rest.Slice(f.Start, f.Length);
                var ps = _strict.Parse(m, out var v);
                if (ps != FixStatus.Ok)
                {
                    cause ??= "parse." + ps.Name();
                    if (ps.SessionRejectReason() < 0 && ps != FixStatus.TooManyFields) throw new InvalidOperationException($"parse status {ps} is not one a session can reject with");
                }
                sink += ReadAll(v);
                if (_keep.Parse(m, out var k) == FixStatus.Ok) sink += ReadAll(k);
            }
            rest = rest.Slice(f.Start + f.Length);
        }
        if (garbage > 0) cause ??= "stream.garbage";
        var w = new FixWriter(_out, "FIX.4.4"u8, "0"u8);
        w.Int(34, sink);
        w.Finish(out _);
        return cause;
    }

    private static long ReadAll(FixView v)
    {
        long sink = 0;
        for (int i = 0; i < v.FieldCount; i++)
        {
            int tag = v.Tag(i);
            var value = v.Value(i);
            FixValue.TryInt(value, out long n);
            FixValue.TryFixed(value, 4, out long px);
            FixValue.TryUtcTimestamp(value, out long ts);
            FixValue.TryUtcTimeOnly(value, out long tod);
            sink += tag + n + px + ts + tod;
            var g = v.Group(tag);
            for (int e = 0; e < g.Count; e++)
            {
                var entry = g[e];
                entry.TryGetFixed(270, 4, out long p);
                entry.TryGetInt(271, out long q);
                entry.TryGetChar(269, out byte t);
                entry.TryGetTimestamp(60, out long et);
                entry.TryGet(55, out var sym);
                var nested = entry.Group(802);
                for (int x = 0; x < nested.Count; x++) sink += nested[x].Has(523) ? 1 : 0;
                sink += p + q + t + et + sym.Length;
            }
        }
        return sink;
    }

    /// <summary>
    /// Field-level mutations of a stream split at SOH: a value set to a boundary (empty, negative, huge, letters, a bad
    /// timestamp), a NumInGroup off by one, a field deleted, duplicated or moved, a tag changed; then, three times in
    /// four, BodyLength and CheckSum recomputed so that the damage reaches the parser instead of stopping at framing.
    /// </summary>
    public byte[] Mutate(byte[] input, ref FuzzRandom rng)
    {
        var fields = Split(input);
        if (fields.Count < 4) return input;
        int at = rng.Next(fields.Count);
        string f = fields[at];
        int eq = f.IndexOf('=');
        string tag = eq < 0 ? f : f.Substring(0, eq);
        switch (rng.Next(7))
        {
            case 0:
            {
                string[] values = { "", "-1", "0", "99999999999999999999", "abc", "1.2.3", "20261307-25:61:61", "20261207-23:59:60.123456789", "-", ".", "Y", "\u00ff" };
                fields[at] = tag + "=" + values[rng.Next(values.Length)];
                break;
            }
            case 1:
            {
                int count = fields.FindIndex(x => x.StartsWith("268=", StringComparison.Ordinal) || x.StartsWith("453=", StringComparison.Ordinal) || x.StartsWith("802=", StringComparison.Ordinal) || x.StartsWith("146=", StringComparison.Ordinal) || x.StartsWith("267=", StringComparison.Ordinal));
                if (count >= 0 && int.TryParse(fields[count].AsSpan(4), out int n)) fields[count] = fields[count].Substring(0, 4) + (n + rng.Next(-2, 3));
                else fields.RemoveAt(at);
                break;
            }
            case 2: fields.RemoveAt(at); break;
            case 3: fields.Insert(at, f); break;
            case 4:
            {
                int to = rng.Next(fields.Count);
                fields.RemoveAt(at);
                fields.Insert(Math.Min(to, fields.Count), f);
                break;
            }
            case 5:
            {
                string[] tags = { "8", "9", "35", "10", "34", "0", "00", "268", "279", "269", "55", "20460", "999999999", "x" };
                fields[at] = tags[rng.Next(tags.Length)] + (eq < 0 ? "" : f.Substring(eq));
                break;
            }
            default:
            {
                string[] types = { "X", "W", "V", "Y", "D", "F", "G", "8", "9", "3", "j", "A", "0", "1", "2", "4", "5", "Q", "AE" };
                int mt = fields.FindIndex(x => x.StartsWith("35=", StringComparison.Ordinal));
                if (mt >= 0) fields[mt] = "35=" + types[rng.Next(types.Length)];
                break;
            }
        }
        if (!rng.OneIn(4)) Reframe(fields);
        return Join(fields);
    }

    private static List<string> Split(byte[] input)
    {
        var list = new List<string>();
        int start = 0;
        for (int i = 0; i <= input.Length; i++)
        {
            if (i < input.Length && input[i] != FixFramer.Soh) continue;
            if (i > start || i < input.Length) list.Add(System.Text.Encoding.Latin1.GetString(input, start, i - start));
            start = i + 1;
        }
        return list;
    }

    private static byte[] Join(List<string> fields)
    {
        var ms = new MemoryStream();
        foreach (var f in fields)
        {
            var b = System.Text.Encoding.Latin1.GetBytes(f);
            ms.Write(b);
            ms.WriteByte(FixFramer.Soh);
        }
        return ms.ToArray();
    }

    /// <summary>Recomputes 9= and 10= of every message that has both, in place.</summary>
    internal static void Reframe(List<string> fields)
    {
        for (int i = 0; i < fields.Count; i++)
        {
            if (!fields[i].StartsWith("8=", StringComparison.Ordinal) || i + 1 >= fields.Count || !fields[i + 1].StartsWith("9=", StringComparison.Ordinal)) continue;
            int end = fields.FindIndex(i + 2, x => x.StartsWith("10=", StringComparison.Ordinal));
            if (end < 0) return;
            int body = 0;
            for (int j = i + 2; j < end; j++) body += System.Text.Encoding.Latin1.GetByteCount(fields[j]) + 1;
            fields[i + 1] = "9=" + body;
            int sum = 0;
            for (int j = i; j < end; j++)
            {
                foreach (byte b in System.Text.Encoding.Latin1.GetBytes(fields[j])) sum += b;
                sum += FixFramer.Soh;
            }
            fields[end] = "10=" + (sum % 256).ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
            i = end;
        }
    }

    /// <summary>The seeds: the sample files (logs re-framed) and golden messages.</summary>
    public static List<byte[]> LoadSeeds(string? sharedData)
    {
        if (sharedData is null || !Directory.Exists(Path.Combine(sharedData, "fix")))
            throw new Commands.UsageException("fuzz: the seed files (shared/data/fix) were not found beside the repository; run from the repository or set WIRESPEED_SHARED_DATA.");
        var seeds = new List<byte[]>();
        var files = Directory.GetFiles(Path.Combine(sharedData, "fix"));
        Array.Sort(files, StringComparer.Ordinal);
        foreach (string file in files)
        {
            var bytes = File.ReadAllBytes(file);
            if (file.EndsWith(".fix", StringComparison.Ordinal)) { seeds.Add(bytes); continue; }
            if (!file.EndsWith(".txt", StringComparison.Ordinal)) continue;
            var text = System.Text.Encoding.Latin1.GetString(bytes).TrimEnd('\n', '\r').Replace('|', '\u0001');
            var fields = Split(System.Text.Encoding.Latin1.GetBytes(text));
            fields[0] = fields[0] == "8=FIX4.4" ? "8=FIX.4.4" : "8=FIXT.1.1";
            Reframe(fields);
            seeds.Add(Join(fields));
        }
        seeds.Add(Golden(5));
        seeds.Add(Golden(1));
        return seeds;
    }

    private static byte[] Golden(int entries)
    {
        var buffer = new byte[2048];
        var w = new FixWriter(buffer, "FIXT.1.1"u8, "X"u8);
        w.Bytes(49, "VENUE"u8);
        w.Bytes(56, "WS"u8);
        w.Int(34, 42);
        w.Timestamp(52, 1_765_150_000_123_000_000L, FixTimePrecision.Microseconds);
        w.Int(268, entries);
        for (int i = 0; i < entries; i++)
        {
            w.Char(279, (byte)('0' + i % 3));
            w.Char(269, (byte)('0' + i % 2));
            w.Bytes(55, "ESZ6"u8);
            w.Int(83, 500 + i);
            w.Fixed(270, 60_122_500 + i * 2500, 4);
            w.Int(271, 10 + i);
        }
        w.Finish(out int n);
        var d = new FixWriter(buffer.AsSpan(n), "FIX.4.4"u8, "D"u8);
        d.Bytes(49, "WS"u8);
        d.Bytes(56, "OMS"u8);
        d.Int(34, 7);
        d.Timestamp(52, 1_765_150_000_000_000_000L);
        d.Bytes(11, "ord-1"u8);
        d.Char(54, (byte)'1');
        d.Char(40, (byte)'2');
        d.Fixed(44, 1_871_234, 4);
        d.Int(453, 1);
        d.Bytes(448, "TRADER"u8);
        d.Int(802, 1);
        d.Bytes(523, "desk"u8);
        d.Finish(out int m);
        return buffer.AsSpan(0, n + m).ToArray();
    }
}
