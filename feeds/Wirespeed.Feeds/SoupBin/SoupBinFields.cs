using System;

namespace Wirespeed.Feeds.SoupBin;

/// <summary>
/// The ASCII fields of SoupBinTCP 3.00 (§2 "Data Types"): Alpha right-padded or left-padded with spaces, Numeric
/// left-padded with spaces. Reading trims the padding on both sides, so a peer that pads the other way is still read.
/// </summary>
public static class SoupBinFields
{
    /// <summary>Longest numeric value a 20-character field can carry without overflowing a ulong (20 digits can).</summary>
    private const ulong MaxBeforeTimesTen = ulong.MaxValue / 10;

    /// <summary>Writes <paramref name="text"/> left-justified into <paramref name="field"/>, right-padded with spaces.
    /// False (the field is still filled) when the text is longer than the field or not printable ASCII.</summary>
    public static bool WriteAlphaRightPadded(Span<byte> field, ReadOnlySpan<char> text)
    {
        field.Fill((byte)' ');
        return CopyAscii(field, text, 0);
    }

    /// <summary>Writes <paramref name="text"/> right-justified into <paramref name="field"/>, left-padded with spaces.</summary>
    public static bool WriteAlphaLeftPadded(Span<byte> field, ReadOnlySpan<char> text)
    {
        field.Fill((byte)' ');
        return CopyAscii(field, text, Math.Max(0, field.Length - text.Length));
    }

    /// <summary>Writes <paramref name="value"/> as ASCII digits right-justified in <paramref name="field"/>, left-padded
    /// with spaces (a 20-character field holds every ulong).</summary>
    public static void WriteNumeric(Span<byte> field, ulong value)
    {
        field.Fill((byte)' ');
        int i = field.Length;
        do
        {
            field[--i] = (byte)('0' + (int)(value % 10));
            value /= 10;
        } while (value != 0 && i > 0);
    }

    /// <summary>Reads a Numeric field: optional spaces, at least one digit, optional spaces. False on anything else, an
    /// empty field or overflow (a hostile peer's field is refused, never guessed at).</summary>
    public static bool TryReadNumeric(ReadOnlySpan<byte> field, out ulong value)
    {
        value = 0;
        var digits = Trim(field);
        if (digits.IsEmpty) return false;
        foreach (byte b in digits)
        {
            uint d = (uint)(b - '0');
            if (d > 9) return false;
            if (value > MaxBeforeTimesTen || (value == MaxBeforeTimesTen && d > ulong.MaxValue % 10)) return false;
            value = value * 10 + d;
        }
        return true;
    }

    /// <summary>The field without its space padding on either side.</summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> field) => field.Trim((byte)' ');

    /// <summary>Whether an Alpha field (padding trimmed) equals <paramref name="text"/>, ignoring ASCII case when asked
    /// (usernames and passwords are case-insensitive, §2.3.1).</summary>
    public static bool AlphaEquals(ReadOnlySpan<byte> field, ReadOnlySpan<char> text, bool ignoreCase)
    {
        var f = Trim(field);
        var t = text.Trim(' ');
        if (f.Length != t.Length) return false;
        for (int i = 0; i < f.Length; i++)
        {
            int a = f[i], b = t[i];
            if (a == b) continue;
            if (!ignoreCase || (a | 0x20) != (b | 0x20) || (uint)((a | 0x20) - 'a') > 'z' - 'a') return false;
        }
        return true;
    }

    /// <summary>Whether <paramref name="text"/> fits a field of <paramref name="width"/> as printable ASCII (configuration checks).</summary>
    public static bool Fits(ReadOnlySpan<char> text, int width)
    {
        if (text.Length > width) return false;
        foreach (char c in text) if (c < ' ' || c > '~') return false;
        return true;
    }

    private static bool CopyAscii(Span<byte> field, ReadOnlySpan<char> text, int at)
    {
        bool ok = text.Length <= field.Length;
        int n = Math.Min(text.Length, field.Length);
        for (int i = 0; i < n; i++)
        {
            char c = text[i];
            if (c < ' ' || c > '~')
            {
                ok = false;
                c = '?';
            }
            field[at + i] = (byte)c;
        }
        return ok;
    }
}
