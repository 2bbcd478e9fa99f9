namespace Wirespeed.Core.Breakers;

/// <summary>Breaker responses that reach outside the pipeline: counted (no OMS or alert sink is wired yet).</summary>
public struct CountingBreakerActions : IBreakerActions
{
    private readonly BreakerActionCounters _counters;

    public CountingBreakerActions(BreakerActionCounters counters) => _counters = counters;

    public readonly void CancelAll(in BreakerTransition transition) => _counters.CancelAll++;

    public readonly void Alert(in BreakerTransition transition) => _counters.Alerts++;
}

/// <summary>Cancel-alls and alerts the breakers asked for. Written by the breaker worker; read after the run.</summary>
public sealed class BreakerActionCounters
{
    public long CancelAll;
    public long Alerts;
}
