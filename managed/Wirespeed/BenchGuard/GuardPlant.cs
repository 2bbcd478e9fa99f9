using System.Runtime.CompilerServices;

namespace Wirespeed.BenchGuard;

/// <summary>
/// Extra work the guard's measured loops add per operation: none (<see cref="NoPlant"/>, every real run) or a planted
/// regression (<see cref="BurnPlant"/>, <c>bench --check --plant NAME</c>) that shows the guard fails on a slowed stage.
/// The loops are generic over the plant, so the unplanted loop is compiled without it; no production path sees it.
/// </summary>
public interface IGuardPlant
{
    /// <summary>Called once per step of a measured loop, with the operations that step did.</summary>
    void Spend(int operations);
}

/// <summary>No extra work: compiles to nothing.</summary>
public struct NoPlant : IGuardPlant
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Spend(int operations) { }
}

/// <summary>
/// A dependent multiply-add chain, <see cref="StepsPerOperation"/> links per operation: about 4 cycles a link, so
/// roughly 250 ns per operation on a 3 GHz core, several times the cost of any guarded stage (the costliest, decode +
/// book, is under 100 ns per message), so it exceeds any sensible tolerance.
/// </summary>
public struct BurnPlant : IGuardPlant
{
    public const int StepsPerOperation = 200;
    private ulong _state;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Spend(int operations)
    {
        ulong s = _state | 1;
        for (long i = (long)operations * StepsPerOperation; i > 0; i--) s = s * 6364136223846793005UL + 1442695040888963407UL; // Knuth's MMIX LCG
        _state = s;
    }
}
