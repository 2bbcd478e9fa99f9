using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Wirespeed.Feeds.Fix;

/// <summary>Which framing checks <see cref="FixFramer"/> applies. Default: all.</summary>
[Flags]
public enum FixFramingChecks : byte
{
    None = 0,
    /// <summary>BeginString must be one of FIX.4.0 … FIX.4.4 or FIXT.1.1 (off: any value starting "FIX").</summary>
    BeginString = 1,
    /// <summary>BodyLength must end exactly where "10=" begins (off: the end is found by scanning for "&lt;SOH&gt;10=ccc&lt;SOH&gt;",
    /// for logs whose lengths were edited by hand).</summary>
    BodyLength = 2,
    /// <summary>CheckSum must equal the byte sum modulo 256.</summary>
    CheckSum = 4,
    All = BeginString | BodyLength | CheckSum,
}

/// <summary>Where one message lies in a buffer, as <see cref="FixFramer.TryFrame"/> found it.</summary>
public readonly struct FixFrame
{
    /// <summary>Offset of "8=" in the buffer (equal to the garbage skipped before it).</summary>
    public int Start { get; init; }
    /// <summary>Ok: the message's length, CheckSum field included. Bad*: the bytes from <see cref="Start"/> to drop
    /// before framing again (the next call resynchronises on the next "8=FIX"). NeedMoreBytes: 0.</summary>
    public int Length { get; init; }
    public FixVersion Version { get; init; }
    /// <summary>Offset (from <see cref="Start"/>) of the first body field, the one after BodyLength.</summary>
    public int BodyStart { get; init; }
    /// <summary>Offset (from <see cref="Start"/>) of "10=".</summary>
    public int CheckSumAt { get; init; }
}

/// <summary>
/// Finds complete FIX tag=value messages in a byte stream (FIX Transport TagValue encoding, "Message format"):
/// <code>
///   8=FIXT.1.1 SOH 9=len SOH 35=… SOH … SOH 10=ccc SOH
///   └ BeginString ┘└ BodyLength┘└── len bytes, ending in SOH ──┘└ CheckSum ┘   ccc = sum of every byte before "10=" mod 256
/// </code>
/// Bytes before "8=FIX" are garbage: skipped and reported, never parsed. A message cut short reports
/// <see cref="FixStatus.NeedMoreBytes"/>. Stateless and allocation-free; the caller owns the buffer.
/// </summary>
public static class FixFramer
{
    public const byte Soh = 0x01;
    /// <summary>Largest BodyLength accepted. Default: 1 MiB; a larger value is a corrupt length, not a message.</summary>
    public const int MaxBodyLength = 1 << 20;
    private const int TrailerLength = 7;                 // "10=ccc" SOH
    private const int MaxBeginString = 16;               // "8=FIXT.1.1" SOH is 11 bytes

    /// <summary>
    /// Frames the first message of <paramref name="buffer"/>. <paramref name="frame"/>.Start is the garbage skipped
    /// before it (count it); drop Start + Length bytes after Ok or a Bad* status, keep them from Start on NeedMoreBytes
    /// (when no "8=FIX" is present at all, Start covers everything but a tail that may begin one).
    /// </summary>
    public static FixStatus TryFrame(ReadOnlySpan<byte> buffer, out FixFrame frame, FixFramingChecks checks = FixFramingChecks.All)
    {
        int start = FindStart(buffer);
        if (start < 0)
        {
            frame = new FixFrame { Start = Math.Max(0, buffer.Length - PartialStartLength(buffer)) };
            return FixStatus.NeedMoreBytes;
        }
        var m = buffer.Slice(start);
        var status = FrameAt(m, checks, out int length, out var version, out int bodyStart, out int checkSumAt);
        frame = new FixFrame { Start = start, Length = length, Version = version, BodyStart = bodyStart, CheckSumAt = checkSumAt };
        return status;
    }

    /// <summary>Checks that <paramref name="message"/> is exactly one message (nothing before or after it).</summary>
    public static FixStatus Validate(ReadOnlySpan<byte> message, FixFramingChecks checks, out FixFrame frame)
    {
        if (message.Length < 2 || message[0] != (byte)'8' || message[1] != (byte)'=')
        {
            frame = new FixFrame { Length = message.Length };
            return FixStatus.BadBeginString;
        }
        var status = FrameAt(message, checks, out int length, out var version, out int bodyStart, out int checkSumAt);
        frame = new FixFrame { Length = length, Version = version, BodyStart = bodyStart, CheckSumAt = checkSumAt };
        if (status == FixStatus.NeedMoreBytes) return FixStatus.BadBodyLength;          // cut short: the length overruns it
        if (status == FixStatus.Ok && length != message.Length) return FixStatus.BadBodyLength; // bytes after the checksum
        return status;
    }

