using System.Numerics;

namespace Wirespeed.Feeds.Aeron;

/// <summary>
/// Stream positions and their (term id, term offset) form (AERON.md §B.9). Term ids wrap around int32, so term counts are
/// always taken by wrap-around subtraction: termCount = (int)(termId − initialTermId).
/// </summary>
public static class AeronPosition
{
    public const int MinTermLength = 64 * 1024;
    public const int MaxTermLength = 1024 * 1024 * 1024;
    /// <summary>Terms kept per log, as aeronmd maps them (index = termCount % 3).</summary>
    public const int PartitionCount = 3;

    /// <summary>A power of two from 64 KiB to 1 GiB (§B.4).</summary>
    public static bool IsValidTermLength(int termLength)
        => termLength >= MinTermLength && termLength <= MaxTermLength && BitOperations.IsPow2(termLength);

    /// <summary>A multiple of 32 from 32 to 65504 (§B.4).</summary>
    public static bool IsValidMtu(int mtu) => mtu >= AeronLayout.Data.HeaderLength && mtu <= 65504 && (mtu & 31) == 0;

    /// <summary>log2(termLength).</summary>
    public static int PositionBitsToShift(int termLength) => BitOperations.TrailingZeroCount(termLength);

    /// <summary>Terms since the initial term, by wrap-around subtraction; negative for a term before the initial one.</summary>
    public static int TermCount(int termId, int initialTermId) => unchecked(termId - initialTermId);

    /// <summary>position = (termCount &lt;&lt; bits) + termOffset (§B.9).</summary>
    public static long Compute(int termId, int termOffset, int bits, int initialTermId)
        => ((long)TermCount(termId, initialTermId) << bits) + termOffset;

    /// <summary>termId = (int)(initialTermId + (position &gt;&gt; bits)), wrapping (§B.9).</summary>
    public static int TermId(long position, int bits, int initialTermId) => unchecked(initialTermId + (int)(position >> bits));

    /// <summary>termOffset = position &amp; (termLength − 1) (§B.9).</summary>
    public static int TermOffset(long position, int termLength) => (int)(position & (termLength - 1));

    /// <summary>Which of the 3 term buffers holds the term with this count.</summary>
    public static int PartitionIndex(long termCount) => (int)(termCount % PartitionCount);

    /// <summary>Largest position a stream can reach: the term count is an int32 (Aeron's max possible position).</summary>
    public static long MaxPosition(int termLength) => (long)termLength << 31;

    /// <summary>Largest message: min(termLength / 8, 16 MiB) (§B.3).</summary>
    public static int MaxMessageLength(int termLength) => System.Math.Min(termLength / 8, 16 * 1024 * 1024);
}
