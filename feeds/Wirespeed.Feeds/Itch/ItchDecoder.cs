using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Wirespeed.Feeds.Itch;

/// <summary>Field readers shared by the typed views and the normaliser. Callers validate the length first.</summary>
public static class ItchDecoder
{
    /// <summary>
    /// Checks that <paramref name="message"/> is a complete 5.0 message: a known type and exactly its type's size.
    /// Longer messages are rejected too: NASDAQ fixes every type's length (ITCH 5.0 section 4), so extra bytes mean
    /// framing is wrong or the feed is not 5.0, and reading the fields would be a guess.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DecodeStatus Validate(ReadOnlySpan<byte> message)
    {
        if (message.IsEmpty) return DecodeStatus.BadLength;
        int size = ItchLayout.SizeByType[message[0]];
        if (size == 0) return DecodeStatus.UnknownType;
        return message.Length == size ? DecodeStatus.Ok : DecodeStatus.BadLength;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort U16(ReadOnlySpan<byte> m, int offset) => BinaryPrimitives.ReadUInt16BigEndian(m.Slice(offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint U32(ReadOnlySpan<byte> m, int offset) => BinaryPrimitives.ReadUInt32BigEndian(m.Slice(offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong U64(ReadOnlySpan<byte> m, int offset) => BinaryPrimitives.ReadUInt64BigEndian(m.Slice(offset));

    /// <summary>ITCH 5.0 Data Types: Timestamp is a 6-byte big-endian count of ns since midnight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Timestamp48(ReadOnlySpan<byte> m, int offset = ItchLayout.Timestamp)
        => ((long)BinaryPrimitives.ReadUInt16BigEndian(m.Slice(offset)) << 32) | BinaryPrimitives.ReadUInt32BigEndian(m.Slice(offset + 2));

    /// <summary>ITCH 5.0 Data Types: Price(4) is an unsigned 4-byte integer with 4 implied decimals.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Price4(ReadOnlySpan<byte> m, int offset) => BinaryPrimitives.ReadUInt32BigEndian(m.Slice(offset));

    /// <summary>ITCH 5.0 Data Types: Price(8) is an unsigned 8-byte integer with 8 implied decimals (MWCB levels).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Price8(ReadOnlySpan<byte> m, int offset) => (long)BinaryPrimitives.ReadUInt64BigEndian(m.Slice(offset));

    /// <summary>Price(8) rescaled to the 4 implied decimals of <see cref="Core.Events.MarketEvent.Price"/> (truncating).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Price8To4(ReadOnlySpan<byte> m, int offset) => (long)(BinaryPrimitives.ReadUInt64BigEndian(m.Slice(offset)) / 10_000UL);

    /// <summary>An alpha field: ASCII, left-justified, right-padded with spaces. Returns the bytes without the padding.</summary>
    public static ReadOnlySpan<byte> Alpha(ReadOnlySpan<byte> m, int offset, int length)
    {
        ReadOnlySpan<byte> f = m.Slice(offset, length);
        int end = f.Length;
        while (end > 0 && f[end - 1] == (byte)' ') end--;
        return f.Slice(0, end);
    }

    /// <summary>An 8-byte alpha field (Stock) read as a little-endian ulong, padding included: a cheap symbol key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SymbolKey(ReadOnlySpan<byte> m, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(offset));

    /// <summary>Cold-path helper: an alpha field as a trimmed string (tests, tools, listings).</summary>
    public static string AlphaString(ReadOnlySpan<byte> m, int offset, int length)
        => System.Text.Encoding.ASCII.GetString(Alpha(m, offset, length));
}
