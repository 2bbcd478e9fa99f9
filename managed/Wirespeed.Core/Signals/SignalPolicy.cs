namespace Wirespeed.Core.Signals;

/// <summary>What a <see cref="ISignalGate"/> lets through for an instrument (circuit-breaker responses).</summary>
public enum SignalPolicy : byte
{
    /// <summary>Deliver every signal.</summary>
    Allow = 0,
    /// <summary>Deliver at most one signal per pattern per throttle interval (<see cref="Patterns.PatternsOptions.ThrottleUs"/>); the rest are counted.</summary>
    Throttle = 1,
    /// <summary>Deliver nothing; counted.</summary>
    Suppress = 2,
}
