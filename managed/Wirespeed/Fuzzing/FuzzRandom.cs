namespace Wirespeed.Fuzzing;

/// <summary>
/// SplitMix64: a small seeded generator of our own, so that a (seed, case) pair gives the same input on every .NET
/// version (System.Random's seeded algorithm is an implementation detail). One per case; not thread-safe.
/// </summary>
public struct FuzzRandom
{
    private ulong _state;

    public FuzzRandom(ulong seed) => _state = seed;

    /// <summary>The generator of case <paramref name="caseIndex"/> of a run with <paramref name="seed"/>: any case can be
    /// regenerated alone, without the cases before it.</summary>
    public static FuzzRandom ForCase(ulong seed, long caseIndex)
    {
        var mix = new FuzzRandom(seed ^ 0x5157_5350_4545_4446UL);
        ulong a = mix.NextUInt64();
        return new FuzzRandom(a + (ulong)caseIndex * 0xD1B5_4A32_D192_ED03UL);
    }

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>); 0 when bound is 0 or less.</summary>
    public int Next(int bound) => bound <= 0 ? 0 : (int)(NextUInt64() % (ulong)bound);

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public int Next(int min, int max) => min + Next(max - min);

    /// <summary>True with probability 1 / <paramref name="n"/>.</summary>
    public bool OneIn(int n) => Next(n) == 0;
}
