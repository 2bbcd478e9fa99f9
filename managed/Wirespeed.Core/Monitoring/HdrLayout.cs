using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Wirespeed.Core.Monitoring;

/// <summary>
/// The bucket layout of an HdrHistogram: which counts-array index holds which value, for a given lowest discernible
/// value, highest trackable value and number of significant digits. The V2 encoding carries counts by index, so writer
/// and reader must agree on this layout exactly (HdrHistogram's AbstractHistogram defines it: buckets of
/// <c>subBucketCount</c> values, each bucket doubling the unit of the previous one, the lower half of every bucket
/// after the first overlapping the previous bucket and therefore left out of the array).
/// </summary>
public readonly struct HdrLayout
{
    private readonly int _unitMagnitude;
    private readonly int _subBucketHalfCountMagnitude;
    private readonly int _subBucketHalfCount;
    private readonly long _subBucketMask;
    private readonly int _leadingZeroCountBase;

    public HdrLayout(long lowestDiscernibleValue, long highestTrackableValue, int significantDigits)
    {
        if (lowestDiscernibleValue < 1) ThrowHelper.Argument(nameof(lowestDiscernibleValue), "must be at least 1");
        if (significantDigits < 0 || significantDigits > 5) ThrowHelper.Argument(nameof(significantDigits), "must be 0..5");
        if (!Representable(lowestDiscernibleValue, significantDigits))
            ThrowHelper.Argument(nameof(lowestDiscernibleValue), "leaves no room for the significant digits in 63 bits");
        if (highestTrackableValue < 2 * lowestDiscernibleValue)
            ThrowHelper.Argument(nameof(highestTrackableValue), "must be at least twice the lowest discernible value");
        LowestDiscernibleValue = lowestDiscernibleValue;
        HighestTrackableValue = highestTrackableValue;
        SignificantDigits = significantDigits;

        long largestSingleUnitValue = 2 * (long)Math.Pow(10, significantDigits);
        _unitMagnitude = BitOperations.Log2((ulong)lowestDiscernibleValue);
        int subBucketCountMagnitude = (int)Math.Ceiling(Math.Log2(largestSingleUnitValue));
        _subBucketHalfCountMagnitude = (subBucketCountMagnitude > 1 ? subBucketCountMagnitude : 1) - 1;
        SubBucketCount = 1 << (_subBucketHalfCountMagnitude + 1);
        _subBucketHalfCount = SubBucketCount / 2;
        _subBucketMask = ((long)SubBucketCount - 1) << _unitMagnitude;
        _leadingZeroCountBase = 64 - _unitMagnitude - _subBucketHalfCountMagnitude - 1;

        // Buckets needed so that the highest trackable value still falls inside the last one.
        long smallestUntrackable = (long)SubBucketCount << _unitMagnitude;
        int buckets = 1;
        while (smallestUntrackable <= highestTrackableValue)
        {
            if (smallestUntrackable > long.MaxValue / 2) { buckets++; break; }
            smallestUntrackable <<= 1;
            buckets++;
        }
        BucketCount = buckets;
        CountsLength = (buckets + 1) * _subBucketHalfCount;
    }

    /// <summary>
    /// False when one bucket of <paramref name="significantDigits"/> digits above <paramref name="lowestDiscernibleValue"/>
    /// would pass 2^62 (AbstractHistogram's "unitMagnitude + subBucketHalfCountMagnitude &gt; 61" check): the bucket
    /// arithmetic would overflow, and the bucket count loop would never end.
    /// </summary>
    public static bool Representable(long lowestDiscernibleValue, int significantDigits)
    {
        if (lowestDiscernibleValue < 1 || significantDigits is < 0 or > 5) return false;
        long largestSingleUnitValue = 2 * (long)Math.Pow(10, significantDigits);
        int subBucketCountMagnitude = (int)Math.Ceiling(Math.Log2(largestSingleUnitValue));
        int subBucketHalfCountMagnitude = (subBucketCountMagnitude > 1 ? subBucketCountMagnitude : 1) - 1;
        return BitOperations.Log2((ulong)lowestDiscernibleValue) + subBucketHalfCountMagnitude <= 61;
    }

    public long LowestDiscernibleValue { get; }
    public long HighestTrackableValue { get; }
    public int SignificantDigits { get; }
    public int BucketCount { get; }
    public int SubBucketCount { get; }

    /// <summary>Length of the counts array (HdrHistogram's countsArrayLength).</summary>
    public int CountsLength { get; }

    /// <summary>Counts-array index of <paramref name="value"/> (value must be within the trackable range).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int IndexOf(long value)
    {
        int bucket = _leadingZeroCountBase - BitOperations.LeadingZeroCount((ulong)(value | _subBucketMask));
        int subBucket = (int)((ulong)value >> (bucket + _unitMagnitude));
        return ((bucket + 1) << _subBucketHalfCountMagnitude) + (subBucket - _subBucketHalfCount);
    }

    /// <summary>The lowest value that lands on <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ValueFromIndex(int index)
    {
        int bucket = (index >> _subBucketHalfCountMagnitude) - 1;
        int subBucket = (index & (_subBucketHalfCount - 1)) + _subBucketHalfCount;
        if (bucket < 0)
        {
            subBucket -= _subBucketHalfCount;
            bucket = 0;
        }
        return (long)subBucket << (bucket + _unitMagnitude);
    }

    /// <summary>The highest value equivalent to <paramref name="value"/> at this precision.</summary>
    public long HighestEquivalentValue(long value)
    {
        int index = IndexOf(value);
        return ValueFromIndex(index) + SizeOfRange(index) - 1;
    }

    private long SizeOfRange(int index)
    {
        int bucket = (index >> _subBucketHalfCountMagnitude) - 1;
        if (bucket < 0) bucket = 0;
        return 1L << (_unitMagnitude + bucket);
    }
}
