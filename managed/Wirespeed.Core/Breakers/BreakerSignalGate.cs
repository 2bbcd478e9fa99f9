using System.Runtime.CompilerServices;
using Wirespeed.Core.Signals;

namespace Wirespeed.Core.Breakers;

/// <summary>
/// The circuit breakers as the pattern workers' signal gate: the responses of an instrument's effective level
/// (instrument, sector or market, whichever is highest) decide. suppressSignals → <see cref="SignalPolicy.Suppress"/>,
/// throttleSignals → <see cref="SignalPolicy.Throttle"/>, widenThresholds → the level's threshold multiplier.
/// </summary>
/// <remarks>
/// A struct over the sealed <see cref="BreakerState"/>: the emitter is generic over it, so each query is a direct,
/// inlinable call of two acquire loads (the levels the breaker stage publishes with release stores). Where the breaker
/// stage runs before the publish stage on the book worker (the product's feed chain), a batch reaches the ring only
/// after the breakers have taken all of it, so the gate never reads a level older than the event being evaluated; it
/// may read a newer one (the worker runs behind the feed), which errs on the side of the breaker.
/// <para>Determinism: the level read is the one at the end of the event's batch (inline placement, or pattern threads in
/// lock step under the virtual clock: <see cref="Patterns.PublishOverflowPolicy.Lockstep"/>) or later (pattern threads
/// running free). Replay fills its batches from the input alone, so its signals are the same run after run. A live run's
/// batches follow packet arrival, so a replay of its recording gives the same signals except where a breaker level
/// changed within the batch of a detection: the level cannot travel with the event (MarketEvent has no spare byte).</para>
/// </remarks>
public readonly struct BreakerSignalGate : ISignalGate
{
    private readonly BreakerState _breakers;

    public BreakerSignalGate(BreakerState breakers) => _breakers = breakers ?? throw new System.ArgumentNullException(nameof(breakers));

    public BreakerState State => _breakers;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SignalPolicy PolicyFor(int instrument) => _breakers.SignalPolicyFor(instrument);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ThresholdMultiplier(int instrument) => _breakers.ThresholdMultiplier(instrument);
}
