using System;
using System.Runtime.CompilerServices;

namespace Wirespeed.Feeds.Fix;

/// <summary>
/// Typed readers of FIX field values (FIX Transport TagValue encoding, "Data types"), straight from the bytes, no
/// strings. Each returns <see cref="FixStatus.Ok"/>, <see cref="FixStatus.TagSpecifiedWithoutValue"/> (empty),
/// <see cref="FixStatus.IncorrectDataFormat"/> (wrong characters or shape) or <see cref="FixStatus.ValueIncorrect"/>
/// (right shape, out of range: overflow, month 13).
/// </summary>
public static class FixValue
{
    private const long NsPerSecond = 1_000_000_000L;
    private const long NsPerDay = 86_400L * NsPerSecond;
    private static readonly long[] s_pow10 =
    {
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000,
    };

    /// <summary>int, SeqNum, NumInGroup, Length, TagNum: optional '-', then digits (leading zeros allowed, as FIX allows).</summary>
    public static FixStatus TryInt(ReadOnlySpan<byte> v, out long value)
    {
        value = 0;
        if (v.IsEmpty) return FixStatus.TagSpecifiedWithoutValue;
        int i = 0;
        bool negative = v[0] == (byte)'-';
        if (negative && ++i == v.Length) return FixStatus.IncorrectDataFormat;
        ulong acc = 0;
        for (; i < v.Length; i++)
        {
            uint d = (uint)(v[i] - '0');
            if (d > 9) return FixStatus.IncorrectDataFormat;
            if (acc > ((ulong)long.MaxValue - d) / 10) return Overflow(v, i + 1, dot: false);
            acc = acc * 10 + d;
        }
        value = negative ? -(long)acc : (long)acc;
        return FixStatus.Ok;
    }

    /// <summary>
    /// float, Price, Qty, Amt, PriceOffset: optional '-', digits, optional '.' and digits (no exponent, FIX forbids it),
    /// as a fixed-point long with <paramref name="decimals"/> implied decimals (4 for MarketEvent prices). Digits beyond
    /// <paramref name="decimals"/> are truncated toward zero ("2.686142" at 4 decimals is 26861).
    /// </summary>
    public static FixStatus TryFixed(ReadOnlySpan<byte> v, int decimals, out long value)
    {
        value = 0;
        if (v.IsEmpty) return FixStatus.TagSpecifiedWithoutValue;
        if ((uint)decimals >= (uint)s_pow10.Length) return FixStatus.ValueIncorrect;
        int i = 0;
        bool negative = v[0] == (byte)'-';
        if (negative) i++;
        ulong acc = 0;
        int digits = 0, fraction = -1;
        for (; i < v.Length; i++)
        {
            byte c = v[i];
            if (c == (byte)'.')
            {
                if (fraction >= 0) return FixStatus.IncorrectDataFormat;
                fraction = 0;
                continue;
            }
            uint d = (uint)(c - '0');
            if (d > 9) return FixStatus.IncorrectDataFormat;
            digits++;
            if (fraction >= 0 && fraction == decimals) continue;   // past the scale: truncated, still checked for format
            if (fraction >= 0) fraction++;
            if (acc > ((ulong)long.MaxValue - d) / 10) return Overflow(v, i + 1, dot: true);
            acc = acc * 10 + d;
        }
        if (digits == 0) return FixStatus.IncorrectDataFormat;
        int scale = decimals - Math.Max(fraction, 0);
        ulong m = (ulong)s_pow10[scale];
        if (acc != 0 && acc > (ulong)long.MaxValue / m) return FixStatus.ValueIncorrect;
        long r = (long)(acc * m);
        value = negative ? -r : r;
        return FixStatus.Ok;
    }

    /// <summary>char: exactly one byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FixStatus TryChar(ReadOnlySpan<byte> v, out byte value)
    {
        value = v.Length == 1 ? v[0] : (byte)0;
        return v.Length == 1 ? FixStatus.Ok : v.IsEmpty ? FixStatus.TagSpecifiedWithoutValue : FixStatus.IncorrectDataFormat;
    }

    /// <summary>Boolean: 'Y' or 'N'.</summary>
    public static FixStatus TryBool(ReadOnlySpan<byte> v, out bool value)
    {
        value = false;
        var s = TryChar(v, out byte c);
        if (s != FixStatus.Ok) return s;
        if (c != (byte)'Y' && c != (byte)'N') return FixStatus.ValueIncorrect;
        value = c == (byte)'Y';
        return FixStatus.Ok;
    }