    /// <summary>FIX CheckSum: the sum of every byte, modulo 256.</summary>
    public static int CheckSum(ReadOnlySpan<byte> bytes)
    {
        uint sum = 0;
        int i = 0;
        if (Avx2.IsSupported && bytes.Length >= 32)
        {
            // vpsadbw against zero: four 64-bit lanes each holding the sum of 8 bytes.
            Vector256<ulong> acc = Vector256<ulong>.Zero;
            ref byte b = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(bytes);
            for (; i <= bytes.Length - 32; i += 32)
                acc = Avx2.Add(acc, Avx2.SumAbsoluteDifferences(Vector256.LoadUnsafe(ref b, (nuint)i), Vector256<byte>.Zero).AsUInt64());
            sum = (uint)(acc.GetElement(0) + acc.GetElement(1) + acc.GetElement(2) + acc.GetElement(3));
        }
        for (; i < bytes.Length; i++) sum += bytes[i];
        return (int)(sum & 0xFF);
    }

    private static FixStatus FrameAt(ReadOnlySpan<byte> m, FixFramingChecks checks, out int length, out FixVersion version, out int bodyStart, out int checkSumAt)
    {
        length = 0;
        bodyStart = 0;
        checkSumAt = 0;
        version = FixVersion.Unknown;
        // BeginString: "8=" value SOH.
        int soh = m.Slice(0, Math.Min(m.Length, MaxBeginString)).IndexOf(Soh);
        if (soh < 0)
        {
            if (m.Length < MaxBeginString) return FixStatus.NeedMoreBytes;
            length = 2;
            return FixStatus.BadBeginString;
        }
        version = Version(m.Slice(2, soh - 2));
        if (version == FixVersion.Unknown && ((checks & FixFramingChecks.BeginString) != 0 || soh < 5 || !m.Slice(2, 3).SequenceEqual("FIX"u8)))
        {
            length = 2;
            return FixStatus.BadBeginString;
        }
        // BodyLength: "9=" digits SOH.
        int at = soh + 1;
        if (m.Length < at + 2) return FixStatus.NeedMoreBytes;
        if (m[at] != (byte)'9' || m[at + 1] != (byte)'=') { length = 2; return FixStatus.BadBodyLength; }
        at += 2;
        int digitsAt = at;
        long bodyLength = 0;
        for (; at < m.Length && (uint)(m[at] - '0') <= 9; at++)
        {
            bodyLength = bodyLength * 10 + (m[at] - '0');
            if (bodyLength > MaxBodyLength) { length = 2; return FixStatus.BadBodyLength; }
        }
        if (at == m.Length) return FixStatus.NeedMoreBytes;
        if (at == digitsAt || m[at] != Soh || bodyLength == 0) { length = 2; return FixStatus.BadBodyLength; }
        bodyStart = at + 1;
        if ((checks & FixFramingChecks.BodyLength) != 0)
        {
            checkSumAt = bodyStart + (int)bodyLength;
            if (m.Length < checkSumAt + TrailerLength) return FixStatus.NeedMoreBytes;
            if (m[checkSumAt - 1] != Soh || m[checkSumAt] != (byte)'1' || m[checkSumAt + 1] != (byte)'0' || m[checkSumAt + 2] != (byte)'=')
            {
                length = 2;
                return FixStatus.BadBodyLength;
            }
        }
        else
        {
            int found = m.Slice(bodyStart - 1).IndexOf("\u000110="u8);
            if (found < 0) return m.Length - bodyStart > MaxBodyLength ? Bad(out length) : FixStatus.NeedMoreBytes;
            checkSumAt = bodyStart + found;
            if (m.Length < checkSumAt + TrailerLength) return FixStatus.NeedMoreBytes;
        }
        length = checkSumAt + TrailerLength;
        int d0 = m[checkSumAt + 3] - '0', d1 = m[checkSumAt + 4] - '0', d2 = m[checkSumAt + 5] - '0';
        if ((uint)d0 > 9 || (uint)d1 > 9 || (uint)d2 > 9 || m[checkSumAt + 6] != Soh) return FixStatus.BadCheckSum;
        if ((checks & FixFramingChecks.CheckSum) != 0 && CheckSum(m.Slice(0, checkSumAt)) != d0 * 100 + d1 * 10 + d2) return FixStatus.BadCheckSum;
        return FixStatus.Ok;
    }

    private static FixStatus Bad(out int length)
    {
        length = 2;
        return FixStatus.BadBodyLength;
    }

    /// <summary>The version a BeginString value names, or Unknown.</summary>
    public static FixVersion Version(ReadOnlySpan<byte> beginString)
    {
        if (beginString.SequenceEqual("FIXT.1.1"u8)) return FixVersion.Fixt11;
        if (beginString.Length == 7 && beginString.StartsWith("FIX.4."u8) && (uint)(beginString[6] - '0') <= 4)
            return (FixVersion)((int)FixVersion.Fix40 + (beginString[6] - (byte)'0'));
        return FixVersion.Unknown;
    }

    /// <summary>Offset of the first "8=FIX", or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FindStart(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length >= 5 && buffer[0] == (byte)'8' && buffer[1] == (byte)'=' && buffer[2] == (byte)'F') return 0; // the usual case: aligned
        return buffer.IndexOf("8=FIX"u8);
    }

    /// <summary>How many trailing bytes could be the start of "8=FIX" (kept for the next read).</summary>
    private static int PartialStartLength(ReadOnlySpan<byte> buffer)
    {
        for (int n = Math.Min(4, buffer.Length); n > 0; n--)
            if (buffer.Slice(buffer.Length - n).SequenceEqual("8=FIX"u8.Slice(0, n))) return n;
        return 0;
    }
}
