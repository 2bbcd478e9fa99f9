using System;

namespace Wirespeed.Core.Signals;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF: RFC 3720 B.4), table
/// driven, one byte per step. Check value of "123456789" is 0xE3069283. Used for signal journal records, where a record
/// is 68 bytes: a byte-wise table is fast enough. (The recording journal, whose records are whole datagrams, uses
/// System.IO.Hashing's CRC-32C, which uses the CPU's CRC32 instruction: same polynomial, same values.)
/// </summary>
public static class Crc32C
{
    private const uint Polynomial = 0x82F63B78;
    private static readonly uint[] s_table = BuildTable();

    /// <summary>CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues a CRC computed over earlier bytes (<paramref name="crc"/> = result so far, 0 to start).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint[] table = s_table;
        uint c = ~crc;
        for (int i = 0; i < data.Length; i++) c = table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
        return ~c;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