    /// <summary>
    /// UTCTimestamp "YYYYMMDD-HH:MM:SS[.sss[sss[sss]]]" (FIX 4.4 milliseconds; FIX 5.0 SP2 up to picoseconds, digits
    /// beyond nanoseconds truncated) as ns since the Unix epoch, UTC. Second 60 is a leap second (FIX allows it).
    /// </summary>
    public static FixStatus TryUtcTimestamp(ReadOnlySpan<byte> v, out long unixNs)
    {
        unixNs = 0;
        if (v.IsEmpty) return FixStatus.TagSpecifiedWithoutValue;
        if (v.Length < 17 || v[8] != (byte)'-') return FixStatus.IncorrectDataFormat;
        var s = TryUtcDate(v.Slice(0, 8), out long dayNs);
        if (s != FixStatus.Ok) return s;
        s = TryUtcTimeOnly(v.Slice(9), out long timeNs);
        if (s != FixStatus.Ok) return s;
        unixNs = dayNs + timeNs;
        return FixStatus.Ok;
    }

    /// <summary>UTCDateOnly / LocalMktDate "YYYYMMDD" as ns since the Unix epoch at that day's midnight.</summary>
    public static FixStatus TryUtcDate(ReadOnlySpan<byte> v, out long unixNs)
    {
        unixNs = 0;
        if (v.IsEmpty) return FixStatus.TagSpecifiedWithoutValue;
        if (v.Length != 8 || !Digits(v, 0, 4, out int year) || !Digits(v, 4, 2, out int month) || !Digits(v, 6, 2, out int day))
            return FixStatus.IncorrectDataFormat;
        if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return FixStatus.ValueIncorrect;
        unixNs = DaysFromCivil(year, month, day) * NsPerDay;
        return FixStatus.Ok;
    }

    /// <summary>UTCTimeOnly "HH:MM:SS[.fraction]" as ns since midnight.</summary>
    public static FixStatus TryUtcTimeOnly(ReadOnlySpan<byte> v, out long ns)
    {
        ns = 0;
        if (v.IsEmpty) return FixStatus.TagSpecifiedWithoutValue;
        if (v.Length < 8 || v[2] != (byte)':' || v[5] != (byte)':'
            || !Digits(v, 0, 2, out int h) || !Digits(v, 3, 2, out int m) || !Digits(v, 6, 2, out int sec))
            return FixStatus.IncorrectDataFormat;
        if (h > 23 || m > 59 || sec > 60) return FixStatus.ValueIncorrect;
        long fraction = 0;
        if (v.Length > 8)
        {
            int digits = v.Length - 9;
            if (v[8] != (byte)'.' || digits < 1 || digits > 12) return FixStatus.IncorrectDataFormat;
            for (int i = 9; i < v.Length; i++)
            {
                uint d = (uint)(v[i] - '0');
                if (d > 9) return FixStatus.IncorrectDataFormat;
                if (i < 18) fraction = fraction * 10 + d;          // ns resolution: picosecond digits truncated
            }
            fraction *= s_pow10[9 - Math.Min(digits, 9)];
        }
        ns = ((h * 60L + m) * 60L + sec) * NsPerSecond + fraction;
        return FixStatus.Ok;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Digits(ReadOnlySpan<byte> v, int at, int count, out int value)
    {
        value = 0;
        for (int i = at; i < at + count; i++)
        {
            uint d = (uint)(v[i] - '0');
            if (d > 9) return false;
            value = value * 10 + (int)d;
        }
        return true;
    }

    private static FixStatus Overflow(ReadOnlySpan<byte> v, int from, bool dot)
    {
        for (int i = from; i < v.Length; i++)
            if ((uint)(v[i] - '0') > 9 && !(dot && v[i] == (byte)'.')) return FixStatus.IncorrectDataFormat; // a format fault outranks the range
        return FixStatus.ValueIncorrect;
    }

    internal static int DaysInMonth(int year, int month) => month == 2
        ? (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28)
        : month is 4 or 6 or 9 or 11 ? 30 : 31;

    /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil algorithm).</summary>
    internal static long DaysFromCivil(int y, int m, int d)
    {
        y -= m <= 2 ? 1 : 0;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }
}
