using System;
using System.Buffers.Text;
using System.Globalization;
using System.IO;
using System.Text;
using HdrHistogram;

namespace Wirespeed.Core.Monitoring;

/// <summary>
/// Writes an HdrHistogram interval log (.hlog, log format 1.3) in plain ASCII without a byte-order mark, as the
/// reference Java HistogramLogWriter does, so HistogramLogProcessor and hdr-histogram-js read it unchanged:
/// <code>
/// #[Histogram log format version 1.3]
/// #[StartTime: 1764000000.000 (seconds since epoch), Mon Nov 24 13:20:00 UTC 2025]
/// #[BaseTime: 1764000000.000 (seconds since epoch)]
/// "StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"
/// Tag=decode,0.000,1.000,0.012,HISTFAAAA...
/// </code>
/// Interval start times are seconds relative to BaseTime; the max column is the interval's max value divided by
/// <see cref="MaxValueUnitRatio"/> (1e6 by default: ms when values are ns). One thread (the monitor's) writes.
/// </summary>
public sealed class HlogWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly HdrCodec _codec = new();
    private readonly long _baseUnixMs;
    private byte[] _line = new byte[8192];

    /// <param name="stream">Destination; written with ASCII bytes only.</param>
    /// <param name="startUnixMs">Log start and base time, ms since the Unix epoch.</param>
    /// <param name="maxValueUnitRatio">Divisor of the max column. Default: 1e6 (ns → ms).</param>
    /// <param name="leaveOpen">Whether <see cref="Dispose"/> leaves <paramref name="stream"/> open.</param>
    public HlogWriter(Stream stream, long startUnixMs, double maxValueUnitRatio = 1e6, bool leaveOpen = false)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _baseUnixMs = startUnixMs;
        MaxValueUnitRatio = maxValueUnitRatio;
        WriteHeader();
    }

    /// <summary>Creates (or truncates) <paramref name="path"/> and writes the header.</summary>
    public static HlogWriter Create(string path, long startUnixMs, double maxValueUnitRatio = 1e6)
        => new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read), startUnixMs, maxValueUnitRatio);

    /// <summary>Divisor applied to the max column.</summary>
    public double MaxValueUnitRatio { get; }

    /// <summary>
    /// Appends one interval line. <paramref name="tag"/> may be null (an untagged line); commas and whitespace in it
    /// become '_' because the line is comma-separated.
    /// </summary>
    public void Append(string? tag, long startUnixMs, long endUnixMs, HistogramBase histogram)
    {
        ReadOnlySpan<byte> compressed = _codec.EncodeCompressed(histogram);
        int needed = 128 + (tag?.Length ?? 0) * 3 + Base64.GetMaxEncodedToUtf8Length(compressed.Length);
        if (_line.Length < needed) _line = new byte[Math.Max(needed, _line.Length * 2)];
        Span<byte> line = _line;
        int pos = 0;
        if (tag is not null)
        {
            pos += Ascii(line, "Tag=");
            foreach (char c in tag) line[pos++] = c is ',' or ' ' or '\t' or '\r' or '\n' || c > 0x7e ? (byte)'_' : (byte)c;
            line[pos++] = (byte)',';
        }
        pos += Fixed3(line.Slice(pos), (startUnixMs - _baseUnixMs) / 1000.0);
        line[pos++] = (byte)',';
        pos += Fixed3(line.Slice(pos), (endUnixMs - startUnixMs) / 1000.0);
        line[pos++] = (byte)',';
        pos += Fixed3(line.Slice(pos), HistogramStats.Max(histogram) / MaxValueUnitRatio);
        line[pos++] = (byte)',';
        Base64.EncodeToUtf8(compressed, line.Slice(pos), out _, out int written);
        pos += written;
        line[pos++] = (byte)'\n';
        _stream.Write(line.Slice(0, pos));
    }

    /// <summary>Flushes buffered lines to the stream.</summary>
    public void Flush() => _stream.Flush();

    public void Dispose()
    {
        _stream.Flush();
        if (!_leaveOpen) _stream.Dispose();
    }

    private void WriteHeader()
    {
        double startSec = _baseUnixMs / 1000.0;
        string human = DateTimeOffset.FromUnixTimeMilliseconds(_baseUnixMs).UtcDateTime
            .ToString("ddd MMM dd HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture);
        string header =
            "#[Histogram log format version 1.3]\n" +
            "#[StartTime: " + startSec.ToString("F3", CultureInfo.InvariantCulture) + " (seconds since epoch), " + human + "]\n" +
            "#[BaseTime: " + startSec.ToString("F3", CultureInfo.InvariantCulture) + " (seconds since epoch)]\n" +
            "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n";
        _stream.Write(Encoding.ASCII.GetBytes(header));
    }

    private static int Ascii(Span<byte> dest, string s)
    {
        for (int i = 0; i < s.Length; i++) dest[i] = (byte)s[i];
        return s.Length;
    }

    private static int Fixed3(Span<byte> dest, double value)
    {
        // Utf8Formatter has no fixed-point for double; invariant TryFormat into UTF-8 is allocation-free.
        value.TryFormat(dest, out int written, "F3", CultureInfo.InvariantCulture);
        return written;
    }
}
