namespace Wirespeed.Core.Signals;

/// <summary>What a <see cref="ISignalGate"/> lets through for an instrument: the circuit breakers' responses
/// (<see cref="Breakers.BreakerState.SignalPolicyFor"/>) in the one vocabulary the breakers, the gate and the deliver stage share.</summary>
public enum SignalPolicy : byte
{
    /// <summary>Deliver every signal.</summary>
    Allow = 0,
    /// <summary>Deliver at most one signal per pattern per throttle interval (the breakers' <see cref="Breakers.BreakerOptions.ThrottleIntervalNs"/> per instrument, the patterns' <see cref="Patterns.PatternsOptions.ThrottleUs"/> per pattern); the rest are counted.</summary>
    Throttle = 1,
    /// <summary>Deliver nothing; counted.</summary>
    Suppress = 2,
}
