using System;
using System.Buffers.Text;

namespace Wirespeed.Feeds.Fix;

/// <summary>Fraction digits a UTCTimestamp is written with.</summary>
public enum FixTimePrecision : byte
{
    Seconds = 0,
    /// <summary>FIX 4.2+ ".sss".</summary>
    Milliseconds = 3,
    /// <summary>FIX 5.0 SP1+ ".ssssss".</summary>
    Microseconds = 6,
    /// <summary>FIX 5.0 SP1+ ".sssssssss".</summary>
    Nanoseconds = 9,
}

/// <summary>
/// Writes one FIX tag=value message into a caller's span without allocating: BeginString and MsgType first, then
/// the fields in the caller's order (header fields first, as FIX requires), then <see cref="Finish"/> fills in
/// BodyLength and appends CheckSum. BodyLength's digits are reserved at the widest and the body moved left once at
/// the end (a few hundred bytes; it keeps the message at offset 0 and BodyLength free of leading zeros).
/// A value that does not fit, or is not valid on the wire (empty, containing SOH), is not written: the writer
/// remembers the first fault, and <see cref="Finish"/> returns it.
/// </summary>
public ref struct FixWriter
{
    private const int LengthDigits = 7;          // BodyLength up to 9,999,999 bytes; the framer accepts 1 MiB
    private readonly Span<byte> _buffer;
    private readonly int _lengthAt;              // first reserved BodyLength digit
    private int _position;
    private FixStatus _fault;
    private int _faultTag;

    /// <param name="buffer">Where the message is written, from offset 0.</param>
    /// <param name="beginString">"FIX.4.4" or "FIXT.1.1".</param>
    /// <param name="msgType">MsgType (35), e.g. "X"u8.</param>
    public FixWriter(Span<byte> buffer, ReadOnlySpan<byte> beginString, ReadOnlySpan<byte> msgType)
    {
        _buffer = buffer;
        _position = 0;
        _fault = FixStatus.Ok;
        _faultTag = 0;
        Raw("8="u8);
        Raw(beginString);
        Raw("\u00019="u8);
        _lengthAt = _position;
        _position += LengthDigits;
        Raw("\u0001"u8);
        if (_position > buffer.Length) Fault(FixStatus.OutputFull, 9);
        Bytes(35, msgType);
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Position => _position;
    /// <summary>The first fault, or Ok.</summary>
    public readonly FixStatus Status => _fault;
    /// <summary>The tag of the first fault, or 0.</summary>
    public readonly int FaultTag => _faultTag;

    /// <summary>An int, SeqNum, NumInGroup or Length field.</summary>
    public void Int(int tag, long value)
    {
        if (!Tag(tag)) return;
        if (!Utf8Formatter.TryFormat(value, _buffer.Slice(_position), out int n)) { Fault(FixStatus.OutputFull, tag); return; }
        _position += n;
        End();
    }

    /// <summary>A float/Price/Qty field from fixed point with <paramref name="decimals"/> implied decimals, trailing
    /// fraction zeros dropped (12300 at 4 decimals is "1.23").</summary>
    public void Fixed(int tag, long value, int decimals)
    {
        if ((uint)decimals > 18) { Fault(FixStatus.ValueIncorrect, tag); return; }
        if (!Tag(tag)) return;
        ulong magnitude = value < 0 ? (ulong)(-(value + 1)) + 1 : (ulong)value;   // long.MinValue safe
        ulong scale = 1;
        for (int i = 0; i < decimals; i++) scale *= 10;
        ulong whole = magnitude / scale, fraction = magnitude % scale;
        int digits = decimals;
        while (digits > 0 && fraction % 10 == 0) { fraction /= 10; digits--; }
        var rest = _buffer.Slice(_position);
        int n = 0;
        if (value < 0) { if (rest.IsEmpty) { Fault(FixStatus.OutputFull, tag); return; } rest[n++] = (byte)'-'; }
        if (!Utf8Formatter.TryFormat(whole, rest.Slice(n), out int w)) { Fault(FixStatus.OutputFull, tag); return; }
        n += w;
        if (digits > 0)
        {
            if (rest.Length < n + 1 + digits) { Fault(FixStatus.OutputFull, tag); return; }
            rest[n++] = (byte)'.';
            for (int i = digits - 1; i >= 0; i--, fraction /= 10) rest[n + i] = (byte)('0' + (int)(fraction % 10));
            n += digits;
        }
        _position += n;
        End();
    }

    /// <summary>A UTCTimestamp field from ns since the Unix epoch (UTC), "YYYYMMDD-HH:MM:SS[.fff…]".</summary>
    public void Timestamp(int tag, long unixNs, FixTimePrecision precision = FixTimePrecision.Milliseconds)
    {
        if (unixNs < 0) { Fault(FixStatus.ValueIncorrect, tag); return; }
        if (!Tag(tag)) return;
        int digits = (int)precision;
        int length = 17 + (digits > 0 ? 1 + digits : 0);
        var d = _buffer.Slice(_position);
        if (d.Length < length) { Fault(FixStatus.OutputFull, tag); return; }
        long days = unixNs / 86_400_000_000_000L, inDay = unixNs % 86_400_000_000_000L;
        CivilFromDays(days, out int year, out int month, out int day);
        if (year > 9999) { Fault(FixStatus.ValueIncorrect, tag); return; }
        long seconds = inDay / 1_000_000_000L;
        Two(d, 0, year / 100);
        Two(d, 2, year % 100);
        Two(d, 4, month);
        Two(d, 6, day);
        d[8] = (byte)'-';
        Two(d, 9, (int)(seconds / 3600));
        d[11] = (byte)':';
        Two(d, 12, (int)(seconds / 60 % 60));
        d[14] = (byte)':';
        Two(d, 15, (int)(seconds % 60));
        if (digits > 0)
        {
            d[17] = (byte)'.';
            long fraction = inDay % 1_000_000_000L;
            for (int i = digits; i < 9; i++) fraction /= 10;
            for (int i = 17 + digits; i > 17; i--, fraction /= 10) d[i] = (byte)('0' + (int)(fraction % 10));
        }
        _position += length;
        End();
    }

    /// <summary>A char field.</summary>
    public void Char(int tag, byte value)
    {
        if (value == FixFramer.Soh) { Fault(FixStatus.IncorrectDataFormat, tag); return; }
        if (!Tag(tag)) return;
        if (_position >= _buffer.Length) { Fault(FixStatus.OutputFull, tag); return; }
        _buffer[_position++] = value;
        End();
    }

    /// <summary>A String (or any text) field from bytes: not empty and without SOH (FIX forbids both outside data fields).</summary>
    public void Bytes(int tag, scoped ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) { Fault(FixStatus.TagSpecifiedWithoutValue, tag); return; }
        if (value.IndexOf(FixFramer.Soh) >= 0) { Fault(FixStatus.IncorrectDataFormat, tag); return; }
        if (!Tag(tag)) return;
        if (!value.TryCopyTo(_buffer.Slice(_position))) { Fault(FixStatus.OutputFull, tag); return; }
        _position += value.Length;
        End();
    }

    /// <summary>
    /// Fills in BodyLength, appends CheckSum and returns Ok with the message in [0, <paramref name="length"/>), or the
    /// first fault (then <paramref name="length"/> is 0 and the buffer holds nothing usable).
    /// </summary>
    public FixStatus Finish(out int length)
    {
        length = 0;
        if (_fault != FixStatus.Ok) return _fault;
        int bodyStart = _lengthAt + LengthDigits + 1;
        int body = _position - bodyStart;
        Span<byte> digits = stackalloc byte[LengthDigits];
        if (!Utf8Formatter.TryFormat(body, digits, out int n)) return Fault(FixStatus.OutputFull, 9);
        int shift = LengthDigits - n;
        if (_position + 7 - shift > _buffer.Length) return Fault(FixStatus.OutputFull, 10);
        digits.Slice(0, n).CopyTo(_buffer.Slice(_lengthAt));
        _buffer[_lengthAt + n] = FixFramer.Soh;
        _buffer.Slice(bodyStart, body).CopyTo(_buffer.Slice(bodyStart - shift));  // overlapping: CopyTo is memmove
        _position -= shift;
        int sum = FixFramer.CheckSum(_buffer.Slice(0, _position));
        var t = _buffer.Slice(_position, 7);
        t[0] = (byte)'1';
        t[1] = (byte)'0';
        t[2] = (byte)'=';
        t[3] = (byte)('0' + sum / 100);
        t[4] = (byte)('0' + sum / 10 % 10);
        t[5] = (byte)('0' + sum % 10);
        t[6] = FixFramer.Soh;
        _position += 7;
        length = _position;
        return FixStatus.Ok;
    }

    private bool Tag(int tag)
    {
        if (_fault != FixStatus.Ok) return false;
        if (tag <= 0) { Fault(FixStatus.InvalidTagNumber, tag); return false; }
        if (!Utf8Formatter.TryFormat(tag, _buffer.Slice(Math.Min(_position, _buffer.Length)), out int n) || _position + n >= _buffer.Length)
        {
            Fault(FixStatus.OutputFull, tag);
            return false;
        }
        _position += n;
        _buffer[_position++] = (byte)'=';
        return true;
    }

    private void End()
    {
        if (_position >= _buffer.Length) { Fault(FixStatus.OutputFull, 0); return; }
        _buffer[_position++] = FixFramer.Soh;
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        if (_position + bytes.Length <= _buffer.Length) bytes.CopyTo(_buffer.Slice(_position));
        _position += bytes.Length;
    }

    private FixStatus Fault(FixStatus status, int tag)
    {
        if (_fault == FixStatus.Ok)
        {
            _fault = status;
            _faultTag = tag;
        }
        return _fault;
    }

    private static void Two(Span<byte> d, int at, int value)
    {
        d[at] = (byte)('0' + value / 10);
        d[at + 1] = (byte)('0' + value % 10);
    }

    /// <summary>Civil date of a day count since 1970-01-01 (H. Hinnant's civil_from_days algorithm).</summary>
    private static void CivilFromDays(long z, out int year, out int month, out int day)
    {
        z += 719468;
        long era = (z >= 0 ? z : z - 146096) / 146097;
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        day = (int)(doy - (153 * mp + 2) / 5 + 1);
        month = (int)(mp < 10 ? mp + 3 : mp - 9);
        year = (int)(yoe + era * 400 + (month <= 2 ? 1 : 0));
    }
}
