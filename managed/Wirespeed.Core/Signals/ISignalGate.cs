using System.Runtime.CompilerServices;

namespace Wirespeed.Core.Signals;

/// <summary>
/// Hook for circuit-breaker responses, asked by the pattern worker on its own thread for every event it evaluates:
/// the threshold multiplier before a pattern is evaluated (widen thresholds), the policy before a signal is delivered
/// (suppress, throttle). Implemented by a struct so the calls are direct; an implementation reads breaker state that
/// another thread writes, so it must read it with acquire semantics and never block.
/// </summary>
public interface ISignalGate
{
    /// <summary>Policy for signals whose first instrument is <paramref name="instrument"/>.</summary>
    SignalPolicy PolicyFor(int instrument);

    /// <summary>Multiplier (≥ 1 widens) applied to the thresholds of patterns evaluated on <paramref name="instrument"/>'s events.</summary>
    double ThresholdMultiplier(int instrument);
}

/// <summary>The default gate: everything allowed, thresholds as configured.</summary>
public readonly struct AllowAllGate : ISignalGate
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SignalPolicy PolicyFor(int instrument) => SignalPolicy.Allow;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ThresholdMultiplier(int instrument) => 1.0;
}
